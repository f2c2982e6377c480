import { type Command, Option } from "commander";
import type { CommandContext } from "../context.js";
import { type AwsFlags, awsFlags, connect, guarded } from "../deploy/connect.js";
import { aliasArn, executionName, stateMachineArn } from "../remote/arns.js";
import { remoteError } from "../remote/errors.js";
import { describeExecution, executionHistory } from "../remote/execution.js";
import { stepRows } from "../remote/history.js";
import { pipelineName } from "../remote/pipeline.js";
import { notDeployed } from "../remote/resolve.js";
import { renderStatus, statusJson } from "../remote/status-view.js";
import { parseInput } from "../run/input.js";
import { json } from "./shared.js";

interface StartFlags extends AwsFlags {
  readonly input?: string;
  readonly name?: string;
  readonly latest?: boolean;
  readonly wait?: boolean;
  readonly json?: boolean;
  readonly pipeline?: string;
  /** Milliseconds between polls with --wait (tests shorten it). */
  readonly pollMs?: string;
}

/** `stepline start <pipeline>`: starts a run of a deployed pipeline on AWS Step Functions. */
export function startCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  const command = program
    .command("start")
    .description("start an execution of a deployed pipeline on AWS (its `live` alias) and print its ARN")
    .argument("<pipeline>", "pipeline file or deployed pipeline name")
    .option("--input <json>", "execution input: inline JSON or @file.json", undefined)
    .option("--name <name>", "execution name (default: a sortable timestamp, e.g. 20261124T023001123Z-3f9a)")
    .option(
      "--latest",
      "start the state machine itself (its latest definition) instead of the `live` alias; the only form moto supports",
    )
    .option("--wait", "wait until the execution ends, then print its steps (exit 1 unless it succeeded)")
    .option("--pipeline <name>", "the pipeline to start when the file exports several")
    .option("--json", "print JSON");
  command.addOption(new Option("--poll-ms <ms>", "milliseconds between polls with --wait").default("2000").hideHelp());
  awsFlags(command).action(async (arg: string, flags: StartFlags) => {
    ctx.json = flags.json === true;
    done(await start(arg, flags, ctx));
  });
}

async function start(arg: string, flags: StartFlags, ctx: CommandContext): Promise<number> {
  const input = await parseInput(flags.input, ctx.io.cwd);
  const name = flags.name ?? executionName();
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
    throw await remoteError(
      "SL_REMOTE_EXECUTION_NAME",
      `'${name}' is not a valid execution name.`,
      "Execution names have 1–80 letters, digits, '-' and '_' (and are unique per state machine for 90 days).",
    );
  }
  const pipeline = await pipelineName(arg, ctx, flags.pipeline);
  const { aws, identity: id } = await connect(flags, ctx.io.env);
  const target = flags.latest === true ? stateMachineArn(id, pipeline) : aliasArn(id, pipeline, "live");
  const sfn = await aws.client("sfn");
  const { StartExecutionCommand, DescribeStateMachineCommand } = await aws.sdk("sfn");
  const { errorName } = await import("@stepline/runners/deploy");
  const started = await guarded(aws, `starting ${target}`, () =>
    sfn
      .send(new StartExecutionCommand({ stateMachineArn: target, name, input: JSON.stringify(input) }))
      .catch(async (error: unknown) => {
        const e = errorName(error);
        if (e === "StateMachineDoesNotExist" || e === "ResourceNotFound") {
          if (flags.latest === true) throw await notDeployed(pipeline, id.region, id.accountId);
          // Is it the state machine or only its alias that is missing?
          const machine = await sfn
            .send(new DescribeStateMachineCommand({ stateMachineArn: stateMachineArn(id, pipeline) }))
            .catch(() => undefined);
          if (machine === undefined) throw await notDeployed(pipeline, id.region, id.accountId);
          throw await remoteError(
            "SL_REMOTE_NO_ALIAS",
            `State machine ${pipeline} has no \`live\` alias in ${id.region}.`,
            "`stepline deploy` publishes a version and points `live` at it; or start the latest definition with --latest (emulators such as moto only support that).",
          );
        }
        if (e === "ExecutionAlreadyExists") {
          throw await remoteError(
            "SL_REMOTE_EXECUTION_EXISTS",
            `Pipeline ${pipeline} already has an execution named '${name}'.`,
            "Pick another --name, or leave it out for a timestamp-based one.",
          );
        }
        if (e === "InvalidExecutionInput") {
          throw await remoteError(
            "SL_REMOTE_INPUT",
            `Step Functions rejected the input: ${(error as Error).message}`,
            "Give a JSON object of at most 256 KiB with --input.",
          );
        }
        if (e === "StateMachineDeleting") throw await notDeployed(pipeline, id.region, id.accountId);
        throw error;
      }),
  );
  const executionArn = started.executionArn ?? "";
  if (flags.wait !== true) {
    ctx.io.stdout.write(
      flags.json === true
        ? json({ executionArn, name, startDate: started.startDate?.toISOString() ?? null })
        : `${executionArn}\n`,
    );
    return 0;
  }
  if (flags.json !== true) ctx.io.stderr.write(`${ctx.err.dim(`started ${executionArn}, waiting…`)}\n`);
  const pollMs = Math.max(50, Number(flags.pollMs ?? 2000));
  let info = await describeExecution(aws, executionArn);
  while (info.status === "RUNNING") {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    info = await describeExecution(aws, executionArn);
  }
  const rows = stepRows(await executionHistory(aws, executionArn), info);
  ctx.io.stdout.write(flags.json === true ? json(statusJson(info, rows)) : renderStatus(info, rows, ctx.out));
  return info.status === "SUCCEEDED" ? 0 : 1;
}
