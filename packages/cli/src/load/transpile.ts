import { dirname, join } from "node:path";
import { cacheEntry, lookup, store } from "./cache.js";
import { displayPath as display } from "./display.js";
import { loadError } from "./problems.js";

/** A TypeScript pipeline turned into an importable ES module. */
export interface Transpiled {
  /** Absolute path of the module to import. */
  readonly module: string;
  readonly cache: "hit" | "miss";
}

interface EsbuildMessage {
  readonly text: string;
  readonly location: {
    readonly file: string;
    readonly line: number;
    readonly column: number;
    readonly lineText: string;
  } | null;
}

/**
 * Bundles the pipeline's own sources (packages stay external imports) with
 * esbuild, once per content: see `cache.ts`.
 */
export async function transpile(file: string, displayPath: string, cwd: string): Promise<Transpiled> {
  const cache = cacheEntry(file);
  const cached = lookup(cache, file);
  if (cached !== undefined) return { module: cached, cache: "hit" };

  const esbuild = await import("esbuild");
  const absWorkingDir = dirname(file);
  let result: Awaited<ReturnType<typeof esbuild.build>>;
  try {
    result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      platform: "node",
      format: "esm",
      // Packages (the DSL, zod, the user's libraries) are bundled in too: one cached file
      // loads much faster than hundreds of package modules on every run.
      target: "node20",
      minify: true,
      keepNames: true,
      write: false,
      // Placed where the module will be written so the map's relative sources stay right.
      outfile: join(cache.dir, `${cache.stem}.mjs`),
      sourcemap: "external",
      sourcesContent: false,
      metafile: true,
      logLevel: "silent",
      absWorkingDir,
    });
  } catch (error) {
    const messages = (error as { errors?: readonly EsbuildMessage[] }).errors;
    if (!Array.isArray(messages) || messages.length === 0) throw error;
    const { SteplineError, problem } = await import("@stepline/core");
    throw new SteplineError(
      messages.map((m) => {
        const where = m.location
          ? `${display(join(absWorkingDir, m.location.file), cwd)}:${m.location.line}:${m.location.column + 1}`
          : displayPath;
        const excerpt = m.location?.lineText.trim() ? `\n  | ${m.location.lineText.trim()}` : "";
        // esbuild also reports relative imports it cannot find; those are not syntax errors.
        const unresolved = /^Could not resolve "([^"]+)"/.exec(m.text)?.[1];
        const bare = unresolved !== undefined && !unresolved.startsWith(".") && !unresolved.startsWith("/");
        return m.text.startsWith("Could not resolve")
          ? problem(
              "SL_LOAD_IMPORT",
              `${m.text}${excerpt}`,
              bare
                ? `Install it where the pipeline lives (e.g. \`pnpm add ${packageName(unresolved)}\`).`
                : "Check the import path (relative to the importing file).",
              {
                file: where,
              },
            )
          : problem(
              "SL_LOAD_SYNTAX",
              `${m.text}${excerpt}`,
              "Fix the TypeScript at that location (stepline strips types with esbuild; run tsc for type errors).",
              { file: where },
            );
      }),
    );
  } finally {
    // The esbuild service child process would otherwise keep running until exit.
    void esbuild.stop?.();
  }
  const output = result.outputFiles?.find((f) => f.path.endsWith(".mjs"));
  if (output === undefined)
    throw (await import("@stepline/core")).internalError(`esbuild produced no output for ${file}`);
  const map = result.outputFiles?.find((f) => f.path.endsWith(".mjs.map"))?.text;
  const inputs = Object.keys(result.metafile?.inputs ?? {});
  try {
    return { module: store(cache, file, output.text, inputs, esbuild.version, map), cache: "miss" };
  } catch (error) {
    throw await loadError(
      "SL_LOAD_CACHE",
      `Cannot write the transpile cache in ${display(cache.dir, cwd)}: ${(error as Error).message}`,
      "Make the pipeline's directory writable (stepline keeps transpiled pipelines in .stepline/cache/ next to them).",
      displayPath,
    );
  }
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}
