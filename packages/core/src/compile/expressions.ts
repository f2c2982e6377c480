import { SteplineError } from "../errors/problem.js";
import { type FormatExpr, isFormatExpr, isRefExpr, type RefTarget, type ValueModel } from "../model/value.js";

/**
 * Turns model values (JSON with references) into ASL payload templates:
 * classic JSONPath (`.$` keys, intrinsic functions) or JSONata (`{% %}` strings).
 *
 * The state document always carries `{ input, steps, item?, index? }`; in
 * JSONata mode the pipeline input is also the `$input` variable, except inside
 * distributed Map children, which cannot read their parent's variables.
 */

export interface ExpressionScope {
  readonly language: "JSONPath" | "JSONata";
  /** JSONata only: read the input from the `$input` variable (true) or the state (false). */
  readonly inputVariable: boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function jsonPathSegment(segment: string): string {
  if (/^\d+$/.test(segment)) return `[${segment}]`;
  return IDENTIFIER.test(segment) ? `.${segment}` : `['${segment.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
}

function jsonataSegment(segment: string): string {
  if (/^\d+$/.test(segment)) return `[${segment}]`;
  return IDENTIFIER.test(segment) ? `.${segment}` : `.\`${segment}\``;
}

/** The JSONPath of a reference in the state document, e.g. `$.steps.extract.JobId`. */
export function refToJsonPath(ref: RefTarget): string {
  const segments = refSegments(ref);
  if (ref.source === "context") return `$$${segments.map(jsonPathSegment).join("")}`;
  return `$${segments.map(jsonPathSegment).join("")}`;
}

/** The JSONata expression of a reference, e.g. `$states.input.steps.extract.JobId`. */
export function refToJsonata(ref: RefTarget, scope: ExpressionScope): string {
  const segments = refSegments(ref);
  if (ref.source === "context") return `$states.context${segments.map(jsonataSegment).join("")}`;
  if (ref.source === "input" && scope.inputVariable) {
    return `$input${segments.slice(1).map(jsonataSegment).join("")}`;
  }
  return `$states.input${segments.map(jsonataSegment).join("")}`;
}

function refSegments(ref: RefTarget): string[] {
  switch (ref.source) {
    case "input":
      return ["input", ...ref.path];
    case "step":
      return ["steps", ref.step ?? "", ...ref.path];
    case "item":
      return ["item", ...ref.path];
    case "index":
      return ["index"];
    case "context":
      return [...ref.path];
    case "error":
      return ["error", ...ref.path];
  }
}

/** Escapes a literal for a single-quoted intrinsic string argument. */
export function intrinsicString(text: string): string {
  return `'${escapeIntrinsic(text)}'`;
}

function escapeIntrinsic(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\{/g, "\\{").replace(/\}/g, "\\}");
}

function formatToIntrinsic(expr: FormatExpr): string {
  // Literal parts are escaped one by one; the `{}` placeholders between them stay bare.
  let template = "";
  const args: string[] = [];
  for (const part of expr.$format) {
    if (typeof part === "string") template += escapeIntrinsic(part);
    else {
      template += "{}";
      args.push(refToJsonPath(part.$ref));
    }
  }
  if (args.length === 0) return `'${template}'`;
  return `States.Format(${[`'${template}'`, ...args].join(", ")})`;
}

function jsonataString(text: string): string {
  return JSON.stringify(text);
}

function formatToJsonata(expr: FormatExpr, scope: ExpressionScope): string {
  const parts = expr.$format
    .filter((part) => part !== "")
    .map((part) => (typeof part === "string" ? jsonataString(part) : `$string(${refToJsonata(part.$ref, scope)})`));
  return parts.length === 0 ? '""' : parts.join(" & ");
}

/** A JSONata template value: `{% expr %}` for expressions, recursion into objects and arrays. */
export function toJsonata(value: ValueModel, scope: ExpressionScope): unknown {
  if (value === null || typeof value !== "object") return value;
  if (isRefExpr(value)) return `{% ${refToJsonata(value.$ref, scope)} %}`;
  if (isFormatExpr(value)) return `{% ${formatToJsonata(value, scope)} %}`;
  if (Array.isArray(value)) return (value as readonly ValueModel[]).map((item) => toJsonata(item, scope));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as { readonly [key: string]: ValueModel })) {
    out[key] = toJsonata(item, scope);
  }
  return out;
}

/** An intrinsic-function argument for one array element. */
function intrinsicArgument(value: ValueModel, where: string): string {
  if (isRefExpr(value)) return refToJsonPath(value.$ref);
  if (isFormatExpr(value)) return formatToIntrinsic(value);
  if (typeof value === "string") return intrinsicString(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  throw SteplineError.of(
    "SL_VALUE_UNSUPPORTED",
    `${where}: an array that mixes references with objects or nested arrays cannot be expressed in JSONPath`,
    "move the reference into a string with fmt`...`, or compile with --query-language jsonata",
  );
}

function containsExpr(value: ValueModel): boolean {
  if (value === null || typeof value !== "object") return false;
  if (isRefExpr(value) || isFormatExpr(value)) return true;
  if (Array.isArray(value)) return (value as readonly ValueModel[]).some(containsExpr);
  return Object.values(value as { readonly [key: string]: ValueModel }).some(containsExpr);
}

/**
 * A JSONPath payload template object (for Parameters / ItemSelector):
 * keys holding expressions get the `.$` suffix.
 */
export function toJsonPathTemplate(
  value: { readonly [key: string]: ValueModel },
  where = "parameters",
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const field = `${where}.${key}`;
    if (isRefExpr(item)) out[`${key}.$`] = refToJsonPath(item.$ref);
    else if (isFormatExpr(item)) out[`${key}.$`] = formatToIntrinsic(item);
    else if (Array.isArray(item)) {
      const items = item as readonly ValueModel[];
      if (items.some((element) => isRefExpr(element) || isFormatExpr(element))) {
        out[`${key}.$`] = `States.Array(${items.map((element) => intrinsicArgument(element, field)).join(", ")})`;
      } else {
        out[key] = items.map((element) =>
          element !== null && typeof element === "object" && !Array.isArray(element)
            ? toJsonPathTemplate(element as { readonly [key: string]: ValueModel }, field)
            : assertStatic(element, field),
        );
      }
    } else if (item !== null && typeof item === "object") {
      out[key] = toJsonPathTemplate(item as { readonly [key: string]: ValueModel }, field);
    } else out[key] = item;
  }
  return out;
}

function assertStatic(value: ValueModel, where: string): unknown {
  if (containsExpr(value)) {
    throw SteplineError.of(
      "SL_VALUE_UNSUPPORTED",
      `${where}: a reference nested in an array of arrays cannot be expressed in JSONPath`,
      "flatten the value, or compile with --query-language jsonata",
    );
  }
  return value;
}

/** A Payload value for JSONPath when the whole payload may be a bare expression. */
export function toJsonPathValue(value: ValueModel, key: string): Record<string, unknown> {
  return toJsonPathTemplate({ [key]: value });
}

/** A `StringMatches` pattern (only `*` is special) as an anchored JSONata regular expression. */
export function matchesToJsonataRegex(pattern: string): string {
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
    .join(".*");
  return `/^${body}$/`;
}
