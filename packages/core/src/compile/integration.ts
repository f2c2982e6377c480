import type { RetrierJson } from "../asl/types.js";
import type { Problem } from "../errors/problem.js";
import type { PipelineModel, StepDefaults, TaskStepModel } from "../model/pipeline.js";
import type { JsonValue, ValueModel } from "../model/value.js";

/**
 * The contract between the compiler (core) and one integration (runners).
 * Core never imports runners: the CLI hands the integrations to `compile`.
 */

/** An IAM policy statement. ARNs may hold `${AWS::Region}`, `${AWS::AccountId}` and `${AWS::Partition}`. */
export interface IamStatement {
  readonly Sid?: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

/** An AWS resource a pipeline needs; `managed` ones are created by `stepline deploy`. */
export interface ResourceSpec {
  /** e.g. `batch.jobDefinition`, `batch.jobQueue`, `glue.job`, `lambda.function`. */
  readonly type: string;
  /** The AWS name of the resource. */
  readonly name: string;
  /** Steps that use it. */
  readonly usedBy: readonly string[];
  /** Created and owned by stepline (true) or referenced and only checked to exist (false). */
  readonly managed: boolean;
  /** Properties in AWS API terms, deterministic. */
  readonly properties: { readonly [key: string]: JsonValue };
}

/** A second attempt submitted with other parameters when the first one fails for a given reason. */
export interface TaskFallback {
  /** Shown in the report and used in the fallback state's name. */
  readonly label: string;
  /** Why it exists, for the state's Comment. */
  readonly comment: string;
  /** Parameters of the second attempt (same resource). */
  readonly parameters: { readonly [key: string]: ValueModel };
  /** Field of the parsed failure cause that tells the reason, e.g. `StatusReason`. */
  readonly causeField: string;
  /** `StringMatches` patterns on that field that take the fallback. */
  readonly causeMatches: readonly string[];
  /** Also take the fallback when the first attempt times out (capacity never came). */
  readonly onTimeout: boolean;
  /** State timeout of the first attempt when `onTimeout` is set. */
  readonly firstAttemptTimeoutSeconds?: number;
}

/** What an integration renders for one step; core wraps it into a Task state. */
export interface TaskSpec {
  /** `arn:aws:states:::batch:submitJob.sync`, … */
  readonly resource: string;
  /** PascalCase API parameters; values may hold references. */
  readonly parameters: { readonly [key: string]: ValueModel };
  /** Small fields kept from the raw result: output field → dotted path in the raw result. */
  readonly resultFields: { readonly [field: string]: string };
  /** Retriers for the service's own transient errors, placed before the user's policy. */
  readonly serviceRetries: readonly RetrierJson[];
  /** Errors that must never be retried by the user's policy (e.g. a spot fallback decision). */
  readonly fallback?: TaskFallback;
  /** Human summary for the report, e.g. `Batch job on spot (arm64, 4 vCPU, 16 GiB)`. */
  readonly summary: string;
}

export interface IntegrationContext {
  readonly pipeline: PipelineModel;
  readonly defaults: StepDefaults;
}

export interface Integration<S extends TaskStepModel = TaskStepModel> {
  readonly kind: S["kind"];
  /** Step-level checks of this integration (limits, formats); collected, never thrown. */
  validate(step: S, ctx: IntegrationContext): Problem[];
  task(step: S, ctx: IntegrationContext): TaskSpec;
  /** Statements the state machine role needs for this step. */
  iam(step: S, ctx: IntegrationContext): IamStatement[];
  resources(step: S, ctx: IntegrationContext): ResourceSpec[];
}

export type IntegrationRegistry = {
  readonly [K in TaskStepModel["kind"]]: Integration<Extract<TaskStepModel, { kind: K }>>;
};
