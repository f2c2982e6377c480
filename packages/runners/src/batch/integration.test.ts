import type { BatchStepModel, IntegrationContext, PipelineModel } from "@stepline/core";
import { describe, expect, test } from "vitest";
import { batchIntegration } from "./integration.js";

const pipeline: PipelineModel = {
  kind: "stepline.pipeline",
  version: 1,
  name: "nightly",
  tags: { team: "data" },
  input: { schema: {}, defaults: {}, required: [], types: {} },
  defaults: {},
  steps: [],
};
const ctx: IntegrationContext = { pipeline, defaults: pipeline.defaults };
const date = { $ref: { source: "input", path: ["date"] } } as const;
const image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/etl:1.4";

const extract: BatchStepModel = {
  kind: "batch",
  name: "extract",
  after: [],
  image,
  command: ["python", "extract.py", "--date", date],
  vcpus: 2,
  memoryMiB: 4096,
  environment: { RUN_DATE: date, MODE: "full" },
  secrets: { DB_PASSWORD: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" },
  architecture: "x86_64",
  capacity: "spot",
  tags: { cost: "etl" },
};

const retries = [
  {
    ErrorEquals: ["Batch.AWSBatchException", "Batch.ServerException"],
    IntervalSeconds: 2,
    MaxAttempts: 8,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: "FULL",
  },
];
/** A managed definition holds the static values: only the run-time ones are overridden. */
const managedOverrides = {
  Command: ["python", "extract.py", "--date", date],
  Environment: [{ Name: "RUN_DATE", Value: { $format: [date] } }],
};
const tags = { cost: "etl", "stepline:pipeline": "nightly", "stepline:step": "extract", team: "data" };

describe("batch: a spot job with a managed definition", () => {
  test("task", () => {
    const task = batchIntegration.task(extract, ctx);
    expect(task).toStrictEqual({
      resource: "arn:aws:states:::batch:submitJob.sync",
      parameters: {
        JobName: "nightly-extract",
        JobQueue: "stepline-spot-x86_64",
        JobDefinition: "nightly-extract",
        ContainerOverrides: managedOverrides,
        Tags: tags,
        PropagateTags: true,
      },
      resultFields: {
        JobId: "JobId",
        JobName: "JobName",
        Status: "Status",
        StartedAt: "StartedAt",
        StoppedAt: "StoppedAt",
        ExitCode: "Container.ExitCode",
      },
      serviceRetries: retries,
      summary: "Batch job on spot (x86_64, 2 vCPU, 4 GiB)",
    });
    expect(Object.keys(task.parameters)).toStrictEqual([
      "JobName",
      "JobQueue",
      "JobDefinition",
      "ContainerOverrides",
      "Tags",
      "PropagateTags",
    ]);
  });

  test("resources: the job definition holds static values and secrets; the queue is checked", () => {
    expect(batchIntegration.resources(extract, ctx)).toStrictEqual([
      {
        type: "batch.jobDefinition",
        name: "nightly-extract",
        usedBy: ["extract"],
        managed: true,
        properties: {
          jobDefinitionName: "nightly-extract",
          type: "container",
          platformCapabilities: ["EC2"],
          containerProperties: {
            image,
            command: [],
            resourceRequirements: [
              { type: "VCPU", value: "2" },
              { type: "MEMORY", value: "4096" },
            ],
            environment: [{ name: "MODE", value: "full" }],
            secrets: [
              { name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" },
            ],
          },
          retryStrategy: {
            attempts: 3,
            evaluateOnExit: [
              { onStatusReason: "Host EC2*", action: "RETRY" },
              { onReason: "*", action: "EXIT" },
            ],
          },
          tags: { "stepline:pipeline": "nightly", team: "data" },
          propagateTags: true,
          architecture: "x86_64",
        },
      },
      {
        type: "batch.jobQueue",
        name: "stepline-spot-x86_64",
        usedBy: ["extract"],
        managed: false,
        properties: { jobQueueName: "stepline-spot-x86_64", capacity: "spot", architecture: "x86_64" },
      },
    ]);
  });

  test("iam", () => {
    expect(batchIntegration.iam(extract, ctx)).toStrictEqual([
      {
        Sid: "BatchSubmitJob",
        Effect: "Allow",
        Action: ["batch:SubmitJob"],
        Resource: [
          "arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-definition/nightly-extract",
          "arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-definition/nightly-extract:*",
          "arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-queue/stepline-spot-x86_64",
        ],
      },
      {
        Sid: "BatchDescribeTerminateJobs",
        Effect: "Allow",
        Action: ["batch:DescribeJobs", "batch:TerminateJob"],
        Resource: ["*"],
      },
      {
        Sid: "BatchTagJobs",
        Effect: "Allow",
        Action: ["batch:TagResource"],
        Resource: ["arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job/*"],
      },
      {
        Sid: "BatchJobEventsRule",
        Effect: "Allow",
        Action: ["events:DescribeRule", "events:PutRule", "events:PutTargets"],
        Resource: [
          "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForBatchJobsRule",
        ],
      },
    ]);
  });
});

describe("batch: an on-demand arm64 GPU array job", () => {
  const render: BatchStepModel = {
    ...extract,
    name: "render",
    command: ["render"],
    environment: {},
    secrets: {},
    gpus: 1,
    architecture: "arm64",
    capacity: "on-demand",
    arraySize: 100,
    attemptTimeoutSeconds: 3600,
    tags: {},
  };

  test("task: ArrayProperties, Timeout, GPU; no exit code for the array parent", () => {
    const task = batchIntegration.task(render, ctx);
    expect(task.parameters).toStrictEqual({
      JobName: "nightly-render",
      JobQueue: "stepline-on-demand-arm64",
      JobDefinition: "nightly-render",
      ArrayProperties: { Size: 100 },
      Timeout: { AttemptDurationSeconds: 3600 },
      Tags: { "stepline:pipeline": "nightly", "stepline:step": "render", team: "data" },
      PropagateTags: true,
    });
    expect(task.resultFields).toStrictEqual({
      JobId: "JobId",
      JobName: "JobName",
      Status: "Status",
      StartedAt: "StartedAt",
      StoppedAt: "StoppedAt",
      ArraySize: "ArrayProperties.Size",
    });
    expect(task.fallback).toBeUndefined();
    expect(task.summary).toBe("Batch array job of 100 on on-demand (arm64, 2 vCPU, 4 GiB, 1 GPU)");
  });

  test("resources: static command and timeout in the definition, on-demand queue", () => {
    const [definition, queue] = batchIntegration.resources(render, ctx);
    expect(definition?.properties.containerProperties).toStrictEqual({
      image,
      command: ["render"],
      resourceRequirements: [
        { type: "VCPU", value: "2" },
        { type: "MEMORY", value: "4096" },
        { type: "GPU", value: "1" },
      ],
    });
    expect(definition?.properties.timeout).toStrictEqual({ attemptDurationSeconds: 3600 });
    expect(definition?.properties.architecture).toBe("arm64");
    expect(queue?.properties).toStrictEqual({
      jobQueueName: "stepline-on-demand-arm64",
      capacity: "on-demand",
      architecture: "arm64",
    });
  });
});

describe("batch: spot-then-on-demand with the user's job definition", () => {
  const definitionArn = "arn:aws:batch:eu-west-1:123456789012:job-definition/legacy-etl:7";
  const load: BatchStepModel = {
    ...extract,
    name: "load",
    secrets: {},
    environment: {},
    command: [],
    capacity: "spot-then-on-demand",
    jobQueue: "etl-spot",
    jobDefinition: definitionArn,
    spotAttempts: 2,
    timeoutSeconds: 1800,
    tags: {},
  };
  const retryStrategy = {
    Attempts: 2,
    EvaluateOnExit: [
      { OnStatusReason: "Host EC2*", Action: "RETRY" },
      { OnReason: "*", Action: "EXIT" },
    ],
  };
  const parameters = (queue: string) => ({
    JobName: "nightly-load",
    JobQueue: queue,
    JobDefinition: definitionArn,
    ContainerOverrides: {
      ResourceRequirements: [
        { Type: "VCPU", Value: "2" },
        { Type: "MEMORY", Value: "4096" },
      ],
    },
    RetryStrategy: retryStrategy,
    Tags: { "stepline:pipeline": "nightly", "stepline:step": "load", team: "data" },
    PropagateTags: true,
  });

  test("task: spot queue first, on-demand fallback on reclaim, capacity or timeout", () => {
    const task = batchIntegration.task(load, ctx);
    expect(task.parameters).toStrictEqual(parameters("etl-spot"));
    expect(task.fallback).toStrictEqual({
      label: "on-demand",
      comment: "Spot capacity was reclaimed or never came: run the job again on on-demand capacity.",
      parameters: parameters("stepline-on-demand-x86_64"),
      causeField: "StatusReason",
      causeMatches: ["Host EC2*", "*CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY*"],
      onTimeout: true,
      firstAttemptTimeoutSeconds: 1800,
    });
  });

  test("resources: no managed definition, both queues", () => {
    expect(batchIntegration.resources(load, ctx)).toStrictEqual([
      {
        type: "batch.jobQueue",
        name: "etl-spot",
        usedBy: ["load"],
        managed: false,
        properties: { jobQueueName: "etl-spot", capacity: "spot", architecture: "x86_64" },
      },
      {
        type: "batch.jobQueue",
        name: "stepline-on-demand-x86_64",
        usedBy: ["load"],
        managed: false,
        properties: { jobQueueName: "stepline-on-demand-x86_64", capacity: "on-demand", architecture: "x86_64" },
      },
    ]);
  });

  test("iam: the definition ARN as given, both queues", () => {
    expect(batchIntegration.iam(load, ctx)[0]).toStrictEqual({
      Sid: "BatchSubmitJob",
      Effect: "Allow",
      Action: ["batch:SubmitJob"],
      Resource: [
        definitionArn,
        "arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-queue/etl-spot",
        "arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-queue/stepline-on-demand-x86_64",
      ],
    });
  });

  test("the pipeline defaults name the queues when the step does not", () => {
    const withDefaults: IntegrationContext = {
      pipeline,
      defaults: { jobQueue: "team-spot", onDemandJobQueue: "team-od" },
    };
    const { jobQueue: _unused, ...step } = load;
    const task = batchIntegration.task(step, withDefaults);
    expect(task.parameters.JobQueue).toBe("team-spot");
    expect(task.fallback?.parameters.JobQueue).toBe("team-od");
  });
});
