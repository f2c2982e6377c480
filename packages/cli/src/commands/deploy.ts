import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { applyActions } from "../deploy/apply.js";
import { compileForDeploy, confirm, type DeployFlags, whereLine } from "../deploy/command.js";
import { awsFlags } from "../deploy/connect.js";
import { planPipeline } from "../deploy/index.js";
import { actionsJson, callsLine, countLine, renderActions, renderPartial } from "../deploy/render.js";
import { json, parseQueryLanguage } from "./shared.js";

export function deployCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  awsFlags(
    program
      .command("deploy")
      .description("create or update the pipeline on AWS: roles, jobs, state machine, live alias, schedule")
      .argument("<pipeline>", "pipeline file (.ts, .js, .mjs or .json)")
      .option("-y, --yes", "apply without asking (needed when not on a terminal)")
      .option("--query-language <language>", "jsonpath (default) or jsonata", parseQueryLanguage)
      .option("--pipeline <name>", "the pipeline to deploy when the file exports several")
      .option("--json", "print the plan and the result as JSON"),
  ).action(async (file: string, flags: DeployFlags) => {
    ctx.json = flags.json === true;
    done(await runDeploy(file, flags, ctx));
  });
}

async function runDeploy(file: string, flags: DeployFlags, ctx: CommandContext): Promise<number> {
  const started = Date.now();
  const { compiled, model } = await compileForDeploy(file, flags, ctx);
  const core = await import("@stepline/core");
  const { connection, deployPlan } = await planPipeline(compiled, model, { flags, env: ctx.io.env });
  const { plan } = deployPlan;
  const pending = core.pendingActions(plan);
  const { bold, dim, green } = ctx.out;
  const out = (line: string) => {
    if (!ctx.json) ctx.io.stdout.write(`${line}\n`);
  };
  out(`${bold("deploy")} ${bold(plan.pipeline)} ${dim(`(${whereLine(connection)})`)}`);
  for (const line of renderActions(plan.actions, ctx.out)) out(line);
  const result = (extra: Record<string, unknown>) =>
    json({
      pipeline: plan.pipeline,
      account: connection.identity.accountId,
      region: connection.identity.region,
      actions: actionsJson(plan.actions),
      calls: {
        reads: connection.aws.calls.reads,
        mutations: connection.aws.calls.mutations,
        operations: connection.aws.calls.toJSON(),
      },
      ...extra,
    });
  if (pending.length === 0) {
    out(`  ${green("nothing to do")}: everything is as the pipeline says`);
    out(dim(`${callsLine(connection.aws.calls)}, ${((Date.now() - started) / 1000).toFixed(1)} s`));
    if (ctx.json) ctx.io.stdout.write(result({ ok: true, changes: 0 }));
    return 0;
  }
  out(countLine(plan.actions));
  if (!(await confirm(ctx, flags, "Apply these changes?", "Deploy"))) {
    out("not deployed");
    return 1;
  }
  const report = await applyActions(connection.aws, plan.pipeline, pending, deployPlan.desired, {
    revisions: deployPlan.revisions,
    onAction: (action, phase) => {
      if (phase === "done") out(`  ${green("✓")} ${action.kind} ${action.type} ${action.name}`);
    },
  });
  if (report.failed) {
    if (!ctx.json) ctx.io.stderr.write(`${renderPartial(report, ctx.err).join("\n")}\n`);
    else ctx.io.stdout.write(result({ ok: false, done: report.done.length, notDone: report.notDone.length + 1 }));
    const error = report.failed.error;
    const problems = core.isSteplineError(error)
      ? error.problems
      : [core.problem("SL_DEPLOY_FAILED", error.message, "run the deploy again; it continues from where it stopped")];
    throw new core.SteplineError(problems, "failure");
  }
  const live = [...report.outputs.values()].find((o) => o.aliasArn !== undefined);
  out(
    `${green("deployed")} ${bold(plan.pipeline)}${live?.versionArn ? `: live → version ${live.versionArn.slice(live.versionArn.lastIndexOf(":") + 1)}` : ""}`,
  );
  out(dim(`${callsLine(connection.aws.calls)}, ${((Date.now() - started) / 1000).toFixed(1)} s`));
  if (ctx.json) ctx.io.stdout.write(result({ ok: true, changes: pending.length, ...(live ? { live } : {}) }));
  return 0;
}
