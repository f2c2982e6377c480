import type { JsonValue, RefExpr, RefTarget, ValueModel } from "./value.js";

/**
 * The pipeline model: plain, readonly, serialisable data produced by the DSL
 * (or written by hand) and consumed by validation, the compiler, the local
 * engine and deployment. Nothing here depends on the DSL.
 */

/** Retry policy of a step, in Step Functions' terms. */
export interface RetryPolicy {
  /** Total attempts including the first (1–10). @default 3 */
  readonly attempts: number;
  /** Seconds before the first retry. @default 1 */
  readonly intervalSeconds: number;
  /** Multiplier applied to the interval after each retry (≥ 1). @default 2 */
  readonly backoffRate: number;
  /** Upper bound of one retry delay, in seconds. */
  readonly maxDelaySeconds?: number;
  /** `FULL` randomises each delay between 0 and its computed value. @default "FULL" */
  readonly jitter: "FULL" | "NONE";
  /** Error names retried. @default ["States.ALL"] minus non-retryable user errors */
  readonly errors?: readonly string[];
}

/** What happens when a step fails after its retries. */
export type FailurePolicy =
  /** Fail the run (the default). */
  | { readonly action: "fail" }
  /** Record the error under `steps.<name>.Error` / `.Cause` and go on with the next steps. */
  | { readonly action: "continue" }
  /** Run a handler step (e.g. a notification Lambda), then fail the run. */
  | { readonly action: "handler"; readonly handler: TaskStepModel };

/** Where Batch runs the job. */
export type Capacity = "spot" | "on-demand" | "spot-then-on-demand";

export type Architecture = "x86_64" | "arm64";

/** Options shared by every step. */
export interface StepCommon {
  /** Unique within the pipeline; becomes the state name. Letters, digits, `-` and `_`. */
  readonly name: string;
  readonly description?: string;
  /** Explicit dependencies (step names). References to step results add more. */
  readonly after: readonly string[];
  readonly retry?: RetryPolicy;
  /** Whole-state timeout in seconds (all attempts of one Task state). */
  readonly timeoutSeconds?: number;
  readonly onFailure?: FailurePolicy;
  /** Expected duration in seconds, a hint for the compiler and the cost model. */
  readonly expectedDurationSeconds?: number;
  /** Local-only override used by `stepline run` (issue 3). */
  readonly local?: LocalOverride;
}

/**
 * How to run a step on a laptop when its real target cannot run there. Only
 * `stepline run` reads it: the compiled state machine does not change.
 * `command` and `environment` may hold references (`input.date`, an upstream
 * result, the fan-out item); the local runner resolves them against the run's
 * state at that point.
 */
export interface LocalOverride {
  /** Host command run instead of the container (Batch) or the job (Glue); relative paths are from the pipeline's folder. */
  readonly command?: readonly ValueModel[];
  readonly environment?: Readonly<Record<string, ValueModel>>;
  /** Local Python script run instead of a Glue job's S3 script (with Glue's `--key value` arguments). */
  readonly script?: string;
  /** Module exporting a handler, for Lambda steps. */
  readonly handler?: string;
}

export interface BatchStepModel extends StepCommon {
  readonly kind: "batch";
  readonly image: string;
  readonly command: readonly ValueModel[];
  /** @default 1 */
  readonly vcpus: number;
  /** @default 2048 */
  readonly memoryMiB: number;
  readonly gpus?: number;
  readonly environment: Readonly<Record<string, ValueModel>>;
  /** Environment variable name → Secrets Manager or SSM parameter ARN. */
  readonly secrets: Readonly<Record<string, string>>;
  /** @default "x86_64" */
  readonly architecture: Architecture;
  /** @default "spot" */
  readonly capacity: Capacity;
  /** Job queue name or ARN; when absent, the queue stepline derives for the capacity. */
  readonly jobQueue?: string;
  /** On-demand job queue used by `spot-then-on-demand`. */
  readonly onDemandJobQueue?: string;
  /** Job definition name or ARN; when absent, stepline registers one for the step. */
  readonly jobDefinition?: string;
  /** Batch array job size (2–10,000). */
  readonly arraySize?: number;
  /** Batch attempt timeout (≥ 60 s), distinct from the state's `timeoutSeconds`. */
  readonly attemptTimeoutSeconds?: number;
  /** Batch-level attempts (1–10) for Spot reclaims (`Host EC2*`). @default 3 */
  readonly spotAttempts?: number;
  readonly tags: Readonly<Record<string, string>>;
}

