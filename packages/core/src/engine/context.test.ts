import { describe, expect, it } from "vitest";
import type { StateMachineJson } from "../asl/types.js";
import { virtualClock } from "./clock.js";
import { execute } from "./execute.js";
import type { HandlerRegistration } from "./types.js";

const T0 = Date.parse("2026-11-25T10:00:00.000Z");

function run(definition: unknown, input: unknown, handlers: HandlerRegistration[] = []) {
  return execute({
    definition: definition as StateMachineJson,
    input,
    handlers,
    clock: virtualClock(T0),
    executionName: "ex",
    stateMachineName: "sm",
  });
}

describe("context object", () => {
  it("has Execution, State, StateMachine; Task.Token only for .waitForTaskToken", async () => {
    const seen: Record<string, unknown>[] = [];
    const handler: HandlerRegistration = {
      resource: "arn:aws:states:::sqs:*",
      handler: async (_input, ctx) => {
        seen.push(ctx.context as Record<string, unknown>);
        return null;
      },
    };
    await run(
      {
        StartAt: "A",
        States: {
          A: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Next: "B" },
          B: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", End: true },
        },
      },
      { in: 1 },
      [handler],
    );
    expect(seen[0]).toStrictEqual({
      Execution: {
        Id: "arn:aws:states:local:123456789012:execution:sm:ex",
        Input: { in: 1 },
        Name: "ex",
        RoleArn: "arn:aws:iam::123456789012:role/stepline-local",
        StartTime: "2026-11-25T10:00:00.000Z",
        RedriveCount: 0,
      },
      State: { EnteredTime: "2026-11-25T10:00:00.000Z", Name: "A", RetryCount: 0 },
      StateMachine: { Id: "arn:aws:states:local:123456789012:stateMachine:sm", Name: "sm" },
    });
    expect(seen[1]?.Task).toStrictEqual({ Token: "arn:aws:states:local:123456789012:execution:sm:ex/B#0/0" });
  });
});

describe("variables in JSONPath", () => {
  it("Assign reads the result ($) and outer variables; Parallel branch assignments stay inside", async () => {
    const result = await run(
      {
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: "r",
            ResultSelector: { "v.$": "$.value" },
            Assign: { "got.$": "$.v" },
            Next: "P",
          },
          P: {
            Type: "Parallel",
            Branches: [
              {
                StartAt: "In",
                States: {
                  In: { Type: "Pass", Assign: { got: "inner" }, Next: "Read" },
                  Read: { Type: "Pass", Parameters: { "got.$": "$got" }, End: true },
                },
              },
              { StartAt: "Outer", States: { Outer: { Type: "Pass", Parameters: { "got.$": "$got" }, End: true } } },
            ],
            ResultPath: "$.branches",
            Next: "After",
          },
          After: { Type: "Pass", Parameters: { "got.$": "$got", "branches.$": "$.branches" }, End: true },
        },
      },
      {},
      [{ resource: "r", handler: async () => ({ value: 42 }) }],
    );
    expect(result.output).toStrictEqual({ got: 42, branches: [{ got: "inner" }, { got: 42 }] });
  });
});

describe("Map in JSONata", () => {
  it("evaluates Items, ItemSelector with $states.context.Map.Item, MaxConcurrency and Output", async () => {
    const result = await run(
      {
        QueryLanguage: "JSONata",
        StartAt: "M",
        States: {
          M: {
            Type: "Map",
            Items: "{% $states.input.xs %}",
            MaxConcurrency: "{% 2 %}",
            ItemSelector: { i: "{% $states.context.Map.Item.Index %}", v: "{% $states.context.Map.Item.Value * 10 %}" },
            ItemProcessor: {
              StartAt: "P",
              States: { P: { Type: "Pass", Output: "{% $states.input.i + $states.input.v %}", End: true } },
            },
            Output: "{% $sum($states.result) %}",
            End: true,
          },
        },
      },
      { xs: [1, 2, 3] },
    );
    expect(result).toMatchObject({ status: "SUCCEEDED", output: 0 + 10 + 1 + 20 + 2 + 30 });
  });
});
