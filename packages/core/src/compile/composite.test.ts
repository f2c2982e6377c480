import { describe, expect, it } from "vitest";
import { expectValidAsl } from "../../../../test/helpers/asl.js";
import {
  type ChoiceStepModel,
  type ConditionModel,
  compile,
  type MapStepModel,
  orderFacts,
  type PipelineModel,
  type QueryLanguage,
  type StateJson,
  type StepModel,
  testIntegrations,
  testPipeline,
  testStep,
} from "../index.js";
import { jsonataCondition, jsonPathRule } from "./composite.js";

function render(
  steps: readonly StepModel[],
  overrides: Partial<PipelineModel> = {},
  queryLanguage: QueryLanguage = "JSONPath",
) {
  const result = compile(testPipeline(steps, overrides), { integrations: testIntegrations, queryLanguage });
  expectValidAsl(result.stateMachine);
  return result;
}

const item = { $ref: { source: "item" as const, path: [] } };
const fanOut = (extra: Partial<MapStepModel> = {}): MapStepModel => ({
  kind: "map",
  name: "each",
  after: ["a"],
  items: { $ref: { source: "input", path: ["parts"] } },
  maxConcurrency: 5,
  maxItems: 100,
  mode: "inline",
  steps: [testStep("x", [], { payload: { part: item } }), testStep("y", ["x"])],
  ...extra,
});
const mode = { source: "input" as const, path: ["mode"] };
const choice = (condition: ConditionModel, extra: Partial<ChoiceStepModel> = {}): ChoiceStepModel => ({
  kind: "choice",
  name: "pick",
  after: ["a"],
  condition,
  then: [testStep("t1")],
  otherwise: [testStep("o1")],
  ...extra,
});
/** A state by name anywhere in the machine (inside Parallel branches and Map bodies too). */
function findState(states: Record<string, StateJson>, name: string): StateJson | undefined {
  for (const [key, state] of Object.entries(states)) {
    if (key === name) return state;
    const nested = [
      ...((state.Branches as { States: Record<string, StateJson> }[] | undefined) ?? []),
      ...(state.ItemProcessor ? [state.ItemProcessor as { States: Record<string, StateJson> }] : []),
    ];
    for (const list of nested) {
      const found = findState(list.States, name);
      if (found) return found;
    }
  }
  return undefined;
}
const TASK = { Type: "Task", Comment: "lambda step (test integration)", Resource: "arn:aws:states:::lambda:invoke" };
const ITEM_DONE = {
  Type: "Pass",
  Comment: "keep the Map result small: one empty object per item",
  Result: {},
  End: true,
};

