import { describe, expect, it } from "vitest";
import type { StateMachineJson } from "../asl/types.js";
import { virtualClock } from "./clock.js";
import { execute } from "./execute.js";
import { type ExecuteOptions, type HistoryEvent, TaskFailure } from "./types.js";

const T0 = Date.parse("2026-11-25T10:00:00.000Z");

async function run(definition: unknown, input: unknown = {}, extra: Partial<ExecuteOptions> = {}) {
  const events: HistoryEvent[] = [];
  const clock = virtualClock(T0);
  const result = await execute({
    definition: definition as StateMachineJson,
    input,
    clock,
    executionName: "exec-1",
    observer: (e) => events.push(e),
    ...extra,
  });
  return { result, events, clock };
}

describe("Pass", () => {
  it("applies Result, ResultPath and OutputPath", async () => {
    const { result } = await run(
      {
        StartAt: "P",
        States: { P: { Type: "Pass", Result: { x: 1 }, ResultPath: "$.r", OutputPath: "$.r", End: true } },
      },
      { a: 1 },
    );
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { x: 1 }, transitions: 1 });
  });

  it("applies InputPath and Parameters with the context object", async () => {
    const { result } = await run(
      {
        StartAt: "P",
        States: {
          P: {
            Type: "Pass",
            InputPath: "$.in",
            Parameters: {
              "v.$": "$.v",
              "name.$": "$$.Execution.Name",
              "start.$": "$$.Execution.StartTime",
              "st.$": "$$.State.Name",
            },
            End: true,
          },
        },
      },
      { in: { v: 7 } },
    );
    expect(result.output).toStrictEqual({ v: 7, name: "exec-1", start: "2026-11-25T10:00:00.000Z", st: "P" });
  });
});

describe("Choice", () => {
  const machine = {
    StartAt: "C",
    States: {
      C: {
        Type: "Choice",
        Choices: [{ Variable: "$.n", NumericGreaterThan: 10, Next: "Big" }],
        Default: "Small",
      },
      Big: { Type: "Pass", Result: "big", End: true },
      Small: { Type: "Pass", Result: "small", End: true },
    },
  };

  it("takes the first matching rule, else Default", async () => {
    expect((await run(machine, { n: 11 })).result.output).toBe("big");
    expect((await run(machine, { n: 1 })).result.output).toBe("small");
  });

  it("fails with States.NoChoiceMatched without a Default", async () => {
    const { result } = await run(
      {
        StartAt: "C",
        States: {
          C: { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "E" }] },
          E: { Type: "Succeed" },
        },
      },
      { n: 2 },
    );
    expect(result).toMatchObject({ status: "FAILED", error: "States.NoChoiceMatched" });
  });

  it("runs a loop with distinct visits", async () => {
    const { result } = await run(
      {
        QueryLanguage: "JSONata",
        StartAt: "Init",
        States: {
          Init: { Type: "Pass", Assign: { i: 0 }, Next: "Loop" },
          Loop: {
            Type: "Choice",
            Choices: [{ Condition: "{% $i < 5 %}", Next: "Inc" }],
            Default: "Done",
          },
          Inc: { Type: "Pass", Assign: { i: "{% $i + 1 %}" }, Next: "Loop" },
          Done: { Type: "Pass", Output: "{% $i %}", End: true },
        },
      },
      {},
    );
    expect(result).toMatchObject({ status: "SUCCEEDED", output: 5, transitions: 1 + 6 + 5 + 1 });
  });
});

