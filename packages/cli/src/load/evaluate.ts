import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { displayPath } from "./display.js";
import { loadError, withFile } from "./problems.js";

/**
 * Imports the pipeline module. When it throws while evaluating, the error
 * becomes a user problem located in the user's source (through the cached
 * module's inline source map), never a stack of ours.
 */
export async function evaluate(module: string, shown: string, cwd: string): Promise<Readonly<Record<string, unknown>>> {
  // Only for debugging: mapping every stack costs time on each run.
  if (process.env.STEPLINE_DEBUG === "1") process.setSourceMapsEnabled(true);
  try {
    return (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  } catch (error) {
    const where = userLocation(error, module, cwd) ?? shown;
    const { isSteplineError } = await import("@stepline/core");
    if (isSteplineError(error)) {
      // The DSL rejected the pipeline while it was being declared: its problems are the user's.
      throw await withFile(error, where);
    }
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_MODULE_NOT_FOUND") {
      const name = /Cannot find (?:package|module) '([^']+)'/.exec((error as Error).message)?.[1];
      throw await loadError(
        "SL_LOAD_IMPORT",
        `Cannot find ${name === undefined ? "an imported module" : `'${name}'`}, imported by the pipeline.`,
        name !== undefined && !name.startsWith("/") && !name.startsWith(".")
          ? `Install it where the pipeline lives (e.g. \`pnpm add ${packageName(name)}\`).`
          : "Check the import path.",
        where,
      );
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw withCause(
      await loadError(
        "SL_LOAD_EVAL",
        `The pipeline module threw while loading: ${message}`,
        "Fix the code at that location; set STEPLINE_DEBUG=1 to see the whole stack.",
        where,
      ),
      error,
    );
  }
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/** `file:line:column` of the innermost stack frame in the pipeline module, in the user's source. */
function userLocation(error: unknown, module: string, cwd: string): string | undefined {
  const stack = (error as { stack?: unknown }).stack;
  if (typeof stack !== "string") return undefined;
  const url = pathToFileURL(module).href;
  let fallback: string | undefined;
  for (const line of stack.split("\n")) {
    const at = line.indexOf(url);
    if (at < 0) continue;
    const match = /^:(\d+):(\d+)/.exec(line.slice(at + url.length));
    if (!match) continue;
    const [lineNo, column] = [Number(match[1]), Number(match[2])];
    const mapped = original(module, lineNo, column, cwd);
    fallback ??= mapped?.shown ?? `${displayPath(module, cwd)}:${lineNo}:${column}`;
    // The cached module bundles the DSL and other packages too: the user's line is the
    // innermost frame that is not in a package.
    if (mapped && !isLibrary(mapped.source)) return mapped.shown;
  }
  return fallback;
}

const libraryCache = new Map<string, boolean>();
const STEPLINE_PACKAGES = new Set(["@stepline/core", "@stepline/dsl", "@stepline/runners", "@stepline/cli"]);

/** Whether a source file belongs to an installed package or to stepline itself. */
function isLibrary(source: string): boolean {
  if (source.split(/[\\/]/).includes("node_modules")) return true;
  let dir = dirname(source);
  const seen: string[] = [];
  for (;;) {
    const known = libraryCache.get(dir);
    if (known !== undefined) return remember(seen, known);
    seen.push(dir);
    try {
      const pkg = JSON.parse(readFileSync(resolve(dir, "package.json"), "utf8")) as { name?: unknown };
      return remember(seen, typeof pkg.name === "string" && STEPLINE_PACKAGES.has(pkg.name));
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return remember(seen, false);
      dir = parent;
    }
  }
}

function remember(dirs: readonly string[], value: boolean): boolean {
  for (const dir of dirs) libraryCache.set(dir, value);
  return value;
}

/** Maps a position in a transpiled module back through its inline source map, if it has one. */
function original(
  module: string,
  line: number,
  column: number,
  cwd: string,
): { source: string; shown: string } | undefined {
  let payload: unknown;
  try {
    // Cached pipelines keep their map beside them (`<module>.map`); other modules may inline one.
    payload = JSON.parse(readFileSync(`${module}.map`, "utf8"));
  } catch {
    let text: string;
    try {
      text = readFileSync(module, "utf8");
    } catch {
      return undefined;
    }
    const marker = "//# sourceMappingURL=data:application/json;base64,";
    const start = text.lastIndexOf(marker);
    if (start < 0) return undefined;
    try {
      payload = JSON.parse(Buffer.from(text.slice(start + marker.length).trim(), "base64").toString("utf8"));
    } catch {
      return undefined;
    }
  }
  try {
    const entry = new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]).findEntry(
      line - 1,
      column - 1,
    ) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
    const source = entry.originalSource.startsWith("file:")
      ? fileURLToPath(entry.originalSource)
      : resolve(dirname(module), entry.originalSource);
    return {
      source,
      shown: `${displayPath(source, cwd)}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`,
    };
  } catch {
    return undefined;
  }
}

/** Keeps the user's error for `STEPLINE_DEBUG=1`. */
function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, "cause", { value: cause, enumerable: false, configurable: true });
  return error;
}
