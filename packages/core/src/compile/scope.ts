import type { StateJson } from "../asl/types.js";
import { type SpTree, toSeriesParallel } from "../graph/sp.js";
import type { StepModel } from "../model/pipeline.js";
import { isTaskStep } from "../model/pipeline.js";
import { renderChoice, renderMap } from "./composite.js";
import { type CompileContext, passThrough, type ScopeContext, summarise } from "./context.js";
import { chain, close, type Fragment, single } from "./fragment.js";
import { renderTask } from "./task.js";

/**
 * Renders one sub-graph (the pipeline, a fan-out body or a choice branch):
 * its DAG becomes a series-parallel tree, sequences become chained states and
 * parallel groups become Parallel states whose branch outputs are merged.
 */

/** Step Functions nests at most 10 intrinsic functions in a field: JsonMerge of ≤ 11 branches. */
const MAX_BRANCHES = 11;

export function renderScope(ctx: CompileContext, scope: ScopeContext): Fragment | undefined {
  const steps = scope.scope.steps.filter((s) => ctx.analysis.steps.get(s.name)?.step === s);
  if (steps.length === 0) return undefined;
  const byName = new Map(steps.map((s) => [s.name, s]));
  const edges: [string, string][] = [];
  for (const [waiter, targets] of scope.scope.deps) {
    if (!byName.has(waiter)) continue;
    for (const target of targets.keys()) if (byName.has(target)) edges.push([target, waiter]);
  }
  const weights = new Map(steps.map((s) => [s.name, s.expectedDurationSeconds ?? 1]));
  const { tree, addedWaits } = toSeriesParallel({ nodes: steps.map((s) => s.name), edges }, weights);
  for (const { waiter, waitsFor } of addedWaits) {
    ctx.addedWaits.push({
      waiter,
      waitsFor: [...waitsFor],
      scope: scope.scope.owner ?? "pipeline",
      message: `${waiter} also waits for ${listNames(waitsFor)}`,
    });
  }
  return renderTree(ctx, scope, tree, byName);
}

/** Names shown in an added-wait message before the rest is counted. */
const MAX_LISTED = 6;

/** `a`, `a and b`, `a, b and c` (up to 6 names), then `a, b, c, d, e and 12 more`. */
function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  if (names.length <= MAX_LISTED) return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  const shown = MAX_LISTED - 1;
  return `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}

function renderTree(
  ctx: CompileContext,
  scope: ScopeContext,
  tree: SpTree,
  steps: ReadonlyMap<string, StepModel>,
): Fragment {
  switch (tree.kind) {
    case "leaf":
      return renderStep(ctx, scope, steps.get(tree.node) as StepModel);
    case "series":
      return chain(tree.children.map((child) => renderTree(ctx, scope, child, steps)));
    case "parallel":
      return renderParallel(
        ctx,
        scope,
        tree.children.map((child) => () => renderTree(ctx, scope, child, steps)),
      );
  }
}

export function renderStep(ctx: CompileContext, scope: ScopeContext, step: StepModel): Fragment {
  if (isTaskStep(step)) return renderTask(ctx, scope, step);
  if (step.kind === "map") return renderMap(ctx, scope, step);
  return renderChoice(ctx, scope, step);
}

/** A branch of a Parallel or the body of a Map: a closed, complete state list. */
export function closeBranch(
  ctx: CompileContext,
  fragment: Fragment,
): { StartAt: string; States: Record<string, StateJson> } {
  const closed = close(fragment, (owner) => {
    const state = passThrough(`${owner} failed; the run goes on`);
    summarise(ctx, `${owner}.Continue`, state, owner);
    return state;
  });
  return { StartAt: closed.startAt, States: closed.states };
}

function mergeSteps(count: number): string {
  let expression = "$[0].steps";
  for (let i = 1; i < count; i++) expression = `States.JsonMerge(${expression}, $[${i}].steps, false)`;
  return expression;
}

function renderParallel(ctx: CompileContext, scope: ScopeContext, branches: readonly (() => Fragment)[]): Fragment {
  if (branches.length > MAX_BRANCHES) {
    // Group branches so each Parallel merges at most MAX_BRANCHES outputs.
    const groups: (() => Fragment)[] = [];
    const size = Math.ceil(branches.length / Math.ceil(branches.length / MAX_BRANCHES));
    for (let i = 0; i < branches.length; i += size) {
      const group = branches.slice(i, i + size);
      groups.push(group.length === 1 ? (group[0] as () => Fragment) : () => renderParallel(ctx, scope, group));
    }
    return renderParallel(ctx, scope, groups);
  }
  const name = `Parallel.${++ctx.parallelCount}`;
  const rendered = branches.map((render) => closeBranch(ctx, render()));
  const state: StateJson = {
    Type: "Parallel",
    Comment: `runs ${rendered.map((b) => b.StartAt).join(", ")} at the same time`,
    Branches: rendered,
  };
  if (ctx.language === "JSONPath") {
    const selector: Record<string, string> = {};
    for (const key of scope.carried) {
      selector[`${key}.$`] = key === "steps" ? mergeSteps(rendered.length) : `$[0].${key}`;
    }
    state.ResultSelector = selector;
  } else {
    state.Output = '{% $merge([$states.input, {"steps": $merge($states.result.steps)}]) %}';
  }
  summarise(ctx, name, state);
  return single(name, state);
}
