import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type BatchStepModel,
  compile,
  type GlueStepModel,
  type HandlerRegistration,
  type LambdaStepModel,
  type PipelineModel,
  type StepModel,
  TaskFailure,
  type TaskHandlerContext,
  testPipeline,
} from "@stepline/core";
import { integrations, type LocalRunContext, localHandlers, SPARK_MISSING_MESSAGE } from "@stepline/runners";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BATCH = "arn:aws:states:::batch:submitJob.sync";
const GLUE = "arn:aws:states:::glue:startJobRun.sync";
const LAMBDA = "arn:aws:states:::lambda:invoke";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stepline-local-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

export function batchStep(name: string, extra: Partial<BatchStepModel> = {}): BatchStepModel {
  return {
    kind: "batch",
    name,
    after: [],
    image: "example/job:1",
    command: [],
    vcpus: 1,
    memoryMiB: 512,
    environment: {},
    secrets: {},
    architecture: "x86_64",
    capacity: "spot",
    tags: {},
    ...extra,
  };
}

function glueStep(name: string, extra: Partial<GlueStepModel> = {}): GlueStepModel {
  return {
    kind: "glue",
    name,
    after: [],
    jobType: "pythonshell",
    arguments: {},
    executionClass: "STANDARD",
    connections: [],
    ...extra,
  };
}

function lambdaStep(name: string, extra: Partial<LambdaStepModel> = {}): LambdaStepModel {
  return { kind: "lambda", name, after: [], functionName: name, payload: {}, ...extra };
}

interface Call {
  readonly logs: string[];
  readonly context: TaskHandlerContext;
  readonly controller: AbortController;
}

function call(stateName: string, resource: string, stateInput: unknown = { input: {}, steps: {} }, attempt = 0): Call {
  const logs: string[] = [];
  const controller = new AbortController();
  return {
    logs,
    controller,
    context: {
      stateName,
      resource,
      context: { Execution: { Name: "local-test" } },
      stateInput,
      attempt,
      key: `${stateName}#0`,
      signal: controller.signal,
      heartbeat: () => {},
      log: (line) => logs.push(line),
    },
  };
}

async function handlersFor(
  steps: readonly StepModel[],
  extra: Partial<LocalRunContext> = {},
  pipeline: Partial<PipelineModel> = {},
  /** Steps as `stepline run` sees them when they differ from what compiles (e.g. a local scriptLocation). */
  runSteps?: readonly StepModel[],
): Promise<{ handler: (resource: string) => HandlerRegistration["handler"]; runDir: string }> {
  const compiled = testPipeline(steps, { name: "demo", ...pipeline });
  const { manifest } = compile(compiled, { integrations });
  const model = runSteps === undefined ? compiled : { ...compiled, steps: runSteps };
  const runDir = join(dir, "runs", String(Math.random()).slice(2));
  const registrations = await localHandlers({
    model,
    manifest,
    pipelineDir: dir,
    runDir,
    docker: "never",
    importModule: (path) => import(path),
    ...extra,
  });
  return {
    runDir,
    handler: (resource) => {
      const found = registrations.find((registration) => registration.resource === resource);
      if (found === undefined) throw new Error(`no handler for ${resource}`);
      return found.handler;
    },
  };
}

async function failureOf(promise: Promise<unknown>): Promise<TaskFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TaskFailure);
  return error as TaskFailure;
}

