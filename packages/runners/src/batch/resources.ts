import type { BatchStepModel, Capacity, IntegrationContext, JsonValue, ResourceSpec } from "@stepline/core";
import { sortedEntries } from "../private/records.js";
import { isDynamic } from "../private/values.js";
import { fallbackJobQueue, isManagedJobQueue, jobDefinitionName, primaryJobQueue } from "./naming.js";
import { resourceRequirements } from "./overrides.js";
import { definitionRetryStrategy } from "./retry-strategy.js";
import { resourceTags } from "./tags.js";

/**
 * The job definition stepline registers for a step, in RegisterJobDefinition
 * terms. Only static values go in it: references are resolved per run and
 * travel in the SubmitJob overrides. `architecture` is not an API field but a
 * hint for deploy (Graviton instance families for arm64); deploy strips it.
 */
function managedJobDefinition(step: BatchStepModel, ctx: IntegrationContext): ResourceSpec {
  const name = jobDefinitionName(ctx.pipeline, step);
  const environment = sortedEntries(step.environment)
    .filter(([, value]) => !isDynamic(value) && (value === null || typeof value !== "object"))
    .map(([key, value]) => ({ name: key, value: value === null ? "" : String(value) }));
  const secrets = sortedEntries(step.secrets).map(([key, valueFrom]) => ({ name: key, valueFrom }));
  const command = step.command.every((part) => typeof part === "string") ? (step.command as readonly string[]) : [];
  const containerProperties: { [key: string]: JsonValue } = {
    image: step.image,
    command: [...command],
    resourceRequirements: resourceRequirements(step),
    ...(environment.length > 0 ? { environment } : {}),
    ...(secrets.length > 0 ? { secrets } : {}),
  };
  return {
    type: "batch.jobDefinition",
    name,
    usedBy: [step.name],
    managed: true,
    properties: {
      jobDefinitionName: name,
      type: "container",
      platformCapabilities: ["EC2"],
      containerProperties,
      retryStrategy: definitionRetryStrategy(step),
      ...(step.attemptTimeoutSeconds !== undefined
        ? { timeout: { attemptDurationSeconds: step.attemptTimeoutSeconds } }
        : {}),
      tags: resourceTags(ctx.pipeline),
      propagateTags: true,
      architecture: step.architecture,
    },
  };
}

/**
 * A job queue the step submits to: created by deploy (with its compute
 * environments) when the pipeline has `deploy.compute` and the queue is the
 * derived one; otherwise only checked to exist.
 */
function jobQueue(
  step: BatchStepModel,
  name: string,
  capacity: Exclude<Capacity, "spot-then-on-demand">,
  managed: boolean,
): ResourceSpec {
  return {
    type: "batch.jobQueue",
    name,
    usedBy: [step.name],
    managed,
    properties: { jobQueueName: name, capacity, architecture: step.architecture },
  };
}

/** The job definition (unless the user gave one) and the queue(s) of a Batch step. */
export function batchResources(step: BatchStepModel, ctx: IntegrationContext): ResourceSpec[] {
  const resources: ResourceSpec[] = [];
  if (step.jobDefinition === undefined) resources.push(managedJobDefinition(step, ctx));
  const first = step.capacity === "on-demand" ? "on-demand" : "spot";
  resources.push(jobQueue(step, primaryJobQueue(step, ctx), first, isManagedJobQueue(step, ctx, "primary")));
  if (step.capacity === "spot-then-on-demand") {
    const managed = isManagedJobQueue(step, ctx, "fallback");
    resources.push(jobQueue(step, fallbackJobQueue(step, ctx), "on-demand", managed));
  }
  return resources;
}
