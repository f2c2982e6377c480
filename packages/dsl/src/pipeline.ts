import type { Architecture, Capacity, DeployModel, PipelineModel, ScheduleModel, StepDefaults } from "@stepline/core";
import { SteplineError } from "@stepline/core";
import type { z } from "zod";
import { type ContextRefs, contextRefs } from "./context.js";
import { type InputRefs, type InputSchema, inputModel, inputRefs } from "./input.js";
import { deepFreeze } from "./private/freeze.js";
import { optional } from "./private/optional.js";
import { resolveFailure, resolveSteps } from "./private/resolve.js";
import { type RetryOptions, retryPolicy } from "./retry.js";
import { failurePolicy, type OnFailure, type StepHandle, stepModels } from "./step.js";

/** Defaults applied to every step that does not set its own. */
export interface DefaultsOptions {
  /** Partial retry policy; missing fields default to 3 attempts, 1 s, backoff 2, FULL jitter. */
  readonly retry?: RetryOptions;
  readonly timeoutSeconds?: number;
  /** Batch capacity. @default "spot" */
  readonly capacity?: Capacity;
  /** Batch CPU architecture. @default "x86_64" */
  readonly architecture?: Architecture;
  readonly jobQueue?: string;
  readonly onDemandJobQueue?: string;
  /** @default "fail" */
  readonly onFailure?: OnFailure;
}

/** What the `steps` callback receives. */
export interface PipelineScope<S extends InputSchema> {
  /** References to the input fields (after defaults). */
  readonly input: InputRefs<S>;
  /** References to the execution (name, start time). */
  readonly context: ContextRefs;
}

/** A pipeline declaration. */
export interface PipelineOptions<S extends InputSchema> {
  /** Becomes the state machine name. Letters, digits, `-` and `_`. */
  readonly name: string;
  readonly description?: string;
  /** Tags put on every AWS resource of the pipeline. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Zod object schema of the input a run is started with. @default z.object({}) */
  readonly input?: S;
  /** @default {} */
  readonly defaults?: DefaultsOptions;
  /** Failure policy of every step (shorthand for `defaults.onFailure`). @default "fail" */
  readonly onFailure?: OnFailure;
  /** When runs start (`daily("02:30", { timezone })`, `cron(…)`, `rate(…)`…); compiled to an EventBridge schedule. */
  readonly schedule?: ScheduleModel;
  /** How `stepline deploy` sets the pipeline up: roles, logging, managed Batch compute. */
  readonly deploy?: DeployModel;
  /** Declares the steps; dependencies come from `after` and from result references. */
  readonly steps: (scope: PipelineScope<S>) => readonly StepHandle[];
}

/** Declares a pipeline and returns its deep-frozen model. */
export function pipeline<S extends InputSchema = z.ZodObject<Record<never, never>>>(
  options: PipelineOptions<S>,
): PipelineModel {
  const defaults = stepDefaults(options);
  const scope: PipelineScope<S> = {
    input: options.input === undefined ? ({} as InputRefs<S>) : inputRefs(options.input),
    context: contextRefs(),
  };
  const model: PipelineModel = {
    kind: "stepline.pipeline",
    version: 1,
    name: options.name,
    ...optional("description", options.description),
    tags: { ...options.tags },
    input: inputModel(options.input),
    defaults,
    steps: resolveSteps(stepModels(options.steps(scope), `pipeline '${options.name}'`), defaults),
    ...optional("schedule", options.schedule === undefined ? undefined : structuredClone(options.schedule)),
    ...optional("deploy", options.deploy === undefined ? undefined : structuredClone(options.deploy)),
  };
  return deepFreeze(model);
}

/** Alias of {@link pipeline}. */
export const definePipeline = pipeline;

function stepDefaults(options: PipelineOptions<InputSchema>): StepDefaults {
  const given = options.defaults ?? {};
  if (options.onFailure !== undefined && given.onFailure !== undefined) {
    throw SteplineError.of(
      "SL_DSL_OPTION_CONFLICT",
      "The pipeline sets both onFailure and defaults.onFailure.",
      "Keep one of them; onFailure is a shorthand for defaults.onFailure.",
      { field: "onFailure" },
    );
  }
  const onFailure = options.onFailure ?? given.onFailure;
  const partial: StepDefaults = {
    ...optional("retry", given.retry === undefined ? undefined : retryPolicy(given.retry)),
    ...optional("timeoutSeconds", given.timeoutSeconds),
    ...optional("capacity", given.capacity),
    ...optional("architecture", given.architecture),
    ...optional("jobQueue", given.jobQueue),
    ...optional("onDemandJobQueue", given.onDemandJobQueue),
  };
  return onFailure === undefined
    ? partial
    : { ...partial, onFailure: resolveFailure(failurePolicy(onFailure), partial) };
}