export type GlueJobType = "spark" | "pythonshell" | "ray";
export type GlueWorkerType = "G.025X" | "G.1X" | "G.2X" | "G.4X" | "G.8X" | "Z.2X";

export interface GlueStepModel extends StepCommon {
  readonly kind: "glue";
  /** Existing Glue job name; or give `scriptLocation` and stepline names the job. */
  readonly jobName?: string;
  readonly scriptLocation?: string;
  /** @default "spark" */
  readonly jobType: GlueJobType;
  readonly glueVersion?: string;
  readonly workerType?: GlueWorkerType;
  readonly numberOfWorkers?: number;
  /** Python-shell capacity in DPU (0.0625 or 1). */
  readonly maxCapacity?: number;
  /** Job arguments; keys include their leading `--`. */
  readonly arguments: Readonly<Record<string, ValueModel>>;
  /** @default "STANDARD" */
  readonly executionClass: "STANDARD" | "FLEX";
  /** Glue job run timeout in minutes, distinct from the state's `timeoutSeconds`. */
  readonly timeoutMinutes?: number;
  readonly connections: readonly string[];
  readonly securityConfiguration?: string;
}

export interface LambdaStepModel extends StepCommon {
  readonly kind: "lambda";
  /** Function name, name:alias or ARN. */
  readonly functionName: string;
  readonly payload: ValueModel;
}

export type TaskStepModel = BatchStepModel | GlueStepModel | LambdaStepModel;

/** Fan-out: run a sub-graph once per item of a list (a Map state). */
export interface MapStepModel extends StepCommon {
  readonly kind: "map";
  /** The list to fan out over: an input field or an upstream step's result. */
  readonly items: RefExpr;
  /** Upper bound of concurrent iterations. @default 10 */
  readonly maxConcurrency: number;
  /** Declared upper bound of the list length, used for the history and payload checks. */
  readonly maxItems?: number;
  /** `distributed` runs each item as a child execution (for large lists). @default "inline" */
  readonly mode: "inline" | "distributed";
  readonly steps: readonly StepModel[];
}

/** A comparison on a run-time value. */
export type ConditionModel =
  | {
      readonly op: "eq" | "ne" | "lt" | "le" | "gt" | "ge";
      readonly left: RefTarget;
      readonly right: string | number | boolean;
    }
  | { readonly op: "present" | "absent" | "isTrue" | "isFalse"; readonly left: RefTarget }
  | { readonly op: "matches"; readonly left: RefTarget; readonly right: string }
  | { readonly op: "and" | "or"; readonly conditions: readonly ConditionModel[] }
  | { readonly op: "not"; readonly condition: ConditionModel };

/** A condition choosing between two sub-graphs (a Choice state). */
export interface ChoiceStepModel extends StepCommon {
  readonly kind: "choice";
  readonly condition: ConditionModel;
  readonly then: readonly StepModel[];
  readonly otherwise: readonly StepModel[];
}

export type StepModel = TaskStepModel | MapStepModel | ChoiceStepModel;
export type StepKind = StepModel["kind"];

/** Defaults applied to every step that does not set its own. */
export interface StepDefaults {
  readonly retry?: RetryPolicy;
  readonly timeoutSeconds?: number;
  readonly capacity?: Capacity;
  readonly architecture?: Architecture;
  readonly jobQueue?: string;
  readonly onDemandJobQueue?: string;
  readonly onFailure?: FailurePolicy;
}

/** The pipeline input: a JSON Schema (from zod) plus what the state machine must enforce. */
export interface InputModel {
  /** JSON Schema (draft 2020-12) of the input. */
  readonly schema: { readonly [key: string]: JsonValue };
  /** Top-level defaults the state machine applies itself. */
  readonly defaults: { readonly [key: string]: JsonValue };
  /** Top-level fields that must be present (and have no default). */
  readonly required: readonly string[];
  /** Top-level field types the state machine checks at the start. */
  readonly types: { readonly [key: string]: "string" | "number" | "boolean" | "array" | "object" };
}

/**
 * An input field of a scheduled run filled from the time the schedule fired:
 * `time` is that instant (ISO-8601, UTC); `date` is its calendar date in the
 * schedule's time zone plus `offsetDays` (`-1`: "yesterday" where the schedule lives).
 */
export type ScheduledInputValue = { readonly kind: "time" } | { readonly kind: "date"; readonly offsetDays: number };

