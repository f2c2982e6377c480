import { type Failure, fail } from "../failure.js";
import { invokeHandler, splitResource } from "../invoke.js";
import { evaluateAssign, exprScope, inputPath, jsonataValue, jsonPathOutput, numberField, template } from "../io.js";
import { withRetry } from "../retry.js";
import { emitIn, NOT_TRUNCATED } from "../runtime.js";
import { nextOf, type StateVisit, type StepResult } from "../visit.js";

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
  // Parameters/Arguments are evaluated again on each attempt, as AWS does: $$.State.RetryCount changes.
  const effectiveFor = async (retryCount: number): Promise<unknown> => {
    const attemptScope = retryCount === 0 ? es : exprScope(scope, input, visit.context(retryCount));
    if (visit.jsonata) {
      return state.Arguments === undefined ? input : await jsonataValue(state.Arguments, attemptScope, "Arguments", nd);
    }
    return state.Parameters === undefined
      ? filtered
      : template(state.Parameters, filtered, attemptScope, "Parameters", nd);
  };
  const effective = await effectiveFor(0);
  const timeoutSeconds =
    state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined
      ? undefined
      : await numberField(state, "TimeoutSeconds", filtered, es, visit.jsonata, nd);
  const heartbeatSeconds =
    state.HeartbeatSeconds === undefined && state.HeartbeatSecondsPath === undefined
      ? undefined
      : await numberField(state, "HeartbeatSeconds", filtered, es, visit.jsonata, nd);
  const { resourceType, resource: resourceName } = splitResource(resource);
  const where = { resourceType, resource: resourceName };
  const parameters = rt.recordsEvents ? (JSON.stringify(effective) ?? "null") : "";
  const scheduled = (): void => {
    if (!rt.recordsEvents) return;
    const details: Record<string, unknown> = { resourceType, resource: resourceName, region: "local", parameters };
    if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
    if (heartbeatSeconds !== undefined) details.heartbeatInSeconds = heartbeatSeconds;
    emitIn(scope, "TaskScheduled", "taskScheduledEventDetails", details);
  };
  const succeeded = (output: unknown): void => {
    if (!rt.recordsEvents) return;
    emitIn(scope, "TaskSucceeded", "taskSucceededEventDetails", {
      resourceType,
      resource: resourceName,
      output: JSON.stringify(output) ?? "null",
      outputDetails: NOT_TRUNCATED,
    });
  };
  const failed = (failure: Failure): void => {
    if (!rt.recordsEvents) return;
    const timedOut = failure.error === "States.Timeout" || failure.error === "States.HeartbeatTimeout";
    emitIn(
      scope,
      timedOut ? "TaskTimedOut" : "TaskFailed",
      timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails",
      {
        resourceType,
        resource: resourceName,
        error: failure.error,
        cause: failure.cause,
      },
    );
  };

  let result: unknown;
  const replayed = rt.replay.task(key);
  if (replayed.found) {
    scheduled();
    emitIn(scope, "TaskStarted", "taskStartedEventDetails", where);
    result = replayed.output;
    succeeded(result);
    rt.record({ kind: "task", key, stateName: name, output: result });
  } else {
    const withToken = resource.endsWith(".waitForTaskToken");
    result = await withRetry(
      visit,
      async (retryCount) => {
        scheduled();
        emitIn(scope, "TaskStarted", "taskStartedEventDetails", where);
        const token = withToken ? `${scope.execution.Id}/${key}/${retryCount}` : undefined;
        const output = await invokeHandler(visit, {
          resource,
          input: retryCount === 0 ? effective : await effectiveFor(retryCount),
          retryCount,
          context: visit.context(retryCount, token),
          timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
          heartbeatMs: heartbeatSeconds === undefined ? undefined : heartbeatSeconds * 1000,
        });
        succeeded(output);
        return output;
      },
      failed,
    );
    const written = rt.recordNow({ kind: "task", key, stateName: name, output: result });
    if (written) await written;
  }

  const next = nextOf(state);
  if (visit.jsonata) {
    const after = exprScope(scope, input, visit.context(), { result });
    const output = state.Output === undefined ? result : await jsonataValue(state.Output, after, "Output", nd);
    const assign = state.Assign === undefined ? undefined : await evaluateAssign(state.Assign, true, result, after, nd);
    return { output, next, assign };
  }
  const { selected, output } = jsonPathOutput(state, input, result, es, nd);
  const assign = state.Assign === undefined ? undefined : await evaluateAssign(state.Assign, false, selected, es, nd);
  return { output, next, assign };
}
