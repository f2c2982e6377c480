import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/**
 * A moto server (an AWS API emulator) for tests that compare stepline with an
 * emulated Step Functions. Starts `python3 -m moto.server` on a free
 * 127.0.0.1 port, waits until it answers, turns on its state machine
 * executor, and stops it (SIGTERM, then SIGKILL) on `stop()`. When python3 or
 * moto cannot start, the setup is `available: false` with the reason (printed),
 * and the caller skips.
 */
export interface MotoSetup {
  readonly available: boolean;
  /** Why the moto tests are skipped. */
  readonly reason?: string;
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  /** Stops the server (idempotent); resolves when the process has exited. */
  stop(): Promise<void>;
  /** Wipes every resource (`POST /moto-api/reset`) and applies the start-up config again. */
  reset(): Promise<void>;
}

export interface MotoOptions {
  /** Milliseconds to wait for the server to answer. @default 20000 */
  readonly startTimeoutMs?: number;
  /** Extra `/moto-api/config` settings merged with the Step Functions executor switch. */
  readonly config?: Record<string, unknown>;
  /**
   * Turn on moto's state machine executor. Off, moto keeps state machines in
   * its plain backend: executions stay RUNNING, but the deploy calls behave
   * closer to AWS (see /tmp/research-moto/REPORT.md §0.1). @default true
   */
  readonly executor?: boolean;
  /** Extra environment of the server process (e.g. MOTO_IAM_LOAD_MANAGED_POLICIES). */
  readonly env?: Record<string, string>;
}

const STOP_GRACE_MS = 3_000;

function skipped(reason: string): MotoSetup {
  console.warn(`[moto tests skipped] ${reason}`);
  return { available: false, reason, endpoint: "", stop: async () => {}, reset: async () => {} };
}

/** A free TCP port on 127.0.0.1 (a net server on port 0, closed again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port"))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status < 500;
  } catch {
    return false;
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      const kill = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill("SIGTERM");
    });
    return stopping;
  };
}

/** Starts moto; the returned setup must be stopped (e.g. in `afterAll`). */
export async function startMoto(options: MotoOptions = {}): Promise<MotoSetup> {
  // Several Pythons may be on PATH (a package manager may put /usr/bin first): take the first
  // that has moto, as the machine image installs it in its own Python.
  const candidates = [
    process.env.MOTO_PYTHON,
    ...(process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "python3")),
    join(process.env.PYENV_ROOT ?? join(homedir(), ".pyenv"), "shims", "python3"),
  ].filter((path, index, all): path is string => path !== undefined && path !== "" && all.indexOf(path) === index);
  let python: string | undefined;
  let lastError = "no python3 found";
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ["-c", "import moto.server"], { encoding: "utf8", timeout: 20_000 });
    if (probe.error) continue;
    if (probe.status === 0) {
      python = candidate;
      break;
    }
    lastError = `moto is not importable with ${candidate}: ${probe.stderr.trim().split("\n").pop() ?? ""}`;
  }
  if (python === undefined) return skipped(lastError);

  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // The server's output goes to a file, not a pipe: a test that blocks its event loop (spawnSync
  // of the CLI) would stop draining a pipe, and moto would hang writing its request log.
  const logDir = mkdtempSync(join(tmpdir(), "stepline-moto-"));
  const logFile = join(logDir, "moto.log");
  const logFd = openSync(logFile, "w");
  const log = (): string => {
    try {
      return readFileSync(logFile, "utf8").slice(-4_000);
    } catch {
      return "";
    }
  };
  const child = spawn(python, ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, ...options.env, MOTO_PORT: String(port) },
    stdio: ["ignore", logFd, logFd],
  });
  closeSync(logFd);
  const removeLog = (): void => rmSync(logDir, { recursive: true, force: true });
  let spawnError: Error | undefined;
  child.on("error", (error) => {
    spawnError = error;
  });
  const stopChild = stopper(child);
  const stop = async (): Promise<void> => {
    await stopChild();
    removeLog();
  };
  // Never outlive the test process, even when afterAll does not run.
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  for (;;) {
    if (spawnError) return skipped(`moto server did not start: ${spawnError.message}`);
    if (child.exitCode !== null) {
      const reason = `moto server exited with ${child.exitCode}: ${log().trim()}`;
      removeLog();
      return skipped(reason);
    }
    if (await answers(endpoint)) break;
    if (Date.now() > deadline) {
      const reason = `moto server did not answer within ${options.startTimeoutMs ?? 20_000} ms: ${log().trim()}`;
      await stop();
      return skipped(reason);
    }
    await sleep(100);
  }

  const config = { ...options.config, stepfunctions: { execute_state_machine: options.executor ?? true } };
  const configure = async (): Promise<Response> => {
    const response = await fetch(`${endpoint}/moto-api/config`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(config),
    });
    await response.arrayBuffer();
    return response;
  };
  const response = await configure();
  if (!response.ok) {
    await stop();
    return skipped(`moto refused /moto-api/config: HTTP ${response.status}`);
  }
  process.env.MOTO_PORT = String(port);
  const reset = async (): Promise<void> => {
    const wiped = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
    await wiped.arrayBuffer();
    if (!wiped.ok) throw new Error(`moto /moto-api/reset answered HTTP ${wiped.status}`);
    const again = await configure();
    if (!again.ok) throw new Error(`moto /moto-api/config answered HTTP ${again.status}`);
  };
  return { available: true, endpoint, stop, reset };
}