describe("fan-out (Map)", () => {
  it("renders an inline Map with the item document, ItemDone and a Count result", () => {
    const result = render([testStep("a"), fanOut(), testStep("z", ["each"])]);
    expect(result.stateMachine.States.each).toStrictEqual({
      Type: "Map",
      Comment: "fan-out over input.parts, at most 5 at a time",
      ItemsPath: "$.input.parts",
      ItemSelector: {
        "input.$": "$.input",
        "steps.$": "$.steps",
        "item.$": "$$.Map.Item.Value",
        "index.$": "$$.Map.Item.Index",
      },
      MaxConcurrency: 5,
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "x",
        States: {
          x: {
            ...TASK,
            Parameters: { FunctionName: "x", Payload: { "part.$": "$.item" } },
            ResultSelector: { "StatusCode.$": "$.StatusCode" },
            ResultPath: "$.steps.x",
            Next: "y",
          },
          y: {
            ...TASK,
            Parameters: { FunctionName: "y", Payload: {} },
            ResultSelector: { "StatusCode.$": "$.StatusCode" },
            ResultPath: "$.steps.y",
            Next: "each.ItemDone",
          },
          "each.ItemDone": ITEM_DONE,
        },
      },
      ResultSelector: { "Count.$": "States.ArrayLength($)" },
      ResultPath: "$.steps.each",
      Next: "z",
    });
    expect(result.manifest.iam.stateMachineRole.statements.map((s) => s.Sid)).toStrictEqual(["InvokeTestFunctions"]);
    expect(result.graph.nodes.filter((n) => n.parent === "each")).toStrictEqual([
      { name: "x", kind: "lambda", parent: "each", branch: "body" },
      { name: "y", kind: "lambda", parent: "each", branch: "body" },
    ]);
  });

  it("renders a distributed Map with a Label and the child-execution IAM statements", () => {
    const result = render([
      testStep("a"),
      fanOut({ mode: "distributed", name: "fan-out_parts" }),
      testStep("z", ["fan-out_parts"]),
    ]);
    const map = result.stateMachine.States["fan-out_parts"] as StateJson;
    expect(map.ItemProcessor).toMatchObject({
      ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
      StartAt: "x",
    });
    expect(map.Label).toBe("fanout_parts");
    const statements = result.manifest.iam.stateMachineRole.statements;
    const base = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}";
    expect(statements.filter((s) => s.Sid?.startsWith("DistributedMap"))).toStrictEqual([
      {
        Sid: "DistributedMapChildren",
        Effect: "Allow",
        Action: ["states:DescribeExecution", "states:StopExecution"],
        Resource: [`${base}:execution:test/*`],
      },
      {
        Sid: "DistributedMapStart",
        Effect: "Allow",
        Action: ["states:StartExecution"],
        Resource: [`${base}:stateMachine:test`],
      },
    ]);
    expect(result.report.iamActions).toContain("states:StartExecution");
  });

  it("renders the JSONata Map with Items, ItemSelector expressions and $count", () => {
    const map = render([testStep("a"), fanOut(), testStep("z", ["each"])], {}, "JSONata").stateMachine.States
      .each as StateJson;
    expect(map.Items).toBe("{% $input.parts %}");
    expect(map.ItemSelector).toStrictEqual({
      input: "{% $input %}",
      steps: "{% $states.input.steps %}",
      item: "{% $states.context.Map.Item.Value %}",
      index: "{% $states.context.Map.Item.Index %}",
    });
    expect(map.Output).toBe(
      '{% $merge([$states.input, {"steps": $merge([$states.input.steps, {"each": {"Count": $count($states.result)}}])}]) %}',
    );
    const x = (map.ItemProcessor as { States: Record<string, StateJson> }).States.x as StateJson;
    expect(x.Arguments).toStrictEqual({ FunctionName: "x", Payload: { part: "{% $states.input.item %}" } });
  });

  it("reads the input from the state inside distributed children (no parent variables there)", () => {
    const inner = fanOut({
      name: "inner",
      after: [],
      items: { $ref: { source: "input", path: ["parts"] } },
      steps: [testStep("w", [], { payload: { d: { $ref: { source: "input", path: ["date"] } } } })],
    });
    const outer = fanOut({ mode: "distributed", steps: [inner] });
    const map = render([testStep("a"), outer], {}, "JSONata").stateMachine.States.each as StateJson;
    const innerMap = (map.ItemProcessor as { States: Record<string, StateJson> }).States.inner as StateJson;
    expect(innerMap.Items).toBe("{% $states.input.input.parts %}");
    expect((innerMap.ItemSelector as Record<string, string>).input).toBe("{% $states.input.input %}");
    const w = (innerMap.ItemProcessor as { States: Record<string, StateJson> }).States.w as StateJson;
    expect(w.Arguments).toStrictEqual({ FunctionName: "w", Payload: { d: "{% $states.input.input.date %}" } });
  });

  it("fans out over an upstream step's result", () => {
    const map = render([
      testStep("a"),
      fanOut({ after: [], items: { $ref: { source: "step", step: "a", path: ["Payload", "parts"] } } }),
    ]).stateMachine.States.each as StateJson;
    expect(map.ItemsPath).toBe("$.steps.a.Payload.parts");
  });

  it("lifts a dependency of a body step on a top-level step onto the fan-out", () => {
    const ref = { $ref: { source: "step" as const, step: "a", path: ["StatusCode"] } };
    const body = [testStep("x", [], { payload: { code: ref } })];
    const result = render([testStep("b"), testStep("a", ["b"]), fanOut({ after: [], steps: body }), testStep("c")]);
    expect(result.graph.edges).toContainEqual({ from: "a", to: "each", kind: "reference" });
    const facts = orderFacts(result.stateMachine);
    expect([...(facts.before.get("x") ?? [])].sort()).toStrictEqual(["a", "b"]);
    expect(facts.before.get("c")?.has("a")).toBe(false);
    expect(findState(result.stateMachine.States, "x")?.Parameters).toStrictEqual({
      FunctionName: "x",
      Payload: { "code.$": "$.steps.a.StatusCode" },
    });
  });

  it("applies continue to a fan-out as a whole", () => {
    const machine = render([testStep("a"), fanOut({ onFailure: { action: "continue" } })]).stateMachine;
    expect(machine.States.each?.Catch).toStrictEqual([
      { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "each.Continue" },
    ]);
    expect(machine.States["each.Continue"]).toMatchObject({
      Type: "Pass",
      InputPath: "$.error",
      ResultPath: "$.steps.each",
      End: true,
    });
  });
});

