import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { applyActions } from "../deploy/apply.js";
import { confirm, type DeployFlags, whereLine } from "../deploy/command.js";
import { awsFlags, connect } from "../deploy/connect.js";
import { destroyActions } from "../deploy/destroy.js";
import { callsLine, renderActions, renderPartial } from "../deploy/render.js";
import { json, load } from "./shared.js";

export function destroyCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  awsFlags(
    program
      .command("destroy")
      .description("delete everything stepline deployed for the pipeline (only what is tagged as its own)")
      .argument("<pipeline>", "pipeline file (.ts, .js, .mjs or .json)")
      .option("-y, --yes", "delete without asking (needed when not on a terminal)")
      .option("--pipeline <name>", "the pipeline to destroy when the file exports several")
      .option("--json", "print what was deleted as JSON"),
  ).action(async (file: string, flags: DeployFlags) => {
    ctx.json = flags.json === true;
    done(await runDestroy(file, flags, ctx));
  });
}

async function runDestroy(file: string, flags: DeployFlags, ctx: CommandContext): Promise<number> {
  const loaded = await load(file, flags, ctx);
  const pipeline = loaded.model.name;
  const core = await import("@stepline/core");
  const connection = await connect(flags, ctx.io.env);
  const actions = await destroyActions(connection.aws, pipeline);
  const { bold, dim, green } = ctx.out;
  const out = (line: string) => {
    if (!ctx.json) ctx.io.stdout.write(`${line}\n`);
  };
  out(`${bold("destroy")} ${bold(pipeline)} ${dim(`(${whereLine(connection)})`)}`);
  const summary = (extra: Record<string, unknown>) =>
    json({
      pipeline,
      deleted: actions.map((a) => ({ type: a.type, name: a.name })),
      calls: {
        reads: connection.aws.calls.reads,
        mutations: connection.aws.calls.mutations,
        operations: connection.aws.calls.toJSON(),
      },
      ...extra,
    });
  if (actions.length === 0) {
    out(`  ${green("nothing to destroy")}: no resource is tagged stepline:pipeline=${pipeline}`);
    if (ctx.json) ctx.io.stdout.write(summary({ ok: true }));
    return 0;
  }
  for (const line of renderActions(actions, ctx.out)) out(line);
  if (!(await confirm(ctx, flags, `Delete these ${actions.length} resources?`, "Destroy"))) {
    out("nothing deleted");
    return 1;
  }
  const report = await applyActions(connection.aws, pipeline, actions, [], {
    onAction: (action, phase) => {
      if (phase === "done") out(`  ${green("✓")} deleted ${action.type} ${action.name}`);
    },
  });
  if (report.failed) {
    if (!ctx.json) ctx.io.stderr.write(`${renderPartial(report, ctx.err).join("\n")}\n`);
    const error = report.failed.error;
    const problems = core.isSteplineError(error)
      ? error.problems
      : [core.problem("SL_DESTROY_FAILED", error.message, "run destroy again; it continues from where it stopped")];
    throw new core.SteplineError(problems, "failure");
  }
  out(`${green("destroyed")} ${bold(pipeline)}: ${actions.length} resources deleted`);
  out(dim(callsLine(connection.aws.calls)));
  if (ctx.json) ctx.io.stdout.write(summary({ ok: true }));
  return 0;
}
