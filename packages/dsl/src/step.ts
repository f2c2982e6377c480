import type { FailurePolicy, LocalOverride, StepModel, TaskStepModel } from "@stepline/core";
import { SteplineError } from "@stepline/core";
import { optional } from "./private/optional.js";
import { toValue, toValueRecord } from "./private/value.js";
import type { Arg } from "./ref.js";
import { type RetryOptions, retryPolicy } from "./retry.js";

/**
 * What a step function (`batch`, `glue`, `lambda`, `fanOut`, `choose`) returns:
 * the step's model and typed references to its small result.
 */
export interface StepHandle<Result = unknown, Model extends StepModel = StepModel> {
  readonly name: string;
  readonly model: Model;
  /** References to the step's result (`steps.<name>.<field>` at run time). */
  readonly result: Result;
}

/** A task step (Batch, Glue or Lambda), e.g. to use as a failure handler. */
export type TaskStepHandle = StepHandle<unknown, TaskStepModel>;

/** What happens when a step fails after its retries. */
export type OnFailure = "fail" | "continue" | { readonly handler: TaskStepHandle };

/** Options every step accepts. */
export interface StepOptions {
  readonly description?: string;
  /**
   * Steps this one waits for, besides those whose results it references
   * (the compiler infers those).
   * @default []
   */
  readonly after?: readonly (StepHandle | string)[];
  /**
   * Retries; missing fields default to 3 attempts, 1 s interval, backoff 2, FULL jitter.
   * @default the pipeline's `defaults.retry`
   */
  readonly retry?: RetryOptions;
  /**
   * Whole-state timeout in seconds, all attempts included.
   * @default the pipeline's `defaults.timeoutSeconds`
   */
  readonly timeoutSeconds?: number;
  /** @default the pipeline's `defaults.onFailure`, else "fail" */
  readonly onFailure?: OnFailure;
  /** Expected duration in seconds, a hint for the compiler and the cost model. */
  readonly expectedDurationSeconds?: number;
  /** How `stepline run` runs this step on a laptop (references allowed in command and environment). */
  readonly local?: LocalOptions;
}

/** Converts the user's failure option to the model's policy. */
export function failurePolicy(option: OnFailure): FailurePolicy {
  if (option === "fail" || option === "continue") return { action: option };
  return { action: "handler", handler: option.handler.model };
}

/** The `StepCommon` fields before the kind-specific ones. */
export function commonHead(
  name: string,
  options: StepOptions,
): { name: string; description?: string; after: string[] } {
  const after = (options.after ?? []).map((dependency, index) => {
    if (typeof dependency === "string") return dependency;
    if (dependency !== null && typeof dependency === "object" && typeof dependency.name === "string")
      return dependency.name;
    throw SteplineError.of(
      "SL_DSL_BAD_AFTER",
      `after[${index}] is neither a step nor a step name.`,
      'List the steps this one waits for, e.g. after: [extract, "transform"].',
      { step: name, field: `after[${index}]` },
    );
  });
  return { name, ...optional("description", options.description), after };
}

/** The `StepCommon` fields after the kind-specific ones. */
export function commonTail(options: StepOptions) {
  return {
    ...optional("retry", options.retry === undefined ? undefined : retryPolicy(options.retry)),
    ...optional("timeoutSeconds", options.timeoutSeconds),
    ...optional("onFailure", options.onFailure === undefined ? undefined : failurePolicy(options.onFailure)),
    ...optional("expectedDurationSeconds", options.expectedDurationSeconds),
    ...optional("local", options.local === undefined ? undefined : copyLocal(options.local)),
  };
}

/** How `stepline run` runs a step on a laptop; the compiled state machine does not change. */
export interface LocalOptions {
  /** Host command run instead of the container or job; relative paths are from the pipeline's folder. */
  readonly command?: readonly Arg<string>[];
  readonly environment?: Readonly<Record<string, Arg<string>>>;
  /** Local Python script run instead of a Glue job's S3 script. */
  readonly script?: string;
  /** Module whose default export handles a Lambda step's payload. */
  readonly handler?: string;
}

function copyLocal(local: LocalOptions): LocalOverride {
  return {
    ...optional(
      "command",
      local.command === undefined
        ? undefined
        : local.command.map((arg, index) => toValue(arg, { field: `local.command[${index}]` })),
    ),
    ...optional(
      "environment",
      local.environment === undefined ? undefined : toValueRecord(local.environment, { field: "local.environment" }),
    ),
    ...optional("script", local.script),
    ...optional("handler", local.handler),
  };
}

/** Flattens the handles a `steps` callback returned into their models. */
export function stepModels(handles: unknown, where: string): StepModel[] {
  if (!Array.isArray(handles)) {
    throw SteplineError.of(
      "SL_DSL_BAD_STEPS",
      `${where}: the steps callback returned ${handles === null ? "null" : typeof handles}, not an array of steps.`,
      "Return the steps as an array: steps: ({ input }) => [extract, load].",
    );
  }
  return handles.map((handle: unknown, index) => {
    const model = (handle as { model?: unknown } | null)?.model;
    if (model === null || typeof model !== "object") {
      throw SteplineError.of(
        "SL_DSL_BAD_STEPS",
        `${where}: element ${index} of the returned array is not a step.`,
        "Return only what batch(), glue(), lambda(), fanOut() and choose() return.",
      );
    }
    return model as StepModel;
  });
}
