import type { BatchStepModel, IntegrationContext, RetrierJson, TaskSpec } from "@stepline/core";
import { spotFallback } from "./fallback.js";
import { primaryJobQueue } from "./naming.js";
import { submitJobParameters } from "./parameters.js";

/** Step Functions' Batch integration that submits a job and waits for it. */
export const BATCH_SUBMIT_JOB_SYNC = "arn:aws:states:::batch:submitJob.sync";

/**
 * Transient SubmitJob failures: `Batch.AWSBatchException` is how Step Functions
 * reports SubmitJob throttling (about 50 jobs/s); `Batch.ServerException` is
 * Batch's documented server-side error, named by Step Functions' `Service.Exception`
 * convention. `Batch.ClientException` (bad request, permissions) is never retried.
 */
export const BATCH_SERVICE_RETRIES: readonly RetrierJson[] = [
  {
    ErrorEquals: ["Batch.AWSBatchException", "Batch.ServerException"],
    IntervalSeconds: 2,
    MaxAttempts: 8,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: "FULL",
  },
];

/** `2 vCPU, 4 GiB`, `1 GPU`… for the report. */
function sizeSummary(step: BatchStepModel): string {
  const memory = step.memoryMiB >= 1024 ? `${Number((step.memoryMiB / 1024).toFixed(2))} GiB` : `${step.memoryMiB} MiB`;
  const gpus = step.gpus !== undefined && step.gpus > 0 ? `, ${step.gpus} GPU` : "";
  return `${step.architecture}, ${step.vcpus} vCPU, ${memory}${gpus}`;
}

/** The Task spec of a Batch step: SubmitJob (.sync), small result, throttling retries, Spot fallback. */
export function batchTask(step: BatchStepModel, ctx: IntegrationContext): TaskSpec {
  const array = step.arraySize !== undefined;
  const kind = array ? `Batch array job of ${step.arraySize}` : "Batch job";
  return {
    resource: BATCH_SUBMIT_JOB_SYNC,
    parameters: submitJobParameters(step, ctx, primaryJobQueue(step, ctx)),
    resultFields: {
      JobId: "JobId",
      JobName: "JobName",
      Status: "Status",
      StartedAt: "StartedAt",
      StoppedAt: "StoppedAt",
      // An array parent has no container, hence no exit code of its own.
      ...(array ? { ArraySize: "ArrayProperties.Size" } : { ExitCode: "Container.ExitCode" }),
    },
    serviceRetries: BATCH_SERVICE_RETRIES.map((retrier) => ({ ...retrier, ErrorEquals: [...retrier.ErrorEquals] })),
    ...(step.capacity === "spot-then-on-demand" ? { fallback: spotFallback(step, ctx) } : {}),
    summary: `${kind} on ${step.capacity} (${sizeSummary(step)})`,
  };
}
