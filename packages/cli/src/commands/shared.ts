import type { CompileOptions, Problem, QueryLanguage } from "@stepline/core";
import { InvalidArgumentError } from "commander";
import type { CommandContext } from "../context.js";
import { type LoadedPipeline, loadPipeline } from "../load/index.js";
import { renderProblem } from "../problems.js";

/** Parses `--query-language jsonpath|jsonata` (any case). */
export function parseQueryLanguage(value: string): QueryLanguage {
  const lower = value.toLowerCase();
  if (lower === "jsonpath") return "JSONPath";
  if (lower === "jsonata") return "JSONata";
  throw new InvalidArgumentError("Expected jsonpath or jsonata.");
}

export interface PipelineFlags {
  readonly pipeline?: string;
  readonly queryLanguage?: QueryLanguage;
  readonly json?: boolean;
}

/**
 * Loads the pipeline named on the command line. The compiler and the
 * integrations are imported meanwhile, so their file reads overlap the
 * pipeline's own imports (its packages and their dependencies).
 */
export function load(file: string, flags: PipelineFlags, ctx: CommandContext): Promise<LoadedPipeline> {
  void import("@stepline/core").catch(() => undefined);
  void import("@stepline/runners").catch(() => undefined);
  return loadPipeline(file, {
    cwd: ctx.io.cwd,
    ...(flags.pipeline === undefined ? {} : { pipeline: flags.pipeline }),
  });
}

/** Compile options with the runners' integrations (imported only when a command needs them). */
export async function compileOptions(loaded: LoadedPipeline, flags: PipelineFlags): Promise<CompileOptions> {
  const { integrations } = await import("@stepline/runners");
  return {
    integrations,
    file: loaded.displayPath,
    ...(flags.queryLanguage === undefined ? {} : { queryLanguage: flags.queryLanguage }),
  };
}

/** Prints warnings to stderr. */
export async function printWarnings(warnings: readonly Problem[], ctx: CommandContext): Promise<void> {
  for (const w of warnings) ctx.io.stderr.write(`${await renderProblem(w, ctx.err)}\n`);
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
