import type { CatcherJson, RetrierJson, StateJson } from "../asl/types.js";
import type { FailurePolicy, RetryPolicy, TaskStepModel } from "../model/pipeline.js";
import type { ValueModel } from "../model/value.js";
import {
  type CompileContext,
  jsonataSet,
  jsonataSetStep,
  type ScopeContext,
  stepResultPath,
  summarise,
} from "./context.js";
import { matchesToJsonataRegex, toJsonata, toJsonPathTemplate } from "./expressions.js";
import { chain, type Fragment, type OpenEnd, single } from "./fragment.js";
import type { TaskSpec } from "./integration.js";

/**
 * Renders a task step: its Task state with the small result selected into
 * `steps.<name>`, retries (service errors first, then the user's policy),
 * the failure policy as Catch, and the capacity fallback when there is one.
 */

/** The user's policy as a Retrier. `attempts` counts the first try. */
export function userRetrier(policy: RetryPolicy | undefined): RetrierJson[] {
  if (!policy || policy.attempts <= 1) return [];
  return [
    {
      ErrorEquals: [...(policy.errors ?? ["States.TaskFailed"])],
      IntervalSeconds: policy.intervalSeconds,
      MaxAttempts: policy.attempts - 1,
      BackoffRate: policy.backoffRate,
      ...(policy.maxDelaySeconds !== undefined ? { MaxDelaySeconds: policy.maxDelaySeconds } : {}),
      JitterStrategy: policy.jitter,
    },
  ];
}

export function effectivePolicy(
  ctx: CompileContext,
  step: TaskStepModel | { readonly onFailure?: FailurePolicy },
): FailurePolicy {
  if (step.onFailure) return step.onFailure;
  const pipelineLevel = ctx.model.defaults.onFailure;
  // A pipeline-level handler wraps the whole run once (see compile.ts), not every step.
  if (pipelineLevel && pipelineLevel.action !== "handler") return pipelineLevel;
  return { action: "fail" };
}

function selectResult(spec: TaskSpec, name: string, ctx: CompileContext): Partial<StateJson> {
  const fields = Object.entries(spec.resultFields);
  if (ctx.language === "JSONPath") {
    const selector: Record<string, string> = {};
    for (const [field, path] of fields) selector[`${field}.$`] = `$.${path}`;
    return { ResultSelector: selector, ResultPath: stepResultPath(name) };
  }
  const object = fields.map(([field, path]) => `${JSON.stringify(field)}: $states.result.${path}`).join(", ");
  return { Output: jsonataSetStep(name, `{${object}}`) };
}

function payload(parameters: { readonly [key: string]: ValueModel }, ctx: CompileContext, scope: ScopeContext) {
  return ctx.language === "JSONPath"
    ? { Parameters: toJsonPathTemplate(parameters) }
    : { Arguments: toJsonata(parameters, scope.expressions) };
}

function taskState(
  spec: TaskSpec,
  parameters: { readonly [key: string]: ValueModel },
  step: TaskStepModel,
  ctx: CompileContext,
  scope: ScopeContext,
  timeoutSeconds: number | undefined,
  comment: string,
): StateJson {
  const retry = [...spec.serviceRetries.map((r) => ({ ...r })), ...userRetrier(step.retry ?? ctx.model.defaults.retry)];
  return {
    Type: "Task",
    Comment: comment,
    Resource: spec.resource,
    ...payload(parameters, ctx, scope),
    ...selectResult(spec, step.name, ctx),
    ...(timeoutSeconds !== undefined ? { TimeoutSeconds: timeoutSeconds } : {}),
    ...(retry.length > 0 ? { Retry: retry } : {}),
  };
}

/** A Catch on every catchable error that stores the error at `key` (JSONPath) and goes to `next`. */
function catchAll(ctx: CompileContext, key: string | null, next = ""): CatcherJson {
  if (ctx.language === "JSONPath") return { ErrorEquals: ["States.ALL"], ResultPath: key, Next: next };
  return {
    ErrorEquals: ["States.ALL"],
    ...(key === null ? {} : { Output: jsonataSet(key.replace(/^\$\./, ""), "$states.errorOutput") }),
    Next: next,
  };
}

/**
 * The states that run when a step has failed for good, entered with the
 * error stored at `$.<errorKey>`; returns the entry name and the states, and
 * the open ends (for `continue`).
 */
