import type { StateJson } from "../asl/types.js";
import { fail, Halt, toFailure } from "./failure.js";
import { isJsonata, serialize, withinLimit } from "./io.js";
import { applyCatch } from "./retry.js";
import { assignVariables, emitIn, NOT_TRUNCATED, type Scope } from "./runtime.js";
import { checkStopped } from "./sleep.js";
import { runChoice } from "./states/choice.js";
import { runFail } from "./states/fail.js";
import { runMap } from "./states/map.js";
import { runParallel } from "./states/parallel.js";
import { runPass } from "./states/pass.js";
import { runSucceed } from "./states/succeed.js";
import { runTask } from "./states/task.js";
import { runWait } from "./states/wait.js";
import { makeVisit, type StateVisit, type StepResult } from "./visit.js";

type Runner = (visit: StateVisit) => Promise<StepResult> | StepResult;

const RUNNERS: Record<StateJson["Type"], Runner> = {
  Task: runTask,
  Pass: runPass,
  Choice: runChoice,
  Wait: runWait,
  Succeed: runSucceed,
  Fail: runFail,
  Parallel: (visit) => runParallel(visit, runStates),
  Map: (visit) => runMap(visit, runStates),
};

/** Event types by state type, made once (not a new string per transition). */
const ENTERED: Readonly<Record<string, string>> = Object.fromEntries(
  Object.keys(RUNNERS).map((type) => [type, `${type}StateEntered`]),
);
const EXITED: Readonly<Record<string, string>> = Object.fromEntries(
  Object.keys(RUNNERS).map((type) => [type, `${type}StateExited`]),
);

/** What runs a branch, an iteration or a whole machine: used by Parallel and Map. */
export type RunStates = (scope: Scope, input: unknown) => Promise<unknown>;

/**
 * Runs the states of `scope.machine` from StartAt until an end, returning the
 * last output; a failure not caught inside propagates as the thrown error.
 */
export async function runStates(scope: Scope, input: unknown): Promise<unknown> {
  const { machine, rt } = scope;
  let name = machine.StartAt;
  let value = input;
  let valueJson: string | undefined;
  for (;;) {
    checkStopped(scope);
    const state = machine.States[name];
    if (!state) throw fail("States.Runtime", `The state '${name}' does not exist in the state machine.`);
    const visitNo = scope.visits.get(name) ?? 0;
    scope.visits.set(name, visitNo + 1);
    rt.transitions++;
    if (rt.recordsEvents) valueJson ??= JSON.stringify(value) ?? "null";
    const visit = makeVisit(
      scope,
      name,
      state,
      value,
      `${scope.path}${name}#${visitNo}`,
      isJsonata(state, scope),
      valueJson,
    );
    if (rt.recordsEvents) {
      emitIn(scope, ENTERED[state.Type] ?? `${state.Type}StateEntered`, "stateEnteredEventDetails", {
        name,
        input: valueJson,
        inputDetails: NOT_TRUNCATED,
      });
    }
    let step: StepResult;
    try {
      const runner = RUNNERS[state.Type];
      if (!runner) throw fail("States.Runtime", `The state '${name}' has an unknown Type '${String(state.Type)}'.`);
      step = await runner(visit);
    } catch (e) {
      if (e instanceof Halt || !state.Catch) throw e;
      const caught = await applyCatch(visit, toFailure(e));
      if (!caught) throw e;
      step = caught;
    }
    valueJson = step.outputJson === undefined ? serialize(step.output, name) : withinLimit(step.outputJson, name);
    assignVariables(scope, step.assign);
    emitIn(scope, EXITED[state.Type] ?? `${state.Type}StateExited`, "stateExitedEventDetails", {
      name,
      output: valueJson,
      outputDetails: NOT_TRUNCATED,
    });
    if (step.next === undefined) return step.output;
    name = step.next;
    value = step.output;
  }
}
