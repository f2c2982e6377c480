import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import type { PipelineModel } from "@stepline/core";
import { displayPath as display } from "./display.js";
import { evaluate } from "./evaluate.js";
import { loadError } from "./problems.js";
import { selectPipeline } from "./select.js";

/** Options of {@link loadPipeline}. */
export interface LoadOptions {
  /** Export name or pipeline name, when the file exports several pipelines. */
  readonly pipeline?: string;
  /** Base of relative paths. @default process.cwd() */
  readonly cwd?: string;
}

/** A pipeline loaded from a file. */
export interface LoadedPipeline {
  readonly model: PipelineModel;
  /** Absolute path of the pipeline file. */
  readonly file: string;
  /** The path as shown in messages (relative to the working directory). */
  readonly displayPath: string;
  /** `default`, a named export, or `json`. */
  readonly exportName: string;
  /** Whether the transpiled TypeScript came from the cache (`none` for JavaScript and JSON). */
  readonly cache: "hit" | "miss" | "none";
}

const typescript = new Set([".ts", ".mts", ".cts", ".tsx"]);
const javascript = new Set([".js", ".mjs", ".cjs"]);

/**
 * Loads a pipeline file with no build step: TypeScript (bundled with esbuild,
 * cached in `.stepline/cache/` next to the file), JavaScript, or JSON holding a
 * `PipelineModel`. Throws a `SteplineError` (codes `SL_LOAD_*`) on user mistakes.
 */
export async function loadPipeline(path: string, options: LoadOptions = {}): Promise<LoadedPipeline> {
  const cwd = options.cwd ?? process.cwd();
  const file = resolve(cwd, path);
  const displayPath = display(file, cwd);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw await loadError(
      "SL_LOAD_NOT_FOUND",
      `Pipeline file not found: ${displayPath}`,
      "Check the path; it is relative to the current directory.",
      displayPath,
    );
  }
  const ext = extname(file).toLowerCase();
  if (ext === ".json") return { ...(await loadJson(file, displayPath)), file, displayPath, cache: "none" };

  let module = file;
  let cache: LoadedPipeline["cache"] = "none";
  if (typescript.has(ext)) {
    const { transpile } = await import("./transpile.js");
    const transpiled = await transpile(file, displayPath, cwd);
    module = transpiled.module;
    cache = transpiled.cache;
  } else if (!javascript.has(ext)) {
    throw await loadError(
      "SL_LOAD_UNSUPPORTED",
      `Cannot load a pipeline from a '${ext || "extensionless"}' file: ${displayPath}`,
      "Give a .ts, .mts, .js, .mjs or .json file.",
      displayPath,
    );
  }
  const exports = await evaluate(module, displayPath, cwd);
  const selected = await selectPipeline(exports, displayPath, options.pipeline);
  return { ...selected, file, displayPath, cache };
}

async function loadJson(file: string, displayPath: string): Promise<{ model: PipelineModel; exportName: string }> {
  const text = readFileSync(file, "utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1]);
    const where = Number.isFinite(position) ? `${displayPath}:${lineColumn(text, position)}` : displayPath;
    throw await loadError("SL_LOAD_JSON", `Invalid JSON: ${message}`, "Fix the JSON syntax at that location.", where);
  }
  if (
    typeof value !== "object" ||
    value === null ||
    (value as { kind?: unknown }).kind !== "stepline.pipeline" ||
    (value as { version?: unknown }).version !== 1
  ) {
    throw await loadError(
      "SL_LOAD_NO_PIPELINE",
      "The JSON file does not hold a pipeline model.",
      'Give a PipelineModel object with "kind": "stepline.pipeline" and "version": 1 (e.g. the output of @stepline/dsl\'s pipeline()).',
      displayPath,
    );
  }
  return { model: value as PipelineModel, exportName: "json" };
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  return `${line}:${position - before.lastIndexOf("\n")}`;
}
