import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { type DeployFlags, whereLine } from "../deploy/command.js";
import { awsFlags, connect, guarded } from "../deploy/connect.js";
import { json, load } from "./shared.js";

export function rollbackCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  awsFlags(
    program
      .command("rollback")
      .description("move the pipeline's live alias back to the previous state machine version")
      .argument("<pipeline>", "pipeline file (.ts, .js, .mjs or .json)")
      .option("--pipeline <name>", "the pipeline to roll back when the file exports several")
      .option("--json", 'print { "from", "to" } version ARNs'),
  ).action(async (file: string, flags: DeployFlags) => {
    ctx.json = flags.json === true;
    done(await runRollback(file, flags, ctx));
  });
}

async function runRollback(file: string, flags: DeployFlags, ctx: CommandContext): Promise<number> {
  const loaded = await load(file, flags, ctx);
  const pipeline = loaded.model.name;
  const connection = await connect(flags, ctx.io.env);
  const { rollbackAlias } = await import("@stepline/runners/deploy");
  const moved = await guarded(connection.aws, `rolling back the live alias of ${pipeline}`, () =>
    rollbackAlias(connection.aws, pipeline),
  );
  if (ctx.json) {
    ctx.io.stdout.write(json({ ok: true, pipeline, alias: moved.aliasArn, from: moved.from, to: moved.to }));
    return 0;
  }
  const version = (arn: string) => arn.slice(arn.lastIndexOf(":") + 1);
  const { bold, dim, green } = ctx.out;
  ctx.io.stdout.write(
    `${green("rolled back")} ${bold(pipeline)}: live → version ${version(moved.to)} (was ${version(moved.from)}) ${dim(`(${whereLine(connection)})`)}\n` +
      dim("the next `stepline deploy` moves it to the pipeline as written again\n"),
  );
  return 0;
}
