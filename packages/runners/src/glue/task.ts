import type { GlueStepModel, IntegrationContext, RetrierJson, TaskSpec, ValueModel } from "@stepline/core";
import { sortedEntries } from "../private/records.js";
import { asStringValue } from "../private/values.js";
import { stepGlueJob } from "./naming.js";

/** Step Functions' Glue integration that starts a job run and waits for it. */
export const GLUE_START_JOB_RUN_SYNC = "arn:aws:states:::glue:startJobRun.sync";

/** Glue's transient errors: too many concurrent runs (slow backoff), and its generic service error. */
export const GLUE_SERVICE_RETRIES: readonly RetrierJson[] = [
  {
    ErrorEquals: ["Glue.ConcurrentRunsExceededException"],
    IntervalSeconds: 30,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 300,
    JitterStrategy: "FULL",
  },
  {
    ErrorEquals: ["Glue.AWSGlueException"],
    IntervalSeconds: 5,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: "FULL",
  },
];

/** Job arguments sorted by name; references wrapped so Glue receives strings. */
export function glueArguments(step: GlueStepModel): { readonly [key: string]: ValueModel } {
  const out: Record<string, ValueModel> = {};
  for (const [name, value] of sortedEntries(step.arguments)) out[name] = asStringValue(value) ?? JSON.stringify(value);
  return out;
}

/**
 * StartJobRun parameters. Run-level settings override the job's, so each is
 * sent only when the step sets it. ExecutionClass is sent only for FLEX:
 * STANDARD is Glue's default, and Python-shell and Ray jobs have no execution class.
 */
function startJobRunParameters(step: GlueStepModel, ctx: IntegrationContext): { readonly [key: string]: ValueModel } {
  const args = glueArguments(step);
  return {
    JobName: stepGlueJob(step, ctx.pipeline),
    ...(Object.keys(args).length > 0 ? { Arguments: args } : {}),
    ...(step.timeoutMinutes !== undefined ? { Timeout: step.timeoutMinutes } : {}),
    ...(step.workerType !== undefined ? { WorkerType: step.workerType } : {}),
    ...(step.numberOfWorkers !== undefined ? { NumberOfWorkers: step.numberOfWorkers } : {}),
    ...(step.executionClass === "FLEX" ? { ExecutionClass: "FLEX" } : {}),
    ...(step.securityConfiguration !== undefined ? { SecurityConfiguration: step.securityConfiguration } : {}),
  };
}

/** The Task spec of a Glue step. */
export function glueTask(step: GlueStepModel, ctx: IntegrationContext): TaskSpec {
  const workers =
    step.workerType !== undefined || step.numberOfWorkers !== undefined
      ? ` (${step.numberOfWorkers ?? "default"} × ${step.workerType ?? "default worker"})`
      : "";
  const flex = step.executionClass === "FLEX" ? ", flex" : "";
  return {
    resource: GLUE_START_JOB_RUN_SYNC,
    parameters: startJobRunParameters(step, ctx),
    resultFields: {
      JobRunId: "Id",
      JobRunState: "JobRunState",
      ExecutionTime: "ExecutionTime",
      StartedOn: "StartedOn",
      CompletedOn: "CompletedOn",
    },
    serviceRetries: GLUE_SERVICE_RETRIES.map((retrier) => ({ ...retrier, ErrorEquals: [...retrier.ErrorEquals] })),
    summary: `Glue ${step.jobType} job ${stepGlueJob(step, ctx.pipeline)}${workers}${flex}`,
  };
}
