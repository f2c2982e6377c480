import { evaluateIntrinsic, isIntrinsic, readPath } from "../expr/index.js";
import { fail } from "../failure.js";
import { exprScope, jsonataValue } from "../io.js";
import type { StateVisit, StepResult } from "../visit.js";

function text(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

/** Fail: raises Error/Cause (static, ErrorPath/CausePath, or JSONata). */
export async function runFail(visit: StateVisit): Promise<StepResult> {
  const { state, scope, input } = visit;
  const es = exprScope(scope, input, visit.context());
  let error: unknown = state.Error;
  let cause: unknown = state.Cause;
  if (visit.jsonata) {
    error = await jsonataValue(error, es, "Error", () => visit.nd());
    cause = await jsonataValue(cause, es, "Cause", () => visit.nd());
  } else {
    const path = (field: "ErrorPath" | "CausePath"): unknown => {
      const p = state[field] as string;
      return isIntrinsic(p) ? evaluateIntrinsic(p, input, es, visit.nd()) : readPath(p, input, es, field);
    };
    if (typeof state.ErrorPath === "string") error = path("ErrorPath");
    if (typeof state.CausePath === "string") cause = path("CausePath");
  }
  throw fail(error === undefined ? "" : text(error), cause === undefined ? "" : text(cause));
}
