import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { compileForDeploy, type DeployFlags, whereLine } from "../deploy/command.js";
import { awsFlags } from "../deploy/connect.js";
import { planPipeline } from "../deploy/index.js";
import { actionsJson, callsLine, countLine, renderActions } from "../deploy/render.js";
import { json, parseQueryLanguage } from "./shared.js";

/** Exit code of `stepline plan` when changes are pending. */
export const CHANGES_PENDING = 3;

export function planCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  awsFlags(
    program
      .command("plan")
      .description("show what `stepline deploy` would create, update and delete on AWS (exit 0: nothing, 3: changes)")
      .argument("<pipeline>", "pipeline file (.ts, .js, .mjs or .json)")
      .option("--query-language <language>", "jsonpath (default) or jsonata", parseQueryLanguage)
      .option("--pipeline <name>", "the pipeline to plan when the file exports several")
      .option("--json", "print the plan as JSON"),
  ).action(async (file: string, flags: DeployFlags) => {
    ctx.json = flags.json === true;
    done(await runPlan(file, flags, ctx));
  });
}

async function runPlan(file: string, flags: DeployFlags, ctx: CommandContext): Promise<number> {
  const { compiled, model } = await compileForDeploy(file, flags, ctx);
  const { pendingActions } = await import("@stepline/core");
  const { connection, deployPlan } = await planPipeline(compiled, model, { flags, env: ctx.io.env });
  const { plan } = deployPlan;
  const pending = pendingActions(plan);
  const code = pending.length === 0 ? 0 : CHANGES_PENDING;
  if (ctx.json) {
    ctx.io.stdout.write(
      json({
        ok: true,
        pipeline: plan.pipeline,
        account: connection.identity.accountId,
        region: connection.identity.region,
        changes: pending.length,
        actions: actionsJson(plan.actions),
        calls: {
          reads: connection.aws.calls.reads,
          mutations: connection.aws.calls.mutations,
          operations: connection.aws.calls.toJSON(),
        },
      }),
    );
    return code;
  }
  const { bold, dim, green } = ctx.out;
  const lines = [`${bold("plan")} ${bold(plan.pipeline)} ${dim(`(${whereLine(connection)})`)}`];
  lines.push(...renderActions(plan.actions, ctx.out));
  if (pending.length === 0) lines.push(`  ${green("nothing to do")}: everything is as the pipeline says`);
  lines.push(`${countLine(plan.actions)}`);
  lines.push(dim(callsLine(connection.aws.calls)));
  ctx.io.stdout.write(`${lines.join("\n")}\n`);
  return code;
}
