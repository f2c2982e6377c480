import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { type AwsFlags, awsFlags, connect } from "../deploy/connect.js";
import { describeExecution, executionHistory } from "../remote/execution.js";
import { stepRows } from "../remote/history.js";
import { executionArnOf, withArnRegion } from "../remote/resolve.js";
import { renderStatus, statusJson } from "../remote/status-view.js";
import { json } from "./shared.js";

interface StatusFlags extends AwsFlags {
  readonly json?: boolean;
}

/** `stepline status <execution-arn>`: an execution on AWS and one line per step, from its history. */
export function statusCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  const command = program
    .command("status")
    .description("show an execution on AWS: status, input, output, error, and a per-step table from its history")
    .argument("<execution>", "execution ARN, or a pipeline file or name for its latest execution")
    .option("--json", "print JSON");
  awsFlags(command).action(async (arg: string, flags: StatusFlags) => {
    ctx.json = flags.json === true;
    done(await status(arg, flags, ctx));
  });
}

async function status(arg: string, flags: StatusFlags, ctx: CommandContext): Promise<number> {
  const { aws } = await connect(withArnRegion(arg, flags), ctx.io.env);
  const executionArn = await executionArnOf(arg, aws, ctx);
  const info = await describeExecution(aws, executionArn);
  const rows = stepRows(await executionHistory(aws, executionArn), info);
  ctx.io.stdout.write(flags.json === true ? json(statusJson(info, rows)) : renderStatus(info, rows, ctx.out));
  return 0;
}
