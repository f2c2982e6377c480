import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectDocker } from "@stepline/runners";

/**
 * A Docker engine and a tiny image for the local runner's Docker tests.
 *
 * Uses the engine that answers (DOCKER_HOST or /var/run/docker.sock); else,
 * as root, starts its own `dockerd` on a private socket (no bridge, no
 * iptables: it works in a sandbox) and stops it afterwards. The image
 * `busybox:stepline` is made with `docker import` from Debian's static
 * busybox (no registry needed). Nothing is installed here: without docker.io
 * or busybox-static the tests are skipped with the reason. `.ci/run` installs:
 *   apt-get install -y --no-install-recommends docker.io iptables busybox-static
 */
export interface DockerSetup {
  readonly available: boolean;
  /** Why the Docker tests are skipped. */
  readonly reason?: string;
  readonly image: string;
  /** Stops the engine this helper started (if any). */
  stop(): Promise<void>;
}

export const TEST_IMAGE = "busybox:stepline";
const SOCKET = "/tmp/stepline-docker.sock";
const DATA_ROOT = "/tmp/stepline-docker";
const EXEC_ROOT = "/tmp/stepline-docker-exec";
const START_TIMEOUT_MS = 30_000;
const BUSYBOX = "/bin/busybox";
const APPLETS = ["sh", "echo", "env", "cat", "printenv", "sleep", "ls", "true", "false", "test", "mkdir", "touch"];

function onPath(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).status === 0;
}

function skipped(reason: string): DockerSetup {
  console.warn(`[docker tests skipped] ${reason}`);
  return { available: false, reason, image: TEST_IMAGE, stop: async () => {} };
}

function busyboxIsStatic(): boolean {
  const query = spawnSync("dpkg-query", ["-W", "-f=${Status}", "busybox-static"], { encoding: "utf8" });
  return query.status === 0 && query.stdout.includes("install ok installed") && existsSync(BUSYBOX);
}

function docker(host: string | undefined, args: readonly string[], input?: Buffer) {
  return spawnSync("docker", [...(host !== undefined ? ["-H", host] : []), ...args], {
    encoding: "utf8",
    timeout: 60_000,
    ...(input !== undefined ? { input } : {}),
  });
}

async function startEngine(): Promise<{ child: ChildProcess; log: () => string } | string> {
  mkdirSync(DATA_ROOT, { recursive: true });
  let output = "";
  const child = spawn(
    "dockerd",
    [
      "--host",
      `unix://${SOCKET}`,
      "--data-root",
      DATA_ROOT,
      "--exec-root",
      EXEC_ROOT,
      "--pidfile",
      "/tmp/stepline-docker.pid",
      "--bridge",
      "none",
      "--iptables=false",
      "--ip6tables=false",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  process.env.DOCKER_HOST = `unix://${SOCKET}`;
  while (Date.now() < deadline && !exited) {
    if ((await detectDocker()).available) return { child, log: () => output };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill("SIGKILL");
  delete process.env.DOCKER_HOST;
  const tail = output.trim().split("\n").slice(-3).join(" | ");
  return `dockerd did not answer within ${START_TIMEOUT_MS / 1000} s${exited ? " (it exited)" : ""}: ${tail}`;
}

async function stopEngine(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Makes `busybox:stepline` with `docker import` unless the engine has it. */
function ensureImage(host: string | undefined): string | undefined {
  if (docker(host, ["image", "inspect", TEST_IMAGE]).status === 0) return undefined;
  const root = mkdtempSync(join(tmpdir(), "stepline-busybox-"));
  try {
    mkdirSync(join(root, "bin"));
    mkdirSync(join(root, "tmp"));
    copyFileSync(BUSYBOX, join(root, "bin", "busybox"));
    for (const applet of APPLETS) symlinkSync("busybox", join(root, "bin", applet));
    const tar = spawnSync("tar", ["-C", root, "-cf", "-", "."], { maxBuffer: 64 * 1024 * 1024 });
    if (tar.status !== 0) return `tar failed: ${tar.stderr.toString()}`;
    const imported = docker(host, ["import", "-", TEST_IMAGE], tar.stdout);
    return imported.status === 0 ? undefined : `docker import failed: ${imported.stderr}`;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The engine and image for Docker tests, or the reason to skip them. */
export async function setupDocker(): Promise<DockerSetup> {
  if (!onPath("docker")) return skipped("the docker CLI is not installed (apt-get install docker.io)");
  if (!busyboxIsStatic()) return skipped("busybox-static is not installed (apt-get install busybox-static)");
  let started: { child: ChildProcess } | undefined;
  if (!(await detectDocker()).available) {
    // A leftover engine of an earlier run on the private socket.
    process.env.DOCKER_HOST = `unix://${SOCKET}`;
    if (!(await detectDocker()).available) {
      delete process.env.DOCKER_HOST;
      if (process.getuid?.() !== 0)
        return skipped("no Docker engine answers and this is not root (cannot start dockerd)");
      if (!onPath("dockerd")) return skipped("dockerd is not installed (apt-get install docker.io iptables)");
      const engine = await startEngine();
      if (typeof engine === "string") return skipped(engine);
      started = engine;
    }
  }
  const host = process.env.DOCKER_HOST;
  const problem = ensureImage(host);
  const stop = async (): Promise<void> => {
    if (started !== undefined) {
      await stopEngine(started.child);
      delete process.env.DOCKER_HOST;
    }
  };
  if (problem !== undefined) {
    await stop();
    return skipped(problem);
  }
  return { available: true, image: TEST_IMAGE, stop };
}
