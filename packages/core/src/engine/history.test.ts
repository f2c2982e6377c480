import { describe, expect, it } from "vitest";
import type { StateMachineJson } from "../asl/types.js";
import { virtualClock } from "./clock.js";
import { execute } from "./execute.js";
import type { HistoryEvent, JournalRecord } from "./types.js";

const T0 = Date.parse("2026-11-25T10:00:00.000Z");

describe("history", () => {
  it("emits GetExecutionHistory-shaped events with chained ids, to the observer and the journal", async () => {
    const events: HistoryEvent[] = [];
    const journal: JournalRecord[] = [];
    await execute({
      definition: {
        StartAt: "T",
        States: {
          T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "W" },
          W: { Type: "Wait", Seconds: 1, Next: "P" },
          P: { Type: "Pass", End: true },
        },
      },
      input: { a: 1 },
      clock: virtualClock(T0),
      executionName: "e",
      stateMachineName: "sm",
      handlers: [{ resource: "arn:aws:states:::lambda:invoke", handler: async () => ({ ok: true }) }],
      observer: (e) => events.push(e),
      journal: { append: (r) => void journal.push(r) },
    });
    expect(events.map((e) => [e.id, e.previousEventId, e.type])).toStrictEqual([
      [1, 0, "ExecutionStarted"],
      [2, 1, "TaskStateEntered"],
      [3, 2, "TaskScheduled"],
      [4, 3, "TaskStarted"],
      [5, 4, "TaskSucceeded"],
      [6, 5, "TaskStateExited"],
      [7, 6, "WaitStateEntered"],
      [8, 7, "WaitStateExited"],
      [9, 8, "PassStateEntered"],
      [10, 9, "PassStateExited"],
      [11, 10, "ExecutionSucceeded"],
    ]);
    expect(events[0]).toStrictEqual({
      id: 1,
      previousEventId: 0,
      timestamp: "2026-11-25T10:00:00.000Z",
      type: "ExecutionStarted",
      executionStartedEventDetails: {
        input: '{"a":1}',
        inputDetails: { truncated: false },
        roleArn: "arn:aws:iam::123456789012:role/stepline-local",
        stateMachineArn: "arn:aws:states:local:123456789012:stateMachine:sm",
      },
    });
    expect(events[2]).toMatchObject({
      taskScheduledEventDetails: { resourceType: "lambda", resource: "invoke", region: "local", parameters: '{"a":1}' },
    });
    expect(events[7]).toMatchObject({
      timestamp: "2026-11-25T10:00:01.000Z",
      stateExitedEventDetails: { name: "W", output: '{"ok":true}' },
    });
    expect(journal.filter((r) => r.kind === "event").map((r) => (r as { event: HistoryEvent }).event)).toStrictEqual(
      events,
    );
    expect(journal[0]).toStrictEqual({
      kind: "start",
      executionName: "e",
      stateMachineName: "sm",
      startTime: "2026-11-25T10:00:00.000Z",
      input: { a: 1 },
    });
    expect(journal.at(-1)).toStrictEqual({ kind: "end", status: "SUCCEEDED", output: { ok: true } });
  });

  it("emits Map and iteration events", async () => {
    const types: string[] = [];
    await execute({
      definition: {
        StartAt: "M",
        States: {
          M: {
            Type: "Map",
            MaxConcurrency: 1,
            ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
            End: true,
          },
        },
      } as StateMachineJson,
      input: [1, 2],
      observer: (e) => types.push(e.type),
    });
    expect(types).toStrictEqual([
      "ExecutionStarted",
      "MapStateEntered",
      "MapStateStarted",
      "MapIterationStarted",
      "PassStateEntered",
      "PassStateExited",
      "MapIterationSucceeded",
      "MapIterationStarted",
      "PassStateEntered",
      "PassStateExited",
      "MapIterationSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
  });
  it("schedules each attempt with its own Parameters; a retry whose Parameters fail is no TaskFailed", async () => {
    const events: HistoryEvent[] = [];
    let calls = 0;
    const result = await execute({
      definition: {
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: "r",
            Parameters: { "n.$": "$$.State.RetryCount", "pick.$": "States.ArrayGetItem($.list, $$.State.RetryCount)" },
            Retry: [{ ErrorEquals: ["Boom"], IntervalSeconds: 1, MaxAttempts: 5 }],
            End: true,
          },
        },
      },
      input: { list: ["a", "b"] },
      clock: virtualClock(T0),
      handlers: [
        {
          resource: "r",
          handler: async () => {
            calls++;
            throw Object.assign(new Error("again"), { name: "Boom" });
          },
        },
      ],
      observer: (e) => events.push(e),
    });
    // Attempt 2 reads list[2], which is not there: the run fails with that, not with Boom.
    expect(calls).toBe(2);
    expect(result).toMatchObject({ status: "FAILED", error: "States.IntrinsicFailure" });
    const tasks = events.filter((e) => e.type.startsWith("Task") && !e.type.startsWith("TaskState"));
    expect(tasks.map((e) => e.type)).toStrictEqual([
      "TaskScheduled",
      "TaskStarted",
      "TaskFailed",
      "TaskScheduled",
      "TaskStarted",
      "TaskFailed",
    ]);
    expect(
      tasks
        .filter((e) => e.type === "TaskScheduled")
        .map((e) => (e.taskScheduledEventDetails as { parameters: string }).parameters),
    ).toStrictEqual(['{"n":0,"pick":"a"}', '{"n":1,"pick":"b"}']);
  });
  it("a result JSON cannot hold fails its attempt with a TaskFailed", async () => {
    const events: HistoryEvent[] = [];
    const result = await execute({
      definition: {
        StartAt: "T",
        States: {
          T: { Type: "Task", Resource: "r", Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 1 }], End: true },
        },
      },
      clock: virtualClock(T0),
      handlers: [{ resource: "r", handler: async () => ({ n: 1n }) }],
      observer: (e) => events.push(e),
    });
    expect(result.status).toBe("FAILED");
    expect(events.map((e) => e.type).filter((t) => t.startsWith("Task") && !t.startsWith("TaskState"))).toStrictEqual([
      "TaskScheduled",
      "TaskStarted",
      "TaskFailed",
      "TaskScheduled",
      "TaskStarted",
      "TaskFailed",
    ]);
  });
});
