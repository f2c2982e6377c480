import type { StateJson } from "../asl/types.js";
import {
  applyResultPath,
  applyTemplate,
  type ExprScope,
  evaluateJsonata,
  isJsonataTemplate,
  type Nondeterminism,
  readPath,
} from "./expr/index.js";
import { fail } from "./failure.js";
import type { Scope } from "./runtime.js";

/** Largest state input/output AWS accepts (256 KiB). */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export function isJsonata(state: StateJson, scope: Scope): boolean {
  return (state.QueryLanguage ?? scope.queryLanguage) === "JSONata";
}

export function exprScope(
  scope: Scope,
  input: unknown,
  context: unknown,
  extra?: { result?: unknown; errorOutput?: unknown },
): ExprScope {
  const base = { input, context, variables: scope.variables };
  return extra ? { ...base, ...extra } : base;
}

const NONDETERMINISTIC = /States\.(UUID|MathRandom)\s*\(/;
const needsDraws = new WeakMap<object, boolean>();

function drawsRandom(template: unknown): boolean {
  if (template === null || typeof template !== "object") return false;
  let cached = needsDraws.get(template);
  if (cached === undefined) {
    cached = NONDETERMINISTIC.test(JSON.stringify(template));
    needsDraws.set(template, cached);
  }
  return cached;
}

/** A JSONPath payload template; templates with UUID/MathRandom draw journaled values. */
export function template(
  tpl: unknown,
  data: unknown,
  scope: ExprScope,
  field: string,
  nd: () => Nondeterminism,
): unknown {
  // Only templates that draw random values need the (journaled) source of them.
  return drawsRandom(tpl) ? applyTemplate(tpl, data, scope, field, nd()) : applyTemplate(tpl, data, scope, field);
}

/** A JSONata field: evaluated when it holds an expression (anywhere inside), else returned as is. */
export function jsonataValue(
  value: unknown,
  scope: ExprScope,
  field: string,
  nd: () => Nondeterminism,
): Promise<unknown> | unknown {
  if (value === null || (typeof value !== "object" && !isJsonataTemplate(value))) return value;
  return evaluateJsonata(value, scope, field, nd());
}

export function inputPath(state: StateJson, raw: unknown, es: ExprScope): unknown {
  const p = state.InputPath;
  if (p === undefined || p === "$") return raw;
  if (p === null) return {};
  return readPath(p as string, raw, es, "InputPath");
}

export function outputPath(state: StateJson, value: unknown, es: ExprScope): unknown {
  const p = state.OutputPath;
  if (p === undefined || p === "$") return value;
  if (p === null) return {};
  return readPath(p as string, value, es, "OutputPath");
}

/** JSONPath after a result: ResultSelector → ResultPath (on the raw input) → OutputPath. */
export function jsonPathOutput(
  state: StateJson,
  rawInput: unknown,
  result: unknown,
  es: ExprScope,
  nd: () => Nondeterminism,
): { selected: unknown; output: unknown } {
  const selected =
    state.ResultSelector === undefined ? result : template(state.ResultSelector, result, es, "ResultSelector", nd);
  const combined = applyResultPath(rawInput, selected, state.ResultPath as string | null | undefined);
  return { selected, output: outputPath(state, combined, es) };
}

/** Evaluates Assign (all values before any is applied). */
export async function evaluateAssign(
  assign: unknown,
  jsonata: boolean,
  data: unknown,
  es: ExprScope,
  nd: () => Nondeterminism,
): Promise<Record<string, unknown> | undefined> {
  if (assign === undefined || assign === null) return undefined;
  const value = jsonata ? await jsonataValue(assign, es, "Assign", nd) : template(assign, data, es, "Assign", nd);
  return value as Record<string, unknown>;
}

/**
 * A number field in any of its forms: `Name` (a number, or a JSONata
 * expression) or `NamePath` (JSONPath reference).
 */
export async function numberField(
  state: Readonly<Record<string, unknown>>,
  name: string,
  data: unknown,
  es: ExprScope,
  jsonata: boolean,
  nd: () => Nondeterminism,
): Promise<number | undefined> {
  let value: unknown = state[name];
  if (value === undefined && !jsonata && typeof state[`${name}Path`] === "string") {
    value = readPath(state[`${name}Path`] as string, data, es, `${name}Path`);
  } else if (jsonata && isJsonataTemplate(value)) {
    value = await evaluateJsonata(value, es, name, nd());
  }
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw fail("States.Runtime", `The value of ${name} must be a non-negative number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Serialises a state's output and enforces AWS's 256 KiB limit. */
export function serialize(value: unknown, stateName: string): string {
  return withinLimit(JSON.stringify(value) ?? "null", stateName);
}

/** A state's output already serialised, checked against AWS's 256 KiB limit. */
export function withinLimit(json: string, stateName: string): string {
  if (json.length * 3 > MAX_PAYLOAD_BYTES && Buffer.byteLength(json, "utf8") > MAX_PAYLOAD_BYTES) {
    throw fail(
      "States.DataLimitExceeded",
      `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit (${MAX_PAYLOAD_BYTES}).`,
    );
  }
  return json;
}
