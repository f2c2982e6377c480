import { type FormatExpr, isFormatExpr, isRefExpr, refToJsonPath, type ValueModel } from "@stepline/core";

/**
 * A value that must arrive as a string (environment variables, Glue arguments):
 * a bare reference becomes a one-part format so core renders it with
 * `States.Format` (JSONPath) or `$string` (JSONata); literals are stringified.
 * Returns undefined for arrays and objects, which have no string form.
 */
export function asStringValue(value: ValueModel): string | FormatExpr | undefined {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (isRefExpr(value)) return { $format: [value] };
  if (isFormatExpr(value)) return value;
  return undefined;
}

/** Whether a value holds a reference or a format anywhere inside. */
export function isDynamic(value: ValueModel): boolean {
  if (value === null || typeof value !== "object") return false;
  if (isRefExpr(value) || isFormatExpr(value)) return true;
  if (Array.isArray(value)) return (value as readonly ValueModel[]).some(isDynamic);
  return Object.values(value as { readonly [key: string]: ValueModel }).some(isDynamic);
}

/**
 * The value with every reference replaced by its JSONPath text, to estimate the
 * size of a rendered parameter before run time.
 */
export function withRefsAsText(value: ValueModel): unknown {
  if (value === null || typeof value !== "object") return value;
  if (isRefExpr(value)) return refToJsonPath(value.$ref);
  if (isFormatExpr(value)) {
    return value.$format.map((part) => (typeof part === "string" ? part : refToJsonPath(part.$ref))).join("");
  }
  if (Array.isArray(value)) return (value as readonly ValueModel[]).map(withRefsAsText);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as { readonly [key: string]: ValueModel })) {
    out[key] = withRefsAsText(item);
  }
  return out;
}

/** At most the first 4 characters of a value (never more than half of it), then `…`. */
export function preview(value: string): string {
  return `${value.slice(0, Math.min(4, Math.floor(value.length / 2)))}…`;
}
