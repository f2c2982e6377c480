import type { FormatExpr, RefExpr } from "@stepline/core";

/** Phantom key carrying the run-time type of a reference; never present at run time. */
declare const valueType: unique symbol;

/**
 * A reference to a value known only at run time (an input field, a step's
 * result, the current fan-out item). At run time it is exactly core's
 * `RefExpr`, `{ $ref: { source, step?, path } }`; `T` only exists for the
 * type checker, so `Ref<number>` cannot be passed where a string is expected.
 */
export interface Ref<out T> extends RefExpr {
  readonly [valueType]?: T;
}

/** A string built at run time from literal parts and references; see {@link fmt}. */
export interface Fmt extends FormatExpr {
  readonly [valueType]?: string;
}

/** An argument that may be given literally or computed at run time. */
export type Arg<T> = T | Ref<T> | (T extends string ? Fmt : never);

type Scalar = string | number | boolean | null | undefined;

/** True for object types whose fields can be enumerated (not arrays, records or functions). */
type IsRecordLike<T> = [T] extends [Scalar]
  ? false
  : [T] extends [readonly unknown[]]
    ? false
    : [T] extends [(...args: never[]) => unknown]
      ? false
      : [T] extends [object]
        ? string extends keyof T
          ? false
          : true
        : false;

/** The nested field references of an object type. */
export type FieldRefs<T> = { readonly [K in keyof T & string]-?: Refs<T[K]> };

/**
 * References to a value of type `T`: a `Ref<T>` and, when `T` is an object
 * with known fields, one nested reference per field (`input.config.region`).
 * Arrays and records are leaf references.
 */
export type Refs<T> = 0 extends 1 & T
  ? Ref<T> & { readonly [key: string]: Refs<unknown> }
  : IsRecordLike<NonNullable<T>> extends true
    ? Ref<T> & FieldRefs<NonNullable<T>>
    : Ref<T>;

/** The run-time type a reference points to. */
export type RefValue<R> = R extends Ref<infer T> ? T : never;
