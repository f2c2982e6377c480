import { StatesError } from "./errors.js";
import { MISSING, tryReadPath } from "./jsonpath.js";
import type { ExprScope } from "./scope.js";
import { compareInstants, parseTimestamp } from "./timestamp.js";

type Kind = "String" | "Numeric" | "Boolean" | "Timestamp";
type Relation = "Equals" | "LessThan" | "GreaterThan" | "LessThanEquals" | "GreaterThanEquals";

interface Comparison {
  readonly kind: Kind;
  readonly relation: Relation;
  readonly path: boolean;
}

const COMPARISONS = new Map<string, Comparison>();
for (const kind of ["String", "Numeric", "Boolean", "Timestamp"] as const) {
  for (const relation of ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"] as const) {
    if (kind === "Boolean" && relation !== "Equals") continue;
    COMPARISONS.set(`${kind}${relation}`, { kind, relation, path: false });
    COMPARISONS.set(`${kind}${relation}Path`, { kind, relation, path: true });
  }
}

const TESTS: Readonly<Record<string, (value: unknown) => boolean>> = {
  IsNull: (v) => v === null,
  IsNumeric: (v) => typeof v === "number",
  IsString: (v) => typeof v === "string",
  IsBoolean: (v) => typeof v === "boolean",
  IsTimestamp: (v) => typeof v === "string" && parseTimestamp(v) !== undefined,
};

/**
 * Evaluates one JSONPath Choice rule (top-level or nested in And/Or/Not). A comparison whose
 * `Variable` (or `…Path` operand) is not present throws States.Runtime as AWS does; IsPresent never
 * throws. A value of the wrong type for the operator compares false.
 */
export function evaluateRule(rule: Record<string, unknown>, data: unknown, scope: ExprScope): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r) => evaluateRule(r as Record<string, unknown>, data, scope));
  if (Array.isArray(rule.Or)) return rule.Or.some((r) => evaluateRule(r as Record<string, unknown>, data, scope));
  if (rule.Not !== undefined && rule.Not !== null && typeof rule.Not === "object") {
    return !evaluateRule(rule.Not as Record<string, unknown>, data, scope);
  }
  const variable = rule.Variable;
  if (typeof variable !== "string") {
    throw new StatesError("States.Runtime", `A Choice rule needs a Variable, And, Or or Not: ${JSON.stringify(rule)}`);
  }
  for (const key of Object.keys(rule)) {
    if (key === "Variable" || key === "Next" || key === "Comment") continue;
    const operand = rule[key];
    if (key === "IsPresent") return (tryReadPath(variable, data, scope) !== MISSING) === operand;
    const test = TESTS[key];
    if (test !== undefined) return test(present(variable, data, scope)) === operand;
    const comparison = COMPARISONS.get(key);
    if (comparison !== undefined) {
      const value = present(variable, data, scope);
      const expected = comparison.path ? present(String(operand), data, scope) : operand;
      return compare(comparison, value, expected);
    }
    if (key === "StringMatches") {
      const value = present(variable, data, scope);
      return typeof value === "string" && typeof operand === "string" && matcher(operand).test(value);
    }
  }
  throw new StatesError("States.Runtime", `The Choice rule on '${variable}' has no comparison operator.`);
}

function present(path: string, data: unknown, scope: ExprScope): unknown {
  const value = tryReadPath(path, data, scope);
  if (value === MISSING) {
    throw new StatesError(
      "States.Runtime",
      `Invalid path '${path}': The choice state's condition path references an invalid value.`,
    );
  }
  return value;
}

function compare({ kind, relation }: Comparison, value: unknown, expected: unknown): boolean {
  let order: number;
  switch (kind) {
    case "String":
      if (typeof value !== "string" || typeof expected !== "string") return false;
      order = value < expected ? -1 : value > expected ? 1 : 0;
      break;
    case "Numeric":
      if (typeof value !== "number" || typeof expected !== "number") return false;
      order = value - expected;
      break;
    case "Boolean":
      return typeof value === "boolean" && value === expected;
    case "Timestamp": {
      if (typeof value !== "string" || typeof expected !== "string") return false;
      const a = parseTimestamp(value);
      const b = parseTimestamp(expected);
      if (a === undefined || b === undefined) return false;
      order = compareInstants(a, b);
      break;
    }
  }
  switch (relation) {
    case "Equals":
      return order === 0;
    case "LessThan":
      return order < 0;
    case "GreaterThan":
      return order > 0;
    case "LessThanEquals":
      return order <= 0;
    case "GreaterThanEquals":
      return order >= 0;
  }
}

const matchers = new Map<string, RegExp>();

/** StringMatches: `*` matches any run of characters; `\*` is a literal star and `\\` a backslash. */
export function matcher(pattern: string): RegExp {
  let re = matchers.get(pattern);
  if (re === undefined) {
    let source = "";
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i] as string;
      if (c === "\\" && (pattern[i + 1] === "*" || pattern[i + 1] === "\\")) {
        source += escapeRegExp(pattern[i + 1] as string);
        i++;
      } else if (c === "*") {
        source += "[\\s\\S]*";
      } else {
        source += escapeRegExp(c);
      }
    }
    re = new RegExp(`^${source}$`);
    matchers.set(pattern, re);
  }
  return re;
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}
