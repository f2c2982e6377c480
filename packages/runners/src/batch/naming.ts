import {
  type Architecture,
  type BatchStepModel,
  type Capacity,
  type IntegrationContext,
  managedComputeName,
  type PipelineModel,
} from "@stepline/core";
import { awsName } from "../private/names.js";

/** Batch names (jobs, job definitions) are at most 128 characters. */
const BATCH_NAME_LENGTH = 128;

/**
 * The name of the job definition stepline registers for a step:
 * `<pipeline>-<step>`, limited to `[A-Za-z0-9_-]` and 128 characters.
 */
export function jobDefinitionName(pipeline: Pick<PipelineModel, "name">, step: Pick<BatchStepModel, "name">): string {
  return awsName([pipeline.name, step.name], BATCH_NAME_LENGTH);
}

/** The static name of a step's Batch jobs; the same form as {@link jobDefinitionName}. */
export function batchJobName(pipeline: Pick<PipelineModel, "name">, step: Pick<BatchStepModel, "name">): string {
  return awsName([pipeline.name, step.name], BATCH_NAME_LENGTH);
}

/**
 * The job queue stepline expects for a capacity and architecture:
 * `stepline-spot-<arch>` for `spot` and `spot-then-on-demand` (its first
 * attempt), `stepline-on-demand-<arch>` for `on-demand`.
 */
export function defaultJobQueue(capacity: Capacity, architecture: Architecture): string {
  return capacity === "on-demand" ? `stepline-on-demand-${architecture}` : `stepline-spot-${architecture}`;
}

/**
 * The queue stepline derives when neither the step nor the pipeline names one:
 * with `deploy.compute`, the pipeline's own managed queue
 * (`stepline-<pipeline>-spot-<arch>`, created by deploy); otherwise the shared
 * {@link defaultJobQueue}, which must exist.
 */
export function derivedJobQueue(capacity: Capacity, architecture: Architecture, pipeline: PipelineModel): string {
  if (pipeline.deploy?.compute === undefined) return defaultJobQueue(capacity, architecture);
  return managedComputeName(pipeline.name, capacity === "on-demand" ? "on-demand" : "spot", architecture);
}

/** The queue of a step's first (or only) attempt: the step's, the pipeline default, else the derived one. */
export function primaryJobQueue(step: BatchStepModel, ctx: IntegrationContext): string {
  return step.jobQueue ?? ctx.defaults.jobQueue ?? derivedJobQueue(step.capacity, step.architecture, ctx.pipeline);
}

/** The on-demand queue of the `spot-then-on-demand` fallback. */
export function fallbackJobQueue(step: BatchStepModel, ctx: IntegrationContext): string {
  return (
    step.onDemandJobQueue ??
    ctx.defaults.onDemandJobQueue ??
    derivedJobQueue("on-demand", step.architecture, ctx.pipeline)
  );
}

/** Whether deploy creates the step's primary (`primary`) or fallback queue: derived, with `deploy.compute`. */
export function isManagedJobQueue(
  step: BatchStepModel,
  ctx: IntegrationContext,
  which: "primary" | "fallback",
): boolean {
  if (ctx.pipeline.deploy?.compute === undefined) return false;
  return which === "primary"
    ? step.jobQueue === undefined && ctx.defaults.jobQueue === undefined
    : step.onDemandJobQueue === undefined && ctx.defaults.onDemandJobQueue === undefined;
}

/** The job definition a step submits: the user's (name or ARN) or the managed one. */
export function stepJobDefinition(step: BatchStepModel, ctx: IntegrationContext): string {
  return step.jobDefinition ?? jobDefinitionName(ctx.pipeline, step);
}
