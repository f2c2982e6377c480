import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CompileResult } from "@stepline/core";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { displayPath } from "../load/display.js";
import { compileOptions, json, load, type PipelineFlags, parseQueryLanguage, printWarnings } from "./shared.js";

interface CompileFlags extends PipelineFlags {
  readonly out?: string;
}

/** AWS's limit on a state machine definition, in UTF-8 bytes. */
const definitionLimit = 1024 * 1024;

export function compileCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  program
    .command("compile")
    .description("compile a pipeline to an AWS Step Functions state machine (ASL JSON on stdout)")
    .argument("<pipeline>", "pipeline file (.ts, .js, .mjs or .json)")
    .option("-o, --out <dir>", "write <dir>/<pipeline>/statemachine.asl.json and manifest.json instead")
    .option("--query-language <language>", "jsonpath (default) or jsonata", parseQueryLanguage)
    .option("--pipeline <name>", "the pipeline to compile when the file exports several")
    .option("--json", "print a machine-readable summary")
    .action(async (file: string, flags: CompileFlags) => {
      ctx.json = flags.json === true;
      done(await runCompile(file, flags, ctx));
    });
}

async function runCompile(file: string, flags: CompileFlags, ctx: CommandContext): Promise<number> {
  const loaded = await load(file, flags, ctx);
  const options = await compileOptions(loaded, flags);
  const { compile } = await import("@stepline/core");
  const result = compile(loaded.model, options);
  await printWarnings(result.report.warnings, ctx);
  const asl = json(result.stateMachine);
  if (flags.out === undefined) {
    ctx.io.stdout.write(
      flags.json
        ? json({
            ok: true,
            pipeline: result.manifest.pipeline,
            stateMachine: result.stateMachine,
            report: result.report,
          })
        : asl,
    );
    return 0;
  }
  const dir = resolve(ctx.io.cwd, flags.out, result.manifest.pipeline);
  mkdirSync(dir, { recursive: true });
  const files = { stateMachine: join(dir, "statemachine.asl.json"), manifest: join(dir, "manifest.json") };
  writeFileSync(files.stateMachine, asl);
  writeFileSync(files.manifest, json(result.manifest));
  const shown = { stateMachine: show(files.stateMachine, ctx), manifest: show(files.manifest, ctx) };
  ctx.io.stdout.write(flags.json ? json(machineSummary(result, shown)) : humanSummary(result, shown, ctx));
  return 0;
}

function show(path: string, ctx: CommandContext): string {
  return displayPath(path, ctx.io.cwd);
}

function machineSummary(result: CompileResult, files: { stateMachine: string; manifest: string }) {
  const { report } = result;
  return {
    ok: true,
    pipeline: report.pipeline,
    queryLanguage: report.queryLanguage,
    files,
    steps: report.stepCount,
    states: report.states.length,
    addedWaits: report.addedWaits.map((w) => w.message),
    iamActions: report.iamActions.length,
    resources: result.manifest.resources.length,
    definitionBytes: report.definitionBytes,
    warnings: report.warnings,
  };
}

function humanSummary(
  result: CompileResult,
  files: { stateMachine: string; manifest: string },
  ctx: CommandContext,
): string {
  const { report } = result;
  const { bold, dim, green, yellow } = ctx.out;
  const kib = (report.definitionBytes / 1024).toFixed(1);
  const share = ((report.definitionBytes / definitionLimit) * 100).toFixed(1);
  const lines = [
    `${green("compiled")} ${bold(report.pipeline)} ${dim(`(${report.queryLanguage})`)}`,
    `  ${files.stateMachine}  ${report.states.length} states, ${kib} KiB (${share}% of the 1 MiB limit)`,
    `  ${files.manifest}  ${report.iamActions.length} IAM actions, ${result.manifest.resources.length} resources`,
  ];
  if (report.addedWaits.length > 0) {
    lines.push(yellow(`  added waits (${report.addedWaits.length}):`));
    for (const wait of report.addedWaits) lines.push(`    ${wait.message}`);
  } else {
    lines.push(dim("  no added waits"));
  }
  if (report.warnings.length > 0) {
    lines.push(
      yellow(`  ${report.warnings.length} warning${report.warnings.length === 1 ? "" : "s"} (printed on stderr)`),
    );
  }
  return `${lines.join("\n")}\n`;
}
