import { type Case, DOCS, failed, LAMBDA, ok, single } from "../types.js";

const JSONATA = `Transforming data with JSONata in Step Functions — ${DOCS}transforming-data.html`;
const FUNCS = `${JSONATA} (Step Functions' JSONata functions: $partition, $range, $hash, $random, $uuid, $parse)`;
const J = { QueryLanguage: "JSONata" };

/** A JSONata Pass whose Output is the expression. */
function out(name: string, expr: string, input: unknown, output: unknown, source = JSONATA): Case {
  return {
    name: `jsonata/${name}`,
    source,
    definition: single({ Type: "Pass", Output: `{% ${expr} %}` }, J),
    input,
    expected: ok(output),
  };
}

export const cases: Case[] = [
  out("output-from-input", "$states.input.customer.name", { customer: { name: "Ana" } }, "Ana"),
  out("sum-of-prices", "$sum($states.input.orders.price)", { orders: [{ price: 10 }, { price: 5.5 }] }, 15.5),
  out("string-concat-uppercase", "$uppercase($states.input.a) & '-' & $states.input.b", { a: "x", b: "y" }, "X-y"),
  out(
    "filter-and-map",
    "$states.input.items[qty > 1].sku",
    {
      items: [
        { sku: "a", qty: 1 },
        { sku: "b", qty: 2 },
        { sku: "c", qty: 3 },
      ],
    },
    ["b", "c"],
  ),
  out("object-constructor", "{ 'n': $count($states.input), 'first': $states.input[0] }", [4, 5, 6], { n: 3, first: 4 }),
  out("partition", "$partition([1,2,3,4,5], 2)", {}, [[1, 2], [3, 4], [5]], FUNCS),
  out("range", "$range(0, 10, 2)", {}, [0, 2, 4, 6, 8, 10], FUNCS),
  out(
    "hash-sha256",
    "$hash('input data', 'SHA-256')",
    {},
    "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3",
    FUNCS,
  ),
  out("random-in-unit-interval", "($r := $random(); $r >= 0 and $r < 1)", {}, true, FUNCS),
  out("uuid", "$uuid()", {}, "<<UUID>>", FUNCS),
  out("parse", "$parse($states.input.s)", { s: '{"a":[1,2]}' }, { a: [1, 2] }, FUNCS),
  out("context-state-name", "$states.context.State.Name", {}, "S"),
  out("context-execution-input", "$states.context.Execution.Input.k", { k: "v" }, "v"),
  {
    name: "jsonata/output-object-template",
    source: JSONATA,
    definition: single(
      {
        Type: "Pass",
        Output: {
          total: "{% $states.input.a + $states.input.b %}",
          literal: "plain",
          list: [1, "{% $states.input.a %}"],
        },
      },
      J,
    ),
    input: { a: 2, b: 3 },
    expected: ok({ total: 5, literal: "plain", list: [1, 2] }),
  },
  {
    name: "jsonata/pass-without-output-passes-input",
    source: JSONATA,
    definition: single({ Type: "Pass" }, J),
    input: { a: 1 },
    expected: ok({ a: 1 }),
  },
  {
    name: "jsonata/task-arguments-and-output",
    source: JSONATA,
    definition: single(
      {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Arguments: { FunctionName: LAMBDA, Payload: { id: "{% $states.input.id %}" } },
        Output: "{% { 'input': $states.input.id, 'result': $states.result.Payload } %}",
      },
      J,
    ),
    input: { id: 7 },
    handlers: { S: [{ return: { Payload: "done", StatusCode: 200 } }] },
    expected: ok({ input: 7, result: "done" }),
  },
  {
    name: "jsonata/task-receives-arguments",
    source: JSONATA,
    definition: single({ Type: "Task", Resource: LAMBDA, Arguments: { x: "{% $states.input.n * 2 %}", s: "lit" } }, J),
    input: { n: 21 },
    handlers: { S: [{ echo: true }] },
    expected: ok({ x: 42, s: "lit" }),
  },
  {
    name: "jsonata/choice-condition",
    source: JSONATA,
    definition: {
      ...J,
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Choices: [{ Condition: "{% $states.input.age >= 18 %}", Next: "Adult" }],
          Default: "Minor",
        },
        Adult: { Type: "Pass", Output: "adult", End: true },
        Minor: { Type: "Pass", Output: "minor", End: true },
      },
    },
    input: { age: 18 },
    expected: ok("adult"),
  },
  {
    name: "jsonata/choice-condition-default",
    source: JSONATA,
    definition: {
      ...J,
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Choices: [{ Condition: "{% $states.input.age >= 18 %}", Next: "Adult" }],
          Default: "Minor",
        },
        Adult: { Type: "Pass", Output: "adult", End: true },
        Minor: { Type: "Pass", Output: "minor", End: true },
      },
    },
    input: { age: 3 },
    expected: ok("minor"),
  },
  {
    name: "jsonata/catch-error-output",
    source: JSONATA,
    definition: {
      ...J,
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: LAMBDA,
          Catch: [
            {
              ErrorEquals: ["States.ALL"],
              Output: "{% { 'in': $states.input, 'err': $states.errorOutput.Error } %}",
              Next: "H",
            },
          ],
          End: true,
        },
        H: { Type: "Pass", End: true },
      },
    },
    input: { a: 1 },
    handlers: { T: [{ throw: { error: "Broken", cause: "x" } }] },
    expected: ok({ in: { a: 1 }, err: "Broken" }),
  },
  {
    name: "jsonata/fail-error-and-cause-expressions",
    source: JSONATA,
    definition: single(
      { Type: "Fail", Error: "{% 'Err.' & $states.input.code %}", Cause: "{% 'code ' & $states.input.code %}" },
      J,
    ),
    input: { code: "42" },
    expected: failed("Err.42", "code 42"),
  },
  {
    name: "jsonata/wait-seconds-expression",
    source: JSONATA,
    definition: single({ Type: "Wait", Seconds: "{% $states.input.s %}" }, J),
    input: { s: 30 },
    expected: ok({ s: 30 }),
    elapsedSeconds: 30,
  },
  {
    name: "jsonata/map-items-and-item-selector",
    source: JSONATA,
    definition: single(
      {
        Type: "Map",
        Items: "{% $states.input.nums %}",
        ItemSelector: { value: "{% $states.context.Map.Item.Value %}", index: "{% $states.context.Map.Item.Index %}" },
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "P",
          States: { P: { Type: "Pass", Output: "{% $states.input.value * 10 + $states.input.index %}", End: true } },
        },
      },
      J,
    ),
    input: { nums: [1, 2, 3] },
    expected: ok([10, 21, 32]),
  },
  {
    name: "jsonata/parallel-arguments-and-output",
    source: JSONATA,
    definition: single(
      {
        Type: "Parallel",
        Arguments: { v: "{% $states.input.v %}" },
        Branches: [
          { StartAt: "A", States: { A: { Type: "Pass", Output: "{% $states.input.v + 1 %}", End: true } } },
          { StartAt: "B", States: { B: { Type: "Pass", Output: "{% $states.input.v + 2 %}", End: true } } },
        ],
        Output: "{% $sum($states.result) %}",
      },
      J,
    ),
    input: { v: 10 },
    expected: ok(23),
  },
  {
    name: "jsonata/query-evaluation-error",
    source: JSONATA,
    definition: single({ Type: "Pass", Output: "{% $number('abc') %}" }, J),
    input: {},
    expected: failed("States.QueryEvaluationError"),
  },
  {
    name: "jsonata/query-evaluation-error-catchable",
    source: JSONATA,
    definition: {
      ...J,
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: LAMBDA,
          Output: "{% $number('abc') %}",
          Catch: [{ ErrorEquals: ["States.QueryEvaluationError"], Next: "H" }],
          End: true,
        },
        H: { Type: "Pass", Output: "caught", End: true },
      },
    },
    input: {},
    handlers: { T: [{ return: 1 }] },
    expected: ok("caught"),
  },
  {
    name: "jsonata/state-level-in-jsonpath-machine",
    source: `${JSONATA} (QueryLanguage per state)`,
    definition: {
      StartAt: "Path",
      States: {
        Path: { Type: "Pass", Parameters: { "n.$": "$.n" }, Next: "Ata" },
        Ata: { Type: "Pass", QueryLanguage: "JSONata", Output: "{% $states.input.n * 3 %}", End: true },
      },
    },
    input: { n: 5 },
    expected: ok(15),
  },
  {
    name: "jsonata/task-retry-and-result",
    source: JSONATA,
    definition: single(
      {
        Type: "Task",
        Resource: LAMBDA,
        Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 1 }],
        Output: "{% $states.result.n %}",
      },
      J,
    ),
    input: {},
    handlers: { S: [{ throw: { error: "Flaky", cause: "" } }, { return: { n: 9 } }] },
    expected: ok(9),
    elapsedSeconds: 2,
  },
  {
    name: "jsonata/wait-timestamp-expression",
    source: JSONATA,
    definition: single({ Type: "Wait", Timestamp: "{% $states.input.at %}" }, J),
    input: { at: "2016-03-14T01:59:00Z" },
    expected: ok({ at: "2016-03-14T01:59:00Z" }),
  },
  {
    name: "jsonata/map-literal-items",
    source: JSONATA,
    definition: single(
      {
        Type: "Map",
        Items: [1, 2],
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "P",
          States: { P: { Type: "Pass", Output: "{% $states.input * 2 %}", End: true } },
        },
      },
      J,
    ),
    input: {},
    expected: ok([2, 4]),
  },
  {
    name: "jsonata/succeed-output",
    source: JSONATA,
    definition: single({ Type: "Succeed", Output: { done: "{% $states.input.n > 1 %}" } }, J),
    input: { n: 2 },
    expected: ok({ done: true }),
  },
  {
    name: "jsonata/choice-output",
    source: JSONATA,
    definition: {
      ...J,
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Choices: [{ Condition: "{% $states.input.ok %}", Next: "Done", Output: { chosen: "rule" } }],
          Default: "Done",
          Output: { chosen: "default" },
        },
        Done: { Type: "Succeed" },
      },
    },
    input: { ok: true },
    expected: ok({ chosen: "rule" }),
  },
];
