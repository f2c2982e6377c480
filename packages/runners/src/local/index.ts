import type {
  BatchStepModel,
  GlueStepModel,
  HandlerRegistration,
  LambdaStepModel,
  TaskHandlerContext,
  TaskStepModel,
} from "@stepline/core";
import { TaskFailure } from "@stepline/core";
import { BATCH_SUBMIT_JOB_SYNC } from "../batch/task.js";
import { GLUE_START_JOB_RUN_SYNC } from "../glue/task.js";
import { LAMBDA_INVOKE } from "../lambda/task.js";
import { batchJob, runBatchJob } from "./batch.js";
import { findStep, type LocalRunContext, taskSteps } from "./context.js";
import { detectDocker } from "./docker.js";
import { runGlueJob } from "./glue.js";
import { runLambda } from "./lambda.js";

export { type BatchMode, batchJob, batchVariables, type LocalBatchJob } from "./batch.js";
export type { LocalRunContext } from "./context.js";
export { detectDocker } from "./docker.js";
export { SPARK_MISSING_MESSAGE } from "./glue.js";

function stepFor<K extends TaskStepModel["kind"]>(
  steps: ReadonlyMap<string, TaskStepModel>,
  context: TaskHandlerContext,
  kind: K,
): Extract<TaskStepModel, { kind: K }> {
  const step = findStep(steps, context.stateName);
  if (step === undefined || step.kind !== kind) {
    throw new TaskFailure(
      "stepline.LocalStepMissing",
      `The Task state '${context.stateName}' (${context.resource}) is not a ${kind} step of this pipeline: stepline cannot run it locally.`,
    );
  }
  return step as Extract<TaskStepModel, { kind: K }>;
}

/**
 * Handlers that run a pipeline's Task states on this machine: Batch jobs in
 * Docker (or as host processes: a `local` override, or no Docker engine),
 * Glue jobs with python3 / spark-submit, Lambda functions from local modules.
 * Docker is detected once, when the first Batch job needs it.
 */
export async function localHandlers(ctx: LocalRunContext): Promise<HandlerRegistration[]> {
  const steps = taskSteps(ctx.model);
  let docker: Promise<{ available: boolean; reason?: string }> | undefined;
  const dockerState = (): Promise<{ available: boolean; reason?: string }> => {
    docker ??=
      ctx.docker === "never"
        ? Promise.resolve({ available: false, reason: "Docker is turned off for this run (--docker never)" })
        : detectDocker();
    return docker;
  };
  return [
    {
      resource: BATCH_SUBMIT_JOB_SYNC,
      handler: async (input, context) => {
        const step: BatchStepModel = stepFor(steps, context, "batch");
        const overridden = step.local?.command !== undefined || step.local?.environment !== undefined;
        const state = overridden ? { available: false } : await dockerState();
        const job = batchJob(ctx, step, input, context, state.available);
        if (job.mode === "host" && ctx.docker !== "never" && state.reason !== undefined) {
          context.log(`stepline: ${state.reason}; running the job's command on this machine instead of ${job.image}`);
        }
        return runBatchJob(ctx, job, context);
      },
    },
    {
      resource: GLUE_START_JOB_RUN_SYNC,
      handler: (input, context) => {
        const step: GlueStepModel = stepFor(steps, context, "glue");
        return runGlueJob(ctx, step, input, context);
      },
    },
    {
      resource: LAMBDA_INVOKE,
      handler: (input, context) => {
        const step: LambdaStepModel = stepFor(steps, context, "lambda");
        return runLambda(ctx, step, input, context);
      },
    },
  ];
}
