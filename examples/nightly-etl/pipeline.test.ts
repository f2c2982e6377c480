import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { orderFacts } from "@stepline/core";
import { describe, expect, it } from "vitest";
import { compileExample, exampleInput, runExampleCli, runExampleLocally } from "../../test/helpers/examples.js";
import nightly from "./pipeline.js";

describe("example: nightly-etl", () => {
  const result = compileExample(nightly);

  it("runs through the CLI: validate, then compile --out", () => {
    const { asl, manifest } = runExampleCli("nightly-etl");
    expect(asl).toStrictEqual(result.stateMachine);
    expect(manifest.pipeline).toBe("nightly-sales-etl");
  });

  it("keeps every dependency and reports the one wait it adds", () => {
    const before = orderFacts(result.stateMachine).before;
    // The schedule's overlap guard (Overlap.Check) runs before every step.
    expect([...(before.get("transform-orders") ?? [])].sort()).toStrictEqual([
      "Overlap.Check",
      "extract-customers",
      "extract-orders",
    ]);
    expect(before.get("extract-orders")).toStrictEqual(new Set(["Overlap.Check"]));
    expect(before.get("load-warehouse")?.has("refresh-customer-dim")).toBe(true);
    expect(result.report.addedWaits.map((w) => w.message)).toStrictEqual([
      "refresh-customer-dim also waits for extract-orders",
    ]);
  });

  it("notifies on failure once, through the pipeline-level handler", () => {
    const states = result.stateMachine.States;
    expect(states.Pipeline?.Catch).toStrictEqual([
      { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "notify-failure" },
    ]);
    expect(states["notify-failure"]?.Next).toBe("Pipeline.Failed");
  });

  it("needs exactly these IAM actions", () => {
    expect(result.report.iamActions).toMatchInlineSnapshot(`
      [
        "batch:DescribeJobs",
        "batch:SubmitJob",
        "batch:TagResource",
        "batch:TerminateJob",
        "events:DescribeRule",
        "events:PutRule",
        "events:PutTargets",
        "glue:BatchStopJobRun",
        "glue:GetJobRun",
        "glue:GetJobRuns",
        "glue:StartJobRun",
        "lambda:InvokeFunction",
        "states:ListExecutions",
      ]
    `);
  });

  it("accepts its input.json: every required field is there", () => {
    const input = exampleInput("nightly-etl");
    for (const field of nightly.input.required) expect(input).toHaveProperty(field);
  });

  it("compiles to JSONata with the same structure", () => {
    const jsonata = compileExample(nightly, "JSONata");
    expect(orderFacts(jsonata.stateMachine).before).toStrictEqual(orderFacts(result.stateMachine).before);
  });

  it("compiles to this state machine", () => {
    expect(result.stateMachine).toMatchInlineSnapshot(`
      {
        "Comment": "Extract the day's orders, clean them with Glue, load the warehouse.",
        "StartAt": "Overlap.Check",
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
                "Next": "Input.Invalid.fullRefresh",
                "Not": {
                  "IsBoolean": true,
                  "Variable": "$.input.fullRefresh",
                },
              },
              {
                "Next": "Input.Invalid.warehouseSchema",
                "Not": {
                  "IsString": true,
                  "Variable": "$.input.warehouseSchema",
                },
              },
            ],
            "Comment": "fail fast when an input field has the wrong type",
            "Default": "Pipeline",
            "Type": "Choice",
          },
          "Input.Defaults": {
            "Comment": "place the input schema's defaults beside the given input",
            "Next": "Input.ApplyDefaults",
            "Parameters": {
              "defaults": {
                "bucket": "acme-data-lake",
                "fullRefresh": false,
                "warehouseSchema": "sales",
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
          "Input.Invalid.fullRefresh": {
            "Cause": "input field 'fullRefresh' must be a boolean",
            "Error": "stepline.InputInvalid",
            "Type": "Fail",
          },
          "Input.Invalid.warehouseSchema": {
            "Cause": "input field 'warehouseSchema' must be a string",
            "Error": "stepline.InputInvalid",
            "Type": "Fail",
          },
          "Input.Missing.date": {
            "Cause": "required input field 'date' is missing; start the run with {"date": …}",
            "Error": "stepline.InputMissing",
            "Type": "Fail",
          },
          "Overlap.Check": {
            "Arguments": {
              "MaxResults": 100,
              "StateMachineArn": "{% $join($split($states.context.StateMachine.Id, ':')[[0..6]], ':') %}",
              "StatusFilter": "RUNNING",
            },
            "Assign": {
              "steplineOtherRuns": "{% $count($states.result.Executions[ExecutionArn != $states.context.Execution.Id]) %}",
            },
            "Comment": "overlap skip: count the other RUNNING runs of this state machine",
            "Next": "Overlap.Decide",
            "Output": "{% $states.input %}",
            "QueryLanguage": "JSONata",
            "Resource": "arn:aws:states:::aws-sdk:sfn:listExecutions",
            "Retry": [
              {
                "BackoffRate": 2,
                "ErrorEquals": [
                  "Sfn.SfnException",
                  "Sfn.ThrottlingException",
                  "States.TaskFailed",
                ],
                "IntervalSeconds": 2,
                "JitterStrategy": "FULL",
                "MaxAttempts": 3,
              },
            ],
            "Type": "Task",
          },
          "Overlap.Decide": {
            "Choices": [
              {
                "Condition": "{% $steplineOtherRuns > 0 %}",
                "Next": "Overlap.Skipped",
              },
            ],
            "Comment": "overlap skip: end at once when another run is RUNNING",
            "Default": "Schedule.IsScheduled",
            "QueryLanguage": "JSONata",
            "Type": "Choice",
          },
          "Overlap.Skipped": {
            "Comment": "another run of this pipeline is RUNNING; this one runs no jobs (overlap: skip)",
            "Output": "{% {"skipped": "another run of nightly-sales-etl is RUNNING (overlap: skip)", "running": $steplineOtherRuns} %}",
            "QueryLanguage": "JSONata",
            "Type": "Succeed",
          },
          "Pipeline": {
            "Branches": [
              {
                "StartAt": "Parallel.1",
                "States": {
                  "Parallel.1": {
                    "Branches": [
                      {
                        "StartAt": "extract-orders",
                        "States": {
                          "extract-orders": {
                            "Comment": "Batch job on spot (x86_64, 2 vCPU, 4 GiB)",
                            "End": true,
                            "Parameters": {
                              "ContainerOverrides": {
                                "Command.$": "States.Array('python', '-m', 'etl.extract', '--table', 'orders', '--date', $.input.date, '--out', States.Format('s3://{}/raw/orders/date={}/', $.input.bucket, $.input.date))",
                              },
                              "JobDefinition": "nightly-sales-etl-extract-orders",
                              "JobName": "nightly-sales-etl-extract-orders",
                              "JobQueue": "stepline-spot-x86_64",
                              "PropagateTags": true,
                              "Tags": {
                                "cost-center": "analytics",
                                "stepline:pipeline": "nightly-sales-etl",
                                "stepline:step": "extract-orders",
                                "team": "data-platform",
                              },
                              "Timeout": {
                                "AttemptDurationSeconds": 3600,
                              },
                            },
                            "Resource": "arn:aws:states:::batch:submitJob.sync",
                            "ResultPath": "$.steps['extract-orders']",
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
                                "IntervalSeconds": 60,
                                "JitterStrategy": "FULL",
                                "MaxAttempts": 2,
                                "MaxDelaySeconds": 600,
                              },
                            ],
                            "TimeoutSeconds": 10800,
                            "Type": "Task",
                          },
                        },
                      },
                      {
                        "StartAt": "extract-customers",
                        "States": {
                          "extract-customers": {
                            "Comment": "Batch job on spot (x86_64, 1 vCPU, 2 GiB)",
                            "End": true,
                            "Parameters": {
                              "ContainerOverrides": {
                                "Command.$": "States.Array('python', '-m', 'etl.extract', '--table', 'customers', '--out', States.Format('s3://{}/raw/customers/date={}/', $.input.bucket, $.input.date))",
                              },
                              "JobDefinition": "nightly-sales-etl-extract-customers",
                              "JobName": "nightly-sales-etl-extract-customers",
                              "JobQueue": "stepline-spot-x86_64",
                              "PropagateTags": true,
                              "Tags": {
                                "cost-center": "analytics",
                                "stepline:pipeline": "nightly-sales-etl",
                                "stepline:step": "extract-customers",
                                "team": "data-platform",
                              },
                              "Timeout": {
                                "AttemptDurationSeconds": 1800,
                              },
                            },
                            "Resource": "arn:aws:states:::batch:submitJob.sync",
                            "ResultPath": "$.steps['extract-customers']",
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
                                "IntervalSeconds": 60,
                                "JitterStrategy": "FULL",
                                "MaxAttempts": 2,
                                "MaxDelaySeconds": 600,
                              },
                            ],
                            "TimeoutSeconds": 10800,
                            "Type": "Task",
                          },
                        },
                      },
                    ],
                    "Comment": "runs extract-orders, extract-customers at the same time",
                    "Next": "Parallel.2",
                    "ResultSelector": {
                      "input.$": "$[0].input",
                      "steps.$": "States.JsonMerge($[0].steps, $[1].steps, false)",
                    },
                    "Type": "Parallel",
                  },
                  "Parallel.2": {
                    "Branches": [
                      {
                        "StartAt": "transform-orders",
                        "States": {
                          "transform-orders": {
                            "Comment": "Glue pythonshell job nightly-sales-etl-transform-orders",
                            "End": true,
                            "Parameters": {
                              "Arguments": {
                                "--customers.$": "States.Format('s3://{}/raw/customers/date={}/', $.input.bucket, $.input.date)",
                                "--extract-job-id.$": "States.Format('{}', $.steps['extract-orders'].JobId)",
                                "--orders.$": "States.Format('s3://{}/raw/orders/date={}/', $.input.bucket, $.input.date)",
                                "--out.$": "States.Format('s3://{}/clean/orders/date={}/', $.input.bucket, $.input.date)",
                              },
                              "JobName": "nightly-sales-etl-transform-orders",
                              "Timeout": 60,
                            },
                            "Resource": "arn:aws:states:::glue:startJobRun.sync",
                            "ResultPath": "$.steps['transform-orders']",
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
                                "IntervalSeconds": 60,
                                "JitterStrategy": "FULL",
                                "MaxAttempts": 2,
                                "MaxDelaySeconds": 600,
                              },
                            ],
                            "TimeoutSeconds": 10800,
                            "Type": "Task",
                          },
                        },
                      },
                      {
                        "StartAt": "refresh-customer-dim",
                        "States": {
                          "refresh-customer-dim": {
                            "Comment": "Glue spark job nightly-sales-etl-refresh-customer-dim (4 × G.1X), flex",
                            "End": true,
                            "Parameters": {
                              "Arguments": {
                                "--customers.$": "States.Format('s3://{}/raw/customers/date={}/', $.input.bucket, $.input.date)",
                              },
                              "ExecutionClass": "FLEX",
                              "JobName": "nightly-sales-etl-refresh-customer-dim",
                              "NumberOfWorkers": 4,
                              "WorkerType": "G.1X",
                            },
                            "Resource": "arn:aws:states:::glue:startJobRun.sync",
                            "ResultPath": "$.steps['refresh-customer-dim']",
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
                                "IntervalSeconds": 60,
                                "JitterStrategy": "FULL",
                                "MaxAttempts": 2,
                                "MaxDelaySeconds": 600,
                              },
                            ],
                            "TimeoutSeconds": 10800,
                            "Type": "Task",
                          },
                        },
                      },
                    ],
                    "Comment": "runs transform-orders, refresh-customer-dim at the same time",
                    "Next": "load-warehouse",
                    "ResultSelector": {
                      "input.$": "$[0].input",
                      "steps.$": "States.JsonMerge($[0].steps, $[1].steps, false)",
                    },
                    "Type": "Parallel",
                  },
                  "load-warehouse": {
                    "Comment": "Batch job on on-demand (x86_64, 1 vCPU, 2 GiB)",
                    "End": true,
                    "Parameters": {
                      "ContainerOverrides": {
                        "Command.$": "States.Array('python', '-m', 'etl.load', '--schema', $.input.warehouseSchema, '--date', $.input.date, '--in', States.Format('s3://{}/clean/orders/date={}/', $.input.bucket, $.input.date))",
                      },
                      "JobDefinition": "nightly-sales-etl-load-warehouse",
                      "JobName": "nightly-sales-etl-load-warehouse",
                      "JobQueue": "stepline-on-demand-x86_64",
                      "PropagateTags": true,
                      "Tags": {
                        "cost-center": "analytics",
                        "stepline:pipeline": "nightly-sales-etl",
                        "stepline:step": "load-warehouse",
                        "team": "data-platform",
                      },
                      "Timeout": {
                        "AttemptDurationSeconds": 3600,
                      },
                    },
                    "Resource": "arn:aws:states:::batch:submitJob.sync",
                    "ResultPath": "$.steps['load-warehouse']",
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
                        "IntervalSeconds": 60,
                        "JitterStrategy": "FULL",
                        "MaxAttempts": 2,
                        "MaxDelaySeconds": 600,
                      },
                    ],
                    "TimeoutSeconds": 10800,
                    "Type": "Task",
                  },
                },
              },
            ],
            "Catch": [
              {
                "ErrorEquals": [
                  "States.ALL",
                ],
                "Next": "notify-failure",
                "ResultPath": "$.error",
              },
            ],
            "Comment": "runs the pipeline; on failure runs notify-failure, then fails with the original error",
            "End": true,
            "OutputPath": "$[0]",
            "Type": "Parallel",
          },
          "Pipeline.Failed": {
            "CausePath": "$.error.Cause",
            "Comment": "the pipeline failed; its handler has run",
            "ErrorPath": "$.error.Error",
            "Type": "Fail",
          },
          "Schedule.Input": {
            "Comment": "fill the input fields taken from the scheduled time (in Europe/Paris)",
            "Next": "Input.CheckRequired",
            "Output": "{% ($t := $states.input.steplineScheduledTime; $day := $round(($toMillis($t) - 9000000) / 86400000); $merge([$sift($states.input, function($v, $k) { $k != "steplineScheduledTime" }), {"date": $fromMillis(($day + -1) * 86400000, "[Y0001]-[M01]-[D01]")}])) %}",
            "QueryLanguage": "JSONata",
            "Type": "Pass",
          },
          "Schedule.IsScheduled": {
            "Choices": [
              {
                "Condition": "{% $exists($states.input.steplineScheduledTime) %}",
                "Next": "Schedule.Input",
              },
            ],
            "Comment": "a run started by the schedule carries the scheduled time",
            "Default": "Input.CheckRequired",
            "QueryLanguage": "JSONata",
            "Type": "Choice",
          },
          "notify-failure": {
            "Catch": [
              {
                "ErrorEquals": [
                  "States.ALL",
                ],
                "Next": "Pipeline.Failed",
                "ResultPath": null,
              },
            ],
            "Comment": "failure handler: Lambda function arn:aws:lambda:eu-west-1:123456789012:function:data-oncall-notify",
            "Next": "Pipeline.Failed",
            "Parameters": {
              "FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:data-oncall-notify",
              "Payload": {
                "cause.$": "$.error.Cause",
                "error.$": "$.error.Error",
                "pipeline": "nightly-sales-etl",
              },
            },
            "Resource": "arn:aws:states:::lambda:invoke",
            "ResultPath": null,
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
            ],
            "TimeoutSeconds": 30,
            "Type": "Task",
          },
        },
      }
    `);
  });

  it("runs locally end to end: extract, transform, customer dimension, load into SQLite (twice: idempotent)", () => {
    const lake = mkdtempSync(join(tmpdir(), "stepline-nightly-lake-"));
    const runDirs: string[] = [];
    const run = () => {
      const { result, runDir, exitCode } = runExampleLocally("nightly-etl", lake);
      if (runDir) runDirs.push(runDir);
      expect(result.status, JSON.stringify(result)).toBe("SUCCEEDED");
      expect(exitCode).toBe(0);
      // The failure handler did not run.
      for (const dir of runDirs) expect(existsSync(join(dir, "notifications.jsonl"))).toBe(false);
    };
    const { date, warehouseSchema } = exampleInput("nightly-etl") as { date: string; warehouseSchema: string };
    const db = join(lake, "warehouse", `${warehouseSchema}.db`);
    const warehouse = () => {
      const query = spawnSync(
        "python3",
        [
          "-c",
          [
            "import json, sqlite3, sys",
            "con = sqlite3.connect(sys.argv[1])",
            "one = lambda sql, *a: con.execute(sql, a).fetchone()[0]",
            "print(json.dumps({",
            "  'facts': one('SELECT count(*) FROM fact_orders WHERE order_date = ?', sys.argv[2]),",
            "  'allFacts': one('SELECT count(*) FROM fact_orders'),",
            "  'dims': one('SELECT count(*) FROM dim_customer'),",
            "  'orphans': one('SELECT count(*) FROM fact_orders f LEFT JOIN dim_customer d USING (customer_id) WHERE d.customer_id IS NULL'),",
            "  'revenue': one('SELECT round(sum(amount_eur), 2) FROM fact_orders WHERE order_date = ?', sys.argv[2]),",
            "}))",
          ].join("\n"),
          db,
          date,
        ],
        { encoding: "utf8", timeout: 30_000 },
      );
      expect(query.status, query.stderr).toBe(0);
      return JSON.parse(query.stdout) as Record<string, number>;
    };
    try {
      run();
      // What extract generated (and says in its manifests) is what the warehouse holds.
      const raw = join(lake, "acme-data-lake", "raw");
      const orders = JSON.parse(readFileSync(join(raw, "orders", `date=${date}`, "_manifest.json"), "utf8"));
      const customers = JSON.parse(readFileSync(join(raw, "customers", `date=${date}`, "_manifest.json"), "utf8"));
      expect(orders.rows).toBeGreaterThan(2000);
      expect(orders.invalid).toBeGreaterThan(0);
      expect(existsSync(db)).toBe(true);
      const loaded = warehouse();
      expect(loaded.facts).toBe(orders.valid);
      expect(loaded.facts).toBe(orders.rows - orders.invalid);
      expect(loaded.allFacts).toBe(loaded.facts);
      expect(loaded.dims).toBe(customers.distinct);
      expect(loaded.orphans).toBe(0);
      expect(loaded.revenue).toBeGreaterThan(0);
      // The same date again replaces that date's rows: nothing doubles.
      run();
      expect(warehouse()).toStrictEqual(loaded);
    } finally {
      rmSync(lake, { recursive: true, force: true });
      for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
    }
  }, 250_000);
});
