import type { Manifest, PipelineModel } from "@stepline/core";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { type AwsFlags, awsFlags, connect } from "../deploy/connect.js";
import { type Check, checkReferenced, checkRole } from "../remote/doctor.js";
import { compileOptions, json, load, type PipelineFlags, printWarnings } from "./shared.js";

interface DoctorFlags extends AwsFlags, PipelineFlags {}

/** `stepline doctor <pipeline>`: checks that an AWS account is ready for `stepline deploy` of the pipeline. */
export function doctorCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  const command = program
    .command("doctor")
    .description(
      "check an AWS account for a pipeline: credentials and region, the roles it passes (trust and permissions), the job queues, Glue jobs and Lambda functions it references",
    )
    .argument("<pipeline>", "pipeline file (.ts, .js, .mjs or .json)")
    .option("--pipeline <name>", "the pipeline to check when the file exports several")
    .option("--json", "print the checks as JSON");
  awsFlags(command).action(async (file: string, flags: DoctorFlags) => {
    ctx.json = flags.json === true;
    done(await doctor(file, flags, ctx));
  });
}

async function doctor(file: string, flags: DoctorFlags, ctx: CommandContext): Promise<number> {
  const loaded = await load(file, flags, ctx);
  const options = await compileOptions(loaded, flags);
  const { compile } = await import("@stepline/core");
  const result = compile(loaded.model, options);
  await printWarnings(result.report.warnings, ctx);
  const { manifest } = result;
  const model = loaded.model;

  const { aws, identity: id } = await connect(flags, ctx.io.env);
  const target = { partition: id.partition, region: id.region, accountId: id.accountId };
  const checks: Check[] = [
    { name: "credentials", status: "ok", detail: `${id.arn} (account ${id.accountId})` },
    { name: "region", status: "ok", detail: id.region },
  ];
  const roles = model.deploy?.roles;
  if (roles?.stateMachine === undefined) {
    checks.push({
      name: "state machine role",
      status: "skip",
      detail: "none passed: `stepline deploy` creates a least-privilege role",
    });
  } else {
    checks.push(
      ...(await checkRole(
        aws,
        "state machine role",
        "deploy.roles.stateMachine",
        roles.stateMachine,
        "states.amazonaws.com",
        manifest.iam.stateMachineRole.statements,
        target,
      )),
    );
  }
  if (manifest.schedule !== undefined) {
    if (roles?.schedule === undefined) {
      checks.push({
        name: "schedule role",
        status: "skip",
        detail: "none passed: `stepline deploy` creates one that may only start this pipeline",
      });
    } else {
      checks.push(
        ...(await checkRole(
          aws,
          "schedule role",
          "deploy.roles.schedule",
          roles.schedule,
          manifest.schedule.role.trustedService,
          manifest.schedule.role.statements,
          target,
        )),
      );
    }
  }
  checks.push(...(await batchRoleChecks(aws, model, manifest, target)));
  checks.push(...(await checkReferenced(aws, manifest, model)));

  const failed = checks.filter((c) => c.status === "fail").length;
  if (flags.json === true) {
    ctx.io.stdout.write(json({ ok: failed === 0, pipeline: manifest.pipeline, checks }));
    return failed === 0 ? 0 : 1;
  }
  const { green, red, dim, bold } = ctx.out;
  const lines = [`${bold("stepline doctor")} ${manifest.pipeline} ${dim(`(${id.region}, account ${id.accountId})`)}`];
  for (const c of checks) {
    const mark = c.status === "ok" ? green("✓") : c.status === "fail" ? red("✗") : dim("–");
    lines.push(`${mark} ${c.name}: ${c.status === "skip" ? dim(c.detail) : c.detail}`);
    if (c.fix !== undefined) lines.push(`    ${dim("fix:")} ${c.fix}`);
  }
  lines.push(
    failed === 0
      ? green("all checks passed")
      : red(`${failed} check${failed === 1 ? "" : "s"} failed: deploy or runs would fail (fixes above)`),
  );
  ctx.io.stdout.write(`${lines.join("\n")}\n`);
  return failed === 0 ? 0 : 1;
}

/**
 * The Batch roles passed in `deploy.roles`: the execution role must be trusted by ECS tasks and
 * allow what the job definitions need (image pulls, logs, their secrets); the job role only needs
 * the trust (what the job's own code may do is the user's to grant).
 */
async function batchRoleChecks(
  aws: Parameters<typeof checkRole>[0],
  model: PipelineModel,
  manifest: Manifest,
  target: Parameters<typeof checkRole>[6],
): Promise<Check[]> {
  const { batchExecutionStatements, batchRoles, ECS_TASKS_SERVICE } = await import("@stepline/core");
  const roles = model.deploy?.roles;
  const { jobDefinitions } = batchRoles(model, manifest);
  const checks: Check[] = [];
  if (roles?.batchExecution !== undefined) {
    checks.push(
      ...(await checkRole(
        aws,
        "Batch execution role",
        "deploy.roles.batchExecution",
        roles.batchExecution,
        ECS_TASKS_SERVICE,
        batchExecutionStatements(jobDefinitions),
        target,
      )),
    );
  }
  if (roles?.batchJob !== undefined) {
    checks.push(
      ...(await checkRole(
        aws,
        "Batch job role",
        "deploy.roles.batchJob",
        roles.batchJob,
        ECS_TASKS_SERVICE,
        [],
        target,
      )),
    );
  }
  return checks;
}
