import type jsonata from "jsonata";
import { StatesError } from "./errors.js";
import { awsFunctions } from "./jsonata-functions.js";
import { defaultNondeterminism } from "./private/crypto.js";
import type { ExprScope, Nondeterminism } from "./scope.js";

const compiled = new Map<string, jsonata.Expression>();

/** Whether a string is a JSONata template `{% … %}` (no space before `{%` or after `%}`, as AWS requires). */
export function isJsonataTemplate(value: unknown): value is string {
  return typeof value === "string" && value.length >= 4 && value.startsWith("{%") && value.endsWith("%}");
}

/**
 * Evaluates a JSONata field value: a `{% expr %}` string is evaluated with `$states` = { input,
 * context, result?, errorOutput? }, the variables as `$name` and AWS's extra functions; objects and
 * arrays are walked and their `{% %}` strings evaluated (a nested one yielding nothing is an error);
 * other values, including strings that are not entirely `{% … %}`, are returned as is. A top-level
 * expression yielding nothing returns undefined: whether the field needs a value is the caller's call.
 * Errors → States.QueryEvaluationError.
 */
export async function evaluateJsonata(
  value: unknown,
  scope: ExprScope,
  field: string,
  nondeterministic: Nondeterminism = defaultNondeterminism,
): Promise<unknown> {
  if (isJsonataTemplate(value)) return evaluateTemplate(value, scope, field, nondeterministic);
  if (value === null || typeof value !== "object") return value;
  return walk(value, scope, field, nondeterministic);
}

/** A JSONata Choice `Condition`: must be a `{% %}` template evaluating to a boolean. */
export async function evaluateCondition(
  condition: string,
  scope: ExprScope,
  nondeterministic: Nondeterminism = defaultNondeterminism,
): Promise<boolean> {
  if (!isJsonataTemplate(condition)) {
    throw new StatesError(
      "States.QueryEvaluationError",
      `The field 'Condition' must be a JSONata expression '{% … %}', got '${condition}'.`,
    );
  }
  const result = await evaluateTemplate(condition, scope, "Condition", nondeterministic);
  if (typeof result !== "boolean") {
    throw new StatesError(
      "States.QueryEvaluationError",
      `The JSONata expression '${condition}' specified for the field 'Condition' returned ${describe(result)}; expected a boolean.`,
    );
  }
  return result;
}

async function walk(value: object, scope: ExprScope, field: string, nd: Nondeterminism): Promise<unknown> {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await nested(value[i], scope, `${field}[${i}]`, nd));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = await nested(item, scope, `${field}/${key}`, nd);
  return out;
}

async function nested(value: unknown, scope: ExprScope, field: string, nd: Nondeterminism): Promise<unknown> {
  if (isJsonataTemplate(value)) {
    const result = await evaluateTemplate(value, scope, field, nd);
    if (result === undefined) {
      throw new StatesError(
        "States.QueryEvaluationError",
        `The JSONata expression '${value}' specified for the field '${field}' returned nothing (undefined).`,
      );
    }
    return result;
  }
  if (value === null || typeof value !== "object") return value;
  return walk(value, scope, field, nd);
}

async function evaluateTemplate(
  template: string,
  scope: ExprScope,
  field: string,
  nd: Nondeterminism,
): Promise<unknown> {
  let result: unknown;
  try {
    const expression = compile(template, jsonataModule ?? (await loadJsonata()));
    const bindings: Record<string, unknown> = {};
    for (const [name, v] of scope.variables) bindings[name] = v;
    const states: Record<string, unknown> = { input: scope.input, context: scope.context };
    if (scope.result !== undefined) states.result = scope.result;
    if (scope.errorOutput !== undefined) states.errorOutput = scope.errorOutput;
    bindings.states = states;
    Object.assign(bindings, awsFunctions(nd));
    result = (await expression.evaluate(undefined, bindings)) as unknown;
  } catch (error) {
    if (error instanceof StatesError) throw error;
    throw new StatesError(
      "States.QueryEvaluationError",
      `An error occurred while evaluating the JSONata expression '${template}' specified for the field '${field}': ${errorText(error)}`,
    );
  }
  return toJson(result, template, field);
}

// Loaded on first use: compiling a pipeline (and JSONPath-only runs) never pays for it.
let jsonataModule: typeof jsonata | undefined;

async function loadJsonata(): Promise<typeof jsonata> {
  jsonataModule = (await import("jsonata")).default;
  return jsonataModule;
}

function compile(template: string, jsonataFn: typeof jsonata): jsonata.Expression {
  let expression = compiled.get(template);
  if (expression === undefined) {
    expression = jsonataFn(template.slice(2, -2));
    compiled.set(template, expression);
  }
  return expression;
}

function errorText(error: unknown): string {
  if (error !== null && typeof error === "object") {
    const { code, message, position } = error as { code?: unknown; message?: unknown; position?: unknown };
    const where = typeof position === "number" ? ` (at position ${position})` : "";
    return `${typeof code === "string" ? `${code}: ` : ""}${String(message)}${where}`;
  }
  return String(error);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing (undefined)";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/**
 * JSONata results can hold its internal sequences (arrays flagged `sequence`) and functions; turn
 * them into plain JSON. Copies only what has to change.
 */
function toJson(value: unknown, template: string, field: string): unknown {
  if (typeof value === "function") {
    throw new StatesError(
      "States.QueryEvaluationError",
      `The JSONata expression '${template}' specified for the field '${field}' returned a function, which is not JSON.`,
    );
  }
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new StatesError(
        "States.QueryEvaluationError",
        `The JSONata expression '${template}' specified for the field '${field}' returned a non-finite number.`,
      );
    }
    return value;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined = "sequence" in value || "keepSingleton" in value ? value.slice() : undefined;
    for (let i = 0; i < value.length; i++) {
      const item = toJson(value[i], template, field);
      if (item !== value[i]) {
        out ??= value.slice();
        out[i] = item;
      }
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const converted = toJson(item, template, field);
    if (converted !== item) {
      out ??= { ...record };
      out[key] = converted;
    }
  }
  return out ?? value;
}
