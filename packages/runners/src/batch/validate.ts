import { type BatchStepModel, type IntegrationContext, type Problem, problem, warning } from "@stepline/core";
import { sortedEntries } from "../private/records.js";
import { asStringValue, withRefsAsText } from "../private/values.js";
import { containerOverrides } from "./overrides.js";
import { secretProblems } from "./secrets.js";
import { jobTags } from "./tags.js";

/** SubmitJob's ContainerOverrides limit, in characters. */
export const MAX_CONTAINER_OVERRIDES = 8192;
/** Batch's limit on the tags of a job. */
export const MAX_JOB_TAGS = 50;

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** Checks of numeric Batch limits. */
function limitProblems(step: BatchStepModel): Problem[] {
  const at = (field: string) => ({ step: step.name, field });
  const problems: Problem[] = [];
  if (step.arraySize !== undefined && !isIntegerIn(step.arraySize, 2, 10_000)) {
    problems.push(
      problem(
        "SL_BATCH_ARRAY_SIZE",
        `arraySize is ${step.arraySize}; a Batch array job has 2 to 10,000 children.`,
        "Set arraySize to a whole number from 2 to 10,000; for one job remove arraySize, for more use a fan-out over several array jobs.",
        at("arraySize"),
      ),
    );
  }
  if (step.spotAttempts !== undefined && !isIntegerIn(step.spotAttempts, 1, 10)) {
    problems.push(
      problem(
        "SL_BATCH_SPOT_ATTEMPTS",
        `spotAttempts is ${step.spotAttempts}; a Batch retry strategy allows 1 to 10 attempts.`,
        "Set spotAttempts to a whole number from 1 to 10 (default 3).",
        at("spotAttempts"),
      ),
    );
  }
  if (step.attemptTimeoutSeconds !== undefined && !(step.attemptTimeoutSeconds >= 60)) {
    problems.push(
      problem(
        "SL_BATCH_ATTEMPT_TIMEOUT",
        `attemptTimeoutSeconds is ${step.attemptTimeoutSeconds}; Batch needs at least 60 seconds.`,
        "Set attemptTimeoutSeconds to 60 or more, or remove it; use timeoutSeconds to bound the whole step.",
        at("attemptTimeoutSeconds"),
      ),
    );
  }
  if (!(step.vcpus > 0)) {
    problems.push(
      problem(
        "SL_BATCH_VCPUS",
        `vcpus is ${step.vcpus}; a job needs more than 0 vCPUs.`,
        "Set vcpus to the number of vCPUs the job needs, e.g. 1.",
        at("vcpus"),
      ),
    );
  }
  if (!(step.memoryMiB >= 4)) {
    problems.push(
      problem(
        "SL_BATCH_MEMORY",
        `memoryMiB is ${step.memoryMiB}; Batch needs at least 4 MiB.`,
        "Set memoryMiB to the job's memory in MiB, e.g. 2048.",
        at("memoryMiB"),
      ),
    );
  }
  if (step.gpus !== undefined && !isIntegerIn(step.gpus, 0, Number.MAX_SAFE_INTEGER)) {
    problems.push(
      problem(
        "SL_BATCH_GPUS",
        `gpus is ${step.gpus}; GPUs are counted in whole numbers.`,
        "Set gpus to a whole number of GPUs, or remove it.",
        at("gpus"),
      ),
    );
  }
  return problems;
}

/** Checks of what the job carries: image, environment, tags, override size, queues. */
function contentProblems(step: BatchStepModel, ctx: IntegrationContext): Problem[] {
  const at = (field: string) => ({ step: step.name, field });
  const problems: Problem[] = [];
  if (step.jobDefinition === undefined && step.image.trim() === "") {
    problems.push(
      problem(
        "SL_BATCH_IMAGE",
        "image is empty; stepline needs an image to register the step's job definition.",
        "Set image to a container image URI, e.g. '123456789012.dkr.ecr.eu-west-1.amazonaws.com/etl:1.4', or set jobDefinition to an existing job definition.",
        at("image"),
      ),
    );
  }
  for (const [name, value] of sortedEntries(step.environment)) {
    if (asStringValue(value) !== undefined) continue;
    problems.push(
      problem(
        "SL_BATCH_ENV_VALUE",
        `environment.${name} is ${Array.isArray(value) ? "an array" : "an object"}; environment variables are strings.`,
        `Pass a string: a literal, a reference, or fmt\`...\`; for structured data serialise it yourself or pass an S3 location.`,
        at(`environment.${name}`),
      ),
    );
  }
  const tags = Object.keys(jobTags(ctx.pipeline, step)).length;
  if (tags > MAX_JOB_TAGS) {
    problems.push(
      problem(
        "SL_BATCH_TAGS",
        `The job would carry ${tags} tags (pipeline tags, step tags and stepline:pipeline, stepline:step); Batch allows ${MAX_JOB_TAGS}.`,
        `Remove at least ${tags - MAX_JOB_TAGS} pipeline or step tags.`,
        at("tags"),
      ),
    );
  }
  const size = JSON.stringify(withRefsAsText(containerOverrides(step))).length;
  const commandSize = JSON.stringify(withRefsAsText(step.command)).length;
  const environmentSize = JSON.stringify(withRefsAsText(step.environment)).length;
  if (size > MAX_CONTAINER_OVERRIDES) {
    problems.push(
      problem(
        "SL_BATCH_OVERRIDES_TOO_LARGE",
        `ContainerOverrides (command, environment, resources) is about ${size} characters; SubmitJob allows ${MAX_CONTAINER_OVERRIDES}.`,
        "Register your own job definition holding the constant command arguments and environment and set jobDefinition, or write large values to S3 and pass the S3 location instead.",
        at(environmentSize > commandSize ? "environment" : "command"),
      ),
    );
  }
  if (step.onDemandJobQueue !== undefined && step.capacity !== "spot-then-on-demand") {
    problems.push(
      warning(
        "SL_BATCH_ON_DEMAND_QUEUE_UNUSED",
        `onDemandJobQueue '${step.onDemandJobQueue}' is set but capacity is '${step.capacity}', so it is never used.`,
        step.capacity === "on-demand"
          ? "Move the queue to jobQueue, or remove onDemandJobQueue."
          : "Set capacity to 'spot-then-on-demand', or remove onDemandJobQueue.",
        at("onDemandJobQueue"),
      ),
    );
  }
  return problems;
}

/** Every problem of a Batch step, collected. */
export function validateBatch(step: BatchStepModel, ctx: IntegrationContext): Problem[] {
  return [...limitProblems(step), ...contentProblems(step, ctx), ...secretProblems(step)];
}
