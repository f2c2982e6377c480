import { describe, expect, it } from "vitest";
import { expectValidAsl } from "../../../../test/helpers/asl.js";
import {
  type CompileResult,
  compile,
  type PipelineModel,
  type QueryLanguage,
  type StateJson,
  type StepModel,
  testIntegrations,
  testPipeline,
  testStep,
} from "../index.js";

/** Compiles plain steps with the test integrations; every output also passes asl-validator. */
function render(
  steps: readonly StepModel[],
  overrides: Partial<PipelineModel> = {},
  queryLanguage: QueryLanguage = "JSONPath",
): CompileResult {
  const result = compile(testPipeline(steps, overrides), { integrations: testIntegrations, queryLanguage });
  expectValidAsl(result.stateMachine);
  return result;
}

const COMMENT = "lambda step (test integration)";
const LAMBDA = "arn:aws:states:::lambda:invoke";
const end = (next?: string) => (next === undefined ? { End: true } : { Next: next });

/** The Task state of a test step in JSONPath. */
const task = (name: string, next?: string, payload: Record<string, unknown> = {}): StateJson => ({
  Type: "Task",
  Comment: COMMENT,
  Resource: LAMBDA,
  Parameters: { FunctionName: name, Payload: payload },
  ResultSelector: { "StatusCode.$": "$.StatusCode" },
  ResultPath: `$.steps.${name}`,
  ...end(next),
});

/** The Task state of a test step in JSONata. */
const taskJ = (name: string, next?: string): StateJson => ({
  Type: "Task",
  Comment: COMMENT,
  Resource: LAMBDA,
  Arguments: { FunctionName: name, Payload: {} },
  Output: `{% $merge([$states.input, {"steps": $merge([$states.input.steps, {"${name}": {"StatusCode": $states.result.StatusCode}}])}]) %}`,
  ...end(next),
});

const START = "apply the input schema's defaults and start the state document";
const init = (next: string): StateJson => ({
  Type: "Pass",
  Comment: START,
  Parameters: { "input.$": "$", steps: {} },
  Next: next,
});
const initJ = (next: string): StateJson => ({
  Type: "Pass",
  Comment: START,
  Output: '{% {"input": $states.input, "steps": {}} %}',
  Assign: { input: "{% $states.input %}" },
  Next: next,
});

const chainSteps = [testStep("a"), testStep("b", ["a"])];
const diamondSteps = [testStep("a"), testStep("b", ["a"]), testStep("c", ["a"]), testStep("d", ["b", "c"])];

