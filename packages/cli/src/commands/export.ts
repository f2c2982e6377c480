import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { displayPath } from "../load/display.js";
import { compileOptions, json, load, type PipelineFlags, parseQueryLanguage, printWarnings } from "./shared.js";

interface ExportFlags extends PipelineFlags {
  readonly out?: string;
}

/** `stepline export cloudformation <pipeline>`: the resources of `stepline deploy` as a CloudFormation template. */
export function exportCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  const exporter = program
    .command("export")
    .description("export a pipeline's AWS resources for other deployment tools");
  exporter
    .command("cloudformation")
    .description(
      "a CloudFormation template (JSON) with the resources `stepline deploy` creates: state machine, version and `live` alias, roles, job definitions, Glue jobs, schedule",
    )
    .argument("<pipeline>", "pipeline file (.ts, .js, .mjs or .json)")
    .option("-o, --out <file>", "write the template to this file instead of stdout")
    .option("--query-language <language>", "jsonpath (default) or jsonata", parseQueryLanguage)
    .option("--pipeline <name>", "the pipeline to export when the file exports several")
    .action(async (file: string, flags: ExportFlags) => {
      done(await exportCloudFormation(file, flags, ctx));
    });
}

async function exportCloudFormation(file: string, flags: ExportFlags, ctx: CommandContext): Promise<number> {
  const loaded = await load(file, flags, ctx);
  const options = await compileOptions(loaded, flags);
  const { compile, cloudFormationTemplate } = await import("@stepline/core");
  const result = compile(loaded.model, options);
  await printWarnings(result.report.warnings, ctx);
  const template = json(cloudFormationTemplate(result.stateMachine, result.manifest, loaded.model));
  if (flags.out === undefined) {
    ctx.io.stdout.write(template);
    return 0;
  }
  const path = resolve(ctx.io.cwd, flags.out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, template);
  const named = template.includes('"RoleName"');
  ctx.io.stdout.write(
    `${ctx.out.green("exported")} ${ctx.out.bold(result.manifest.pipeline)} to ${displayPath(path, ctx.io.cwd)}\n` +
      ctx.out.dim(
        `  deploy it with: aws cloudformation deploy --template-file ${displayPath(path, ctx.io.cwd)} --stack-name stepline-${result.manifest.pipeline}${named ? " --capabilities CAPABILITY_NAMED_IAM" : ""}${template.includes('"GlueJobRoleArn"') ? " --parameter-overrides GlueJobRoleArn=<role ARN>" : ""}\n`,
      ),
  );
  return 0;
}
