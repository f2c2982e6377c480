import { type Case, DOCS, LAMBDA, ok } from "../types.js";

const VARS = `Passing data between states with variables — ${DOCS}workflow-variables.html`;
const J = { QueryLanguage: "JSONata" };

export const cases: Case[] = [
  {
    name: "variables/jsonpath-assign-then-read",
    source: VARS,
    definition: {
      StartAt: "Set",
      States: {
        Set: { Type: "Pass", Assign: { productName: "product1", count: 42, available: true }, Next: "Use" },
        Use: {
          Type: "Pass",
          Parameters: { "name.$": "$productName", "count.$": "$count", "available.$": "$available" },
          End: true,
        },
      },
    },
    input: {},
    expected: ok({ name: "product1", count: 42, available: true }),
  },
  {
    name: "variables/jsonpath-assign-from-pass-result",
    source: `${VARS} (in a JSONPath state, $ in Assign is the state's result: for a Pass, its Result or Parameters)`,
    definition: {
      StartAt: "Set",
      States: {
        Set: {
          Type: "Pass",
          Parameters: { "id.$": "$.order.id", tag: "p" },
          Assign: { "id.$": "$.id", "tag.$": "$.tag" },
          ResultPath: null,
          Next: "Use",
        },
        Use: { Type: "Pass", Parameters: { "id.$": "$id", "tag.$": "$tag", "order.$": "$.order" }, End: true },
      },
    },
    input: { order: { id: "o-1" } },
    expected: ok({ id: "o-1", tag: "p", order: { id: "o-1" } }),
  },
  {
    name: "variables/jsonpath-assign-from-task-result",
    source: VARS,
    definition: {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: LAMBDA, Assign: { "fromResult.$": "$.value" }, ResultPath: null, Next: "Use" },
        Use: { Type: "Pass", Parameters: { "v.$": "$fromResult", "in.$": "$.value" }, End: true },
      },
    },
    input: { value: "input" },
    handlers: { T: [{ return: { value: "result" } }] },
    expected: ok({ v: "result", in: "input" }),
  },
  {
    name: "variables/assignments-see-previous-values",
    source: `${VARS} (all assignments of one Assign are evaluated with the values before it)`,
    definition: {
      ...J,
      StartAt: "One",
      States: {
        One: { Type: "Pass", Assign: { x: 1 }, Next: "Two" },
        Two: { Type: "Pass", Assign: { x: 2, y: "{% $x %}" }, Next: "Out" },
        Out: { Type: "Pass", Output: "{% [$x, $y] %}", End: true },
      },
    },
    input: {},
    expected: ok([2, 1]),
  },
  {
    name: "variables/jsonata-assign-result",
    source: VARS,
    definition: {
      ...J,
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: LAMBDA,
          Assign: { total: "{% $states.result.total %}" },
          Output: "{% $states.input %}",
          Next: "Out",
        },
        Out: { Type: "Pass", Output: "{% { 'total': $total, 'input': $states.input } %}", End: true },
      },
    },
    input: { order: 1 },
    handlers: { T: [{ return: { total: 99 } }] },
    expected: ok({ total: 99, input: { order: 1 } }),
  },
  {
    name: "variables/parallel-branch-reads-outer",
    source: `${VARS} (scope: a branch reads outer variables)`,
    definition: {
      ...J,
      StartAt: "Set",
      States: {
        Set: { Type: "Pass", Assign: { greeting: "hi" }, Next: "P" },
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Pass", Output: "{% $greeting & ' a' %}", End: true } } },
            { StartAt: "B", States: { B: { Type: "Pass", Output: "{% $greeting & ' b' %}", End: true } } },
          ],
          End: true,
        },
      },
    },
    input: {},
    expected: ok(["hi a", "hi b"]),
  },
  {
    name: "variables/parallel-branch-assign-stays-inside",
    source: `${VARS} (scope: a branch's variables do not leave it; results leave through its output)`,
    definition: {
      ...J,
      StartAt: "Set",
      States: {
        Set: { Type: "Pass", Assign: { outer: "o" }, Next: "P" },
        P: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "A",
              States: {
                A: { Type: "Pass", Assign: { inner: "{% $outer & '-in' %}" }, Next: "A2" },
                A2: { Type: "Pass", Output: "{% $inner %}", End: true },
              },
            },
          ],
          Assign: { fromBranch: "{% $states.result[0] %}" },
          Next: "Out",
        },
        Out: { Type: "Pass", Output: "{% { 'outer': $outer, 'fromBranch': $fromBranch } %}", End: true },
      },
    },
    input: {},
    expected: ok({ outer: "o", fromBranch: "o-in" }),
  },
  {
    name: "variables/map-iteration-reads-outer",
    source: `${VARS} (scope: a Map iteration reads outer variables)`,
    definition: {
      ...J,
      StartAt: "Set",
      States: {
        Set: { Type: "Pass", Assign: { factor: 10 }, Next: "M" },
        M: {
          Type: "Map",
          Items: "{% $states.input %}",
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "Mul",
            States: {
              Mul: { Type: "Pass", Assign: { local: "{% $states.input * $factor %}" }, Next: "Ret" },
              Ret: { Type: "Pass", Output: "{% $local + 1 %}", End: true },
            },
          },
          End: true,
        },
      },
    },
    input: [1, 2, 3],
    expected: ok([11, 21, 31]),
  },
  {
    name: "variables/jsonpath-map-reads-outer",
    source: VARS,
    definition: {
      StartAt: "Set",
      States: {
        Set: { Type: "Pass", Assign: { "prefix.$": "$.prefix" }, Next: "M" },
        M: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemSelector: { "item.$": "$$.Map.Item.Value", "prefix.$": "$prefix" },
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "F",
            States: { F: { Type: "Pass", Parameters: { "s.$": "States.Format('{}{}', $prefix, $.item)" }, End: true } },
          },
          End: true,
        },
      },
    },
    input: { prefix: "p-", items: ["a", "b"] },
    expected: ok([{ s: "p-a" }, { s: "p-b" }]),
  },
  {
    name: "variables/choice-rule-assign",
    source: VARS,
    definition: {
      ...J,
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Choices: [{ Condition: "{% $states.input.n > 0 %}", Assign: { sign: "positive" }, Next: "Out" }],
          Default: "Out",
          Assign: { sign: "non-positive" },
        },
        Out: { Type: "Pass", Output: "{% $sign %}", End: true },
      },
    },
    input: { n: 5 },
    expected: ok("positive"),
  },
  {
    name: "variables/choice-default-assign",
    source: VARS,
    definition: {
      ...J,
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Choices: [{ Condition: "{% $states.input.n > 0 %}", Assign: { sign: "positive" }, Next: "Out" }],
          Default: "Out",
          Assign: { sign: "non-positive" },
        },
        Out: { Type: "Pass", Output: "{% $sign %}", End: true },
      },
    },
    input: { n: -1 },
    expected: ok("non-positive"),
  },
  {
    name: "variables/catch-assign-error",
    source: VARS,
    definition: {
      ...J,
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: LAMBDA,
          Catch: [
            { ErrorEquals: ["States.ALL"], Assign: { lastError: "{% $states.errorOutput.Error %}" }, Next: "Out" },
          ],
          End: true,
        },
        Out: { Type: "Pass", Output: "{% $lastError %}", End: true },
      },
    },
    input: {},
    handlers: { T: [{ throw: { error: "Db.Down", cause: "" } }] },
    expected: ok("Db.Down"),
  },
  {
    name: "variables/reassign-overwrites",
    source: VARS,
    definition: {
      ...J,
      StartAt: "A",
      States: {
        A: { Type: "Pass", Assign: { v: 1 }, Next: "B" },
        B: { Type: "Pass", Assign: { v: "{% $v + 1 %}" }, Next: "C" },
        C: { Type: "Pass", Output: "{% $v %}", End: true },
      },
    },
    input: {},
    expected: ok(2),
  },
  {
    name: "variables/jsonpath-choice-on-variable",
    source: VARS,
    definition: {
      StartAt: "Set",
      States: {
        Set: { Type: "Pass", Assign: { threshold: 10 }, Next: "C" },
        C: {
          Type: "Choice",
          Choices: [{ Variable: "$.v", NumericGreaterThanPath: "$threshold", Next: "Big" }],
          Default: "Small",
        },
        Big: { Type: "Pass", Result: "big", End: true },
        Small: { Type: "Pass", Result: "small", End: true },
      },
    },
    input: { v: 11 },
    expected: ok("big"),
  },
  {
    name: "variables/wait-assign-and-context",
    source: VARS,
    definition: {
      StartAt: "W",
      States: {
        W: { Type: "Wait", Seconds: 5, Assign: { "where.$": "$$.State.Name", "v.$": "$.v" }, Next: "Out" },
        Out: { Type: "Pass", Parameters: { "where.$": "$where", "v.$": "$v" }, End: true },
      },
    },
    input: { v: "x" },
    expected: ok({ where: "W", v: "x" }),
    elapsedSeconds: 5,
  },
];
