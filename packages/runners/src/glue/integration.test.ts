import type { GlueStepModel, IntegrationContext, PipelineModel } from "@stepline/core";
import { describe, expect, test } from "vitest";
import { glueIntegration } from "./integration.js";

const pipeline: PipelineModel = {
  kind: "stepline.pipeline",
  version: 1,
  name: "nightly",
  tags: { team: "data" },
  input: { schema: {}, defaults: {}, required: [], types: {} },
  defaults: {},
  steps: [],
};
const ctx: IntegrationContext = { pipeline, defaults: {} };
const date = { $ref: { source: "input", path: ["date"] } } as const;
const retries = [
  {
    ErrorEquals: ["Glue.ConcurrentRunsExceededException"],
    IntervalSeconds: 30,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 300,
    JitterStrategy: "FULL",
  },
  {
    ErrorEquals: ["Glue.AWSGlueException"],
    IntervalSeconds: 5,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: "FULL",
  },
];
const resultFields = {
  JobRunId: "Id",
  JobRunState: "JobRunState",
  ExecutionTime: "ExecutionTime",
  StartedOn: "StartedOn",
  CompletedOn: "CompletedOn",
};

describe("glue: a managed Python-shell job", () => {
  const report: GlueStepModel = {
    kind: "glue",
    name: "report",
    after: [],
    scriptLocation: "s3://acme-scripts/report.py",
    jobType: "pythonshell",
    arguments: { "--date": date, "--mode": "full", "--sample": 0.5 },
    executionClass: "STANDARD",
    timeoutMinutes: 30,
    connections: ["warehouse"],
  };

  test("task", () => {
    expect(glueIntegration.task(report, ctx)).toStrictEqual({
      resource: "arn:aws:states:::glue:startJobRun.sync",
      parameters: {
        JobName: "nightly-report",
        Arguments: { "--date": { $format: [date] }, "--mode": "full", "--sample": "0.5" },
        Timeout: 30,
      },
      resultFields,
      serviceRetries: retries,
      summary: "Glue pythonshell job nightly-report",
    });
  });

  test("resources: CreateJob with the static arguments and 1/16 DPU", () => {
    expect(glueIntegration.resources(report, ctx)).toStrictEqual([
      {
        type: "glue.job",
        name: "nightly-report",
        usedBy: ["report"],
        managed: true,
        properties: {
          Name: "nightly-report",
          Command: { Name: "pythonshell", ScriptLocation: "s3://acme-scripts/report.py", PythonVersion: "3.9" },
          GlueVersion: "3.0",
          MaxCapacity: 0.0625,
          Timeout: 30,
          Connections: { Connections: ["warehouse"] },
          DefaultArguments: { "--mode": "full", "--sample": "0.5" },
          Tags: { "stepline:pipeline": "nightly", team: "data" },
        },
      },
    ]);
  });

  test("iam", () => {
    expect(glueIntegration.iam(report, ctx)).toStrictEqual([
      {
        Sid: "GlueRunJobs",
        Effect: "Allow",
        Action: ["glue:BatchStopJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:StartJobRun"],
        Resource: ["arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:job/nightly-report"],
      },
    ]);
  });
});

describe("glue: an existing Spark job on Flex", () => {
  const clean: GlueStepModel = {
    kind: "glue",
    name: "clean",
    after: [],
    jobName: "clean-orders",
    jobType: "spark",
    workerType: "G.2X",
    numberOfWorkers: 10,
    arguments: {},
    executionClass: "FLEX",
    connections: [],
    securityConfiguration: "encrypted",
  };

  test("task overrides capacity and class per run", () => {
    expect(glueIntegration.task(clean, ctx).parameters).toStrictEqual({
      JobName: "clean-orders",
      WorkerType: "G.2X",
      NumberOfWorkers: 10,
      ExecutionClass: "FLEX",
      SecurityConfiguration: "encrypted",
    });
    expect(glueIntegration.task(clean, ctx).summary).toBe("Glue spark job clean-orders (10 × G.2X), flex");
  });

  test("resources: the existing job is only checked", () => {
    expect(glueIntegration.resources(clean, ctx)).toStrictEqual([
      {
        type: "glue.job",
        name: "clean-orders",
        usedBy: ["clean"],
        managed: false,
        properties: { Name: "clean-orders" },
      },
    ]);
  });

  test("a managed Spark job gets Glue 5.0, G.1X × 2 and its execution class", () => {
    const { jobName: _unused, workerType: _w, numberOfWorkers: _n, ...rest } = clean;
    const [job] = glueIntegration.resources({ ...rest, scriptLocation: "s3://acme-scripts/clean.py" }, ctx);
    expect(job?.properties).toStrictEqual({
      Name: "nightly-clean",
      Command: { Name: "glueetl", ScriptLocation: "s3://acme-scripts/clean.py", PythonVersion: "3" },
      GlueVersion: "5.0",
      WorkerType: "G.1X",
      NumberOfWorkers: 2,
      ExecutionClass: "FLEX",
      SecurityConfiguration: "encrypted",
      Tags: { "stepline:pipeline": "nightly", team: "data" },
    });
  });

  test("a managed Ray job runs glueray on Z.2X with Glue 4.0", () => {
    const ray: GlueStepModel = {
      ...clean,
      jobType: "ray",
      executionClass: "STANDARD",
      workerType: "Z.2X",
      numberOfWorkers: 4,
    };
    const { jobName: _unused, securityConfiguration: _s, ...rest } = ray;
    const [job] = glueIntegration.resources({ ...rest, scriptLocation: "s3://acme-scripts/ray.py" }, ctx);
    expect(job?.properties.Command).toStrictEqual({
      Name: "glueray",
      ScriptLocation: "s3://acme-scripts/ray.py",
      PythonVersion: "3.9",
      Runtime: "Ray2.4",
    });
    expect(job?.properties.GlueVersion).toBe("4.0");
    expect(job?.properties.WorkerType).toBe("Z.2X");
    expect(job?.properties.ExecutionClass).toBeUndefined();
  });
});
