import type { ExprScope, Nondeterminism } from "../expr/index.js";
import { type Failure, fail, Halt, toFailure } from "../failure.js";
import { invokeHandler, splitResource } from "../invoke.js";
import { evaluateAssign, exprScope, inputPath, jsonataValue, jsonPathOutput, numberField, template } from "../io.js";
import { withRetry } from "../retry.js";
import { emitIn, NOT_TRUNCATED } from "../runtime.js";
import { nextOf, type StateVisit, type StepResult } from "../visit.js";

/**
 * One visit of a Task state: what its attempts and history events share.
 * (An object rather than closures over runTask's locals: a Map of many
 * tasks makes one per item, and this is the engine's hottest path.)
 */
interface TaskVisit {
  readonly visit: StateVisit;
  readonly resource: string;
  readonly resourceType: string;
  readonly resourceName: string;
  /** `{ resourceType, resource }` of TaskStarted. */
  readonly where: { readonly resourceType: string; readonly resource: string };
  /** The input after InputPath (JSONPath). */
  readonly filtered: unknown;
  readonly es: ExprScope;
  /** The effective input of the first attempt, and its JSON for its TaskScheduled. */
  readonly effective: unknown;
  readonly parameters: string;
  readonly timeoutSeconds: number | undefined;
  readonly heartbeatSeconds: number | undefined;
  readonly nd: () => Nondeterminism;
  /** The result's JSON, made for TaskSucceeded and reused as the state's output when it is the result. */
  resultJson: string | undefined;
  /** An attempt was scheduled and has not ended: its failure is a TaskFailed (an attempt whose Parameters failed never started). */
  scheduled: boolean;
}

/**
 * Task: Parameters/Arguments → handler (with Retry, timeouts, replay) →
 * ResultSelector/ResultPath/OutputPath or Output, Assign.
 */
export async function runTask(visit: StateVisit): Promise<StepResult> {
  const { state, scope, input, key, name } = visit;
  const { rt } = scope;
  const resource = state.Resource;
  if (typeof resource !== "string") throw fail("States.Runtime", `The Task state '${name}' has no Resource.`);
  const nd = () => visit.nd();
  const es = exprScope(scope, input, visit.context());
  const filtered = visit.jsonata ? input : inputPath(state, input, es);
  const effective = visit.jsonata
    ? await effectiveInput(visit, filtered, es, nd)
    : jsonPathEffective(visit, filtered, es, nd);
  const timeoutSeconds =
    state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined
      ? undefined
      : await numberField(state, "TimeoutSeconds", filtered, es, visit.jsonata, nd);
  const heartbeatSeconds =
    state.HeartbeatSeconds === undefined && state.HeartbeatSecondsPath === undefined
      ? undefined
      : await numberField(state, "HeartbeatSeconds", filtered, es, visit.jsonata, nd);
  const { resourceType, resource: resourceName } = splitResource(resource);
  const task: TaskVisit = {
    visit,
    resource,
    resourceType,
    resourceName,
    where: { resourceType, resource: resourceName },
    filtered,
    es,
    effective,
    parameters: !rt.recordsEvents
      ? ""
      : effective === input && visit.inputJson !== undefined
        ? visit.inputJson
        : (JSON.stringify(effective) ?? "null"),
    timeoutSeconds,
    heartbeatSeconds,
    nd,
    resultJson: undefined,
    scheduled: false,
  };

  let result: unknown;
  const replayed = rt.replay.task(key);
  if (replayed.found) {
    scheduled(task, task.parameters);
    emitIn(scope, "TaskStarted", "taskStartedEventDetails", task.where);
    result = replayed.output;
    succeeded(task, result);
    rt.record({ kind: "task", key, stateName: name, output: result });
  } else {
    if (state.Retry === undefined) {
      // No retrier: one attempt (what withRetry would do, without its loop).
      try {
        result = await attempt(task, 0);
      } catch (e) {
        if (!(e instanceof Halt)) failed(task, toFailure(e));
        throw e;
      }
    } else {
      result = await withRetry(
        visit,
        (retryCount) => attempt(task, retryCount),
        (failure) => failed(task, failure),
      );
    }
    const written = rt.recordNow({ kind: "task", key, stateName: name, output: result });
    if (written) await written;
  }

  const next = nextOf(state);
  if (visit.jsonata) {
    const after = exprScope(scope, input, visit.context(), { result });
    const output = state.Output === undefined ? result : await jsonataValue(state.Output, after, "Output", nd);
    const assign = state.Assign === undefined ? undefined : await evaluateAssign(state.Assign, true, result, after, nd);
    return { output, next, assign, outputJson: output === result ? task.resultJson : undefined };
  }
  const { selected, output } = jsonPathOutput(state, input, result, es, nd);
  const assign = state.Assign === undefined ? undefined : await evaluateAssign(state.Assign, false, selected, es, nd);
  return { output, next, assign, outputJson: output === result ? task.resultJson : undefined };
}