describe("compile: whole state machines (JSONPath)", () => {
  it("renders a chain of two steps after Input.ApplyDefaults", () => {
    expect(render(chainSteps).stateMachine).toStrictEqual({
      Comment: "stepline pipeline test",
      StartAt: "Input.ApplyDefaults",
      States: {
        "Input.ApplyDefaults": init("a"),
        a: task("a", "b"),
        b: task("b"),
      },
    });
  });

  it("renders a fork/join diamond as a Parallel whose branch results are merged", () => {
    const result = render(diamondSteps);
    expect(result.stateMachine).toStrictEqual({
      Comment: "stepline pipeline test",
      StartAt: "Input.ApplyDefaults",
      States: {
        "Input.ApplyDefaults": init("a"),
        a: task("a", "Parallel.1"),
        "Parallel.1": {
          Type: "Parallel",
          Comment: "runs b, c at the same time",
          Branches: [
            { StartAt: "b", States: { b: task("b") } },
            { StartAt: "c", States: { c: task("c") } },
          ],
          ResultSelector: {
            "input.$": "$[0].input",
            "steps.$": "States.JsonMerge($[0].steps, $[1].steps, false)",
          },
          Next: "d",
        },
        d: task("d"),
      },
    });
    expect(result.report.addedWaits).toStrictEqual([]);
  });

  it("adds one wait to the N graph and reports it", () => {
    // a→c, b→c, b→d is the smallest graph that is not series-parallel.
    const result = render([testStep("a"), testStep("b"), testStep("c", ["a", "b"]), testStep("d", ["b"])]);
    expect(result.report.addedWaits).toStrictEqual([
      { waiter: "d", waitsFor: ["a"], scope: "pipeline", message: "d also waits for a" },
    ]);
    expect(result.graph.edges).toStrictEqual([
      { from: "a", to: "c", kind: "explicit" },
      { from: "b", to: "c", kind: "explicit" },
      { from: "b", to: "d", kind: "explicit" },
      { from: "a", to: "d", kind: "added" },
    ]);
    const merged = {
      "input.$": "$[0].input",
      "steps.$": "States.JsonMerge($[0].steps, $[1].steps, false)",
    };
    expect(result.stateMachine).toStrictEqual({
      Comment: "stepline pipeline test",
      StartAt: "Input.ApplyDefaults",
      States: {
        "Input.ApplyDefaults": init("Parallel.1"),
        "Parallel.1": {
          Type: "Parallel",
          Comment: "runs a, b at the same time",
          Branches: [
            { StartAt: "a", States: { a: task("a") } },
            { StartAt: "b", States: { b: task("b") } },
          ],
          ResultSelector: merged,
          Next: "Parallel.2",
        },
        "Parallel.2": {
          Type: "Parallel",
          Comment: "runs c, d at the same time",
          Branches: [
            { StartAt: "c", States: { c: task("c") } },
            { StartAt: "d", States: { d: task("d") } },
          ],
          ResultSelector: merged,
          End: true,
        },
      },
    });
  });

  it("reports reference edges with their kind", () => {
    const ref = { $ref: { source: "step" as const, step: "a", path: ["StatusCode"] } };
    const result = render([testStep("a"), testStep("b", [], { payload: { code: ref } })]);
    expect(result.graph.edges).toStrictEqual([{ from: "a", to: "b", kind: "reference" }]);
    expect(result.stateMachine.States.b).toStrictEqual(task("b", undefined, { "code.$": "$.steps.a.StatusCode" }));
  });

  it("checks required inputs, applies defaults and checks types before the first step", () => {
    const input = {
      schema: {
        type: "object",
        properties: { date: { type: "string" }, mode: { type: "string" }, n: { type: "number" } },
      },
      defaults: { mode: "full" },
      required: ["date"],
      // `n` is neither required nor defaulted: not every run has it, so it is not checked.
      types: { date: "string", mode: "string", n: "number" } as const,
    };
    const { stateMachine } = render(chainSteps, { input });
    expect(stateMachine).toStrictEqual({
      Comment: "stepline pipeline test",
      StartAt: "Input.CheckRequired",
      States: {
        "Input.CheckRequired": {
          Type: "Choice",
          Comment: "fail fast when a required input field is missing",
          Choices: [{ Variable: "$.date", IsPresent: false, Next: "Input.Missing.date" }],
          Default: "Input.Defaults",
        },
        "Input.Missing.date": {
          Type: "Fail",
          Error: "stepline.InputMissing",
          Cause: "required input field 'date' is missing; start the run with {\"date\": …}",
        },
        "Input.Defaults": {
          Type: "Pass",
          Comment: "place the input schema's defaults beside the given input",
          Parameters: { defaults: { mode: "full" }, "given.$": "$" },
          Next: "Input.ApplyDefaults",
        },
        "Input.ApplyDefaults": {
          Type: "Pass",
          Comment: START,
          Parameters: { "input.$": "States.JsonMerge($.defaults, $.given, false)", steps: {} },
          Next: "Input.CheckTypes",
        },
        "Input.CheckTypes": {
          Type: "Choice",
          Comment: "fail fast when an input field has the wrong type",
          Choices: [
            { Not: { Variable: "$.input.date", IsString: true }, Next: "Input.Invalid.date" },
            { Not: { Variable: "$.input.mode", IsString: true }, Next: "Input.Invalid.mode" },
          ],
          Default: "a",
        },
        "Input.Invalid.date": {
          Type: "Fail",
          Error: "stepline.InputInvalid",
          Cause: "input field 'date' must be a string",
        },
        "Input.Invalid.mode": {
          Type: "Fail",
          Error: "stepline.InputInvalid",
          Cause: "input field 'mode' must be a string",
        },
        a: task("a", "b"),
        b: task("b"),
      },
    });
  });

  it("starts with Input.Defaults when there are defaults but no required field", () => {
    const input = { schema: { type: "object" }, defaults: { n: 1 }, required: [], types: {} };
    const { stateMachine } = render([testStep("a")], { input });
    expect(stateMachine.StartAt).toBe("Input.Defaults");
    expect(stateMachine.States["Input.ApplyDefaults"]?.Next).toBe("a");
  });

  it("writes every state's keys in a stable order", () => {
    const { stateMachine } = render(chainSteps);
    expect(Object.keys(stateMachine)).toStrictEqual(["Comment", "StartAt", "States"]);
    expect(Object.keys(stateMachine.States)).toStrictEqual(["Input.ApplyDefaults", "a", "b"]);
    expect(Object.keys(stateMachine.States.a as StateJson)).toStrictEqual([
      "Type",
      "Comment",
      "Resource",
      "Parameters",
      "ResultSelector",
      "ResultPath",
      "Next",
    ]);
    expect(JSON.stringify(render(diamondSteps).stateMachine)).toBe(JSON.stringify(render(diamondSteps).stateMachine));
  });

  it("uses bracket paths for step names that are not identifiers", () => {
    const ref = { $ref: { source: "step" as const, step: "load-1", path: ["StatusCode"] } };
    const { stateMachine } = render([testStep("load-1"), testStep("use-2", [], { payload: { code: ref } })]);
    expect(stateMachine.States["load-1"]?.ResultPath).toBe("$.steps['load-1']");
    expect((stateMachine.States["use-2"]?.Parameters as { Payload: unknown } | undefined)?.Payload).toStrictEqual({
      "code.$": "$.steps['load-1'].StatusCode",
    });
  });

  it("splits more than 11 parallel branches into nested Parallels (JsonMerge nests ≤ 10 intrinsics)", () => {
    const { stateMachine } = render(Array.from({ length: 12 }, (_, i) => testStep(`s${i}`)));
    const outer = stateMachine.States["Parallel.1"] as StateJson;
    const branches = outer.Branches as { StartAt: string; States: Record<string, StateJson> }[];
    expect(branches.length).toBeLessThanOrEqual(11);
    for (const branch of branches) {
      for (const state of Object.values(branch.States)) {
        if (state.Type === "Parallel") expect((state.Branches as unknown[]).length).toBeLessThanOrEqual(11);
      }
    }
  });
});

