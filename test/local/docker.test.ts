import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BatchStepModel, compile, TaskFailure, type TaskHandlerContext, testPipeline } from "@stepline/core";
import { detectDocker, integrations, localHandlers } from "@stepline/runners";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DockerSetup, setupDocker } from "../helpers/docker.js";

const BATCH = "arn:aws:states:::batch:submitJob.sync";
let docker: DockerSetup;
let dir: string;

beforeAll(async () => {
  docker = await setupDocker();
  dir = mkdtempSync(join(tmpdir(), "stepline-docker-"));
}, 90_000);
afterAll(async () => {
  await docker?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

function step(name: string, extra: Partial<BatchStepModel>): BatchStepModel {
  return {
    kind: "batch",
    name,
    after: [],
    image: "busybox:stepline",
    command: [],
    vcpus: 1,
    memoryMiB: 64,
    environment: {},
    secrets: {},
    architecture: "x86_64",
    capacity: "spot",
    tags: {},
    ...extra,
  };
}

function context(stateName: string, logs: string[]): TaskHandlerContext {
  return {
    stateName,
    resource: BATCH,
    context: {},
    stateInput: { input: {}, steps: {} },
    attempt: 0,
    key: stateName,
    signal: new AbortController().signal,
    heartbeat: () => {},
    log: (line) => logs.push(line),
  };
}

async function handler(s: BatchStepModel, runDir: string) {
  const model = testPipeline([s], { name: "demo" });
  const [batch] = await localHandlers({
    model,
    manifest: compile(model, { integrations }).manifest,
    pipelineDir: dir,
    runDir,
    env: { ...process.env, FROM_RUN: "yes" },
    importModule: (path) => import(path),
  });
  if (batch === undefined) throw new Error("no batch handler");
  return batch.handler;
}

describe("Batch in Docker", () => {
  it("detects the engine", async (t) => {
    if (!docker.available) t.skip(docker.reason);
    expect(await detectDocker()).toEqual({ available: true });
  });

  it("runs the job in a container with Batch's variables, its logs and its exit code", async (t) => {
    if (!docker.available) t.skip(docker.reason);
    const runDir = join(dir, "run-1");
    const s = step("extract", {
      command: [
        "sh",
        "-c",
        'env | sort; echo oops >&2; echo "$AWS_BATCH_JOB_ID" > "$STEPLINE_RUN_DIR/id"; cat /proc/self/cgroup >/dev/null',
      ],
      environment: { STATIC: "in-definition" },
      jobQueue: "etl",
    });
    const logs: string[] = [];
    const result = (await (
      await handler(s, runDir)
    )(
      {
        JobName: "demo-extract",
        JobQueue: "etl",
        JobDefinition: "demo-extract",
        ContainerOverrides: { Environment: [{ Name: "DATE", Value: "2024-05-01" }] },
      },
      context("extract", logs),
    )) as Record<string, unknown>;
    expect(result).toMatchObject({ Status: "SUCCEEDED", Container: { ExitCode: 0, Image: "busybox:stepline" } });
    const vars = Object.fromEntries(logs.filter((l) => l.includes("=")).map((l) => l.split(/=(.*)/s).slice(0, 2)));
    expect(vars).toMatchObject({
      AWS_BATCH_JOB_ID: result.JobId,
      AWS_BATCH_JOB_ATTEMPT: "1",
      AWS_BATCH_CE_NAME: "local",
      AWS_BATCH_JQ_NAME: "etl",
      STATIC: "in-definition",
      DATE: "2024-05-01",
      FROM_RUN: "yes",
      STEPLINE_LOCAL: "1",
      STEPLINE_RUN_DIR: runDir,
    });
    // The host's own variables stay on the host.
    expect(vars.HOME).not.toBe(process.env.HOME ?? "unset");
    expect(logs).toContain("oops");
    // The run directory is mounted at the same path.
    expect(readFileSync(join(runDir, "id"), "utf8").trim()).toBe(result.JobId);
  });

  it("fails the attempt with the container's exit code", async (t) => {
    if (!docker.available) t.skip(docker.reason);
    const s = step("load", { command: ["sh", "-c", "echo failing; exit 4"] });
    const logs: string[] = [];
    const error = await (await handler(s, join(dir, "run-2")))(
      { JobName: "demo-load", JobQueue: "q", JobDefinition: "demo-load" },
      context("load", logs),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TaskFailure);
    const cause = JSON.parse((error as TaskFailure).cause) as Record<string, unknown>;
    expect(cause).toMatchObject({
      Status: "FAILED",
      StatusReason: "Essential container in task exited",
      Container: { ExitCode: 4 },
    });
    expect(logs).toEqual(["failing"]);
  });

  it("runs an array job's children in containers", async (t) => {
    if (!docker.available) t.skip(docker.reason);
    const s = step("shard", { arraySize: 3, command: ["sh", "-c", 'echo "child $AWS_BATCH_JOB_ARRAY_INDEX"'] });
    const logs: string[] = [];
    const result = (await (
      await handler(s, join(dir, "run-3"))
    )(
      { JobName: "demo-shard", JobQueue: "q", JobDefinition: "demo-shard", ArrayProperties: { Size: 3 } },
      context("shard", logs),
    )) as Record<string, unknown>;
    expect(result).toMatchObject({
      Status: "SUCCEEDED",
      ArrayProperties: { Size: 3, StatusSummary: { SUCCEEDED: 3 } },
    });
    expect([...logs].sort()).toEqual(["[0] child 0", "[1] child 1", "[2] child 2"]);
  });

  it("fails with CannotPullContainerError for an image it cannot get", async (t) => {
    if (!docker.available) t.skip(docker.reason);
    const s = step("missing", { image: "stepline-test/no-such-image:0", command: ["true"] });
    const error = await (await handler(s, join(dir, "run-4")))(
      { JobName: "demo-missing", JobQueue: "q", JobDefinition: "demo-missing" },
      context("missing", []),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    const cause = JSON.parse((error as TaskFailure).cause) as { StatusReason: string };
    expect(cause.StatusReason).toMatch(/^CannotPullContainerError/);
  }, 60_000);
});
