import type { CompiledPipeline, PipelineModel, PlanAction } from "@stepline/core";
import type { Io } from "../io.js";
import { type ApplyOptions, type ApplyReport, applyActions } from "./apply.js";
import { type AwsFlags, type ConnectExtras, type Connection, connect } from "./connect.js";
import { destroyActions } from "./destroy.js";
import { type DeployPlan, type PlanOptions, readPlan } from "./plan.js";

/**
 * Plan, deploy and destroy as functions (the commands print around them;
 * tests and benchmarks call them in-process).
 */

export { type ApplyReport, applyActions } from "./apply.js";
export { type AwsFlags, awsFlags, type ConnectExtras, type Connection, connect, guarded } from "./connect.js";
export { destroyActions } from "./destroy.js";
export { type DeployPlan, readOwned, readPlan } from "./plan.js";

export interface DeployOptions extends ConnectExtras, PlanOptions, ApplyOptions {
  readonly flags?: AwsFlags;
  readonly env?: Io["env"];
}

/** Connects and reads the plan; throws the plan's problems (exit 2). */
export async function planPipeline(
  compiled: CompiledPipeline,
  model: PipelineModel,
  options: DeployOptions = {},
): Promise<{ connection: Connection; deployPlan: DeployPlan }> {
  const connection = await connect(options.flags ?? {}, options.env ?? process.env, options);
  const deployPlan = await readPlan(connection.aws, connection.identity, compiled, model, options);
  if (deployPlan.plan.problems.length > 0) {
    const { SteplineError } = await import("@stepline/core");
    throw new SteplineError(deployPlan.plan.problems);
  }
  return { connection, deployPlan };
}

/** Plans and applies everything pending: the in-process `stepline deploy --yes`. */
export async function deployPipeline(
  compiled: CompiledPipeline,
  model: PipelineModel,
  options: DeployOptions = {},
): Promise<{ connection: Connection; deployPlan: DeployPlan; report: ApplyReport }> {
  const { pendingActions } = await import("@stepline/core");
  const { connection, deployPlan } = await planPipeline(compiled, model, options);
  const report = await applyActions(
    connection.aws,
    compiled.manifest.pipeline,
    pendingActions(deployPlan.plan),
    deployPlan.desired,
    { ...options, revisions: deployPlan.revisions },
  );
  return { connection, deployPlan, report };
}

/** Deletes everything the pipeline owns: the in-process `stepline destroy --yes`. */
export async function destroyPipeline(
  pipeline: string,
  options: DeployOptions = {},
): Promise<{ connection: Connection; actions: PlanAction[]; report: ApplyReport }> {
  const connection = await connect(options.flags ?? {}, options.env ?? process.env, options);
  const actions = await destroyActions(connection.aws, pipeline);
  const report = await applyActions(connection.aws, pipeline, actions, [], options);
  return { connection, actions, report };
}
