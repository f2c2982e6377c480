import { evaluateCondition, evaluateRule } from "../expr/index.js";
import { fail } from "../failure.js";
import { evaluateAssign, exprScope, inputPath, jsonataValue, outputPath } from "../io.js";
import type { StateVisit, StepResult } from "../visit.js";

type Rule = Record<string, unknown> & { Next?: string; Condition?: string; Assign?: unknown; Output?: unknown };

function merge(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined) {
  return a && b ? { ...a, ...b } : (b ?? a);
}

/** Choice: the first matching rule's Next, else Default, else States.NoChoiceMatched. */
export async function runChoice(visit: StateVisit): Promise<StepResult> {
  const { state, scope, input, name } = visit;
  const rules = (state.Choices as Rule[] | undefined) ?? [];
  const nd = () => visit.nd();
  const es = exprScope(scope, input, visit.context());
  if (visit.jsonata) {
    let matched: Rule | undefined;
    for (const rule of rules) {
      if (await evaluateCondition(rule.Condition as string, es, visit.nd())) {
        matched = rule;
        break;
      }
    }
    const next = matched ? matched.Next : (state.Default as string | undefined);
    if (next === undefined) throw noMatch(name);
    const outputExpr = matched?.Output !== undefined ? matched.Output : state.Output;
    const output = outputExpr === undefined ? input : await jsonataValue(outputExpr, es, "Output", nd);
    const assign = merge(
      await evaluateAssign(state.Assign, true, input, es, nd),
      matched ? await evaluateAssign(matched.Assign, true, input, es, nd) : undefined,
    );
    return { output, next, assign };
  }
  const effective = state.InputPath === undefined ? input : inputPath(state, input, es);
  let matched: Rule | undefined;
  for (const rule of rules) {
    if (evaluateRule(rule, effective, es)) {
      matched = rule;
      break;
    }
  }
  const next = matched ? matched.Next : (state.Default as string | undefined);
  if (next === undefined) throw noMatch(name);
  const assign = merge(
    await evaluateAssign(state.Assign, false, effective, es, nd),
    matched ? await evaluateAssign(matched.Assign, false, effective, es, nd) : undefined,
  );
  return { output: state.OutputPath === undefined ? effective : outputPath(state, effective, es), next, assign };
}

function noMatch(name: string) {
  return fail(
    "States.NoChoiceMatched",
    `No Matches! State '${name}' has no Choice rule matching its input and no Default.`,
  );
}
