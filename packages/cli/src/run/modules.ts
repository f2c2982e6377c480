import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import { displayPath } from "../load/display.js";
import { runError } from "./errors.js";

const typescript = new Set([".ts", ".mts", ".cts", ".tsx"]);

/**
 * Imports a handler module by absolute path: TypeScript through the loader's
 * esbuild path (cached next to it in `.stepline/cache/`), JavaScript as is.
 */
export async function importModule(file: string, cwd: string): Promise<Record<string, unknown>> {
  let module = file;
  if (typescript.has(extname(file).toLowerCase())) {
    const { transpile } = await import("../load/transpile.js");
    module = (await transpile(file, displayPath(file, cwd), cwd)).module;
  }
  try {
    return (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  } catch (error) {
    throw await runError(
      "SL_RUN_MODULE",
      `Cannot load the handler module ${displayPath(file, cwd)}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      "Check the path (relative to the current directory) and that the module loads with node.",
    );
  }
}