describe("compile: report and manifest", () => {
  it("summarises every state and counts the definition's bytes", () => {
    const result = render(diamondSteps);
    expect(result.report).toMatchObject({
      pipeline: "test",
      queryLanguage: "JSONPath",
      stepCount: 4,
      addedWaits: [],
      warnings: [],
    });
    expect(result.report.definitionBytes).toBe(new TextEncoder().encode(JSON.stringify(result.stateMachine)).length);
    expect(result.report.states.map((s) => [s.name, s.type]).sort()).toStrictEqual(
      [
        ["Input.ApplyDefaults", "Pass"],
        ["Parallel.1", "Parallel"],
        ["a", "Task"],
        ["b", "Task"],
        ["c", "Task"],
        ["d", "Task"],
      ].sort(),
    );
    expect(result.report.iamActions).toStrictEqual(["lambda:InvokeFunction"]);
    expect(result.manifest.iam.stateMachineRole.statements).toStrictEqual([
      {
        Sid: "InvokeTestFunctions",
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        Resource: ["a", "b", "c", "d"].map((n) => `arn:aws:lambda:us-east-1:123456789012:function:${n}`),
      },
    ]);
    expect(result.graph.nodes).toStrictEqual(diamondSteps.map((s) => ({ name: s.name, kind: "lambda" })));
  });

  it("uses the pipeline's description as the machine's Comment", () => {
    expect(render(chainSteps, { description: "nightly ETL" }).stateMachine.Comment).toBe("nightly ETL");
  });
});

