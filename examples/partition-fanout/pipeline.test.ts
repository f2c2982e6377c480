import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { orderFacts } from "@stepline/core";
import { describe, expect, it } from "vitest";
import { compileExample, exampleInput, runExampleCli, runExampleLocally } from "../../test/helpers/examples.js";
import compaction from "./pipeline.js";

describe("example: partition-fanout", () => {
  const result = compileExample(compaction);
  const states = result.stateMachine.States;

  it("runs through the CLI: validate, then compile --out", () => {
    const { asl, manifest } = runExampleCli("partition-fanout");
    expect(asl).toStrictEqual(result.stateMachine);
    expect(manifest.pipeline).toBe("clickstream-compaction");
  });

  it("fans out over the partitions the Lambda listed, 8 at a time", () => {
    const map = states["compact-partitions"];
    expect(map?.ItemsPath).toBe("$.steps['list-partitions'].Payload.partitions");
    expect(map?.MaxConcurrency).toBe(8);
    expect(map?.ItemProcessor).toMatchObject({ ProcessorConfig: { Mode: "INLINE" }, StartAt: "compact-partition" });
  });

  it("chooses the full rebuild or the incremental merge from the input", () => {
    expect(states["sessions-mode"]?.Choices).toStrictEqual([
      { Variable: "$.input.mode", StringEquals: "full", Next: "sessions-mode.Then" },
    ]);
    const before = orderFacts(result.stateMachine).before;
    expect(before.get("merge-sessions")?.has("compact-partition")).toBe(true);
    expect(before.get("rebuild-sessions")?.has("list-partitions")).toBe(true);
  });

  it("lets the catalog refresh fail without failing the run", () => {
    expect(states["refresh-catalog"]?.Catch).toStrictEqual([
      { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "refresh-catalog.Continue" },
    ]);
  });

  it("runs locally end to end: lists partitions, compacts each, merges sessions, refreshes the catalog", () => {
    const { result, lake, cleanup } = runExampleLocally("partition-fanout");
    try {
      expect(result.status).toBe("SUCCEEDED");
      const steps = (result.output as { steps: Record<string, Record<string, unknown>> }).steps;
      expect(steps["list-partitions"]?.Payload).toMatchObject({ count: 6 });
      expect(steps["compact-partitions"]).toStrictEqual({ Count: 6 });
      expect(steps["sessions-mode"]).toStrictEqual({ Branch: "otherwise" });
      const table = join(lake, "acme-clickstream/tables/sessions/date=2026-11-24/sessions.json");
      const sessions = JSON.parse(readFileSync(table, "utf8")) as { pages: number }[];
      // 6 hours × 3 files × 50 events, every one of them in exactly one session.
      expect(sessions.reduce((sum, s) => sum + s.pages, 0)).toBe(900);
      expect(existsSync(join(lake, "catalog/clickstream/sessions.json"))).toBe(true);
    } finally {
      cleanup();
    }
  });

  it("accepts its input.json", () => {
    const input = exampleInput("partition-fanout");
    for (const field of compaction.input.required) expect(input).toHaveProperty(field);
  });

  it("compiles to JSONata with the same structure", () => {
    const jsonata = compileExample(compaction, "JSONata");
    expect(orderFacts(jsonata.stateMachine).before).toStrictEqual(orderFacts(result.stateMachine).before);
  });

  it("compiles to this state machine", () => {
    expect(result.stateMachine).toMatchInlineSnapshot(`
      {
        "Comment": "Compact each landed clickstream partition, then rebuild or merge sessions.",
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
                "Next": "Input.Missing.date",
                "Variable": "$.date",
              },
            ],
            "Comment": "fail fast when a required input field is missing",
            "Default": "Input.Defaults",
            "Type": "Choice",
          },
          "Input.CheckTypes": {
            "Choices": [
              {
                "Next": "Input.Invalid.bucket",
                "Not": {
                  "IsString": true,
                  "Variable": "$.input.bucket",
                },
              },
              {
                "Next": "Input.Invalid.date",
                "Not": {
                  "IsString": true,
                  "Variable": "$.input.date",
                },
              },
              {
                "Next": "Input.Invalid.mode",
                "Not": {
                  "IsString": true,
                  "Variable": "$.input.mode",
                },
              },
              {
                "Next": "Input.Invalid.targetFileMiB",
                "Not": {
                  "IsNumeric": true,
                  "Variable": "$.input.targetFileMiB",
                },
              },
            ],
            "Comment": "fail fast when an input field has the wrong type",
            "Default": "list-partitions",
            "Type": "Choice",
          },
          "Input.Defaults": {
            "Comment": "place the input schema's defaults beside the given input",
            "Next": "Input.ApplyDefaults",
            "Parameters": {
              "defaults": {
                "bucket": "acme-clickstream",
                "mode": "incremental",
                "targetFileMiB": 256,
              },
              "given.$": "$",
            },
            "Type": "Pass",
          },
          "Input.Invalid.bucket": {
            "Cause": "input field 'bucket' must be a string",
            "Error": "stepline.InputInvalid",
            "Type": "Fail",
          },
          "Input.Invalid.date": {
            "Cause": "input field 'date' must be a string",
            "Error": "stepline.InputInvalid",
            "Type": "Fail",
          },
          "Input.Invalid.mode": {
            "Cause": "input field 'mode' must be a string",
            "Error": "stepline.InputInvalid",
            "Type": "Fail",
          },
          "Input.Invalid.targetFileMiB": {
            "Cause": "input field 'targetFileMiB' must be a number",
            "Error": "stepline.InputInvalid",
            "Type": "Fail",
          },
          "Input.Missing.date": {
            "Cause": "required input field 'date' is missing; start the run with {"date": …}",
            "Error": "stepline.InputMissing",
            "Type": "Fail",
          },
          "compact-partitions": {
            "Comment": "fan-out over steps.list-partitions.Payload.partitions, at most 8 at a time",
            "ItemProcessor": {
              "ProcessorConfig": {
                "Mode": "INLINE",
              },
              "StartAt": "compact-partition",
              "States": {
                "compact-partition": {
                  "Comment": "Batch job on spot (x86_64, 4 vCPU, 8 GiB)",
                  "Next": "compact-partitions.ItemDone",
                  "Parameters": {
                    "ContainerOverrides": {
                      "Command.$": "States.Array('compact', '--in', States.Format('s3://{}/{}', $.input.bucket, $.item), '--out', States.Format('s3://{}/compacted/{}', $.input.bucket, $.item), '--target-mib', States.Format('{}', $.input.targetFileMiB))",
                    },
                    "JobDefinition": "clickstream-compaction-compact-partition",
                    "JobName": "clickstream-compaction-compact-partition",
                    "JobQueue": "analytics-spot",
                    "PropagateTags": true,
                    "Tags": {
                      "stepline:pipeline": "clickstream-compaction",
                      "stepline:step": "compact-partition",
                      "team": "web-analytics",
                    },
                    "Timeout": {
                      "AttemptDurationSeconds": 1800,
                    },
                  },
                  "Resource": "arn:aws:states:::batch:submitJob.sync",
                  "ResultPath": "$.steps['compact-partition']",
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
                      "IntervalSeconds": 30,
                      "JitterStrategy": "FULL",
                      "MaxAttempts": 3,
                    },
                  ],
                  "TimeoutSeconds": 7200,
                  "Type": "Task",
                },
                "compact-partitions.ItemDone": {
                  "Comment": "keep the Map result small: one empty object per item",
                  "End": true,
                  "Result": {},
                  "Type": "Pass",
                },
              },
            },
            "ItemSelector": {
              "index.$": "$$.Map.Item.Index",
              "input.$": "$.input",
              "item.$": "$$.Map.Item.Value",
              "steps.$": "$.steps",
            },
            "ItemsPath": "$.steps['list-partitions'].Payload.partitions",
            "MaxConcurrency": 8,
            "Next": "sessions-mode",
            "ResultPath": "$.steps['compact-partitions']",
            "ResultSelector": {
              "Count.$": "States.ArrayLength($)",
            },
            "Type": "Map",
          },
          "list-partitions": {
            "Comment": "Lambda function clickstream-list-partitions",
            "Next": "compact-partitions",
            "Parameters": {
              "FunctionName": "clickstream-list-partitions",
              "Payload": {
                "bucket.$": "$.input.bucket",
                "prefix.$": "States.Format('landing/date={}/', $.input.date)",
              },
            },
            "Resource": "arn:aws:states:::lambda:invoke",
            "ResultPath": "$.steps['list-partitions']",
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
                "IntervalSeconds": 30,
                "JitterStrategy": "FULL",
                "MaxAttempts": 3,
              },
            ],
            "TimeoutSeconds": 60,
            "Type": "Task",
          },
          "merge-sessions": {
            "Comment": "Glue spark job sessions-incremental-merge (5 × G.1X), flex",
            "Next": "refresh-catalog",
            "Parameters": {
              "Arguments": {
                "--date.$": "States.Format('{}', $.input.date)",
                "--partitions.$": "States.Format('{}', $.steps['list-partitions'].Payload.count)",
              },
              "ExecutionClass": "FLEX",
              "JobName": "sessions-incremental-merge",
              "NumberOfWorkers": 5,
              "WorkerType": "G.1X",
            },
            "Resource": "arn:aws:states:::glue:startJobRun.sync",
            "ResultPath": "$.steps['merge-sessions']",
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
                "IntervalSeconds": 30,
                "JitterStrategy": "FULL",
                "MaxAttempts": 3,
              },
            ],
            "TimeoutSeconds": 7200,
            "Type": "Task",
          },
          "rebuild-sessions": {
            "Comment": "Glue spark job sessions-full-rebuild (20 × G.2X)",
            "Next": "refresh-catalog",
            "Parameters": {
              "Arguments": {
                "--date.$": "States.Format('{}', $.input.date)",
              },
              "JobName": "sessions-full-rebuild",
              "NumberOfWorkers": 20,
              "WorkerType": "G.2X",
            },
            "Resource": "arn:aws:states:::glue:startJobRun.sync",
            "ResultPath": "$.steps['rebuild-sessions']",
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
                "IntervalSeconds": 30,
                "JitterStrategy": "FULL",
                "MaxAttempts": 3,
              },
            ],
            "TimeoutSeconds": 7200,
            "Type": "Task",
          },
          "refresh-catalog": {
            "Catch": [
              {
                "ErrorEquals": [
                  "States.ALL",
                ],
                "Next": "refresh-catalog.Continue",
                "ResultPath": "$.error",
              },
            ],
            "Comment": "Lambda function glue-catalog-refresh",
            "End": true,
            "Parameters": {
              "FunctionName": "glue-catalog-refresh",
              "Payload": {
                "database": "clickstream",
                "date.$": "$.input.date",
                "table": "sessions",
              },
            },
            "Resource": "arn:aws:states:::lambda:invoke",
            "ResultPath": "$.steps['refresh-catalog']",
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
                "IntervalSeconds": 30,
                "JitterStrategy": "FULL",
                "MaxAttempts": 3,
              },
            ],
            "TimeoutSeconds": 7200,
            "Type": "Task",
          },
          "refresh-catalog.Continue": {
            "Comment": "refresh-catalog failed; the run goes on with its error",
            "End": true,
            "InputPath": "$.error",
            "ResultPath": "$.steps['refresh-catalog']",
            "Type": "Pass",
          },
          "sessions-mode": {
            "Choices": [
              {
                "Next": "sessions-mode.Then",
                "StringEquals": "full",
                "Variable": "$.input.mode",
              },
            ],
            "Comment": "choose between the 'then' and 'otherwise' branches of sessions-mode",
            "Default": "sessions-mode.Otherwise",
            "Type": "Choice",
          },
          "sessions-mode.Otherwise": {
            "Comment": "sessions-mode took the 'otherwise' branch",
            "Next": "merge-sessions",
            "Result": {
              "Branch": "otherwise",
            },
            "ResultPath": "$.steps['sessions-mode']",
            "Type": "Pass",
          },
          "sessions-mode.Then": {
            "Comment": "sessions-mode took the 'then' branch",
            "Next": "rebuild-sessions",
            "Result": {
              "Branch": "then",
            },
            "ResultPath": "$.steps['sessions-mode']",
            "Type": "Pass",
          },
        },
      }
    `);
  });
});
