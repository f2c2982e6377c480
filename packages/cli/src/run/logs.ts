import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Task logs: `logs/<state>/<attempt>.log`, attempts counted from 1. State
 * names are encoded so any name is one safe directory name.
 */
export function stepDirName(state: string): string {
  const encoded = encodeURIComponent(state);
  return encoded === "." || encoded === ".." ? encoded.replace(/\./g, "%2E") : encoded.replace(/\*/g, "%2A");
}

export function logFile(runDir: string, state: string, attempt: number): string {
  return join(runDir, "logs", stepDirName(state), `${attempt}.log`);
}

/** Opens the log of one attempt for appending (a resumed attempt adds a separator). */
export function openLog(runDir: string, state: string, attempt: number): (line: string) => void {
  const file = logFile(runDir, state, attempt);
  const dir = join(runDir, "logs", stepDirName(state));
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    // The order steps first ran in, for `stepline logs` (file times are too coarse).
    appendFileSync(join(runDir, "logs", "steps.jsonl"), `${JSON.stringify(state)}\n`);
  }
  if (existsSync(file)) appendFileSync(file, `--- run again at ${new Date().toISOString()} ---\n`);
  return (line) => appendFileSync(file, line.endsWith("\n") ? line : `${line}\n`);
}

export interface StepLogs {
  readonly state: string;
  /** Attempt numbers (from 1) with a log, ascending. */
  readonly attempts: readonly number[];
}

/** Steps with logs, in the order they first ran. */
export function stepLogs(runDir: string): StepLogs[] {
  const base = join(runDir, "logs");
  if (!existsSync(base)) return [];
  const order = firstRunOrder(base);
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .flatMap((dir) => {
      const attempts = readdirSync(join(base, dir))
        .map((f) => /^(\d+)\.log$/.exec(f)?.[1])
        .filter((n): n is string => n !== undefined)
        .map(Number)
        .sort((a, b) => a - b);
      const first = attempts[0];
      if (first === undefined) return [];
      const state = decodeURIComponent(dir);
      return [{ state, attempts, rank: order.get(state) ?? Number.MAX_SAFE_INTEGER }];
    })
    .sort((a, b) => a.rank - b.rank || (a.state < b.state ? -1 : 1))
    .map(({ state, attempts }) => ({ state, attempts }));
}

function firstRunOrder(base: string): Map<string, number> {
  const order = new Map<string, number>();
  const file = join(base, "steps.jsonl");
  if (!existsSync(file)) return order;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    try {
      const state = JSON.parse(line) as unknown;
      if (typeof state === "string" && !order.has(state)) order.set(state, order.size);
    } catch {
      // A torn last line: that step is sorted by name.
    }
  }
  return order;
}

export function readLog(runDir: string, state: string, attempt: number): string | undefined {
  const file = logFile(runDir, state, attempt);
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

/** The last `count` lines of an attempt's log. */
export function logTail(runDir: string, state: string, attempt: number, count = 20): string[] {
  const text = readLog(runDir, state, attempt);
  if (text === undefined) return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.slice(-count);
}
