import type { GlueJobType, GlueStepModel, GlueWorkerType } from "@stepline/core";
import { deepFreeze } from "./private/freeze.js";
import { optional } from "./private/optional.js";
import { resultRef } from "./private/refs.js";
import { toValueRecord } from "./private/value.js";
import type { Arg, Ref } from "./ref.js";
import { commonHead, commonTail, type StepHandle, type StepOptions } from "./step.js";

/** Which Glue job runs: an existing one by name, or a script stepline deploys as a job. */
export type GlueJobSource =
  | { /** Existing Glue job name. */ readonly jobName: string; readonly scriptLocation?: string }
  | {
      /** `s3://` URI of the script; stepline names the job unless `jobName` is given. */ readonly scriptLocation: string;
      readonly jobName?: string;
    };

/** Options of a Glue step: a Spark, Python-shell or Ray job on AWS Glue. */
export type GlueOptions = GlueJobSource &
  StepOptions & {
    /** @default "spark" */
    readonly jobType?: GlueJobType;
    /** e.g. "5.0". @default Glue's default for the job type */
    readonly glueVersion?: string;
    readonly workerType?: GlueWorkerType;
    readonly numberOfWorkers?: number;
    /** Python-shell capacity in DPU (0.0625 or 1). */
    readonly maxCapacity?: number;
    /** Job arguments; keys include their leading `--`. @default {} */
    readonly arguments?: Readonly<Record<string, Arg<string>>>;
    /** @default "STANDARD" */
    readonly executionClass?: "STANDARD" | "FLEX";
    /** Glue job run timeout in minutes, distinct from `timeoutSeconds`. */
    readonly timeoutMinutes?: number;
    /** Glue connection names. @default [] */
    readonly connections?: readonly string[];
    readonly securityConfiguration?: string;
  };

/** The small result of a Glue job run, as `steps.<name>` holds it. */
export interface GlueResult {
  readonly JobRunId: Ref<string>;
  readonly JobRunState: Ref<string>;
  readonly ExecutionTime: Ref<number>;
  readonly StartedOn: Ref<string>;
  readonly CompletedOn: Ref<string>;
}

/** A Spark, Python-shell or Ray job on AWS Glue. */
export function glue(name: string, options: GlueOptions): StepHandle<GlueResult, GlueStepModel> {
  const model: GlueStepModel = {
    kind: "glue",
    ...commonHead(name, options),
    ...optional("jobName", options.jobName),
    ...optional("scriptLocation", options.scriptLocation),
    jobType: options.jobType ?? "spark",
    ...optional("glueVersion", options.glueVersion),
    ...optional("workerType", options.workerType),
    ...optional("numberOfWorkers", options.numberOfWorkers),
    ...optional("maxCapacity", options.maxCapacity),
    arguments: toValueRecord(options.arguments, { step: name, field: "arguments" }),
    executionClass: options.executionClass ?? "STANDARD",
    ...optional("timeoutMinutes", options.timeoutMinutes),
    connections: [...(options.connections ?? [])],
    ...optional("securityConfiguration", options.securityConfiguration),
    ...commonTail(options),
  };
  const result: GlueResult = {
    JobRunId: resultRef(name, "JobRunId"),
    JobRunState: resultRef(name, "JobRunState"),
    ExecutionTime: resultRef(name, "ExecutionTime"),
    StartedOn: resultRef(name, "StartedOn"),
    CompletedOn: resultRef(name, "CompletedOn"),
  };
  return Object.freeze({ name, model: deepFreeze(model), result: Object.freeze(result) });
}