describe("Wait", () => {
  it("waits Seconds, SecondsPath and until a Timestamp on the clock", async () => {
    const { result, clock } = await run(
      {
        StartAt: "A",
        States: {
          A: { Type: "Wait", Seconds: 10, Next: "B" },
          B: { Type: "Wait", SecondsPath: "$.s", Next: "C" },
          C: { Type: "Wait", Timestamp: "2026-11-25T11:00:00Z", End: true },
        },
      },
      { s: 5 },
    );
    expect(result.status).toBe("SUCCEEDED");
    expect(clock.now()).toBe(Date.parse("2026-11-25T11:00:00Z"));
  });

  it("evaluates JSONata Seconds", async () => {
    const { clock } = await run({
      QueryLanguage: "JSONata",
      StartAt: "A",
      States: { A: { Type: "Wait", Seconds: "{% 3 * 4 %}", End: true } },
    });
    expect(clock.now()).toBe(T0 + 12_000);
  });
});

describe("Succeed and Fail", () => {
  it("fails with Error and Cause, static and from paths", async () => {
    expect(
      (await run({ StartAt: "F", States: { F: { Type: "Fail", Error: "Boom", Cause: "because" } } })).result,
    ).toMatchObject({ status: "FAILED", error: "Boom", cause: "because" });
    expect(
      (
        await run(
          { StartAt: "F", States: { F: { Type: "Fail", ErrorPath: "$.e", CausePath: "$.c" } } },
          { e: "E1", c: "C1" },
        )
      ).result,
    ).toMatchObject({ status: "FAILED", error: "E1", cause: "C1" });
    expect(
      (
        await run(
          {
            QueryLanguage: "JSONata",
            StartAt: "F",
            States: { F: { Type: "Fail", Error: "{% 'E' & $states.input.n %}", Cause: "x" } },
          },
          { n: 2 },
        )
      ).result,
    ).toMatchObject({ status: "FAILED", error: "E2", cause: "x" });
  });

  it("Succeed applies OutputPath", async () => {
    const { result } = await run({ StartAt: "S", States: { S: { Type: "Succeed", OutputPath: "$.a" } } }, { a: [1] });
    expect(result).toMatchObject({ status: "SUCCEEDED", output: [1] });
  });
});

describe("Task", () => {
  it("runs the handler with Parameters and applies ResultSelector/ResultPath", async () => {
    const seen: unknown[] = [];
    const { result } = await run(
      {
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Parameters: { "x.$": "$.x" },
            ResultSelector: { "doubled.$": "$.Payload" },
            ResultPath: "$.out",
            End: true,
          },
        },
      },
      { x: 21 },
      {
        handlers: [
          {
            resource: "arn:aws:states:::lambda:*",
            handler: async (input, ctx) => {
              seen.push({ input, attempt: ctx.attempt, key: ctx.key, stateInput: ctx.stateInput });
              return { Payload: (input as { x: number }).x * 2 };
            },
          },
        ],
      },
    );
    expect(result.output).toStrictEqual({ x: 21, out: { doubled: 42 } });
    expect(seen).toStrictEqual([{ input: { x: 21 }, attempt: 0, key: "T#0", stateInput: { x: 21 } }]);
  });

  it("maps a TaskFailure and a plain Error to error/cause", async () => {
    const machine = { StartAt: "T", States: { T: { Type: "Task", Resource: "r", End: true } } };
    const a = await run(
      machine,
      {},
      { handlers: [{ resource: "r", handler: async () => Promise.reject(new TaskFailure("My.Error", "bad")) }] },
    );
    expect(a.result).toMatchObject({ status: "FAILED", error: "My.Error", cause: "bad" });
    const b = await run(
      machine,
      {},
      { handlers: [{ resource: "r", handler: async () => Promise.reject(new RangeError("oops")) }] },
    );
    expect(b.result).toMatchObject({ status: "FAILED", error: "RangeError", cause: "oops" });
  });

  it("fails States.DataLimitExceeded for an output over 256 KiB, never caught", async () => {
    const { result } = await run(
      {
        StartAt: "T",
        States: {
          T: { Type: "Task", Resource: "r", Catch: [{ ErrorEquals: ["States.ALL"], Next: "C" }], End: true },
          C: { Type: "Succeed" },
        },
      },
      {},
      { handlers: [{ resource: "r", handler: async () => "x".repeat(300 * 1024) }] },
    );
    expect(result).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
  });
});
