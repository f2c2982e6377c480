import type { Problem } from "@stepline/core";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { countProblems, renderProblem } from "../problems.js";
import { compileOptions, json, load, type PipelineFlags, parseQueryLanguage } from "./shared.js";

export function validateCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  program
    .command("validate")
    .description("check a pipeline and print every problem (exit 2 when any is an error)")
    .argument("<pipeline>", "pipeline file (.ts, .js, .mjs or .json)")
    .option("--query-language <language>", "jsonpath (default) or jsonata", parseQueryLanguage)
    .option("--pipeline <name>", "the pipeline to check when the file exports several")
    .option("--json", 'print { "ok": boolean, "problems": [...] }')
    .action(async (file: string, flags: PipelineFlags) => {
      ctx.json = flags.json === true;
      done(await runValidate(file, flags, ctx));
    });
}

async function runValidate(file: string, flags: PipelineFlags, ctx: CommandContext): Promise<number> {
  const loaded = await load(file, flags, ctx);
  const options = await compileOptions(loaded, flags);
  const { validatePipeline } = await import("@stepline/core");
  const problems = validatePipeline(loaded.model, options).map((p) =>
    p.file === undefined ? { ...p, file: loaded.displayPath } : p,
  );
  const errors = problems.filter((p) => p.severity === "error");
  const warnings = problems.filter((p) => p.severity !== "error");
  const ok = errors.length === 0;
  if (flags.json) {
    ctx.io.stdout.write(json({ ok, pipeline: loaded.model.name, problems: [...errors, ...warnings] }));
    return ok ? 0 : 2;
  }
  const { bold, green, red } = ctx.out;
  const blocks: string[] = [];
  for (const group of [errors, warnings] satisfies Problem[][]) {
    if (group.length > 0) blocks.push((await Promise.all(group.map((p) => renderProblem(p, ctx.out)))).join("\n"));
  }
  const name = bold(loaded.model.name);
  const summary = ok
    ? `${green("✓")} ${name} (${loaded.displayPath}) is valid${warnings.length > 0 ? `, ${countProblems(warnings)}` : ""}`
    : `${red("✗")} ${name} (${loaded.displayPath}): ${countProblems(problems)}`;
  blocks.push(summary);
  ctx.io.stdout.write(`${blocks.join("\n\n")}\n`);
  return ok ? 0 : 2;
}
