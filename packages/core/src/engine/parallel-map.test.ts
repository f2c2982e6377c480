import { describe, expect, it } from "vitest";
import type { StateMachineJson } from "../asl/types.js";
import { virtualClock } from "./clock.js";
import { execute } from "./execute.js";
import { type HandlerRegistration, TaskFailure } from "./types.js";

const T0 = Date.parse("2026-11-25T10:00:00.000Z");

function run(definition: unknown, input: unknown, handlers: HandlerRegistration[] = [], concurrency?: number) {
  return execute({
    definition: definition as StateMachineJson,
    input,
    handlers,
    clock: virtualClock(T0),
    ...(concurrency === undefined ? {} : { concurrency }),
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Parallel", () => {
  it("gives every branch the input and outputs the branch outputs in order", async () => {
    const result = await run(
      {
        StartAt: "P",
        States: {
          P: {
            Type: "Parallel",
            Branches: [
              { StartAt: "A", States: { A: { Type: "Pass", InputPath: "$.a", End: true } } },
              { StartAt: "B", States: { B: { Type: "Pass", Result: "b", End: true } } },
            ],
            ResultPath: "$.out",
            End: true,
          },
        },
      },
      { a: 1 },
    );
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { a: 1, out: [1, "b"] } });
  });

  it("fails with the failing branch's own error and stops the sibling", async () => {
    let siblingAborted = false;
    const result = await run(
      {
        StartAt: "P",
        States: {
          P: {
            Type: "Parallel",
            Branches: [
              { StartAt: "Slow", States: { Slow: { Type: "Task", Resource: "slow", End: true } } },
              {
                StartAt: "Later",
                States: {
                  Later: { Type: "Task", Resource: "later", Next: "F" },
                  F: { Type: "Fail", Error: "Branch.Broke", Cause: "b2" },
                },
              },
            ],
            Catch: [{ ErrorEquals: ["Other"], Next: "X" }],
            End: true,
          },
          X: { Type: "Succeed" },
        },
      },
      {},
      [
        { resource: "later", handler: () => sleep(10) },
        {
          resource: "slow",
          handler: (_i, ctx) =>
            new Promise((_r, reject) =>
              ctx.signal.addEventListener("abort", () => {
                siblingAborted = true;
                reject(new Error("stopped"));
              }),
            ),
        },
      ],
    );
    expect(result).toMatchObject({ status: "FAILED", error: "Branch.Broke", cause: "b2" });
    expect(siblingAborted).toBe(true);
  });
});

describe("Map (inline)", () => {
  it("keeps item order, applies ItemsPath/ItemSelector and exposes $$.Map.Item", async () => {
    const result = await run(
      {
        StartAt: "M",
        States: {
          M: {
            Type: "Map",
            ItemsPath: "$.xs",
            ItemSelector: { "v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "k.$": "$.k" },
            ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", Resource: "work", End: true } } },
            End: true,
          },
        },
      },
      { xs: [30, 10, 20], k: "K" },
      [
        {
          resource: "work",
          handler: async (input) => {
            const { v } = input as { v: number };
            await sleep(v);
            return input;
          },
        },
      ],
    );
    expect(result.output).toStrictEqual([
      { v: 30, i: 0, k: "K" },
      { v: 10, i: 1, k: "K" },
      { v: 20, i: 2, k: "K" },
    ]);
  });

  it("bounds iterations by MaxConcurrency and handlers by the concurrency option", async () => {
    const measure = async (maxConcurrency: number, concurrency: number) => {
      let running = 0;
      let peak = 0;
      await run(
        {
          StartAt: "M",
          States: {
            M: {
              Type: "Map",
              MaxConcurrency: maxConcurrency,
              ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", Resource: "work", End: true } } },
              End: true,
            },
          },
        },
        Array.from({ length: 20 }, (_, i) => i),
        [
          {
            resource: "work",
            handler: async () => {
              peak = Math.max(peak, ++running);
              await sleep(2);
              running--;
              return null;
            },
          },
        ],
        concurrency,
      );
      return peak;
    };
    expect(await measure(3, 100)).toBe(3);
    expect(await measure(0, 5)).toBe(5);
  });

  it("fails with an iteration's error", async () => {
    const result = await run(
      {
        StartAt: "M",
        States: {
          M: {
            Type: "Map",
            ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", Resource: "work", End: true } } },
            End: true,
          },
        },
      },
      [1, 2, 3],
      [{ resource: "work", handler: async (n) => (n === 2 ? Promise.reject(new TaskFailure("Item.Bad", "2")) : n) }],
    );
    expect(result).toMatchObject({ status: "FAILED", error: "Item.Bad", cause: "2" });
  });
});

describe("Map (distributed)", () => {
  const distributed = (extra: Record<string, unknown>) => ({
    StartAt: "M",
    States: {
      M: {
        Type: "Map",
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "T",
          States: { T: { Type: "Task", Resource: "work", End: true } },
        },
        End: true,
        ...extra,
      },
    },
  });
  const failOdd: HandlerRegistration = {
    resource: "work",
    handler: async (n) => ((n as number) % 2 ? Promise.reject(new TaskFailure("Odd", String(n))) : n),
  };

  it("tolerates failures up to ToleratedFailureCount, else States.ExceedToleratedFailureThreshold", async () => {
    const ok = await run(distributed({ ToleratedFailureCount: 2 }), [0, 1, 2, 3, 4], [failOdd]);
    expect(ok).toMatchObject({
      status: "SUCCEEDED",
      output: [0, { Error: "Odd", Cause: "1" }, 2, { Error: "Odd", Cause: "3" }, 4],
    });
    const tooMany = await run(distributed({ ToleratedFailureCount: 1 }), [0, 1, 2, 3, 4], [failOdd]);
    expect(tooMany).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
    const byPercent = await run(distributed({ ToleratedFailurePercentage: 40 }), [0, 1, 2, 3, 4], [failOdd]);
    expect(byPercent.status).toBe("SUCCEEDED");
    const none = await run(distributed({}), [0, 1], [failOdd]);
    expect(none).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
  });

  it("batches items with ItemBatcher into { Items, BatchInput }", async () => {
    const result = await run(
      distributed({ ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { "tag.$": "$.tag" } }, ItemsPath: "$.xs" }),
      { xs: [1, 2, 3, 4, 5], tag: "t" },
      [{ resource: "work", handler: async (batch) => batch }],
    );
    expect(result.output).toStrictEqual([
      { Items: [1, 2], BatchInput: { tag: "t" } },
      { Items: [3, 4], BatchInput: { tag: "t" } },
      { Items: [5], BatchInput: { tag: "t" } },
    ]);
  });

  it("reads items through the ItemReader's handler and writes through the ResultWriter's", async () => {
    const written: Record<string, string> = {};
    const result = await run(
      distributed({
        Label: "Rows",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
          Parameters: { Bucket: "b", Key: "rows.csv" },
        },
        ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "out", Prefix: "res" } },
      }),
      {},
      [
        { resource: "work", handler: async (row) => (row as { n: string }).n },
        {
          resource: "arn:aws:states:::s3:getObject",
          handler: async (p) => ((p as { Key: string }).Key === "rows.csv" ? 'n,name\n1,"a,b"\n2,c\n' : ""),
        },
        {
          resource: "arn:aws:states:::s3:putObject",
          handler: async (p) => {
            const { Key, Body } = p as { Key: string; Body: string };
            written[Key] = Body;
            return {};
          },
        },
      ],
    );
    expect(result.status).toBe("SUCCEEDED");
    const out = result.output as { ResultWriterDetails: { Bucket: string; Key: string } };
    expect(out.ResultWriterDetails).toStrictEqual({ Bucket: "out", Key: "res/M_0/manifest.json" });
    const succeeded = JSON.parse(written["res/M_0/SUCCEEDED_0.json"] ?? "[]") as {
      Name: string;
      Output: string;
      Input: string;
    }[];
    expect(succeeded.map((r) => [r.Name, r.Input, r.Output])).toStrictEqual([
      ["Rows:0", '{"n":"1","name":"a,b"}', '"1"'],
      ["Rows:1", '{"n":"2","name":"c"}', '"2"'],
    ]);
  });
});

