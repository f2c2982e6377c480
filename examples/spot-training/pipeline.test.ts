import { readFileSync } from "node:fs";
import { join } from "node:path";
import { orderFacts } from "@stepline/core";
import { describe, expect, it } from "vitest";
import { compileExample, exampleInput, runExampleCli, runExampleLocally } from "../../test/helpers/examples.js";
import training from "./pipeline.js";

describe("example: spot-training", () => {
  const result = compileExample(training);
  const states = result.stateMachine.States;

  it("runs through the CLI: validate, then compile --out", () => {
    const { asl, manifest } = runExampleCli("spot-training");
    expect(asl).toStrictEqual(result.stateMachine);
    expect(manifest.pipeline).toBe("demand-forecast-training");
  });

  it("trains on Graviton Spot with its checkpoint location in the environment", () => {
    const parameters = states.train?.Parameters as Record<string, unknown>;
    expect(parameters.JobQueue).toBe("ml-graviton-spot");
    expect(parameters.ContainerOverrides).toMatchObject({
      Environment: [
        {
          Name: "CHECKPOINT_URI",
          "Value.$": "States.Format('{}/checkpoints/{}/', $.input.artifacts, $.input.modelVersion)",
        },
      ],
    });
    const definition = result.manifest.resources.find((r) => r.name === "demand-forecast-training-train");
    expect(definition?.properties).toMatchObject({ architecture: "arm64" });
  });

  it("resubmits on-demand only when Spot capacity was lost", () => {
    expect(states.train?.Catch).toStrictEqual([
      { ErrorEquals: ["States.Timeout"], ResultPath: "$.error", Next: "train.on-demand" },
      { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "train.IsJobFailure" },
    ]);
    expect(states["train.CheckReason"]?.Choices).toStrictEqual([
      { Variable: "$.error.Job.StatusReason", StringMatches: "Host EC2*", Next: "train.on-demand" },
      {
        Variable: "$.error.Job.StatusReason",
        StringMatches: "*CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY*",
        Next: "train.on-demand",
      },
    ]);
    expect(states["train.CheckReason"]?.Default).toBe("train.Failed");
    expect((states["train.on-demand"]?.Parameters as Record<string, unknown> | undefined)?.JobQueue).toBe(
      "ml-graviton-on-demand",
    );
    // Both attempts lead to the evaluation.
    expect(states.train?.Next).toBe("evaluate");
    expect(states["train.on-demand"]?.Next).toBe("evaluate");
  });

  it("evaluates after training and publishes only when asked", () => {
    const before = orderFacts(result.stateMachine).before;
    expect(before.get("evaluate")?.has("build-features")).toBe(true);
    expect(before.get("register-model")?.has("evaluate")).toBe(true);
    expect(states["publish-if-requested"]?.Choices).toStrictEqual([
      { Variable: "$.input.publish", BooleanEquals: true, Next: "publish-if-requested.Then" },
    ]);
  });

  it("runs locally end to end: features, training with checkpoints, evaluation, registration", () => {
    const { result, lake, cleanup } = runExampleLocally("spot-training");
    try {
      expect(result.status).toBe("SUCCEEDED");
      const artifacts = join(lake, "acme-ml-artifacts/demand-forecast");
      const checkpoint = JSON.parse(readFileSync(join(artifacts, "checkpoints/2026.47.1/checkpoint.json"), "utf8"));
      expect(checkpoint.epoch).toBe(60);
      const metrics = JSON.parse(readFileSync(join(artifacts, "models/2026.47.1/metrics.json"), "utf8"));
      expect(metrics.rows).toBe(1040);
      expect(metrics.mae).toBeLessThan(10);
      const steps = (result.output as { steps: Record<string, Record<string, unknown>> }).steps;
      expect(metrics.trainJob).toBe(steps.train?.JobId);
      const registered = JSON.parse(readFileSync(join(lake, "registry/demand-forecast/2026.47.1.json"), "utf8"));
      expect(registered).toMatchObject({ model: "demand-forecast", version: "2026.47.1" });
    } finally {
      cleanup();
    }
  });

  it("accepts its input.json", () => {
    const input = exampleInput("spot-training");
    for (const field of training.input.required) expect(input).toHaveProperty(field);
  });

  it("compiles to JSONata with the same structure", () => {
    const jsonata = compileExample(training, "JSONata");
    expect(orderFacts(jsonata.stateMachine).before).toStrictEqual(orderFacts(result.stateMachine).before);
  });

  it("compiles to this state machine", () => {
    expect(result.stateMachine).toMatchInlineSnapshot(`
      {
        "Comment": "Feature build, Spot training with checkpoints, evaluation and publish.",
        "StartAt": "Input.CheckRequired",
        "States": {
          "Input.ApplyDefaults": {
            "Comment": "apply the input schema's defaults and start the state document",
            "Next": "Input.CheckTypes",
            "Parameters": {
              "input.$": "States.JsonMerge($.defaults, $.given, false)",
              "steps": {},
            },
            "Type": "Pass",
          },
          "Input.CheckRequired": {
            "Choices": [
              {
                "IsPresent": false,
                "Next": "Input.Missing.modelVersion",
                "Variable": "$.modelVersion",
              },
              {
                "IsPresent": false,
                "Next": "Input.Missing.runDate",
                "Variable": "$.runDate",
              },
            ],
            "Comment": "fail fast when a required input field is missing",
            "Default": "Input.Defaults",
            "Type": "Choice",
          },
          "Input.CheckTypes": {
            "Choices": [
              {
                "Next": "Input.Invalid.artifacts",
                "Not": {
                  "IsString": true,
                  "Variable": "$.input.artifacts",
                },
              },
              {
                "Next": "Input.Invalid.epochs",
                "Not": {
                  "IsNumeric": true,
                  "Variable": "$.input.epochs",
                },
              },
              {
                "Next": "Input.Invalid.modelVersion",
                "Not": {
                  "IsString": true,
                  "Variable": "$.input.modelVersion",
                },
              },
              {
                "Next": "Input.Invalid.publish",
                "Not": {
                  "IsBoolean": true,
                  "Variable": "$.input.publish",
                },
              },
              {
                "Next": "Input.Invalid.runDate",
                "Not": {
                  "IsString": true,
                  "Variable": "$.input.runDate",
                },
              },
            ],
            "Comment": "fail fast when an input field has the wrong type",
            "Default": "build-features",
            "Type": "Choice",
          },
          "Input.Defaults": {
            "Comment": "place the input schema's defaults beside the given input",
            "Next": "Input.ApplyDefaults",
            "Parameters": {
              "defaults": {
                "artifacts": "s3://acme-ml-artifacts/demand-forecast",
                "epochs": 40,
                "publish": false,
              },
              "given.$": "$",
            },
            "Type": "Pass",
          },
          "Input.Invalid.artifacts": {
            "Cause": "input field 'artifacts' must be a string",
            "Error": "stepline.InputInvalid",
            "Type": "Fail",
          },
          "Input.Invalid.epochs": {
            "Cause": "input field 'epochs' must be a number",
            "Error": "stepline.InputInvalid",
            "Type": "Fail",
          },
          "Input.Invalid.modelVersion": {
            "Cause": "input field 'modelVersion' must be a string",
            "Error": "stepline.InputInvalid",
            "Type": "Fail",
          },
          "Input.Invalid.publish": {
            "Cause": "input field 'publish' must be a boolean",
            "Error": "stepline.InputInvalid",
            "Type": "Fail",
          },
          "Input.Invalid.runDate": {
            "Cause": "input field 'runDate' must be a string",
            "Error": "stepline.InputInvalid",
            "Type": "Fail",
          },
          "Input.Missing.modelVersion": {
            "Cause": "required input field 'modelVersion' is missing; start the run with {"modelVersion": …}",
            "Error": "stepline.InputMissing",
            "Type": "Fail",
          },
          "Input.Missing.runDate": {
            "Cause": "required input field 'runDate' is missing; start the run with {"runDate": …}",
            "Error": "stepline.InputMissing",
            "Type": "Fail",
          },
          "build-features": {
            "Comment": "Glue spark job demand-forecast-training-build-features (10 × G.2X)",
            "Next": "train",
            "Parameters": {
              "Arguments": {
                "--out.$": "States.Format('{}/features/{}/', $.input.artifacts, $.input.runDate)",
                "--run-date.$": "States.Format('{}', $.input.runDate)",
              },
              "JobName": "demand-forecast-training-build-features",
              "NumberOfWorkers": 10,
              "Timeout": 120,
              "WorkerType": "G.2X",
            },
            "Resource": "arn:aws:states:::glue:startJobRun.sync",
            "ResultPath": "$.steps['build-features']",
            "ResultSelector": {
              "CompletedOn.$": "$.CompletedOn",
              "ExecutionTime.$": "$.ExecutionTime",
              "JobRunId.$": "$.Id",
              "JobRunState.$": "$.JobRunState",
              "StartedOn.$": "$.StartedOn",
            },
            "Retry": [
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "Glue.ConcurrentRunsExceededException",
                ],
                "IntervalSeconds": 30,
                "JitterStrategy": "FULL",
                "MaxAttempts": 6,
                "MaxDelaySeconds": 300,
              },
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "Glue.AWSGlueException",
                ],
                "IntervalSeconds": 5,
                "JitterStrategy": "FULL",
                "MaxAttempts": 3,
              },
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "States.TaskFailed",
                ],
                "IntervalSeconds": 120,
                "JitterStrategy": "FULL",
                "MaxAttempts": 1,
              },
            ],
            "Type": "Task",
          },
          "evaluate": {
            "Comment": "Batch job on spot (arm64, 4 vCPU, 16 GiB)",
            "Next": "publish-if-requested",
            "Parameters": {
              "ContainerOverrides": {
                "Command.$": "States.Array('python', 'evaluate.py', '--model', States.Format('{}/models/{}/', $.input.artifacts, $.input.modelVersion), '--train-job', $.steps.train.JobId)",
              },
              "JobDefinition": "demand-forecast-training-evaluate",
              "JobName": "demand-forecast-training-evaluate",
              "JobQueue": "ml-graviton-spot",
              "PropagateTags": true,
              "Tags": {
                "model": "demand-forecast",
                "stepline:pipeline": "demand-forecast-training",
                "stepline:step": "evaluate",
                "team": "ml-platform",
              },
            },
            "Resource": "arn:aws:states:::batch:submitJob.sync",
            "ResultPath": "$.steps.evaluate",
            "ResultSelector": {
              "ExitCode.$": "$.Container.ExitCode",
              "JobId.$": "$.JobId",
              "JobName.$": "$.JobName",
              "StartedAt.$": "$.StartedAt",
              "Status.$": "$.Status",
              "StoppedAt.$": "$.StoppedAt",
            },
            "Retry": [
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "Batch.AWSBatchException",
                  "Batch.ServerException",
                ],
                "IntervalSeconds": 2,
                "JitterStrategy": "FULL",
                "MaxAttempts": 8,
                "MaxDelaySeconds": 60,
              },
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "States.TaskFailed",
                ],
                "IntervalSeconds": 120,
                "JitterStrategy": "FULL",
                "MaxAttempts": 1,
              },
            ],
            "Type": "Task",
          },
          "publish-if-requested": {
            "Choices": [
              {
                "BooleanEquals": true,
                "Next": "publish-if-requested.Then",
                "Variable": "$.input.publish",
              },
            ],
            "Comment": "choose between the 'then' and 'otherwise' branches of publish-if-requested",
            "Default": "publish-if-requested.Otherwise",
            "Type": "Choice",
          },
          "publish-if-requested.Otherwise": {
            "Comment": "publish-if-requested took the 'otherwise' branch",
            "End": true,
            "Result": {
              "Branch": "otherwise",
            },
            "ResultPath": "$.steps['publish-if-requested']",
            "Type": "Pass",
          },
          "publish-if-requested.Then": {
            "Comment": "publish-if-requested took the 'then' branch",
            "Next": "register-model",
            "Result": {
              "Branch": "then",
            },
            "ResultPath": "$.steps['publish-if-requested']",
            "Type": "Pass",
          },
          "register-model": {
            "Comment": "Lambda function arn:aws:lambda:us-west-2:123456789012:function:model-registry-register",
            "End": true,
            "Parameters": {
              "FunctionName": "arn:aws:lambda:us-west-2:123456789012:function:model-registry-register",
              "Payload": {
                "evaluationJob.$": "$.steps.evaluate.JobId",
                "model": "demand-forecast",
                "version.$": "$.input.modelVersion",
              },
            },
            "Resource": "arn:aws:states:::lambda:invoke",
            "ResultPath": "$.steps['register-model']",
            "ResultSelector": {
              "Payload.$": "$.Payload",
              "StatusCode.$": "$.StatusCode",
            },
            "Retry": [
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "Lambda.ServiceException",
                  "Lambda.AWSLambdaException",
                  "Lambda.SdkClientException",
                  "Lambda.TooManyRequestsException",
                ],
                "IntervalSeconds": 1,
                "JitterStrategy": "FULL",
                "MaxAttempts": 3,
              },
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "States.TaskFailed",
                ],
                "IntervalSeconds": 120,
                "JitterStrategy": "FULL",
                "MaxAttempts": 1,
              },
            ],
            "Type": "Task",
          },
          "train": {
            "Catch": [
              {
                "ErrorEquals": [
                  "States.Timeout",
                ],
                "Next": "train.on-demand",
                "ResultPath": "$.error",
              },
              {
                "ErrorEquals": [
                  "States.ALL",
                ],
                "Next": "train.IsJobFailure",
                "ResultPath": "$.error",
              },
            ],
            "Comment": "Batch job on spot-then-on-demand (arm64, 16 vCPU, 64 GiB)",
            "Next": "evaluate",
            "Parameters": {
              "ContainerOverrides": {
                "Command.$": "States.Array('python', 'train.py', '--features', States.Format('{}/features/{}/', $.input.artifacts, $.input.runDate), '--epochs', States.Format('{}', $.input.epochs), '--model-version', $.input.modelVersion)",
                "Environment": [
                  {
                    "Name": "CHECKPOINT_URI",
                    "Value.$": "States.Format('{}/checkpoints/{}/', $.input.artifacts, $.input.modelVersion)",
                  },
                ],
              },
              "JobDefinition": "demand-forecast-training-train",
              "JobName": "demand-forecast-training-train",
              "JobQueue": "ml-graviton-spot",
              "PropagateTags": true,
              "Tags": {
                "model": "demand-forecast",
                "stepline:pipeline": "demand-forecast-training",
                "stepline:step": "train",
                "team": "ml-platform",
                "workload": "training",
              },
              "Timeout": {
                "AttemptDurationSeconds": 14400,
              },
            },
            "Resource": "arn:aws:states:::batch:submitJob.sync",
            "ResultPath": "$.steps.train",
            "ResultSelector": {
              "ExitCode.$": "$.Container.ExitCode",
              "JobId.$": "$.JobId",
              "JobName.$": "$.JobName",
              "StartedAt.$": "$.StartedAt",
              "Status.$": "$.Status",
              "StoppedAt.$": "$.StoppedAt",
            },
            "Retry": [
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "Batch.AWSBatchException",
                  "Batch.ServerException",
                ],
                "IntervalSeconds": 2,
                "JitterStrategy": "FULL",
                "MaxAttempts": 8,
                "MaxDelaySeconds": 60,
              },
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "States.TaskFailed",
                ],
                "IntervalSeconds": 120,
                "JitterStrategy": "FULL",
                "MaxAttempts": 1,
              },
            ],
            "TimeoutSeconds": 43200,
            "Type": "Task",
          },
          "train.CheckReason": {
            "Choices": [
              {
                "Next": "train.on-demand",
                "StringMatches": "Host EC2*",
                "Variable": "$.error.Job.StatusReason",
              },
              {
                "Next": "train.on-demand",
                "StringMatches": "*CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY*",
                "Variable": "$.error.Job.StatusReason",
              },
            ],
            "Comment": "go to train.on-demand only when the first attempt lost its capacity",
            "Default": "train.Failed",
            "Type": "Choice",
          },
          "train.Failed": {
            "CausePath": "$.error.Cause",
            "Comment": "train failed",
            "ErrorPath": "$.error.Error",
            "Type": "Fail",
          },
          "train.HasReason": {
            "Choices": [
              {
                "IsPresent": true,
                "Next": "train.CheckReason",
                "Variable": "$.error.Job.StatusReason",
              },
            ],
            "Comment": "a job that failed before it started has no status reason",
            "Default": "train.Failed",
            "Type": "Choice",
          },
          "train.IsJobFailure": {
            "Choices": [
              {
                "Next": "train.Failed",
                "Not": {
                  "StringEquals": "States.TaskFailed",
                  "Variable": "$.error.Error",
                },
              },
              {
                "IsPresent": false,
                "Next": "train.Failed",
                "Variable": "$.error.Cause",
              },
              {
                "Next": "train.Failed",
                "Not": {
                  "StringMatches": "{*",
                  "Variable": "$.error.Cause",
                },
              },
            ],
            "Comment": "only a failed job carries its description in the error cause",
            "Default": "train.ParseCause",
            "Type": "Choice",
          },
          "train.ParseCause": {
            "Comment": "read the failed job's status reason from the error cause",
            "Next": "train.HasReason",
            "Parameters": {
              "Cause.$": "$.error.Cause",
              "Error.$": "$.error.Error",
              "Job.$": "States.StringToJson($.error.Cause)",
            },
            "ResultPath": "$.error",
            "Type": "Pass",
          },
          "train.on-demand": {
            "Comment": "Spot capacity was reclaimed or never came: run the job again on on-demand capacity.",
            "Next": "evaluate",
            "Parameters": {
              "ContainerOverrides": {
                "Command.$": "States.Array('python', 'train.py', '--features', States.Format('{}/features/{}/', $.input.artifacts, $.input.runDate), '--epochs', States.Format('{}', $.input.epochs), '--model-version', $.input.modelVersion)",
                "Environment": [
                  {
                    "Name": "CHECKPOINT_URI",
                    "Value.$": "States.Format('{}/checkpoints/{}/', $.input.artifacts, $.input.modelVersion)",
                  },
                ],
              },
              "JobDefinition": "demand-forecast-training-train",
              "JobName": "demand-forecast-training-train",
              "JobQueue": "ml-graviton-on-demand",
              "PropagateTags": true,
              "Tags": {
                "model": "demand-forecast",
                "stepline:pipeline": "demand-forecast-training",
                "stepline:step": "train",
                "team": "ml-platform",
                "workload": "training",
              },
              "Timeout": {
                "AttemptDurationSeconds": 14400,
              },
            },
            "Resource": "arn:aws:states:::batch:submitJob.sync",
            "ResultPath": "$.steps.train",
            "ResultSelector": {
              "ExitCode.$": "$.Container.ExitCode",
              "JobId.$": "$.JobId",
              "JobName.$": "$.JobName",
              "StartedAt.$": "$.StartedAt",
              "Status.$": "$.Status",
              "StoppedAt.$": "$.StoppedAt",
            },
            "Retry": [
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "Batch.AWSBatchException",
                  "Batch.ServerException",
                ],
                "IntervalSeconds": 2,
                "JitterStrategy": "FULL",
                "MaxAttempts": 8,
                "MaxDelaySeconds": 60,
              },
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "States.TaskFailed",
                ],
                "IntervalSeconds": 120,
                "JitterStrategy": "FULL",
                "MaxAttempts": 1,
              },
            ],
            "TimeoutSeconds": 43200,
            "Type": "Task",
          },
        },
      }
    `);
  });
});
