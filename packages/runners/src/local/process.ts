import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { createInterface } from "node:readline";

/** How a host process or container ended. */
export interface ExitInfo {
  /** Exit code; absent when the process could not start or was killed by a signal. */
  readonly exitCode?: number;
  /** Why it did not exit normally (spawn error, signal, OOM…). */
  readonly reason?: string;
  /** It never started (missing executable, missing image…). */
  readonly startFailed?: boolean;
}

export interface HostProcessOptions {
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}

/** Milliseconds between SIGTERM and SIGKILL when a run is aborted. */
const KILL_GRACE_MS = 3000;
/** Longest wait for the output pipes after the process exited. */
const DRAIN_MS = 2000;

/** Process groups still running, killed if stepline itself exits. */
const live = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const pid of live) killGroup(pid, "SIGKILL");
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** A relative executable path (`./jobs/x.py`, `bin/tool`) is taken from `base`; bare names are looked up on PATH. */
export function resolveExecutable(executable: string, base: string): string {
  if (isAbsolute(executable) || !executable.includes("/")) return executable;
  return resolve(base, executable);
}

/** Whether an executable is on PATH (as `env.PATH` gives it). */
export function onPath(name: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Runs a command on the host in its own process group, sending each output
 * line (stdout and stderr) to `log`. Aborting kills the whole group (SIGTERM,
 * then SIGKILL). Resolves when the process has exited and its output is read.
 */
export function runHostProcess(options: HostProcessOptions): Promise<ExitInfo> {
  const [first, ...args] = options.command;
  if (first === undefined || first === "") {
    return Promise.resolve({ startFailed: true, reason: "CannotStartContainerError: the command is empty" });
  }
  const executable = resolveExecutable(first, options.cwd);
  installExitHook();
  return new Promise((resolvePromise) => {
    let child: ChildProcess;
    try {
      child = spawn(executable, args, {
        cwd: options.cwd,
        env: { ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
    } catch (error) {
      resolvePromise({ startFailed: true, reason: `CannotStartContainerError: ${(error as Error).message}` });
      return;
    }
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const pid = child.pid;
    if (pid !== undefined) live.add(pid);
    const onAbort = (): void => {
      if (pid === undefined) return;
      killGroup(pid, "SIGTERM");
      killTimer = setTimeout(() => killGroup(pid, "SIGKILL"), KILL_GRACE_MS);
      killTimer.unref();
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener("abort", onAbort, { once: true });

    const pending: Promise<void>[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue;
      const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      lines.on("line", (line) => options.log(line));
      pending.push(new Promise((done) => lines.once("close", () => done())));
    }
    let finished = false;
    const finish = (info: ExitInfo, drain: boolean): void => {
      if (finished) return;
      finished = true;
      if (pid !== undefined) live.delete(pid);
      options.signal.removeEventListener("abort", onAbort);
      if (killTimer !== undefined) clearTimeout(killTimer);
      // The leader is gone: make sure nothing it started outlives an abort.
      if (options.signal.aborted && pid !== undefined) killGroup(pid, "SIGKILL");
      if (!drain) {
        resolvePromise(info);
        return;
      }
      // Read the rest of the output, but a background grandchild holding the pipes must not hold the run.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cap = new Promise<void>((done) => {
        timer = setTimeout(done, options.signal.aborted ? 100 : DRAIN_MS);
      });
      void Promise.race([Promise.all(pending), cap]).then(() => {
        clearTimeout(timer);
        resolvePromise(info);
      });
    };
    child.once("error", (error) => {
      finish({ startFailed: pid === undefined, reason: `CannotStartContainerError: ${error.message}` }, false);
    });
    child.once("exit", (code, signal) => {
      finish(code !== null ? { exitCode: code } : { reason: `killed by ${signal ?? "a signal"}` }, true);
    });
  });
}
