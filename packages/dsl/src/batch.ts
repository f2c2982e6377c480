import type { Architecture, BatchStepModel, Capacity } from "@stepline/core";
import { deepFreeze } from "./private/freeze.js";
import { optional } from "./private/optional.js";
import { resultRef } from "./private/refs.js";
import { markUnset } from "./private/resolve.js";
import { toValue, toValueRecord } from "./private/value.js";
import type { Arg, Ref } from "./ref.js";
import { commonHead, commonTail, type StepHandle, type StepOptions } from "./step.js";

/** Options of a Batch step: a Docker job on AWS Batch (Spot first). */
export interface BatchOptions extends StepOptions {
  /** Container image, e.g. an ECR URI with a tag. */
  readonly image: string;
  /** Command and arguments; each may be a reference or a `fmt` string. @default [] (the image's CMD) */
  readonly command?: readonly Arg<string>[];
  /** @default 1 */
  readonly vcpus?: number;
  /** @default 2048 */
  readonly memoryMiB?: number;
  readonly gpus?: number;
  /** @default {} */
  readonly environment?: Readonly<Record<string, Arg<string>>>;
  /**
   * Environment variable name → Secrets Manager ARN (`arn:aws:secretsmanager:…`)
   * or SSM parameter ARN (`arn:aws:ssm:…:parameter/…`); never a plaintext value.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /** @default the pipeline's `defaults.architecture`, else "x86_64" */
  readonly architecture?: Architecture;
  /** @default the pipeline's `defaults.capacity`, else "spot" */
  readonly capacity?: Capacity;
  /** Job queue name or ARN. @default the queue stepline derives for the capacity */
  readonly jobQueue?: string;
  /** On-demand queue used by `spot-then-on-demand`. */
  readonly onDemandJobQueue?: string;
  /** Existing job definition name or ARN. @default one stepline registers for the step */
  readonly jobDefinition?: string;
  /** Batch array job size (2–10,000); each child sees `AWS_BATCH_JOB_ARRAY_INDEX`. */
  readonly arraySize?: number;
  /** Batch attempt timeout in seconds (≥ 60), distinct from `timeoutSeconds`. */
  readonly attemptTimeoutSeconds?: number;
  /** Batch-level attempts (1–10) for Spot reclaims. @default 3 */
  readonly spotAttempts?: number;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The small result of an array Batch job, as `steps.<name>` holds it. */
export interface BatchArrayResult {
  readonly JobId: Ref<string>;
  readonly JobName: Ref<string>;
  readonly Status: Ref<string>;
  readonly StartedAt: Ref<number>;
  readonly StoppedAt: Ref<number>;
}

/** The small result of a Batch job, as `steps.<name>` holds it. */
export interface BatchResult extends BatchArrayResult {
  readonly ExitCode: Ref<number>;
}

/** A Batch array job (`arraySize` set): its result has no single exit code. */
export function batch(
  name: string,
  options: BatchOptions & { readonly arraySize: number },
): StepHandle<BatchArrayResult, BatchStepModel>;
/** A Docker job on AWS Batch. */
export function batch(name: string, options: BatchOptions): StepHandle<BatchResult, BatchStepModel>;
export function batch(name: string, options: BatchOptions): StepHandle<BatchResult | BatchArrayResult, BatchStepModel> {
  const model: BatchStepModel = {
    kind: "batch",
    ...commonHead(name, options),
    image: options.image,
    command: (options.command ?? []).map((arg, index) => toValue(arg, { step: name, field: `command[${index}]` })),
    vcpus: options.vcpus ?? 1,
    memoryMiB: options.memoryMiB ?? 2048,
    ...optional("gpus", options.gpus),
    environment: toValueRecord(options.environment, { step: name, field: "environment" }),
    secrets: { ...options.secrets },
    architecture: options.architecture ?? "x86_64",
    capacity: options.capacity ?? "spot",
    ...optional("jobQueue", options.jobQueue),
    ...optional("onDemandJobQueue", options.onDemandJobQueue),
    ...optional("jobDefinition", options.jobDefinition),
    ...optional("arraySize", options.arraySize),
    ...optional("attemptTimeoutSeconds", options.attemptTimeoutSeconds),
    ...optional("spotAttempts", options.spotAttempts),
    tags: { ...options.tags },
    ...commonTail(options),
  };
  markUnset(model, { capacity: options.capacity === undefined, architecture: options.architecture === undefined });
  const common: BatchArrayResult = {
    JobId: resultRef(name, "JobId"),
    JobName: resultRef(name, "JobName"),
    Status: resultRef(name, "Status"),
    StartedAt: resultRef(name, "StartedAt"),
    StoppedAt: resultRef(name, "StoppedAt"),
  };
  const result =
    options.arraySize === undefined ? { ...common, ExitCode: resultRef<number>(name, "ExitCode") } : common;
  return Object.freeze({ name, model: deepFreeze(model), result: Object.freeze(result) });
}
