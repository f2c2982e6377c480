import { readFileSync } from "node:fs";
import type { HistoryEvent } from "@stepline/core";
import { describe, expect, it } from "vitest";
import { batchJobs } from "../../packages/cli/src/remote/batch-logs.js";
import { shortCause, stateVisits, stepRows } from "../../packages/cli/src/remote/history.js";
import { evaluate, trusts, wildcardMatch } from "../../packages/cli/src/remote/policy.js";

/** A recorded-shape history: Batch `.sync` retries, Spot reclaim, Map items interleaving, still RUNNING. */
const history = JSON.parse(readFileSync(new URL("../fixtures/remote/batch-history.json", import.meta.url), "utf8")) as {
  events: HistoryEvent[];
};

describe("execution history → steps", () => {
  it("aggregates visits per state, follows previousEventId through interleaved Map items", () => {
    const now = Date.parse("2025-11-24T16:00:30.000Z");
    const rows = stepRows(history.events, { status: "RUNNING" }, now);
    expect(rows.map((r) => [r.step, r.type, r.status, r.runs, r.attempts])).toEqual([
      ["extract", "Task", "succeeded", 1, 2],
      ["per-partition", "Map", "running", 1, 1],
      ["compact", "Task", "running", 2, 2],
    ]);
    expect(rows[1]?.iterations).toBe(2);
    expect(rows[2]?.statuses).toEqual({ running: 1, succeeded: 1 });
    expect(rows[2]?.ended).toBeNull();
    // The retried step remembers its last failure for the table.
    expect(rows[0]?.error).toBe("States.TaskFailed");
    expect(shortCause(rows[0]?.cause)).toBe("Essential container in task exited");
  });

  it("a failure waiting for its retry is `retried`; once the execution failed, `failed`", () => {
    const upToFirstFailure = history.events.slice(0, 6);
    expect(stepRows(upToFirstFailure, { status: "RUNNING" })[0]?.status).toBe("retried");
    const failed: HistoryEvent[] = [
      ...upToFirstFailure,
      {
        id: 7,
        previousEventId: 6,
        timestamp: "2025-11-24T16:00:07.000Z",
        type: "ExecutionFailed",
        executionFailedEventDetails: { error: "States.TaskFailed", cause: "boom" },
      },
    ];
    expect(stepRows(failed, { status: "FAILED" })[0]).toMatchObject({ status: "failed", error: "States.TaskFailed" });
  });

  it("finds each attempt's Batch job and log streams (one per Batch attempt)", () => {
    expect(batchJobs(stateVisits(history.events))).toEqual([
      { step: "extract", attempt: 1, jobId: "job-1", jobName: "x", streams: ["extract/default/job-1a"] },
      {
        step: "extract",
        attempt: 2,
        jobId: "job-2",
        jobName: "x",
        streams: ["extract/default/job-2-reclaimed", "extract/default/job-2"],
      },
      // Still running: only TaskSubmitted names the job; DescribeJobs tells its stream.
      { step: "compact", attempt: 1, iteration: 0, jobId: "job-3", jobName: "x", streams: [] },
      { step: "compact", attempt: 1, iteration: 1, jobId: "job-4", jobName: "x", streams: ["compact/default/job-4"] },
    ]);
  });
});

describe("IAM policy evaluation (doctor without SimulatePrincipalPolicy)", () => {
  const docs = [
    {
      Statement: [
        { Effect: "Allow", Action: ["batch:Submit*", "batch:DescribeJobs"], Resource: "*" },
        { Effect: "Allow", Action: "glue:*", Resource: "arn:aws:glue:*:111122223333:job/etl-*" },
        { Effect: "Deny", Action: "glue:BatchStopJobRun", Resource: "*" },
        {
          Effect: "Allow",
          Action: "lambda:InvokeFunction",
          Resource: "arn:aws:lambda:eu-west-1:111122223333:function:f",
          Condition: { Bool: { "aws:SecureTransport": "true" } },
        },
      ],
    },
  ];
  it("wildcards, case-insensitive actions, explicit deny, conditions reported", () => {
    expect(evaluate(docs, "batch:SubmitJob", "arn:aws:batch:eu-west-1:111122223333:job-queue/q").decision).toBe(
      "allowed",
    );
    expect(evaluate(docs, "BATCH:describejobs", "*").decision).toBe("allowed");
    expect(evaluate(docs, "batch:TerminateJob", "*").decision).toBe("implicitDeny");
    expect(evaluate(docs, "glue:StartJobRun", "arn:aws:glue:eu-west-1:111122223333:job/etl-daily").decision).toBe(
      "allowed",
    );
    expect(evaluate(docs, "glue:StartJobRun", "arn:aws:glue:eu-west-1:111122223333:job/other").decision).toBe(
      "implicitDeny",
    );
    expect(evaluate(docs, "glue:BatchStopJobRun", "arn:aws:glue:eu-west-1:111122223333:job/etl-daily").decision).toBe(
      "denied",
    );
    expect(evaluate(docs, "lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:111122223333:function:f")).toEqual({
      decision: "allowed",
      conditional: true,
    });
  });

  it("a required `…:*` resource is only covered by a policy `*` of its own", () => {
    expect(wildcardMatch("arn:aws:batch:*:1:job-definition/jd:*", "arn:aws:batch:r:1:job-definition/jd:*")).toBe(true);
    expect(wildcardMatch("arn:aws:batch:r:1:job-definition/jd", "arn:aws:batch:r:1:job-definition/jd:*")).toBe(false);
    expect(wildcardMatch("arn:aws:batch:r:1:job-definition/jd:?", "arn:aws:batch:r:1:job-definition/jd:7")).toBe(true);
  });

  it("trust policies", () => {
    const trust = {
      Statement: [{ Effect: "Allow", Principal: { Service: ["states.amazonaws.com"] }, Action: "sts:AssumeRole" }],
    };
    expect(trusts(trust, "states.amazonaws.com")).toBe(true);
    expect(trusts(trust, "scheduler.amazonaws.com")).toBe(false);
  });
});