describe("variables", () => {
  it("inner scopes read outer variables; their assignments stay inside", async () => {
    const result = await run(
      {
        QueryLanguage: "JSONata",
        StartAt: "Set",
        States: {
          Set: { Type: "Pass", Assign: { x: 1, y: "outer" }, Next: "M" },
          M: {
            Type: "Map",
            Items: [1, 2],
            ItemProcessor: {
              StartAt: "In",
              States: {
                In: { Type: "Pass", Assign: { y: "{% 'inner' & $states.input %}" }, Next: "Read" },
                Read: { Type: "Pass", Output: "{% $x + $states.input & $y %}", End: true },
              },
            },
            Next: "After",
          },
          After: { Type: "Pass", Output: "{% { 'map': $states.input, 'y': $y } %}", End: true },
        },
      },
      {},
    );
    expect(result.output).toStrictEqual({ map: ["2inner1", "3inner2"], y: "outer" });
  });

  it("evaluates all Assign values before applying any (JSONPath and JSONata)", async () => {
    const jsonPath = await run(
      {
        StartAt: "A",
        States: {
          A: { Type: "Pass", Assign: { a: 1, b: 2 }, Next: "B" },
          B: { Type: "Pass", Assign: { "a.$": "$b", "b.$": "$a" }, Next: "C" },
          C: { Type: "Pass", Parameters: { "a.$": "$a", "b.$": "$b" }, End: true },
        },
      },
      {},
    );
    expect(jsonPath.output).toStrictEqual({ a: 2, b: 1 });
  });

  it("a distributed Map's children do not see outer variables", async () => {
    const result = await run(
      {
        QueryLanguage: "JSONata",
        StartAt: "Set",
        States: {
          Set: { Type: "Pass", Assign: { x: 1 }, Next: "M" },
          M: {
            Type: "Map",
            Items: [1],
            ItemProcessor: {
              ProcessorConfig: { Mode: "DISTRIBUTED" },
              StartAt: "Read",
              States: { Read: { Type: "Pass", Output: "{% $exists($x) %}", End: true } },
            },
            End: true,
          },
        },
      },
      {},
    );
    expect(result.output).toStrictEqual([false]);
  });
});

describe("JSONata flow", () => {
  it("Arguments → task → Output and Assign with $states.result", async () => {
    const result = await run(
      {
        QueryLanguage: "JSONata",
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: "r",
            Arguments: { n: "{% $states.input.n * 2 %}" },
            Output: "{% { 'sum': $states.result.n + 1, 'in': $states.input.n } %}",
            Assign: { last: "{% $states.result.n %}" },
            Next: "U",
          },
          U: {
            Type: "Pass",
            QueryLanguage: "JSONPath",
            Parameters: { "last.$": "$last", "sum.$": "$.sum" },
            End: true,
          },
        },
      },
      { n: 5 },
      [{ resource: "r", handler: async (x) => x }],
    );
    expect(result.output).toStrictEqual({ last: 10, sum: 11 });
  });
});
