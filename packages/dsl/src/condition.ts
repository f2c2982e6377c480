import type { ConditionModel } from "@stepline/core";
import { copyTarget } from "./private/value.js";
import type { Ref } from "./ref.js";

/** A condition on run-time values, for {@link choose}. Plain data: core's `ConditionModel`. */
export type Condition = ConditionModel;

type Primitive = string | number | boolean;

/** The literal values a reference of type `T` can be compared with. */
export type Comparable<T> = unknown extends T ? Primitive : Extract<T, Primitive>;

/** The values a reference of type `T` can be ordered against (numbers or strings). */
export type Ordered<T> = unknown extends T
  ? number | string
  : [NonNullable<T>] extends [number]
    ? number
    : [NonNullable<T>] extends [string]
      ? string
      : never;

/** `ref` equals `value`; the value must be of the reference's type (`eq(input.mode, "full")`). */
export function eq<T>(ref: Ref<T>, value: NoInfer<Comparable<T>>): Condition {
  return { op: "eq", left: copyTarget(ref.$ref), right: value };
}

/** `ref` differs from `value`. */
export function ne<T>(ref: Ref<T>, value: NoInfer<Comparable<T>>): Condition {
  return { op: "ne", left: copyTarget(ref.$ref), right: value };
}

/** `ref < value`, for numbers or strings (compared lexically). */
export function lt<T>(ref: Ref<T>, value: NoInfer<Ordered<T>>): Condition {
  return { op: "lt", left: copyTarget(ref.$ref), right: value };
}

/** `ref <= value`. */
export function le<T>(ref: Ref<T>, value: NoInfer<Ordered<T>>): Condition {
  return { op: "le", left: copyTarget(ref.$ref), right: value };
}

/** `ref > value`. */
export function gt<T>(ref: Ref<T>, value: NoInfer<Ordered<T>>): Condition {
  return { op: "gt", left: copyTarget(ref.$ref), right: value };
}

/** `ref >= value`. */
export function ge<T>(ref: Ref<T>, value: NoInfer<Ordered<T>>): Condition {
  return { op: "ge", left: copyTarget(ref.$ref), right: value };
}

/** `ref` matches a Step Functions pattern, where `*` matches any run of characters. */
export function matches(ref: Ref<string | null | undefined>, pattern: string): Condition {
  return { op: "matches", left: copyTarget(ref.$ref), right: pattern };
}

/** The referenced field is present (set, possibly to null). */
export function present(ref: Ref<unknown>): Condition {
  return { op: "present", left: copyTarget(ref.$ref) };
}

/** The referenced field is absent. */
export function absent(ref: Ref<unknown>): Condition {
  return { op: "absent", left: copyTarget(ref.$ref) };
}

/** The referenced boolean is true. */
export function isTrue(ref: Ref<boolean | null | undefined>): Condition {
  return { op: "isTrue", left: copyTarget(ref.$ref) };
}

/** The referenced boolean is false. */
export function isFalse(ref: Ref<boolean | null | undefined>): Condition {
  return { op: "isFalse", left: copyTarget(ref.$ref) };
}

/** All conditions hold. */
export function and(...conditions: readonly Condition[]): Condition {
  return { op: "and", conditions: [...conditions] };
}

/** At least one condition holds. */
export function or(...conditions: readonly Condition[]): Condition {
  return { op: "or", conditions: [...conditions] };
}

/** The condition does not hold. */
export function not(condition: Condition): Condition {
  return { op: "not", condition };
}