export function failureSink(
  ctx: CompileContext,
  scope: ScopeContext,
  name: string,
  policy: FailurePolicy,
): { entry: string; states: [string, StateJson][]; ends: OpenEnd[] } {
  const fail = failState(ctx, `${name} failed`);
  if (policy.action === "fail") return { entry: `${name}.Failed`, states: [[`${name}.Failed`, fail]], ends: [] };
  if (policy.action === "continue") {
    const state: StateJson =
      ctx.language === "JSONPath"
        ? {
            Type: "Pass",
            Comment: `${name} failed; the run goes on with its error`,
            InputPath: "$.error",
            ResultPath: stepResultPath(name),
          }
        : {
            Type: "Pass",
            Comment: `${name} failed; the run goes on with its error`,
            Output: jsonataSetStep(name, "$states.input.error"),
          };
    return { entry: `${name}.Continue`, states: [[`${name}.Continue`, state]], ends: [{ type: "state", state }] };
  }
  const handler = renderHandler(ctx, scope, policy.handler, `${name}.Failed`);
  return {
    entry: handler.start,
    states: [...handler.states, [`${name}.Failed`, fail]] as [string, StateJson][],
    ends: [],
  };
}

/** A Fail state that re-raises the error stored at `$.error`. */
export function failState(ctx: CompileContext, comment: string): StateJson {
  return ctx.language === "JSONPath"
    ? { Type: "Fail", Comment: comment, ErrorPath: "$.error.Error", CausePath: "$.error.Cause" }
    : {
        Type: "Fail",
        Comment: comment,
        Error: "{% $states.input.error.Error %}",
        Cause: "{% $states.input.error.Cause %}",
      };
}

/** A failure handler: runs, ignores its own result and failure, then goes to `next`. */
export function renderHandler(
  ctx: CompileContext,
  scope: ScopeContext,
  handler: TaskStepModel,
  next: string,
): Fragment {
  const integration = ctx.integrations[handler.kind] as {
    task(step: TaskStepModel, c: typeof ctx.integrationContext): TaskSpec;
  };
  const spec = integration.task(handler, ctx.integrationContext);
  const retry = [...spec.serviceRetries.map((r) => ({ ...r })), ...userRetrier(handler.retry)];
  const state: StateJson = {
    Type: "Task",
    Comment: `failure handler: ${spec.summary}`,
    Resource: spec.resource,
    ...payload(spec.parameters, ctx, scope),
    ...(ctx.language === "JSONPath" ? { ResultPath: null } : { Output: "{% $states.input %}" }),
    ...(handler.timeoutSeconds !== undefined ? { TimeoutSeconds: handler.timeoutSeconds } : {}),
    ...(retry.length > 0 ? { Retry: retry } : {}),
    Catch: [
      ctx.language === "JSONPath"
        ? { ErrorEquals: ["States.ALL"], ResultPath: null, Next: next }
        : { ErrorEquals: ["States.ALL"], Output: "{% $states.input %}", Next: next },
    ],
    Next: next,
  };
  summarise(ctx, handler.name, state, handler.name, spec.summary);
  return { start: handler.name, states: [[handler.name, state]], ends: [] };
}

/** Renders one task step. */
export function renderTask(ctx: CompileContext, scope: ScopeContext, step: TaskStepModel): Fragment {
  const integration = ctx.integrations[step.kind] as {
    task(s: TaskStepModel, c: typeof ctx.integrationContext): TaskSpec;
  };
  const spec = integration.task(step, ctx.integrationContext);
  const timeout = step.timeoutSeconds ?? ctx.model.defaults.timeoutSeconds;
  const policy = effectivePolicy(ctx, step);
  const sink = policy.action === "fail" && !spec.fallback ? undefined : failureSink(ctx, scope, step.name, policy);

  if (!spec.fallback) {
    const state = taskState(spec, spec.parameters, step, ctx, scope, timeout, spec.summary);
    summarise(ctx, step.name, state, step.name, spec.summary);
    if (!sink) return single(step.name, state);
    state.Catch = [catchAll(ctx, "$.error", sink.entry)];
    return {
      start: step.name,
      states: [[step.name, state], ...sink.states],
      ends: [{ type: "state", state }, ...sink.ends],
    };
  }

  // Capacity fallback: first attempt, then the reason check, then the second attempt.
  const fallback = spec.fallback;
  const second = `${step.name}.${fallback.label.replace(/[^A-Za-z0-9_-]+/g, "-")}`;
  const firstTimeout = fallback.onTimeout ? (fallback.firstAttemptTimeoutSeconds ?? timeout) : timeout;
  const first = taskState(spec, spec.parameters, step, ctx, scope, firstTimeout, spec.summary);
  const retry = taskState(spec, fallback.parameters, step, ctx, scope, timeout, `${fallback.comment}`);
  summarise(ctx, step.name, first, step.name, spec.summary);
  summarise(ctx, second, retry, step.name, fallback.comment);
  const check = reasonCheck(ctx, step.name, fallback.causeField, fallback.causeMatches, second, sink?.entry ?? "");
  first.Catch = [
    ...(fallback.onTimeout && firstTimeout !== undefined ? [catchError(ctx, ["States.Timeout"], second)] : []),
    catchAll(ctx, "$.error", check.entry),
  ];
  const own = sink ?? failureSink(ctx, scope, step.name, { action: "fail" });
  if (policy.action !== "fail") retry.Catch = [catchAll(ctx, "$.error", own.entry)];
  for (const [name, state] of check.states) summarise(ctx, name, state, step.name);
  return {
    start: step.name,
    states: [[step.name, first], ...check.states, [second, retry], ...own.states],
    ends: [{ type: "state", state: first }, { type: "state", state: retry }, ...own.ends],
  };
}