describe("Batch on the host", () => {
  it("sets the variables Batch sets, plus the definition's and overrides' environment", async () => {
    const step = batchStep("extract", {
      command: ["sh", "-c", "env | sort; echo to-stderr >&2"],
      environment: { STATIC: "from-definition" },
      jobQueue: "etl-queue",
    });
    const { handler, runDir } = await handlersFor([step], { env: { EXTRA: "run-env" } });
    const c = call("extract", BATCH, undefined, 1);
    const result = (await handler(BATCH)(
      {
        JobName: "demo-extract",
        JobQueue: "etl-queue",
        JobDefinition: "demo-extract",
        ContainerOverrides: { Environment: [{ Name: "DATE", Value: "2024-05-01" }] },
      },
      c.context,
    )) as Record<string, unknown>;
    const vars = Object.fromEntries(c.logs.filter((l) => l.includes("=")).map((l) => l.split(/=(.*)/s).slice(0, 2)));
    expect(vars.AWS_BATCH_JOB_ATTEMPT).toBe("2");
    expect(vars.AWS_BATCH_CE_NAME).toBe("local");
    expect(vars.AWS_BATCH_JQ_NAME).toBe("etl-queue");
    expect(vars.AWS_BATCH_JOB_ID).toBe(result.JobId);
    expect(vars.AWS_BATCH_JOB_ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(vars.AWS_BATCH_JOB_ARRAY_INDEX).toBeUndefined();
    expect(vars.STATIC).toBe("from-definition");
    expect(vars.DATE).toBe("2024-05-01");
    expect(vars.EXTRA).toBe("run-env");
    expect(vars.STEPLINE_LOCAL).toBe("1");
    expect(vars.STEPLINE_RUN_DIR).toBe(runDir);
    expect(c.logs).toContain("to-stderr");
    expect(result).toMatchObject({
      JobName: "demo-extract",
      JobQueue: "etl-queue",
      Status: "SUCCEEDED",
      Container: { ExitCode: 0 },
    });
    expect(typeof result.StartedAt).toBe("number");
    expect(result.StoppedAt as number).toBeGreaterThanOrEqual(result.StartedAt as number);
  });

  it("fails the attempt on a non-zero exit with a DescribeJobs-like cause", async () => {
    const step = batchStep("load", { command: ["sh", "-c", "echo loading; exit 7"] });
    const { handler } = await handlersFor([step]);
    const c = call("load", BATCH);
    const failure = await failureOf(
      handler(BATCH)({ JobName: "demo-load", JobQueue: "q", JobDefinition: "demo-load" }, c.context),
    );
    expect(failure.error).toBe("States.TaskFailed");
    const cause = JSON.parse(failure.cause) as Record<string, unknown>;
    expect(cause).toMatchObject({
      JobName: "demo-load",
      JobQueue: "q",
      Status: "FAILED",
      StatusReason: "Essential container in task exited",
      Container: { ExitCode: 7 },
      Attempts: [{ Container: { ExitCode: 7 }, StatusReason: "Essential container in task exited" }],
    });
    for (const field of ["CreatedAt", "StartedAt", "StoppedAt"]) expect(typeof cause[field]).toBe("number");
    expect(c.logs).toEqual(["loading"]);
  });

  it("fails the attempt when the command cannot start", async () => {
    const { handler } = await handlersFor([batchStep("ghost", { command: ["./no-such-tool"] })]);
    const failure = await failureOf(
      handler(BATCH)({ JobName: "x", JobQueue: "q", JobDefinition: "demo-ghost" }, call("ghost", BATCH).context),
    );
    const cause = JSON.parse(failure.cause) as { Status: string; StatusReason: string };
    expect(cause.Status).toBe("FAILED");
    expect(cause.StatusReason).toMatch(/^CannotStartContainerError: .*ENOENT/);
  });

  it("runs an array job's children with their indexes; the parent has no exit code", async () => {
    const step = batchStep("shard", {
      arraySize: 3,
      command: ["sh", "-c", 'echo "index=$AWS_BATCH_JOB_ARRAY_INDEX id=$AWS_BATCH_JOB_ID"'],
    });
    const { handler } = await handlersFor([step]);
    const c = call("shard", BATCH);
    const result = (await handler(BATCH)(
      { JobName: "demo-shard", JobQueue: "q", JobDefinition: "demo-shard", ArrayProperties: { Size: 3 } },
      c.context,
    )) as Record<string, unknown>;
    expect(result).toMatchObject({
      Status: "SUCCEEDED",
      ArrayProperties: { Size: 3, StatusSummary: { SUCCEEDED: 3, FAILED: 0 } },
    });
    expect(result.Container).toBeUndefined();
    const id = result.JobId as string;
    expect([...c.logs].sort()).toEqual([0, 1, 2].map((i) => `[${i}] index=${i} id=${id}:${i}`));
  });

  it("fails an array job when a child fails, after every child ran", async () => {
    const step = batchStep("shard", {
      arraySize: 3,
      command: ["sh", "-c", 'echo ran; test "$AWS_BATCH_JOB_ARRAY_INDEX" != 1'],
    });
    const { handler } = await handlersFor([step]);
    const c = call("shard", BATCH);
    const failure = await failureOf(
      handler(BATCH)(
        { JobName: "demo-shard", JobQueue: "q", JobDefinition: "demo-shard", ArrayProperties: { Size: 3 } },
        c.context,
      ),
    );
    const cause = JSON.parse(failure.cause) as Record<string, unknown>;
    expect(cause).toMatchObject({
      Status: "FAILED",
      ArrayProperties: { Size: 3, StatusSummary: { SUCCEEDED: 2, FAILED: 1 } },
    });
    expect(cause.StatusReason).toContain("index 1");
    expect(c.logs.filter((line) => line.endsWith("ran"))).toHaveLength(3);
  });

  it("runs the local override on the host: relative executable from the pipeline folder, references resolved", async () => {
    writeFileSync(join(dir, "job.sh"), '#!/bin/sh\necho "args=$* mode=$MODE date=$DATE cwd=$(pwd)"\n', { mode: 0o755 });
    const step = batchStep("train", {
      image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/train:1",
      command: ["python", "train.py"],
      local: {
        command: ["./job.sh", "--date", { $ref: { source: "input", path: ["date"] } }],
        environment: { MODE: "local", DATE: { $format: ["d=", { $ref: { source: "input", path: ["date"] } }] } },
      },
    });
    const { handler } = await handlersFor([step], { docker: "auto" });
    const c = call("train.on-demand", BATCH, { input: { date: "2024-05-01" }, steps: {} });
    await handler(BATCH)({ JobName: "demo-train", JobQueue: "od", JobDefinition: "demo-train" }, c.context);
    expect(c.logs).toEqual([`args=--date 2024-05-01 mode=local date=d=2024-05-01 cwd=${dir}`]);
  });

  it("kills the process when the call is aborted", async () => {
    const marker = join(dir, "abort-marker");
    const step = batchStep("slow", { command: ["sh", "-c", `echo started; sleep 5; touch ${marker}`] });
    const { handler } = await handlersFor([step]);
    const c = call("slow", BATCH);
    const started = Date.now();
    const running = handler(BATCH)({ JobName: "demo-slow", JobQueue: "q", JobDefinition: "demo-slow" }, c.context);
    while (!c.logs.includes("started")) await new Promise((resolve) => setTimeout(resolve, 20));
    c.controller.abort(new TaskFailure("States.Timeout", "too slow"));
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as TaskFailure).error).toBe("States.Timeout");
    expect(Date.now() - started).toBeLessThan(4000);
    await new Promise((resolve) => setTimeout(resolve, 5500));
    expect(() => readFileSync(marker)).toThrow();
  });
});

