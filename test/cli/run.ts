import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root: tests run the CLI from there, as `pnpm stepline` does. */
export const root = fileURLToPath(new URL("../..", import.meta.url));
export const bin = fileURLToPath(new URL("../../packages/cli/bin/stepline.js", import.meta.url));

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `stepline` bin as a separate process (tests run after `pnpm run build`). */
export function stepline(args: readonly string[], env: Readonly<Record<string, string>> = {}): Run {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: "1", STEPLINE_DEBUG: "", ...env },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** No stack trace of ours in what users see. */
export const stackFrame = "    at ";