function catchError(ctx: CompileContext, errors: string[], next: string): CatcherJson {
  return ctx.language === "JSONPath"
    ? { ErrorEquals: errors, ResultPath: "$.error", Next: next }
    : { ErrorEquals: errors, Output: jsonataSet("error", "$states.errorOutput"), Next: next };
}

/** States that parse the failure cause and choose the fallback or the failure path. */
function reasonCheck(
  ctx: CompileContext,
  name: string,
  field: string,
  patterns: readonly string[],
  fallback: string,
  failure: string,
): { entry: string; states: [string, StateJson][] } {
  const failed = failure === "" ? `${name}.Failed` : failure;
  if (ctx.language === "JSONata") {
    const cause = "$states.input.error.Cause";
    const value = `$parse(${cause}).${field}`;
    const matches = patterns.map((p) => `$contains(${value}, ${matchesToJsonataRegex(p)})`).join(" or ");
    // Only a failed job has a JSON cause to parse; the conditionals keep $parse off anything else.
    const isJob = `$states.input.error.Error = "States.TaskFailed" and $type(${cause}) = "string" and $substring(${cause}, 0, 1) = "{"`;
    const choice: StateJson = {
      Type: "Choice",
      Comment: `go to ${fallback} only when the first attempt lost its capacity`,
      Choices: [{ Condition: `{% (${isJob}) ? ($exists(${value}) ? (${matches}) : false) : false %}`, Next: fallback }],
      Default: failed,
    };
    return { entry: `${name}.CheckReason`, states: [[`${name}.CheckReason`, choice]] };
  }
  // Only a failed job (States.TaskFailed with the job description as JSON) has a status
  // reason; any other error (throttling after its retries, a client error) fails as is.
  // Rules are tried in order, so no rule reads a field an earlier rule found missing.
  const isJob: StateJson = {
    Type: "Choice",
    Comment: "only a failed job carries its description in the error cause",
    Choices: [
      { Not: { Variable: "$.error.Error", StringEquals: "States.TaskFailed" }, Next: failed },
      { Variable: "$.error.Cause", IsPresent: false, Next: failed },
      { Not: { Variable: "$.error.Cause", StringMatches: "{*" }, Next: failed },
    ],
    Default: `${name}.ParseCause`,
  };
  const parse: StateJson = {
    Type: "Pass",
    Comment: "read the failed job's status reason from the error cause",
    Parameters: {
      "Error.$": "$.error.Error",
      "Cause.$": "$.error.Cause",
      "Job.$": "States.StringToJson($.error.Cause)",
    },
    ResultPath: "$.error",
    Next: `${name}.HasReason`,
  };
  const variable = `$.error.Job.${field}`;
  const hasReason: StateJson = {
    Type: "Choice",
    Comment: "a job that failed before it started has no status reason",
    Choices: [{ Variable: variable, IsPresent: true, Next: `${name}.CheckReason` }],
    Default: failed,
  };
  const check: StateJson = {
    Type: "Choice",
    Comment: `go to ${fallback} only when the first attempt lost its capacity`,
    Choices: patterns.map((pattern) => ({ Variable: variable, StringMatches: pattern, Next: fallback })),
    Default: failed,
  };
  return {
    entry: `${name}.IsJobFailure`,
    states: [
      [`${name}.IsJobFailure`, isJob],
      [`${name}.ParseCause`, parse],
      [`${name}.HasReason`, hasReason],
      [`${name}.CheckReason`, check],
    ],
  };
}

export { chain };
