import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { bin, type Run } from "./run.js";

/**
 * The bin under test: the built one, or STEPLINE_TEST_BIN (a bundle built with stand-ins for
 * parts still being written, to try these tests before everything has landed).
 */
export const testBin = process.env.STEPLINE_TEST_BIN || bin;

const env = (extra: Readonly<Record<string, string>>) => ({
  ...process.env,
  NO_COLOR: "1",
  STEPLINE_DEBUG: "",
  ...extra,
});

/** Runs the built bin in `cwd` (runs are kept under the working directory), bounded in time. */
export function steplineIn(cwd: string, args: readonly string[], timeout = 30_000): Run {
  const result = spawnSync(process.execPath, [testBin, ...args], { cwd, encoding: "utf8", timeout, env: env({}) });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the bin in the background (for the crash and Ctrl-C tests); the caller kills it. */
export function startStepline(cwd: string, args: readonly string[]): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [testBin, ...args], { cwd, env: env({}), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  // A test that fails half-way must not leave it running.
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  child.on("exit", () => clearTimeout(guard));
  return Object.assign(child, { output: () => output });
}

/** Resolves with the exit code (or the signal) of a child. */
export function exited(child: ChildProcess): Promise<number | NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
}

/** Polls until `check` holds, at most `timeout` ms. */
export async function until(check: () => boolean, what: string, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The journal's complete records (a torn last line is skipped). */
export function journalRecords(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
