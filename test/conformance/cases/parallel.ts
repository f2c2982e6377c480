import { type Case, DOCS, failed, LAMBDA, ok, single } from "../types.js";

const PARALLEL = `Parallel workflow state — ${DOCS}state-parallel.html`;

const branch = (states: Record<string, unknown>, start: string) => ({ StartAt: start, States: states });
const passBranch = (name: string, result: unknown) =>
  branch({ [name]: { Type: "Pass", Result: result, End: true } }, name);

export const cases: Case[] = [
  {
    name: "parallel/outputs-in-branch-order",
    source: PARALLEL,
    definition: single({
      Type: "Parallel",
      Branches: [passBranch("A", "a"), passBranch("B", { b: 1 }), passBranch("C", [3])],
    }),
    input: {},
    expected: ok(["a", { b: 1 }, [3]]),
  },
  {
    name: "parallel/each-branch-gets-the-input",
    source: PARALLEL,
    definition: single({
      Type: "Parallel",
      Branches: [
        branch({ A: { Type: "Pass", InputPath: "$.x", End: true } }, "A"),
        branch({ B: { Type: "Pass", InputPath: "$.y", End: true } }, "B"),
      ],
    }),
    input: { x: 1, y: 2 },
    expected: ok([1, 2]),
  },
  {
    name: "parallel/result-path-keeps-input",
    source: PARALLEL,
    definition: single({
      Type: "Parallel",
      Branches: [passBranch("A", 1), passBranch("B", 2)],
      ResultPath: "$.results",
    }),
    input: { id: "x" },
    expected: ok({ id: "x", results: [1, 2] }),
  },
  {
    name: "parallel/parameters-shape-branch-input",
    source: PARALLEL,
    definition: single({
      Type: "Parallel",
      Parameters: { "who.$": "$.name", fixed: true },
      Branches: [branch({ A: { Type: "Pass", End: true } }, "A")],
    }),
    input: { name: "n" },
    expected: ok([{ who: "n", fixed: true }]),
  },
  {
    name: "parallel/branch-failure-keeps-its-error-name",
    source: `${PARALLEL} (a failing branch fails the Parallel with the branch's own error, FACTS.md)`,
    definition: single({
      Type: "Parallel",
      Branches: [passBranch("A", 1), branch({ F: { Type: "Fail", Error: "BranchBoom", Cause: "b2" } }, "F")],
    }),
    input: {},
    expected: failed("BranchBoom", "b2"),
  },
  {
    name: "parallel/branch-failure-caught",
    source: PARALLEL,
    definition: {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [branch({ F: { Type: "Fail", Error: "BranchBoom", Cause: "b" } }, "F")],
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Recovered" }],
          End: true,
        },
        Recovered: { Type: "Pass", End: true },
      },
    },
    input: { a: 1 },
    expected: ok({ Error: "BranchBoom", Cause: "b" }),
  },
  {
    name: "parallel/nested-parallel",
    source: PARALLEL,
    definition: single({
      Type: "Parallel",
      Branches: [
        branch(
          { Inner: { Type: "Parallel", Branches: [passBranch("X", "x"), passBranch("Y", "y")], End: true } },
          "Inner",
        ),
        passBranch("Z", "z"),
      ],
    }),
    input: {},
    expected: ok([["x", "y"], "z"]),
  },
  {
    name: "parallel/branch-with-multiple-states",
    source: PARALLEL,
    definition: single({
      Type: "Parallel",
      Branches: [
        branch(
          {
            One: { Type: "Pass", Result: 1, ResultPath: "$.one", Next: "Two" },
            Two: { Type: "Pass", Result: 2, ResultPath: "$.two", End: true },
          },
          "One",
        ),
      ],
    }),
    input: { start: 0 },
    expected: ok([{ start: 0, one: 1, two: 2 }]),
  },
  {
    name: "parallel/tasks-lookup-customer-docs",
    source: PARALLEL,
    definition: {
      StartAt: "LookupCustomerInfo",
      States: {
        LookupCustomerInfo: {
          Type: "Parallel",
          End: true,
          Branches: [
            { StartAt: "LookupAddress", States: { LookupAddress: { Type: "Task", Resource: LAMBDA, End: true } } },
            { StartAt: "LookupPhone", States: { LookupPhone: { Type: "Task", Resource: LAMBDA, End: true } } },
          ],
        },
      },
    },
    input: { customer: 42 },
    handlers: { LookupAddress: [{ return: { address: "1 Main St" } }], LookupPhone: [{ return: { phone: "555" } }] },
    expected: ok([{ address: "1 Main St" }, { phone: "555" }]),
  },
  {
    name: "parallel/task-failure-in-branch",
    source: PARALLEL,
    definition: single({
      Type: "Parallel",
      Branches: [
        { StartAt: "A", States: { A: { Type: "Task", Resource: LAMBDA, End: true } } },
        { StartAt: "B", States: { B: { Type: "Task", Resource: LAMBDA, End: true } } },
      ],
    }),
    input: {},
    handlers: { A: [{ return: 1 }], B: [{ throw: { error: "Lambda.ServiceException", cause: "down" } }] },
    expected: failed("Lambda.ServiceException", "down"),
  },
];