describe("compile: whole state machines (JSONata)", () => {
  it("renders the chain with Arguments, Output and the $input variable", () => {
    expect(render(chainSteps, {}, "JSONata").stateMachine).toStrictEqual({
      Comment: "stepline pipeline test",
      QueryLanguage: "JSONata",
      StartAt: "Input.ApplyDefaults",
      States: {
        "Input.ApplyDefaults": initJ("a"),
        a: taskJ("a", "b"),
        b: taskJ("b"),
      },
    });
  });

  it("renders the diamond with a $merge of the branch outputs", () => {
    expect(render(diamondSteps, {}, "JSONata").stateMachine).toStrictEqual({
      Comment: "stepline pipeline test",
      QueryLanguage: "JSONata",
      StartAt: "Input.ApplyDefaults",
      States: {
        "Input.ApplyDefaults": initJ("a"),
        a: taskJ("a", "Parallel.1"),
        "Parallel.1": {
          Type: "Parallel",
          Comment: "runs b, c at the same time",
          Branches: [
            { StartAt: "b", States: { b: taskJ("b") } },
            { StartAt: "c", States: { c: taskJ("c") } },
          ],
          Output: '{% $merge([$states.input, {"steps": $merge($states.result.steps)}]) %}',
          Next: "d",
        },
        d: taskJ("d"),
      },
    });
  });

  it("checks required inputs and types with JSONata conditions and merges defaults", () => {
    const input = {
      schema: { type: "object" },
      defaults: { mode: "full", parts: [] },
      required: ["date"],
      types: { date: "string", mode: "string", parts: "array" } as const,
    };
    const { stateMachine } = render(chainSteps, { input }, "JSONata");
    const defaults = '{"mode":"full","parts":[]}';
    expect(stateMachine.StartAt).toBe("Input.CheckRequired");
    expect(stateMachine.States["Input.CheckRequired"]).toStrictEqual({
      Type: "Choice",
      Comment: "fail fast when a required input field is missing",
      Choices: [{ Condition: "{% $not($exists($states.input.date)) %}", Next: "Input.Missing.date" }],
      Default: "Input.ApplyDefaults",
    });
    expect(stateMachine.States["Input.ApplyDefaults"]).toStrictEqual({
      Type: "Pass",
      Comment: START,
      Output: `{% {"input": $merge([${defaults}, $states.input]), "steps": {}} %}`,
      Assign: { input: `{% $merge([${defaults}, $states.input]) %}` },
      Next: "Input.CheckTypes",
    });
    expect(stateMachine.States["Input.CheckTypes"]).toStrictEqual({
      Type: "Choice",
      Comment: "fail fast when an input field has the wrong type",
      Choices: [
        { Condition: '{% $type($states.input.input.date) != "string" %}', Next: "Input.Invalid.date" },
        { Condition: '{% $type($states.input.input.mode) != "string" %}', Next: "Input.Invalid.mode" },
      ],
      Default: "a",
    });
    // JSONPath cannot test for arrays, so neither language does: both accept the same inputs.
    expect(stateMachine.States["Input.Invalid.parts"]).toBeUndefined();
    expect(stateMachine.States["Input.Defaults"]).toBeUndefined();
  });

  it("reads references to steps from the state and the input from $input", () => {
    const result = render(
      [
        testStep("a"),
        testStep("b", [], {
          payload: {
            code: { $ref: { source: "step", step: "a", path: ["StatusCode"] } },
            date: { $ref: { source: "input", path: ["date"] } },
            key: { $format: ["s3://bucket/", { $ref: { source: "input", path: ["date"] } }, "/x"] },
          },
        }),
      ],
      {},
      "JSONata",
    );
    expect((result.stateMachine.States.b?.Arguments as { Payload: unknown } | undefined)?.Payload).toStrictEqual({
      code: "{% $states.input.steps.a.StatusCode %}",
      date: "{% $input.date %}",
      key: '{% "s3://bucket/" & $string($input.date) & "/x" %}',
    });
  });
});
