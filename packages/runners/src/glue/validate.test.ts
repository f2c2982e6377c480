import type { GlueStepModel, IntegrationContext, PipelineModel } from "@stepline/core";
import { describe, expect, test } from "vitest";
import { glueIntegration } from "./integration.js";

const pipeline: PipelineModel = {
  kind: "stepline.pipeline",
  version: 1,
  name: "nightly",
  tags: {},
  input: { schema: {}, defaults: {}, required: [], types: {} },
  defaults: {},
  steps: [],
};
const ctx: IntegrationContext = { pipeline, defaults: {} };
const spark: GlueStepModel = {
  kind: "glue",
  name: "clean",
  after: [],
  scriptLocation: "s3://acme-scripts/clean.py",
  jobType: "spark",
  glueVersion: "5.0",
  workerType: "G.8X",
  numberOfWorkers: 2,
  arguments: { "--date": "2024-01-01" },
  executionClass: "FLEX",
  timeoutMinutes: 1,
  connections: [],
};
const shell: GlueStepModel = {
  kind: "glue",
  name: "report",
  after: [],
  jobName: "report",
  jobType: "pythonshell",
  glueVersion: "3.0",
  maxCapacity: 1,
  arguments: {},
  executionClass: "STANDARD",
  connections: [],
};

function codes(step: GlueStepModel): string[] {
  return glueIntegration.validate(step, ctx).map((p) => p.code);
}

describe("glue validation", () => {
  test("valid Spark, Python-shell and Ray steps have no problem", () => {
    expect(codes(spark)).toStrictEqual([]);
    expect(codes(shell)).toStrictEqual([]);
    const { maxCapacity: _unused, ...rest } = shell;
    expect(
      codes({ ...rest, jobType: "ray", glueVersion: "4.0", workerType: "Z.2X", numberOfWorkers: 1 }),
    ).toStrictEqual([]);
  });

  test.each([
    ["SL_GLUE_JOB_SOURCE", spark, { jobName: "clean" }, "scriptLocation"],
    ["SL_GLUE_JOB_SOURCE", shell, { jobName: undefined }, "jobName"],
    ["SL_GLUE_SCRIPT_LOCATION", spark, { scriptLocation: "./jobs/clean.py" }, "scriptLocation"],
    ["SL_GLUE_WORKER_TYPE", spark, { workerType: "G.025X" }, "workerType"],
    ["SL_GLUE_WORKER_TYPE", spark, { workerType: "Z.2X" }, "workerType"],
    ["SL_GLUE_WORKER_TYPE", shell, { workerType: "G.1X" }, "workerType"],
    ["SL_GLUE_WORKERS", spark, { numberOfWorkers: 1 }, "numberOfWorkers"],
    ["SL_GLUE_WORKERS", shell, { numberOfWorkers: 2 }, "numberOfWorkers"],
    ["SL_GLUE_MAX_CAPACITY", spark, { maxCapacity: 1 }, "maxCapacity"],
    ["SL_GLUE_MAX_CAPACITY", shell, { maxCapacity: 2 }, "maxCapacity"],
    ["SL_GLUE_EXECUTION_CLASS", shell, { executionClass: "FLEX" }, "executionClass"],
    ["SL_GLUE_VERSION", spark, { glueVersion: "2.0" }, "glueVersion"],
    ["SL_GLUE_VERSION", shell, { glueVersion: "1.0" }, "glueVersion"],
    ["SL_GLUE_TIMEOUT", spark, { timeoutMinutes: 0 }, "timeoutMinutes"],
    ["SL_GLUE_ARGUMENT_NAME", spark, { arguments: { date: "x" } }, "arguments.date"],
  ] as const)("%s fires (%#)", (code, base, change, field) => {
    const step = { ...base, ...change } as GlueStepModel;
    const problems = glueIntegration.validate(step, ctx);
    expect(problems.map((p) => p.code)).toStrictEqual([code]);
    expect(problems[0]).toMatchObject({ severity: "error", step: base.name, field });
    expect(problems[0]?.fix).not.toBe("");
  });

  test("the G.025X message says it is for streaming", () => {
    const [problem] = glueIntegration.validate({ ...spark, workerType: "G.025X" }, ctx);
    expect(problem?.message).toContain("streaming");
    expect(problem?.fix).toBe("Set workerType to one of G.1X, G.2X, G.4X, G.8X.");
  });
});
