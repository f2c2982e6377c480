import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { PassThrough, type Readable } from "node:stream";
import type Docker from "dockerode";
import type { ExitInfo } from "./process.js";

/** How long `detectDocker` waits for the engine to answer. */
const PING_TIMEOUT_MS = 1000;

const clients = new Map<string, Promise<Docker>>();

/** A dockerode client for `DOCKER_HOST`, else `/var/run/docker.sock` (dockerode's own defaults). */
async function client(): Promise<Docker> {
  const key = process.env.DOCKER_HOST ?? "";
  let made = clients.get(key);
  if (made === undefined) {
    made = import("dockerode").then((module) => {
      const DockerClass =
        (module as unknown as { default?: typeof Docker }).default ?? (module as unknown as typeof Docker);
      return new DockerClass();
    });
    clients.set(key, made);
  }
  return made;
}

/**
 * Whether a Docker engine answers: pings it (DOCKER_HOST or the default
 * socket), giving up after about a second.
 */
export async function detectDocker(): Promise<{ available: boolean; reason?: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const docker = await client();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    });
    await Promise.race([docker.ping(), timeout]);
    return { available: true };
  } catch (error) {
    const where = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
    return { available: false, reason: `no Docker engine at ${where}: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

export interface ContainerOptions {
  readonly image: string;
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly vcpus?: number;
  readonly memoryMiB?: number;
  /** Host directories mounted at the same path (the run directory). */
  readonly binds?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}

function statusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown }).statusCode;
  return typeof code === "number" ? code : undefined;
}

/** Pulls an image that is not present; rejects with the engine's message when it cannot. */
async function pull(docker: Docker, image: string, log: (line: string) => void): Promise<void> {
  log(`stepline: pulling ${image}`);
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve()));
  });
}

function lineSink(log: (line: string) => void): { stream: PassThrough; closed: Promise<void> } {
  const stream = new PassThrough();
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on("line", (line) => log(line));
  return { stream, closed: new Promise((done) => lines.once("close", () => done())) };
}

/**
 * Runs a command in a container: create (pulling the image when missing),
 * start, stream stdout/stderr (demultiplexed) line by line to `log`, wait for
 * the exit, then remove the container. Aborting kills it.
 */
export async function runContainer(options: ContainerOptions): Promise<ExitInfo> {
  const docker = await client();
  const cpus = availableParallelism();
  const nanoCpus =
    options.vcpus !== undefined && options.vcpus > 0 ? Math.round(Math.min(options.vcpus, cpus) * 1e9) : undefined;
  const create = () =>
    docker.createContainer({
      Image: options.image,
      Cmd: [...options.command],
      Env: Object.entries(options.env).map(([name, value]) => `${name}=${value}`),
      Tty: false,
      ...(options.labels !== undefined ? { Labels: { ...options.labels } } : {}),
      HostConfig: {
        AutoRemove: false,
        ...(nanoCpus !== undefined ? { NanoCpus: nanoCpus } : {}),
        ...(options.memoryMiB !== undefined && options.memoryMiB > 0
          ? { Memory: Math.round(options.memoryMiB * 1024 * 1024) }
          : {}),
        ...(options.binds !== undefined && options.binds.length > 0 ? { Binds: [...options.binds] } : {}),
      },
    });

  let container: Docker.Container;
  try {
    try {
      container = await create();
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
      try {
        await pull(docker, options.image, options.log);
      } catch (pullError) {
        return {
          startFailed: true,
          reason: `CannotPullContainerError: ${options.image}: ${message(pullError)} (build or load the image locally, e.g. docker build/docker load, or give the step a local override)`,
        };
      }
      container = await create();
    }
  } catch (error) {
    return { startFailed: true, reason: `CannotCreateContainerError: ${message(error)}` };
  }

  const onAbort = (): void => {
    void container.kill().catch(() => undefined);
  };
  try {
    if (options.signal.aborted) return { reason: "aborted before start" };
    options.signal.addEventListener("abort", onAbort, { once: true });
    try {
      await container.start();
    } catch (error) {
      return { startFailed: true, reason: `CannotStartContainerError: ${message(error)}` };
    }
    const out = lineSink(options.log);
    const err = lineSink(options.log);
    let logs: Readable | undefined;
    try {
      logs = await container.logs({ follow: true, stdout: true, stderr: true });
      docker.modem.demuxStream(logs, out.stream, err.stream);
      logs.once("end", () => {
        out.stream.end();
        err.stream.end();
      });
      logs.once("error", () => {
        out.stream.end();
        err.stream.end();
      });
    } catch (error) {
      options.log(`stepline: cannot read the container's logs: ${message(error)}`);
      out.stream.end();
      err.stream.end();
    }
    const result = await container.wait();
    await Promise.race([Promise.all([out.closed, err.closed]), delay(2000)]);
    logs?.destroy();
    if (options.signal.aborted) return { reason: "aborted" };
    const state = await container.inspect().catch(() => undefined);
    if (state?.State?.OOMKilled === true) {
      return {
        exitCode: result.StatusCode,
        reason: "OutOfMemoryError: Container killed due to memory usage",
      };
    }
    return { exitCode: result.StatusCode };
  } finally {
    options.signal.removeEventListener("abort", onAbort);
    await container.remove({ force: true }).catch(() => undefined);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function message(error: unknown): string {
  const json = (error as { json?: { message?: unknown } }).json;
  if (json !== null && typeof json === "object" && typeof json.message === "string") return json.message;
  return error instanceof Error ? error.message : String(error);
}
