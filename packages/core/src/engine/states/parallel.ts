import type { StateMachineJson } from "../../asl/types.js";
import { Halt } from "../failure.js";
import type { RunStates } from "../interpreter.js";
import { evaluateAssign, exprScope, inputPath, jsonataValue, jsonPathOutput, template } from "../io.js";
import { withRetry } from "../retry.js";
import { childScope, emitIn, type Scope } from "../runtime.js";
import { StopToken } from "../stop.js";
import { nextOf, type StateVisit, type StepResult } from "../visit.js";

/**
 * Runs `count` units (branches, iterations) with at most `limit` at once.
 * The first failure stops the others and is rethrown; results keep their order.
 */
export function runAll(
  count: number,
  limit: number,
  stop: StopToken,
  unit: (index: number) => Promise<unknown>,
): Promise<unknown[]> {
  const results = new Array<unknown>(count);
  if (count === 0) return Promise.resolve(results);
  return new Promise((resolve, reject) => {
    let nextIndex = 0;
    let done = 0;
    let failed = false;
    const start = (): void => {
      const index = nextIndex++;
      unit(index).then(
        (value) => {
          if (failed) return;
          results[index] = value;
          if (++done === count) resolve(results);
          else if (nextIndex < count) start();
        },
        (error: unknown) => {
          if (failed) return;
          failed = true;
          stop.stop(new Halt("CANCELLED", { error: "States.BranchFailed", cause: "A sibling failed." }));
          reject(error);
        },
      );
    };
    const first = Math.min(count, limit > 0 ? limit : count);
    for (let i = 0; i < first; i++) start();
  });
}

/** Parallel: every branch gets the same input; the output is the array of branch outputs. */
export async function runParallel(visit: StateVisit, runStates: RunStates): Promise<StepResult> {
  const { state, scope, input, key } = visit;
  const branches = (state.Branches as StateMachineJson[] | undefined) ?? [];
  const nd = () => visit.nd();
  const es = exprScope(scope, input, visit.context());
  let effective: unknown;
  if (visit.jsonata) {
    effective = state.Arguments === undefined ? input : await jsonataValue(state.Arguments, es, "Arguments", nd);
  } else {
    const filtered = inputPath(state, input, es);
    effective = state.Parameters === undefined ? filtered : template(state.Parameters, filtered, es, "Parameters", nd);
  }
  const language = visit.jsonata ? "JSONata" : "JSONPath";

  const result = await withRetry(visit, async () => {
    emitIn(scope, "ParallelStateStarted");
    const stop = new StopToken(scope.stop);
    // Iterations and branches interleave their events; the state's next event follows the latest.
    let latest = scope.lastEventId;
    const track = (child: Scope): void => {
      if (child.lastEventId > latest) latest = child.lastEventId;
    };
    const sync = (): void => {
      scope.lastEventId = latest;
    };
    try {
      const outputs = await runAll(branches.length, 0, stop, (i) => {
        const branch = branches[i] as StateMachineJson;
        const child = childScope(scope, {
          machine: branch,
          path: `${key}/${i}/`,
          mapItem: scope.mapItem,
          stop,
          queryLanguage: branch.QueryLanguage ?? language,
        });
        return runStates(child, effective).then(
          (output) => {
            track(child);
            return output;
          },
          (error: unknown) => {
            track(child);
            throw error;
          },
        );
      });
      sync();
      emitIn(scope, "ParallelStateSucceeded");
      return outputs;
    } catch (e) {
      sync();
      // A Halt here comes from above (abort, timeout, an outer sibling failing): pass it on.
      if (e instanceof Halt) throw e;
      emitIn(scope, "ParallelStateFailed");
      // A failing branch fails the Parallel with that branch's own error (FACTS).
      throw e;
    }
  });

  const next = nextOf(state);
  if (visit.jsonata) {
    const after = exprScope(scope, input, visit.context(), { result });
    const output = state.Output === undefined ? result : await jsonataValue(state.Output, after, "Output", nd);
    return { output, next, assign: await evaluateAssign(state.Assign, true, result, after, nd) };
  }
  const { selected, output } = jsonPathOutput(state, input, result, es, nd);
  return { output, next, assign: await evaluateAssign(state.Assign, false, selected, es, nd) };
}