describe("Glue", () => {
  it("runs a pythonshell job's local script with Glue's --key value arguments", async () => {
    mkdirSync(join(dir, "jobs"), { recursive: true });
    const out = join(dir, "argv.json");
    writeFileSync(
      join(dir, "jobs", "echo_args.py"),
      `import json, os, sys\nprint("hello from glue")\njson.dump({"argv": sys.argv[1:], "local": os.environ.get("STEPLINE_LOCAL")}, open(${JSON.stringify(out)}, "w"))\n`,
    );
    const step = glueStep("transform", {
      scriptLocation: "s3://code/transform.py",
      arguments: { "--date": { $ref: { source: "input", path: ["date"] } }, "--mode": "full" },
      local: { script: "./jobs/echo_args.py" },
    });
    const { handler } = await handlersFor([step]);
    const c = call("transform", GLUE);
    const result = (await handler(GLUE)(
      { JobName: "demo-transform", Arguments: { "--date": "2024-05-01", "--mode": "full" } },
      c.context,
    )) as Record<string, unknown>;
    const written = JSON.parse(readFileSync(out, "utf8")) as { argv: string[]; local: string };
    expect(written.local).toBe("1");
    expect(written.argv.slice(0, 2)).toEqual(["--JOB_NAME", "demo-transform"]);
    expect(written.argv.slice(2, 4)).toEqual(["--JOB_RUN_ID", result.Id]);
    expect(written.argv.slice(4)).toEqual(["--date", "2024-05-01", "--mode", "full"]);
    expect(c.logs).toEqual(["hello from glue"]);
    expect(result).toMatchObject({
      JobName: "demo-transform",
      JobRunState: "SUCCEEDED",
      Arguments: { "--date": "2024-05-01", "--mode": "full" },
      Attempt: 0,
    });
    expect(result.Id).toMatch(/^jr_[0-9a-f]{64}$/);
    for (const field of ["StartedOn", "CompletedOn", "ExecutionTime"]) expect(typeof result[field]).toBe("number");
  });

  it("fails with a GetJobRun-like cause when the script fails", async () => {
    writeFileSync(join(dir, "jobs", "boom.py"), "import sys\nprint('bad input', file=sys.stderr)\nsys.exit(3)\n");
    const step = glueStep("boom", { scriptLocation: "s3://code/boom.py", local: { script: "jobs/boom.py" } });
    const { handler } = await handlersFor([step]);
    const c = call("boom", GLUE);
    const failure = await failureOf(handler(GLUE)({ JobName: "demo-boom" }, c.context));
    expect(failure.error).toBe("States.TaskFailed");
    const cause = JSON.parse(failure.cause) as Record<string, string>;
    expect(cause.JobRunState).toBe("FAILED");
    expect(cause.ErrorMessage).toContain("exit code 3");
    expect(c.logs).toEqual(["bad input"]);
  });

  it("says how to run an S3 script locally", async () => {
    const { handler } = await handlersFor([glueStep("remote", { scriptLocation: "s3://code/remote.py" })]);
    const failure = await failureOf(handler(GLUE)({ JobName: "demo-remote" }, call("remote", GLUE).context));
    expect(failure.error).toBe("stepline.LocalScriptMissing");
    expect(failure.cause).toContain("local: { script:");
  });

  it("says Spark is missing when spark-submit is not on PATH", async () => {
    writeFileSync(join(dir, "jobs", "spark_job.py"), "print('spark')\n");
    const step = glueStep("sparky", { jobType: "spark", scriptLocation: "s3://code/spark_job.py" });
    const { handler } = await handlersFor([step], { env: { PATH: join(dir, "empty-bin") } });
    const failure = await failureOf(handler(GLUE)({ JobName: "demo-sparky" }, call("sparky", GLUE).context));
    expect(failure.error).toBe("stepline.SparkMissing");
    expect(failure.cause).toBe(SPARK_MISSING_MESSAGE);
    expect(failure.cause).toContain("spark-submit");
  });

  it("runs spark-submit when it is on PATH", async () => {
    const bin = join(dir, "fake-spark");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "spark-submit"), '#!/bin/sh\necho "spark-submit $*"\n', { mode: 0o755 });
    const step = glueStep("sparky", { jobType: "spark", scriptLocation: "s3://code/spark_job.py" });
    const local = { ...step, scriptLocation: "./jobs/spark_job.py" };
    const { handler } = await handlersFor([step], { env: { PATH: `${bin}:${process.env.PATH ?? ""}` } }, {}, [local]);
    const c = call("sparky", GLUE);
    await handler(GLUE)({ JobName: "demo-sparky", Arguments: { "--k": "v" } }, c.context);
    expect(c.logs[0]).toMatch(
      /^spark-submit .*\/jobs\/spark_job\.py --JOB_NAME demo-sparky --JOB_RUN_ID jr_[0-9a-f]+ --k v$/,
    );
  });
});

