import type { RefExpr, RefTarget, ValueModel } from "@stepline/core";
import { isFormatExpr, isRefExpr, SteplineError } from "@stepline/core";

/** A fresh copy of a reference's target, without nested field refs or proxies. */
export function copyTarget(target: RefTarget): RefTarget {
  const path = [...target.path];
  return target.step === undefined
    ? { source: target.source, path }
    : { source: target.source, step: target.step, path };
}

export function copyRef(ref: RefExpr): RefExpr {
  return { $ref: copyTarget(ref.$ref) };
}

/** Where a value sits, for error messages. */
export interface ValueWhere {
  readonly step?: string;
  readonly field: string;
}

/**
 * Converts an argument given to the DSL (JSON with refs and format strings
 * anywhere inside) into a plain `ValueModel`. Object keys whose value is
 * `undefined` are dropped, as `JSON.stringify` would.
 */
export function toValue(value: unknown, where: ValueWhere): ValueModel {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw badValue(`${String(value)} is not a JSON number`, where);
  }
  if (typeof value !== "object") throw badValue(`a ${typeof value} is not JSON`, where);
  if (isRefExpr(value)) return copyRef(value);
  if (isFormatExpr(value)) {
    return { $format: value.$format.map((part) => (typeof part === "string" ? part : copyRef(part))) };
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => toValue(item, { ...where, field: `${where.field}[${index}]` }));
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw badValue(`a ${value.constructor.name} object is not JSON`, where);
  }
  const out: Record<string, ValueModel> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = toValue(item, { ...where, field: `${where.field}.${key}` });
  }
  return out;
}

/** Converts each value of a record (environment, arguments). */
export function toValueRecord(
  record: Readonly<Record<string, unknown>> | undefined,
  where: ValueWhere,
): Record<string, ValueModel> {
  const out: Record<string, ValueModel> = {};
  for (const [key, item] of Object.entries(record ?? {})) {
    if (item !== undefined) out[key] = toValue(item, { ...where, field: `${where.field}.${key}` });
  }
  return out;
}

function badValue(what: string, where: ValueWhere): SteplineError {
  return SteplineError.of(
    "SL_DSL_BAD_VALUE",
    `${where.field}: ${what}; step arguments must be JSON values, references or fmt strings.`,
    "Pass strings, numbers, booleans, null, arrays and plain objects, or a reference such as input.date; convert dates with toISOString().",
    where.step === undefined ? { field: where.field } : { step: where.step, field: where.field },
  );
}
