import { describe, expect, it } from "vitest";
import type { StateMachineJson } from "../asl/types.js";
import { virtualClock } from "./clock.js";
import { execute } from "./execute.js";
import { type JournalRecord, TaskFailure } from "./types.js";

const T0 = Date.parse("2026-11-25T10:00:00.000Z");

const machine = {
  StartAt: "Fan",
  States: {
    Fan: {
      Type: "Map",
      ItemProcessor: { StartAt: "Work", States: { Work: { Type: "Task", Resource: "work", End: true } } },
      Next: "Final",
    },
    Final: {
      Type: "Task",
      Resource: "final",
      Parameters: { "items.$": "$", "id.$": "States.UUID()", "redrive.$": "$$.Execution.RedriveCount" },
      End: true,
    },
  },
} as StateMachineJson;

describe("replay", () => {
  it("a redrive reuses succeeded task visits and re-runs the rest, with RedriveCount 1", async () => {
    const journal: JournalRecord[] = [];
    const calls: string[] = [];
    let finalFails = true;
    const handlers = [
      {
        resource: "work",
        handler: async (n: unknown, ctx: { key: string }) => {
          calls.push(ctx.key);
          if (n === 2 && finalFails) throw new TaskFailure("Flaky", "first run");
          return (n as number) * 10;
        },
      },
      { resource: "final", handler: async (input: unknown) => input },
    ];
    const first = await execute({
      definition: machine,
      input: [1, 2, 3],
      clock: virtualClock(T0),
      executionName: "run-1",
      handlers,
      journal: { append: (r) => void journal.push(r) },
    });
    expect(first).toMatchObject({ status: "FAILED", error: "Flaky" });
    expect(
      journal
        .filter((r) => r.kind === "task")
        .map((r) => (r as { key: string }).key)
        .sort(),
    ).toStrictEqual(["Fan#0/0/Work#0", "Fan#0/2/Work#0"]);

    calls.length = 0;
    finalFails = false;
    const second = await execute({
      definition: machine,
      input: "ignored: the journal's input is used",
      clock: virtualClock(T0 + 60_000),
      handlers,
      replay: journal,
    });
    expect(calls).toStrictEqual(["Fan#0/1/Work#0"]);
    expect(second).toMatchObject({
      status: "SUCCEEDED",
      executionName: "run-1",
      startTime: "2026-11-25T10:00:00.000Z",
    });
    expect(second.output).toMatchObject({ items: [10, 20, 30], redrive: 1 });
  });

  it("replays journaled UUIDs and Wait start times on resume", async () => {
    const journal: JournalRecord[] = [];
    const definition = {
      StartAt: "W",
      States: {
        W: { Type: "Wait", Seconds: 100, Next: "U" },
        U: { Type: "Pass", Parameters: { "id.$": "States.UUID()" }, End: true },
      },
    } as StateMachineJson;
    const first = await execute({
      definition,
      clock: virtualClock(T0),
      journal: { append: (r) => void journal.push(r) },
    });
    // Resume from the start record, the Wait start and the UUID: 40 s after the Wait began.
    const kept = journal.filter((r) => r.kind === "start" || r.kind === "value");
    const clock = virtualClock(T0 + 40_000);
    const second = await execute({ definition, clock, replay: kept });
    expect(clock.now()).toBe(T0 + 100_000);
    expect(second.output).toStrictEqual(first.output);
  });
});
