import { existsSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import type { CommandContext } from "../context.js";
import { loadPipeline } from "../load/index.js";
import { remoteError } from "./errors.js";

const FILE_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json"]);
/** Pipeline names are state machine names: letters, digits, `-` and `_`, ≤ 80. */
const NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The deployed name of `<pipeline>` on the command line: a pipeline file
 * (loaded for its name) or the name itself.
 */
export async function pipelineName(arg: string, ctx: CommandContext, only?: string): Promise<string> {
  const path = resolve(ctx.io.cwd, arg);
  if (FILE_EXTENSIONS.has(extname(arg)) || arg.includes("/")) {
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw await remoteError(
        "SL_REMOTE_PIPELINE_FILE",
        `No pipeline file ${arg}.`,
        "Give a pipeline file (e.g. pipelines/etl.ts) or the name of a deployed pipeline (e.g. nightly-etl).",
      );
    }
    const loaded = await loadPipeline(arg, { cwd: ctx.io.cwd, ...(only === undefined ? {} : { pipeline: only }) });
    return loaded.model.name;
  }
  if (!NAME.test(arg)) {
    throw await remoteError(
      "SL_REMOTE_PIPELINE_NAME",
      `'${arg}' is neither a pipeline file nor a pipeline name.`,
      "Pipeline names have 1–80 letters, digits, '-' and '_'; files end in .ts, .js, .mjs or .json.",
    );
  }
  return arg;
}
