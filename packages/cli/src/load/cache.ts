import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve, sep } from "node:path";

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
  readonly version: 2;
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
  if (index.version !== 2 || index.entry !== file) return undefined;
  const base = dirname(file);
  for (const [input, digest] of Object.entries(index.inputs)) {
    try {
      if (fingerprint(resolve(base, input)) !== digest) return undefined;
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
  map?: string,
): string {
  mkdirSync(cache.dir, { recursive: true });
  const ignore = join(cache.dir, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "*\n");
  const name = `${cache.stem}-${hash(code)}.mjs`;
  const output = join(cache.dir, name);
  if (!existsSync(output)) {
    if (map !== undefined) atomicWrite(`${output}.map`, map);
    atomicWrite(output, code);
  }
  const base = dirname(file);
  const index: CacheIndex = {
    version: 2,
    entry: file,
    esbuild: esbuildVersion,
    inputs: Object.fromEntries(inputs.map((input) => [input, fingerprint(resolve(base, input))])),
    output: name,
  };
  atomicWrite(cache.indexFile, `${JSON.stringify(index, null, 2)}\n`);
  for (const old of readdirSync(cache.dir)) {
    if (
      !old.startsWith(`${name}`) &&
      old.startsWith(`${cache.stem}-`) &&
      (old.endsWith(".mjs") || old.endsWith(".mjs.map"))
    ) {
      rmSync(join(cache.dir, old), { force: true });
    }
  }
  return output;
}

/**
 * What identifies a source's content: its hash for the user's own files, and
 * size plus modification time for installed packages (hundreds of files that
 * only change on install, where hashing would cost more than it saves).
 */
function fingerprint(path: string): string {
  if (path.includes(`${sep}node_modules${sep}`)) {
    const stat = statSync(path);
    return `stat:${stat.size}:${Math.trunc(stat.mtimeMs)}`;
  }
  return hash(readFileSync(path));
}

function atomicWrite(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}
