import { exprScope, inputPath, jsonataValue, outputPath } from "../io.js";
import type { StateVisit, StepResult } from "../visit.js";

/** Succeed: ends this machine, branch or iteration with its (filtered) input. */
export async function runSucceed(visit: StateVisit): Promise<StepResult> {
  const { state, scope, input } = visit;
  if (visit.jsonata) {
    if (state.Output === undefined) return { output: input, next: undefined };
    const es = exprScope(scope, input, visit.context());
    return { output: await jsonataValue(state.Output, es, "Output", () => visit.nd()), next: undefined };
  }
  if (state.InputPath === undefined && state.OutputPath === undefined) return { output: input, next: undefined };
  const es = exprScope(scope, input, visit.context());
  return { output: outputPath(state, inputPath(state, input, es), es), next: undefined };
}
