import { type Command, Option } from "commander";
import type { CommandContext } from "../context.js";
import { compileOptions, load, type PipelineFlags, parseQueryLanguage, printWarnings } from "./shared.js";

interface GraphFlags extends PipelineFlags {
  readonly format: "mermaid" | "dot";
}

export function graphCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  program
    .command("graph")
    .description("print the job graph as Mermaid or Graphviz DOT")
    .argument("<pipeline>", "pipeline file (.ts, .js, .mjs or .json)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["mermaid", "dot"]).default("mermaid"))
    .option("--query-language <language>", "jsonpath (default) or jsonata", parseQueryLanguage)
    .option("--pipeline <name>", "the pipeline to draw when the file exports several")
    .action(async (file: string, flags: GraphFlags) => {
      done(await runGraph(file, flags, ctx));
    });
}

async function runGraph(file: string, flags: GraphFlags, ctx: CommandContext): Promise<number> {
  const loaded = await load(file, flags, ctx);
  const options = await compileOptions(loaded, flags);
  const { compile, renderDot, renderMermaid } = await import("@stepline/core");
  // The graph includes the waits the compiler adds, so it is the compiled graph, not the declared one.
  const result = compile(loaded.model, options);
  await printWarnings(result.report.warnings, ctx);
  const title = result.manifest.pipeline;
  ctx.io.stdout.write(
    flags.format === "dot" ? renderDot(result.graph, { title }) : renderMermaid(result.graph, { title }),
  );
  return 0;
}
