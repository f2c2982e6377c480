/**
 * Values in the pipeline model: plain JSON, plus two expression forms that the
 * compiler turns into JSONPath (`.$` keys, intrinsics) or JSONata.
 *
 * Expressions are tagged objects with a single `$ref` or `$format` key, so the
 * model stays plain, serialisable data.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Where a reference points. */
export type RefSource =
  /** The pipeline input (after defaults are applied). */
  | "input"
  /** The small result of an upstream step: `steps.<step>.<path>`. */
  | "step"
  /** The current item of the enclosing fan-out. */
  | "item"
  /** The zero-based index of the current item of the enclosing fan-out. */
  | "index"
  /** The execution context: `Execution.Name`, `Execution.StartTime`, `StateMachine.Name`. */
  | "context"
  /** In a failure handler: the caught error, `Error` and `Cause`. */
  | "error";

export interface RefTarget {
  readonly source: RefSource;
  /** Step name, when `source` is `"step"`. */
  readonly step?: string;
  /** Field path below the source, e.g. `["date"]` or `["JobId"]`. */
  readonly path: readonly string[];
}

/** A reference to a value known only at run time. */
export interface RefExpr {
  readonly $ref: RefTarget;
}

/** A string built from literal parts and references, e.g. `s3://bucket/${date}/`. */
export interface FormatExpr {
  readonly $format: readonly (string | RefExpr)[];
}

export type Expr = RefExpr | FormatExpr;

/** A value in step arguments: JSON with references and format strings anywhere inside. */
export type ValueModel = JsonPrimitive | Expr | readonly ValueModel[] | { readonly [key: string]: ValueModel };

export function isRefExpr(value: unknown): value is RefExpr {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "$ref" in value;
}

export function isFormatExpr(value: unknown): value is FormatExpr {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "$format" in value;
}

export function isExpr(value: unknown): value is Expr {
  return isRefExpr(value) || isFormatExpr(value);
}

/** Every reference inside a value, in document order. */
export function collectRefs(value: ValueModel, out: RefTarget[] = []): RefTarget[] {
  if (value === null || typeof value !== "object") return out;
  if (isRefExpr(value)) {
    out.push(value.$ref);
    return out;
  }
  if (isFormatExpr(value)) {
    for (const part of value.$format) if (typeof part !== "string") out.push(part.$ref);
    return out;
  }
  if (Array.isArray(value)) {
    for (const item of value as readonly ValueModel[]) collectRefs(item, out);
    return out;
  }
  for (const item of Object.values(value as { readonly [key: string]: ValueModel })) collectRefs(item, out);
  return out;
}

/** A short human form of a reference, used in messages: `input.date`, `steps.extract.JobId`. */
export function describeRef(ref: RefTarget): string {
  const head = ref.source === "step" ? `steps.${ref.step ?? "?"}` : ref.source;
  return [head, ...ref.path].join(".");
}
