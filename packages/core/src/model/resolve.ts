import { SteplineError } from "../errors/problem.js";
import { describeRef, isFormatExpr, isRefExpr, type JsonValue, type RefTarget, type ValueModel } from "./value.js";

/**
 * Resolves a model value against a run's state document
 * (`{ input, steps, item?, index?, error? }`) and the context object — what
 * the compiled state machine does with Parameters, done directly. Local
 * runners use it for `local` overrides, which never reach the state machine.
 */
export function resolveValue(value: ValueModel, state: unknown, context: unknown = {}): JsonValue {
  if (value === null || typeof value !== "object") return value;
  if (isRefExpr(value)) return lookup(value.$ref, state, context);
  if (isFormatExpr(value)) {
    return value.$format
      .map((part) => {
        if (typeof part === "string") return part;
        const resolved = lookup(part.$ref, state, context);
        return typeof resolved === "string" ? resolved : JSON.stringify(resolved);
      })
      .join("");
  }
  if (Array.isArray(value)) return (value as readonly ValueModel[]).map((item) => resolveValue(item, state, context));
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value as { readonly [key: string]: ValueModel })) {
    out[key] = resolveValue(item, state, context);
  }
  return out;
}

function lookup(ref: RefTarget, state: unknown, context: unknown): JsonValue {
  const root: unknown =
    ref.source === "context"
      ? context
      : ref.source === "step"
        ? (field(field(state, "steps"), ref.step ?? "") as unknown)
        : field(state, ref.source);
  let current: unknown = root;
  for (const segment of ref.path) current = field(current, segment);
  if (current === undefined) {
    throw SteplineError.of(
      "SL_LOCAL_REF_MISSING",
      `${describeRef(ref)} has no value at this point of the run`,
      "reference only the input, upstream results, or the fan-out item in a local override",
    );
  }
  return current as JsonValue;
}

function field(value: unknown, key: string): unknown {
  if (value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) return /^\d+$/.test(key) ? value[Number(key)] : undefined;
  return (value as Record<string, unknown>)[key];
}