describe("conditions (Choice)", () => {
  it("renders a Choice with marker Passes; both branches continue to the next step", () => {
    const { stateMachine } = render([
      testStep("a"),
      choice({ op: "eq", left: mode, right: "full" }),
      testStep("z", ["pick"]),
    ]);
    expect(stateMachine.States.pick).toStrictEqual({
      Type: "Choice",
      Comment: "choose between the 'then' and 'otherwise' branches of pick",
      Choices: [{ Variable: "$.input.mode", StringEquals: "full", Next: "pick.Then" }],
      Default: "pick.Otherwise",
    });
    expect(stateMachine.States["pick.Then"]).toStrictEqual({
      Type: "Pass",
      Comment: "pick took the 'then' branch",
      Result: { Branch: "then" },
      ResultPath: "$.steps.pick",
      Next: "t1",
    });
    expect(stateMachine.States["pick.Otherwise"]).toStrictEqual({
      Type: "Pass",
      Comment: "pick took the 'otherwise' branch",
      Result: { Branch: "otherwise" },
      ResultPath: "$.steps.pick",
      Next: "o1",
    });
    expect(stateMachine.States.t1?.Next).toBe("z");
    expect(stateMachine.States.o1?.Next).toBe("z");
    const facts = orderFacts(stateMachine);
    expect([...(facts.before.get("z") ?? [])]).toStrictEqual(["a"]);
    expect(facts.before.get("t1")?.has("a")).toBe(true);
  });

  it("an empty branch goes straight on from its marker", () => {
    const { stateMachine } = render([
      testStep("a"),
      choice({ op: "present", left: mode }, { otherwise: [] }),
      testStep("z", ["pick"]),
    ]);
    expect(stateMachine.States["pick.Otherwise"]?.Next).toBe("z");
  });

  it("renders the JSONata Condition and markers", () => {
    const { stateMachine } = render(
      [testStep("a"), choice({ op: "eq", left: mode, right: "full" }), testStep("z", ["pick"])],
      {},
      "JSONata",
    );
    expect(stateMachine.States.pick?.Choices).toStrictEqual([
      { Condition: '{% $input.mode = "full" %}', Next: "pick.Then" },
    ]);
    expect(stateMachine.States["pick.Then"]?.Output).toBe(
      '{% $merge([$states.input, {"steps": $merge([$states.input.steps, {"pick": {"Branch":"then"}}])}]) %}',
    );
  });

  const n = { source: "input" as const, path: ["n"] };
  const flag = { source: "input" as const, path: ["flag"] };
  const cases: [string, ConditionModel, Record<string, unknown>, string][] = [
    ["numeric lt", { op: "lt", left: n, right: 3 }, { Variable: "$.input.n", NumericLessThan: 3 }, "$input.n < 3"],
    [
      "numeric ge",
      { op: "ge", left: n, right: 2.5 },
      { Variable: "$.input.n", NumericGreaterThanEquals: 2.5 },
      "$input.n >= 2.5",
    ],
    [
      "string gt",
      { op: "gt", left: mode, right: "m" },
      { Variable: "$.input.mode", StringGreaterThan: "m" },
      '$input.mode > "m"',
    ],
    [
      "boolean eq",
      { op: "eq", left: flag, right: true },
      { Variable: "$.input.flag", BooleanEquals: true },
      "$input.flag = true",
    ],
    [
      "ne",
      { op: "ne", left: mode, right: "full" },
      { Not: { Variable: "$.input.mode", StringEquals: "full" } },
      '$input.mode != "full"',
    ],
    ["present", { op: "present", left: mode }, { Variable: "$.input.mode", IsPresent: true }, "$exists($input.mode)"],
    [
      "absent",
      { op: "absent", left: mode },
      { Variable: "$.input.mode", IsPresent: false },
      "$not($exists($input.mode))",
    ],
    ["isTrue", { op: "isTrue", left: flag }, { Variable: "$.input.flag", BooleanEquals: true }, "$input.flag = true"],
    [
      "matches",
      { op: "matches", left: mode, right: "f*.csv" },
      { Variable: "$.input.mode", StringMatches: "f*.csv" },
      "$contains($input.mode, /^f.*\\.csv$/)",
    ],
    [
      "and/or/not",
      {
        op: "and",
        conditions: [
          { op: "eq", left: n, right: 1 },
          {
            op: "or",
            conditions: [
              { op: "isFalse", left: flag },
              { op: "not", condition: { op: "absent", left: mode } },
            ],
          },
        ],
      },
      {
        And: [
          { Variable: "$.input.n", NumericEquals: 1 },
          {
            Or: [
              { Variable: "$.input.flag", BooleanEquals: false },
              { Not: { Variable: "$.input.mode", IsPresent: false } },
            ],
          },
        ],
      },
      "($input.n = 1) and (($input.flag = false) or ($not($not($exists($input.mode)))))",
    ],
  ];
  for (const [title, condition, rule, jsonata] of cases) {
    it(`renders ${title}`, () => {
      expect(jsonPathRule(condition)).toStrictEqual(rule);
      expect(jsonataCondition(condition, { language: "JSONata", inputVariable: true })).toBe(jsonata);
    });
  }

  it("every condition form compiles to valid ASL in both languages", () => {
    for (const [, condition] of cases) {
      for (const language of ["JSONPath", "JSONata"] as const) render([testStep("a"), choice(condition)], {}, language);
    }
  });

  it("lifts a dependency of a branch step onto the choice", () => {
    const ref = { $ref: { source: "step" as const, step: "b", path: ["StatusCode"] } };
    const result = render([
      testStep("a"),
      testStep("b"),
      choice({ op: "present", left: mode }, { after: [], then: [testStep("t1", [], { payload: { code: ref } })] }),
    ]);
    const facts = orderFacts(result.stateMachine);
    expect(facts.before.get("t1")?.has("b")).toBe(true);
    expect(facts.before.get("o1")?.has("b")).toBe(true);
    expect(facts.before.get("t1")?.has("a")).toBe(false);
  });
});
