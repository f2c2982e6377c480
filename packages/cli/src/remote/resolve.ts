import type { AwsContext } from "@stepline/runners/deploy";
import type { CommandContext } from "../context.js";
import { type AwsFlags, guarded } from "../deploy/connect.js";
import { parseExecutionArn, stateMachineArn } from "./arns.js";
import { remoteError } from "./errors.js";
import { pipelineName } from "./pipeline.js";

/** The state machine of a deployed pipeline; a clear error when it is not deployed there. */
export async function deployedStateMachine(aws: AwsContext, pipeline: string): Promise<string> {
  const id = await aws.identity();
  const arn = stateMachineArn(id, pipeline);
  const sfn = await aws.client("sfn");
  const { DescribeStateMachineCommand } = await aws.sdk("sfn");
  await guarded(aws, `reading state machine ${pipeline}`, () =>
    sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })).catch(async (error: unknown) => {
      const { isError } = await import("@stepline/runners/deploy");
      if (isError(error, "StateMachineDoesNotExist")) throw await notDeployed(pipeline, id.region, id.accountId);
      throw error;
    }),
  );
  return arn;
}

export function notDeployed(pipeline: string, region: string, account: string) {
  return remoteError(
    "SL_REMOTE_NOT_DEPLOYED",
    `Pipeline '${pipeline}' is not deployed in ${region} (account ${account}): no state machine named ${pipeline}.`,
    "Deploy it with `stepline deploy <pipeline.ts>`, or pick the region and account it lives in (--region, --profile).",
  );
}

/**
 * An execution ARN as given, or — for a pipeline file or name — the ARN of
 * that pipeline's most recent execution.
 */
export async function executionArnOf(arg: string, aws: AwsContext, ctx: CommandContext): Promise<string> {
  if (arg.startsWith("arn:")) {
    if (!/^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(arg)) {
      throw await remoteError(
        "SL_REMOTE_EXECUTION_ARN",
        `'${arg}' is not an execution ARN.`,
        "Give arn:aws:states:<region>:<account>:execution:<pipeline>:<name> (see `stepline executions <pipeline>`), or a pipeline for its latest execution.",
      );
    }
    return arg;
  }
  const pipeline = await pipelineName(arg, ctx);
  const machine = await deployedStateMachine(aws, pipeline);
  const sfn = await aws.client("sfn");
  const { ListExecutionsCommand } = await aws.sdk("sfn");
  const page = await guarded(aws, `listing the executions of ${pipeline}`, () =>
    sfn.send(new ListExecutionsCommand({ stateMachineArn: machine, maxResults: 100 })),
  );
  const latest = [...(page.executions ?? [])].sort(
    (a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0),
  )[0];
  if (latest?.executionArn === undefined) {
    throw await remoteError(
      "SL_REMOTE_NO_EXECUTIONS",
      `Pipeline '${pipeline}' has no executions yet.`,
      `Start one with \`stepline start ${arg}\`.`,
    );
  }
  return latest.executionArn;
}

/** An execution lives in the region of its ARN: use it unless --region says otherwise. */
export function withArnRegion<F extends AwsFlags>(arg: string, flags: F): F {
  const region = parseExecutionArn(arg)?.region;
  return flags.region === undefined && region !== undefined ? { ...flags, region } : flags;
}
