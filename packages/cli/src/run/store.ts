import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ExecutionStatus } from "@stepline/core";
import { runError } from "./errors.js";

/** `.stepline/runs/` under the working directory. */
export function runsDir(cwd: string): string {
  return join(cwd, ".stepline", "runs");
}

/** How a run was started, enough to resume or redrive it without the command line. */
export interface RunMeta {
  readonly version: 1;
  readonly id: string;
  /** `pipeline`: a stepline pipeline file; `asl`: any state machine with `--handler` modules. */
  readonly kind: "pipeline" | "asl";
  readonly pipeline: string;
  /** Absolute path of the pipeline or ASL file. */
  readonly file: string;
  /** File names inside the run directory. */
  readonly definition: string;
  readonly manifest?: string;
  readonly model?: string;
  readonly input: unknown;
  readonly started: string;
  readonly finished?: string;
  readonly status: ExecutionStatus;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** Process running (or that last ran) the run: resume refuses while it is alive. */
  readonly pid: number;
  readonly options: RunOptions;
  /** One entry per process that worked on the run (start, resumes, redrives). */
  readonly sessions: readonly { readonly kind: "run" | "resume" | "redrive"; readonly started: string }[];
}

export interface RunOptions {
  readonly fastWaits: boolean;
  readonly docker?: "auto" | "never";
  readonly concurrency?: number;
  /** State name → absolute module path (`--asl` runs). */
  readonly handlers?: Readonly<Record<string, string>>;
}

/** A new run id, sortable by start time: `20261125T221500Z-nightly-etl-3fa2`. */
export function newRunId(pipeline: string, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const name = pipeline.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 60) || "run";
  return `${stamp}-${name}-${randomBytes(2).toString("hex")}`;
}

export function runDir(cwd: string, id: string): string {
  return join(runsDir(cwd), id);
}

/** Creates the run directory with its files; `files` maps names to contents. */
export function createRun(cwd: string, meta: RunMeta, files: Readonly<Record<string, unknown>>): string {
  const dir = runDir(cwd, meta.id);
  mkdirSync(join(dir, "logs"), { recursive: true });
  for (const [name, value] of Object.entries(files))
    writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
  writeMeta(dir, meta);
  return dir;
}

/** Replaces meta.json atomically (a crash never leaves half of it). */
export function writeMeta(dir: string, meta: RunMeta): void {
  const file = join(dir, "meta.json");
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(meta, null, 2)}\n`);
  renameSync(temp, file);
}

export function readMeta(dir: string): RunMeta | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as RunMeta;
  } catch {
    return undefined;
  }
}

export function readRunFile<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, name), "utf8")) as T;
}

/** Every run with a readable meta.json, newest first. */
export function listRuns(cwd: string): RunMeta[] {
  const base = runsDir(cwd);
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .sort()
    .reverse()
    .flatMap((id) => {
      const meta = readMeta(join(base, id));
      return meta === undefined ? [] : [meta];
    });
}

/** The run named by an id or a unique prefix of one; `SL_RUN_UNKNOWN` lists recent ids otherwise. */
export async function findRun(cwd: string, wanted: string): Promise<{ dir: string; meta: RunMeta }> {
  const runs = listRuns(cwd);
  const exact = runs.find((r) => r.id === wanted);
  const matches = exact ? [exact] : runs.filter((r) => r.id.startsWith(wanted));
  const only = matches[0];
  if (only && matches.length === 1) return { dir: runDir(cwd, only.id), meta: only };
  if (matches.length > 1) {
    throw await runError(
      "SL_RUN_AMBIGUOUS",
      `'${wanted}' matches ${matches.length} runs: ${matches
        .slice(0, 5)
        .map((r) => r.id)
        .join(", ")}${matches.length > 5 ? ", …" : ""}.`,
      "Give more of the run id.",
    );
  }
  const recent = runs.slice(0, 5).map((r) => r.id);
  throw await runError(
    "SL_RUN_UNKNOWN",
    `No run '${wanted}' in ${join(".stepline", "runs")} (under ${cwd}).`,
    recent.length > 0
      ? `Recent runs: ${recent.join(", ")} (see \`stepline runs\`).`
      : "No runs here yet: start one with `stepline run <pipeline.ts>` (runs are kept under the current directory).",
  );
}

/** Whether a process with this pid is alive (signal 0 only checks). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether the run's process is still working on it: alive, and (where
 * /proc tells) still a stepline process, since pids are reused.
 */
export function runProcessAlive(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("stepline");
  } catch {
    return true;
  }
}

/** RUNNING in meta.json but its process is gone: the run was interrupted. */
export function interrupted(meta: RunMeta): boolean {
  return meta.status === "RUNNING" && meta.pid !== process.pid && !runProcessAlive(meta.pid);
}