describe("Lambda", () => {
  it("calls the local handler module with the payload", async () => {
    mkdirSync(join(dir, "handlers"), { recursive: true });
    writeFileSync(
      join(dir, "handlers", "notify.mjs"),
      "export default async function (event, context) { return { got: event, name: context.functionName, local: process.env.STEPLINE_LOCAL }; }\n",
    );
    const step = lambdaStep("notify", {
      functionName: "arn:aws:lambda:eu-west-1:123456789012:function:notify-fn",
      local: { handler: "./handlers/notify.mjs" },
    });
    const { handler } = await handlersFor([step]);
    const result = await handler(LAMBDA)(
      { FunctionName: "arn:aws:lambda:eu-west-1:123456789012:function:notify-fn", Payload: { date: "2024-05-01" } },
      call("notify", LAMBDA).context,
    );
    expect(result).toEqual({
      ExecutedVersion: "$LATEST",
      Payload: { got: { date: "2024-05-01" }, name: "notify-fn", local: "1" },
      StatusCode: 200,
    });
  });

  it("turns a thrown error into a Lambda function error", async () => {
    writeFileSync(
      join(dir, "handlers", "broken.mjs"),
      "class QuotaError extends Error { name = 'QuotaError' }\nexport const handler = async () => { throw new QuotaError('over quota'); };\n",
    );
    const step = lambdaStep("broken", { local: { handler: "./handlers/broken.mjs" } });
    const { handler } = await handlersFor([step]);
    const failure = await failureOf(
      handler(LAMBDA)({ FunctionName: "broken", Payload: {} }, call("broken", LAMBDA).context),
    );
    expect(failure.error).toBe("QuotaError");
    expect(JSON.parse(failure.cause)).toMatchObject({ errorMessage: "over quota", errorType: "QuotaError" });
  });

  it("says how to give a local handler", async () => {
    const { handler } = await handlersFor([lambdaStep("remote")]);
    const failure = await failureOf(
      handler(LAMBDA)({ FunctionName: "remote", Payload: {} }, call("remote", LAMBDA).context),
    );
    expect(failure.error).toBe("stepline.LocalHandlerMissing");
    expect(failure.cause).toContain("local: { handler:");
  });

  it("finds failure-handler steps and steps inside fan-outs", async () => {
    writeFileSync(join(dir, "handlers", "echo.mjs"), "export default (event) => event;\n");
    const notify = lambdaStep("on-fail", { local: { handler: "./handlers/echo.mjs" } });
    const inner = lambdaStep("per-item", { local: { handler: "./handlers/echo.mjs" } });
    const { handler } = await handlersFor(
      [
        {
          kind: "map",
          name: "each",
          after: [],
          items: { $ref: { source: "input", path: ["items"] } },
          maxConcurrency: 2,
          mode: "inline",
          steps: [inner],
        },
      ],
      {},
      { defaults: { onFailure: { action: "handler", handler: notify } } },
    );
    for (const name of ["on-fail", "per-item"]) {
      const result = (await handler(LAMBDA)(
        { FunctionName: name, Payload: { n: name } },
        call(name, LAMBDA).context,
      )) as { Payload: unknown };
      expect(result.Payload).toEqual({ n: name });
    }
  });
});
