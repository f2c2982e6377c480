import * as os from "node:os";
import { problem, SteplineError, throwIfErrors } from "../errors/problem.js";
import { checkDefinition } from "./check.js";
import { realClock } from "./clock.js";
import { type Failure, Halt, toFailure } from "./failure.js";
import { HandlerIndex } from "./handlers.js";
import { runStates } from "./interpreter.js";
import { serialize } from "./io.js";
import { Replay } from "./replay.js";
import { resourcesOf } from "./resources.js";
import { type ExecutionContext, emitIn, NOT_TRUNCATED, Runtime, type Scope } from "./runtime.js";
import { Semaphore } from "./semaphore.js";
import { timedOut } from "./sleep.js";
import { StopToken } from "./stop.js";
import type { ExecuteOptions, ExecutionResult, JournalRecord } from "./types.js";

const ACCOUNT = "123456789012";
const REGION = "local";

function defaultConcurrency(): number {
  const cores = (os as { availableParallelism?: () => number }).availableParallelism?.();
  return cores && cores > 0 ? cores : 4;
}

/** Fails before running when a resource has no handler: never a network call. */
function checkHandlers(options: ExecuteOptions, handlers: HandlerIndex): void {
  const missing = resourcesOf(options.definition).filter((use) => !handlers.find(use.resource));
  if (missing.length === 0) return;
  throw new SteplineError(
    missing.map((use) =>
      problem(
        "SL_ENGINE_NO_HANDLER",
        `State '${use.stateName}' calls '${use.resource}', and no handler is registered for it.`,
        `Register a handler for '${use.resource}' (an exact ARN, a glob with *, or a RegExp) in ExecuteOptions.handlers.`,
        { step: use.stateName, field: "Resource" },
      ),
    ),
  );
}

/**
 * Runs an ASL document locally with AWS's semantics. Checks the definition and
 * that every resource has a handler first (SteplineError), then runs; the
 * run's own failures are in the result, not thrown.
 */
export async function execute(options: ExecuteOptions): Promise<ExecutionResult> {
  const { definition } = options;
  throwIfErrors(checkDefinition(definition));
  const handlers = new HandlerIndex(options.handlers);
  checkHandlers(options, handlers);

  const clock = options.clock ?? realClock;
  const replay = new Replay(options.replay);
  const start = replay.start;
  const executionName = start?.executionName ?? options.executionName ?? crypto.randomUUID();
  const stateMachineName = start?.stateMachineName ?? options.stateMachineName ?? "local";
  const startTime = start?.startTime ?? new Date(clock.now()).toISOString();
  const input = start ? start.input : (options.input ?? {});
  const redriveCount = replay.redriveCount;

  const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${stateMachineName}`;
  const execution: ExecutionContext = {
    Id: `arn:aws:states:${REGION}:${ACCOUNT}:execution:${stateMachineName}:${executionName}`,
    Input: input,
    Name: executionName,
    RoleArn: `arn:aws:iam::${ACCOUNT}:role/stepline-local`,
    StartTime: startTime,
    RedriveCount: redriveCount,
  };
  const timeoutSeconds = typeof definition.TimeoutSeconds === "number" ? definition.TimeoutSeconds : undefined;
  // A redriven run gets its full time again; a resumed one keeps its original deadline.
  const deadlineBase = start && redriveCount === 0 ? Date.parse(start.startTime) : clock.now();
  const deadline = timeoutSeconds === undefined ? undefined : deadlineBase + timeoutSeconds * 1000;
  const rt = new Runtime(
    clock,
    handlers,
    new Semaphore(options.concurrency ?? defaultConcurrency()),
    replay,
    { Id: stateMachineArn, Name: stateMachineName },
    options.observer,
    options.journal,
    replay.lastEventId,
    deadline,
  );
  const startRecord: JournalRecord = { kind: "start", executionName, stateMachineName, startTime, input };
  const written = rt.recordNow(startRecord);
  if (written) await written;

  const root = new StopToken();
  const scope: Scope = {
    rt,
    machine: definition,
    queryLanguage: definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath",
    path: "",
    execution,
    mapItem: undefined,
    variables: new Map(),
    ownsVariables: true,
    visits: new Map(),
    stop: root,
    lastEventId: replay.lastEventId,
  };

  const onAbort = (): void =>
    root.stop(
      new Halt("ABORTED", {
        error: "States.Aborted",
        cause: String(options.signal?.reason ?? "The execution was aborted."),
      }),
    );
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const timer =
    deadline === undefined ? undefined : setTimeout(() => root.stop(timedOut()), Math.max(0, deadline - clock.now()));

  let status: ExecutionResult["status"];
  let output: unknown;
  let failure: Failure | undefined;
  try {
    if (start && redriveCount > 0)
      emitIn(scope, "ExecutionRedriven", "executionRedrivenEventDetails", { redriveCount });
    else if (!start) {
      emitIn(scope, "ExecutionStarted", "executionStartedEventDetails", {
        input: JSON.stringify(input) ?? "null",
        inputDetails: NOT_TRUNCATED,
        roleArn: execution.RoleArn,
        stateMachineArn,
      });
    }
    if (options.signal?.aborted) onAbort();
    output = await runStates(scope, input);
    serialize(output, "(execution output)");
    status = "SUCCEEDED";
  } catch (e) {
    if (e instanceof Halt && e.status !== "CANCELLED") {
      status = e.status;
      failure = e.failure;
    } else {
      status = "FAILED";
      failure = toFailure(e instanceof Halt ? e.failure : e);
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }

  const stopTime = new Date(clock.now()).toISOString();
  const errorFields = failure
    ? { ...(failure.error ? { error: failure.error } : {}), ...(failure.cause ? { cause: failure.cause } : {}) }
    : {};
  switch (status) {
    case "SUCCEEDED":
      emitIn(scope, "ExecutionSucceeded", "executionSucceededEventDetails", {
        output: JSON.stringify(output) ?? "null",
        outputDetails: NOT_TRUNCATED,
      });
      break;
    case "FAILED":
      emitIn(scope, "ExecutionFailed", "executionFailedEventDetails", errorFields);
      break;
    case "TIMED_OUT":
      emitIn(scope, "ExecutionTimedOut", "executionTimedOutEventDetails", errorFields);
      break;
    default:
      emitIn(scope, "ExecutionAborted", "executionAbortedEventDetails", errorFields);
  }
  const end = status === "SUCCEEDED" ? { status, output } : { status, ...errorFields };
  rt.record({ kind: "end", ...end });
  await rt.flush();
  return { ...end, executionName, startTime, stopTime, transitions: rt.transitions };
}
