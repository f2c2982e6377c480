import type { BatchStepModel, IntegrationContext, ValueModel } from "@stepline/core";
import { batchJobName, stepJobDefinition } from "./naming.js";
import { containerOverrides } from "./overrides.js";
import { submitRetryStrategy } from "./retry-strategy.js";
import { jobTags } from "./tags.js";

/**
 * SubmitJob parameters of a step on a given queue, in a fixed key order.
 * The retry strategy is sent only with a user job definition: managed
 * definitions carry it themselves.
 */
export function submitJobParameters(
  step: BatchStepModel,
  ctx: IntegrationContext,
  jobQueue: string,
): { readonly [key: string]: ValueModel } {
  return {
    JobName: batchJobName(ctx.pipeline, step),
    JobQueue: jobQueue,
    JobDefinition: stepJobDefinition(step, ctx),
    ...overridesField(step),
    ...(step.arraySize !== undefined ? { ArrayProperties: { Size: step.arraySize } } : {}),
    ...(step.attemptTimeoutSeconds !== undefined
      ? { Timeout: { AttemptDurationSeconds: step.attemptTimeoutSeconds } }
      : {}),
    ...(step.jobDefinition !== undefined ? { RetryStrategy: submitRetryStrategy(step) } : {}),
    Tags: jobTags(ctx.pipeline, step),
    PropagateTags: true,
  };
}

function overridesField(step: BatchStepModel): {
  readonly ContainerOverrides?: { readonly [key: string]: ValueModel };
} {
  const overrides = containerOverrides(step);
  return Object.keys(overrides).length > 0 ? { ContainerOverrides: overrides } : {};
}