/** One attempt: history events around one call of the handler. */
async function attempt(task: TaskVisit, retryCount: number): Promise<unknown> {
  const { visit } = task;
  const { scope } = visit;
  // Parameters/Arguments are evaluated again on each attempt, as AWS does: $$.State.RetryCount changes.
  let input = task.effective;
  let parameters = task.parameters;
  if (retryCount !== 0) {
    const es = exprScope(scope, visit.input, visit.context(retryCount));
    input = visit.jsonata
      ? await effectiveInput(visit, task.filtered, es, task.nd)
      : jsonPathEffective(visit, task.filtered, es, task.nd);
    if (scope.rt.recordsEvents) parameters = JSON.stringify(input) ?? "null";
  }
  scheduled(task, parameters);
  emitIn(scope, "TaskStarted", "taskStartedEventDetails", task.where);
  const token = task.resource.endsWith(".waitForTaskToken")
    ? `${scope.execution.Id}/${visit.key}/${retryCount}`
    : undefined;
  const output = await invokeHandler(visit, {
    resource: task.resource,
    input,
    retryCount,
    context: visit.context(retryCount, token),
    timeoutMs: task.timeoutSeconds === undefined ? undefined : task.timeoutSeconds * 1000,
    heartbeatMs: task.heartbeatSeconds === undefined ? undefined : task.heartbeatSeconds * 1000,
  });
  succeeded(task, output);
  return output;
}

/** JSONata: Arguments (or the raw input). */
function effectiveInput(visit: StateVisit, input: unknown, es: ExprScope, nd: () => Nondeterminism): unknown {
  const args = visit.state.Arguments;
  return args === undefined ? input : jsonataValue(args, es, "Arguments", nd);
}

/** JSONPath: Parameters applied to the input after InputPath. */
function jsonPathEffective(visit: StateVisit, filtered: unknown, es: ExprScope, nd: () => Nondeterminism): unknown {
  const { Parameters } = visit.state;
  return Parameters === undefined ? filtered : template(Parameters, filtered, es, "Parameters", nd);
}

/** TaskScheduled, with the attempt's effective input as JSON. */
function scheduled(task: TaskVisit, parameters: string): void {
  task.scheduled = true;
  const { scope } = task.visit;
  if (!scope.rt.recordsEvents) return;
  const details: Record<string, unknown> = {
    resourceType: task.resourceType,
    resource: task.resourceName,
    region: "local",
    parameters,
  };
  if (task.timeoutSeconds !== undefined) details.timeoutInSeconds = task.timeoutSeconds;
  if (task.heartbeatSeconds !== undefined) details.heartbeatInSeconds = task.heartbeatSeconds;
  emitIn(scope, "TaskScheduled", "taskScheduledEventDetails", details);
}

function succeeded(task: TaskVisit, output: unknown): void {
  const { scope } = task.visit;
  if (!scope.rt.recordsEvents) {
    task.scheduled = false;
    return;
  }
  // Made before the attempt counts as ended: a result JSON cannot hold (a BigInt, a cycle)
  // throws here and fails the attempt, which then needs its TaskFailed.
  task.resultJson = JSON.stringify(output) ?? "null";
  task.scheduled = false;
  emitIn(scope, "TaskSucceeded", "taskSucceededEventDetails", {
    resourceType: task.resourceType,
    resource: task.resourceName,
    output: task.resultJson,
    outputDetails: NOT_TRUNCATED,
  });
}

function failed(task: TaskVisit, failure: Failure): void {
  if (!task.scheduled) return;
  task.scheduled = false;
  const { scope } = task.visit;
  if (!scope.rt.recordsEvents) return;
  const timedOut = failure.error === "States.Timeout" || failure.error === "States.HeartbeatTimeout";
  emitIn(
    scope,
    timedOut ? "TaskTimedOut" : "TaskFailed",
    timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails",
    {
      resourceType: task.resourceType,
      resource: task.resourceName,
      error: failure.error,
      cause: failure.cause,
    },
  );
}
