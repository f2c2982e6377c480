import type { Architecture, BatchStepModel, Capacity, IntegrationContext, PipelineModel } from "@stepline/core";
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

/** The queue of a step's first (or only) attempt: the step's, the pipeline default, else the derived one. */
export function primaryJobQueue(step: BatchStepModel, ctx: IntegrationContext): string {
  return step.jobQueue ?? ctx.defaults.jobQueue ?? defaultJobQueue(step.capacity, step.architecture);
}

/** The on-demand queue of the `spot-then-on-demand` fallback. */
export function fallbackJobQueue(step: BatchStepModel, ctx: IntegrationContext): string {
  return step.onDemandJobQueue ?? ctx.defaults.onDemandJobQueue ?? defaultJobQueue("on-demand", step.architecture);
}

/** The job definition a step submits: the user's (name or ARN) or the managed one. */
export function stepJobDefinition(step: BatchStepModel, ctx: IntegrationContext): string {
  return step.jobDefinition ?? jobDefinitionName(ctx.pipeline, step);
}