/** A schedule declaration (compiled by the schedules module). */
export interface ScheduleModel {
  /** `cron(...)`, `rate(...)` or `at(...)`. */
  readonly expression: string;
  /** IANA time zone. @default "UTC" */
  readonly timezone?: string;
  /** @default true */
  readonly enabled?: boolean;
  /** Static input of scheduled runs. */
  readonly input?: { readonly [key: string]: JsonValue };
  /** Input fields of scheduled runs derived from the scheduled time. */
  readonly scheduledInput?: { readonly [key: string]: ScheduledInputValue };
  readonly startDate?: string;
  readonly endDate?: string;
  readonly flexibleWindowMinutes?: number;
  readonly retry?: { readonly maxAttempts?: number; readonly maxEventAgeSeconds?: number };
  readonly deadLetterQueueArn?: string;
  /** @default "scheduler" */
  readonly target?: "scheduler" | "rule";
  /** @default "allow" */
  readonly overlap?: "allow" | "skip";
}

/** How `stepline deploy` sets the pipeline up on AWS (all optional). */
export interface DeployModel {
  /**
   * Existing roles to use instead of the least-privilege roles stepline
   * creates and owns; `stepline doctor` checks that they hold what is needed.
   */
  readonly roles?: {
    /** Role the state machine runs as. */
    readonly stateMachine?: string;
    /** Role EventBridge Scheduler (or the rule) assumes to start runs. */
    readonly schedule?: string;
    /**
     * Role the code of the Batch jobs runs as (`jobRoleArn` of the job
     * definitions stepline registers), trusted by `ecs-tasks.amazonaws.com`.
     */
    readonly batchJob?: string;
    /**
     * Role Batch's container agent uses to pull the image, read the
     * `secrets` and write the logs (`executionRoleArn`), trusted by
     * `ecs-tasks.amazonaws.com`. Needed when a step has `secrets`.
     */
    readonly batchExecution?: string;
  };
  /**
   * Create and own the Batch roles of the job definitions stepline registers
   * (unless passed in `roles`): an execution role
   * `stepline-<pipeline>-batch-exec` that may pull the jobs' ECR images,
   * write to `/aws/batch/job` and read exactly the secrets they name, and a
   * job role `stepline-<pipeline>-batch-job` with no permissions: attach
   * (as managed policies) what your jobs need.
   * @default false
   */
  readonly batchRoles?: boolean;
  /** CloudWatch Logs for the state machine. @default off */
  readonly logging?: {
    readonly level: "ALL" | "ERROR" | "FATAL";
    /** @default false */
    readonly includeExecutionData?: boolean;
    /** @default 30 */
    readonly retentionDays?: number;
  };
  /**
   * Let stepline manage Batch compute: a Spot compute environment
   * (SPOT_PRICE_CAPACITY_OPTIMIZED), an on-demand one for fallback, and job
   * queues ordering Spot before on-demand, for each architecture the pipeline
   * uses. Without it, job queues are referenced by name or ARN and checked to exist.
   */
  readonly compute?: {
    /** @default 256 */
    readonly maxVcpus?: number;
    readonly subnets: readonly string[];
    readonly securityGroups: readonly string[];
    /** Instance profile (name or ARN) of the container instances. @default stepline creates one */
    readonly instanceProfile?: string;
    /**
     * Batch service role (name or ARN) of the compute environments. Leave it out
     * on AWS: Batch then uses its service-linked role (AWSServiceRoleForBatch),
     * which also allows in-place updates of instance types, subnets and the
     * allocation strategy. Emulators such as moto require one.
     * @default the service-linked role
     */
    readonly serviceRole?: string;
  };
}

export interface PipelineModel {
  readonly kind: "stepline.pipeline";
  readonly version: 1;
  readonly name: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly input: InputModel;
  readonly defaults: StepDefaults;
  readonly steps: readonly StepModel[];
  readonly schedule?: ScheduleModel;
  readonly deploy?: DeployModel;
}

export function isPipelineModel(value: unknown): value is PipelineModel {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "stepline.pipeline" &&
    (value as { version?: unknown }).version === 1
  );
}

export function isTaskStep(step: StepModel): step is TaskStepModel {
  return step.kind === "batch" || step.kind === "glue" || step.kind === "lambda";
}

/** The sub-graphs directly inside a step (fan-out body, choice branches). */
export function childGraphs(step: StepModel): readonly (readonly StepModel[])[] {
  if (step.kind === "map") return [step.steps];
  if (step.kind === "choice") return [step.then, step.otherwise];
  return [];
}
