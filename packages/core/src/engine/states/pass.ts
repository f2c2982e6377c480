import { applyResultPath } from "../expr/index.js";
import { evaluateAssign, exprScope, inputPath, jsonataValue, outputPath, template } from "../io.js";
import { nextOf, type StateVisit, type StepResult } from "../visit.js";

/** Pass: JSONPath Result/Parameters → ResultPath → OutputPath; JSONata Output. */
export async function runPass(visit: StateVisit): Promise<StepResult> {
  const { state, scope, input } = visit;
  const nd = () => visit.nd();
  const next = nextOf(state);
  if (visit.jsonata) {
    if (state.Output === undefined && state.Assign === undefined) return { output: input, next };
    const es = exprScope(scope, input, visit.context());
    const output = state.Output === undefined ? input : await jsonataValue(state.Output, es, "Output", nd);
    return { output, next, assign: await evaluateAssign(state.Assign, true, input, es, nd) };
  }
  if (
    state.InputPath === undefined &&
    state.Parameters === undefined &&
    state.ResultPath === undefined &&
    state.OutputPath === undefined &&
    state.Assign === undefined
  ) {
    // Fast path: a bare Pass (or one with a static Result) needs no expression scope.
    return { output: state.Result !== undefined ? state.Result : input, next };
  }
  const es = exprScope(scope, input, visit.context());
  const effective = inputPath(state, input, es);
  const result =
    state.Result !== undefined
      ? state.Result
      : state.Parameters !== undefined
        ? template(state.Parameters, effective, es, "Parameters", nd)
        : effective;
  const assign = await evaluateAssign(state.Assign, false, result, es, nd);
  const output = outputPath(state, applyResultPath(input, result, state.ResultPath as string | null | undefined), es);
  return { output, next, assign };
}
