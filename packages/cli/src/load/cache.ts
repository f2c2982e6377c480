import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";

/**
 * The transpile cache next to the pipeline: `<dir>/.stepline/cache/`.
 *
 * Cached modules live beside the pipeline (not in a temp dir) so their bare
 * imports resolve through the pipeline's own node_modules chain. Each module
 * is named by the hash of its content; a small index maps the hashes of the
 * source files that went into it to that module, so a warm run checks a few
 * file hashes and imports without starting esbuild at all.
 */
export interface CacheEntry {
  readonly dir: string;
  /** File name stem shared by the index and the modules, e.g. `pipeline`. */
  readonly stem: string;
  readonly indexFile: string;
}

interface CacheIndex {
  readonly version: 1;
  readonly entry: string;
  readonly esbuild: string;
  /** Source path (relative to the pipeline's directory) → content hash. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Cached module file name inside the cache dir. */
  readonly output: string;
}

export function cacheEntry(file: string): CacheEntry {
  const dir = join(dirname(file), ".stepline", "cache");
  const stem = basename(file, extname(file));
  return { dir, stem, indexFile: join(dir, `${stem}.index.json`) };
}

export function hash(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex").slice(0, 16);
}

/** The cached module for `file`, when every source it was built from is unchanged. */
export function lookup(cache: CacheEntry, file: string): string | undefined {
  let index: CacheIndex;
  try {
    index = JSON.parse(readFileSync(cache.indexFile, "utf8")) as CacheIndex;
  } catch {
    return undefined;
  }
  if (index.version !== 1 || index.entry !== file) return undefined;
  const base = dirname(file);
  for (const [input, digest] of Object.entries(index.inputs)) {
    try {
      if (hash(readFileSync(resolve(base, input))) !== digest) return undefined;
    } catch {
      return undefined;
    }
  }
  const output = join(cache.dir, index.output);
  return existsSync(output) ? output : undefined;
}

/**
 * Writes a built module (atomically: concurrent runs may race) and its index,
 * and removes the older modules of the same pipeline.
 */
export function store(
  cache: CacheEntry,
  file: string,
  code: string,
  inputs: readonly string[],
  esbuildVersion: string,
): string {
  mkdirSync(cache.dir, { recursive: true });
  const ignore = join(cache.dir, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "*\n");
  const name = `${cache.stem}-${hash(code)}.mjs`;
  const output = join(cache.dir, name);
  if (!existsSync(output)) atomicWrite(output, code);
  const base = dirname(file);
  const index: CacheIndex = {
    version: 1,
    entry: file,
    esbuild: esbuildVersion,
    inputs: Object.fromEntries(inputs.map((input) => [input, hash(readFileSync(resolve(base, input)))])),
    output: name,
  };
  atomicWrite(cache.indexFile, `${JSON.stringify(index, null, 2)}\n`);
  for (const old of readdirSync(cache.dir)) {
    if (old !== name && old.startsWith(`${cache.stem}-`) && old.endsWith(".mjs")) {
      rmSync(join(cache.dir, old), { force: true });
    }
  }
  return output;
}

function atomicWrite(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}
