import { describe, expect, it } from "vitest";
import {
  compile,
  isSteplineError,
  type MapStepModel,
  type PipelineModel,
  type Problem,
  SteplineError,
  type StepModel,
  testIntegrations,
  testPipeline,
  testStep,
  validatePipeline,
} from "../index.js";
import { analyze } from "./analyze.js";

const validate = (steps: readonly StepModel[], overrides: Partial<PipelineModel> = {}): Problem[] =>
  validatePipeline(testPipeline(steps, overrides), { integrations: testIntegrations });

/** The only problem with `code`, checked for a location and a fix. */
function only(problems: readonly Problem[], code: string): Problem {
  const found = problems.filter((p) => p.code === code);
  expect(found, JSON.stringify(problems, null, 2)).toHaveLength(1);
  const [p] = found as [Problem];
  expect(p.fix.length).toBeGreaterThan(0);
  expect(p.message.length).toBeGreaterThan(0);
  return p;
}

const stepRef = (step: string, path: string[] = []) => ({ $ref: { source: "step" as const, step, path } });
const fanOut = (steps: StepModel[], extra: Partial<MapStepModel> = {}): MapStepModel => ({
  kind: "map",
  name: "each",
  after: [],
  items: { $ref: { source: "input", path: ["parts"] } },
  maxConcurrency: 5,
  maxItems: 10,
  mode: "inline",
  steps,
  ...extra,
});

describe("names", () => {
  it("SL_NAME_INVALID names the bad characters and suggests a sanitised name", () => {
    const p = only(validate([testStep("load data!")]), "SL_NAME_INVALID");
    expect(p).toMatchObject({ severity: "error", step: "load data!", field: "name" });
    expect(p.message).toContain('" ", "!"');
    expect(p.fix).toBe("rename it, e.g. 'load-data-'");
  });

  it("SL_NAME_INVALID for an invalid pipeline name", () => {
    const p = only(validate([testStep("a")], { name: "my pipeline" }), "SL_NAME_INVALID");
    expect(p.field).toBe("name");
    expect(p.step).toBeUndefined();
    expect(p.fix).toContain("my-pipeline");
  });

  it("SL_NAME_TOO_LONG at 81 characters, not at 80", () => {
    const long = "x".repeat(81);
    const p = only(validate([testStep(long)]), "SL_NAME_TOO_LONG");
    expect(p).toMatchObject({ severity: "error", step: long, field: "name" });
    expect(p.message).toContain("81 characters");
    expect(validate([testStep("x".repeat(80))])).toStrictEqual([]);
  });

  it("SL_NAME_DUPLICATE names both places", () => {
    const p = only(validate([fanOut([testStep("load")]), testStep("load")]), "SL_NAME_DUPLICATE");
    expect(p).toMatchObject({ step: "load", field: "name" });
    expect(p.message).toBe("step name 'load' is used twice: fan-out 'each' (steps[0]) and the pipeline (steps[1])");
  });

  it("SL_NAME_DUPLICATE tells two steps of one sub-graph apart", () => {
    const p = only(validate([testStep("a"), testStep("b"), testStep("a")]), "SL_NAME_DUPLICATE");
    expect(p.message).toBe("step name 'a' is used twice: the pipeline (steps[0]) and the pipeline (steps[2])");
  });

  it("SL_NAME_DUPLICATE for a step named like the pipeline handler's wrapper state", () => {
    const onFailure = { action: "handler" as const, handler: testStep("notify") };
    const p = only(validate([testStep("Pipeline")], { defaults: { onFailure } }), "SL_NAME_DUPLICATE");
    expect(p.message).toContain("the state that runs the pipeline for its failure handler");
    expect(validate([testStep("Pipeline")])).toStrictEqual([]);
  });

  it("SL_NAME_DUPLICATE counts failure handlers", () => {
    const p = only(
      validate([testStep("a", [], { onFailure: { action: "handler", handler: testStep("a") } })]),
      "SL_NAME_DUPLICATE",
    );
    expect(p.message).toContain("the failure handler of 'a'");
  });
});

describe("references", () => {
  it("SL_REF_UNKNOWN in after, with did you mean", () => {
    const p = only(validate([testStep("extract"), testStep("load", ["extrct"])]), "SL_REF_UNKNOWN");
    expect(p).toMatchObject({ step: "load", field: "after[0]" });
    expect(p.fix).toContain("did you mean 'extract'?");
  });

  it("SL_REF_UNKNOWN in a payload reference, without a suggestion when nothing is close", () => {
    const p = only(validate([testStep("load", [], { payload: { id: stepRef("zzzzzz") } })]), "SL_REF_UNKNOWN");
    expect(p).toMatchObject({ step: "load", field: "payload" });
    expect(p.fix).not.toContain("did you mean");
  });

  it("SL_REF_NESTED: a step outside a fan-out cannot read a body step's result", () => {
    const p = only(
      validate([fanOut([testStep("x")]), testStep("b", [], { payload: { v: stepRef("x") } })]),
      "SL_REF_NESTED",
    );
    expect(p).toMatchObject({ step: "b", field: "payload" });
    expect(p.fix).toContain("reference 'each' instead");
  });

  it("SL_REF_ITEM_OUTSIDE_FANOUT for item and index", () => {
    const problems = validate([
      testStep("b", [], { payload: { v: { $ref: { source: "item", path: [] } } } }),
      testStep("c", [], { payload: { i: { $ref: { source: "index", path: [] } } } }),
    ]);
    expect(problems.filter((p) => p.code === "SL_REF_ITEM_OUTSIDE_FANOUT").map((p) => [p.step, p.field])).toStrictEqual(
      [
        ["b", "payload"],
        ["c", "payload"],
      ],
    );
  });

  it("SL_REF_INPUT_UNKNOWN lists the declared fields", () => {
    const input = {
      schema: { type: "object", properties: { date: { type: "string" } } },
      defaults: {},
      required: [],
      types: {},
    };
    const p = only(
      validate([testStep("b", [], { payload: { v: { $ref: { source: "input", path: ["dat"] } } } })], { input }),
      "SL_REF_INPUT_UNKNOWN",
    );
    expect(p).toMatchObject({ step: "b", field: "payload" });
    expect(p.fix).toContain("use one of: date");
  });

  it("SL_REF_ERROR_OUTSIDE_HANDLER; the error is fine inside a handler", () => {
    const error = { $ref: { source: "error" as const, path: ["Cause"] } };
    const p = only(validate([testStep("b", [], { payload: { v: error } })]), "SL_REF_ERROR_OUTSIDE_HANDLER");
    expect(p).toMatchObject({ step: "b", field: "payload" });
    const handler = testStep("notify", [], { payload: { v: error } });
    expect(validate([testStep("b", [], { onFailure: { action: "handler", handler } })])).toStrictEqual([]);
  });

  it("SL_REF_IN_HANDLER: a handler cannot read step results", () => {
    const handler = testStep("notify", [], { payload: { v: stepRef("a") } });
    const p = only(
      validate([testStep("a"), testStep("b", [], { onFailure: { action: "handler", handler } })]),
      "SL_REF_IN_HANDLER",
    );
    expect(p).toMatchObject({ step: "notify", field: "payload" });
  });
});

describe("graph", () => {
  it("SL_GRAPH_CYCLE names the whole cycle", () => {
    const p = only(validate([testStep("a", ["c"]), testStep("b", ["a"]), testStep("c", ["b"])]), "SL_GRAPH_CYCLE");
    expect(p.message).toContain("a => b => c => a");
    expect(p).toMatchObject({ step: "a", field: "after" });
  });

  it("SL_GRAPH_CYCLE through a lifted dependency", () => {
    // x (in each) waits for b, and b waits for each: each => b => each at the top level.
    const problems = validate([fanOut([testStep("x", ["b"])]), testStep("b", ["each"])]);
    expect(only(problems, "SL_GRAPH_CYCLE").message).toMatch(/each => b => each|b => each => b/);
  });

  it("SL_GRAPH_CYCLE when a body step waits for its own fan-out", () => {
    const p = only(validate([fanOut([testStep("x", ["each"])])]), "SL_GRAPH_CYCLE");
    expect(p).toMatchObject({ step: "x", field: "after[0]" });
    expect(p.message).toContain("contains it");
  });

  it("SL_GRAPH_CYCLE when a step waits for itself", () => {
    const p = only(validate([testStep("a", ["a"])]), "SL_GRAPH_CYCLE");
    expect(p).toMatchObject({ step: "a", field: "after[0]" });
    expect(p.message).toBe("step 'a' depends on 'a', which is itself: a => a");
  });

  it("SL_REF_NESTED when a step waits for a step in the other branch of its choice", () => {
    const pick: StepModel = {
      kind: "choice",
      name: "pick",
      after: [],
      condition: { op: "present", left: { source: "input", path: ["mode"] } },
      then: [testStep("t1", ["o1"])],
      otherwise: [testStep("o1")],
    };
    const problems = validate([pick]);
    expect(problems.map((p) => p.code)).toStrictEqual(["SL_REF_NESTED"]);
    expect(problems[0]).toMatchObject({ step: "t1", field: "after[0]" });
    expect(problems[0]?.message).toBe(
      "step 't1' waits for 'o1', which runs in the other branch of 'pick': only one branch runs",
    );
  });

  it("SL_FANOUT_EMPTY", () => {
    expect(only(validate([fanOut([])]), "SL_FANOUT_EMPTY")).toMatchObject({ step: "each", field: "steps" });
  });

  it("lifts a body step's dependency on a top-level step onto the fan-out", () => {
    const analysis = analyze(
      testPipeline([testStep("a"), fanOut([testStep("x", [], { payload: { v: stepRef("a", ["StatusCode"]) } })])]),
    );
    expect(analysis.problems).toStrictEqual([]);
    const top = analysis.scopes.find((s) => s.id === "pipeline");
    expect([...(top?.deps.get("each") ?? [])]).toStrictEqual([["a", "reference"]]);
    const body = analysis.scopes.find((s) => s.id === "each");
    expect([...(body?.deps.get("x") ?? [])]).toStrictEqual([]);
  });

  it("an explicit dependency wins over a reference to the same step", () => {
    const analysis = analyze(testPipeline([testStep("a"), testStep("b", ["a"], { payload: { v: stepRef("a") } })]));
    expect([...(analysis.scopes[0]?.deps.get("b") ?? [])]).toStrictEqual([["a", "explicit"]]);
  });
});

describe("collecting problems", () => {
  const broken = [
    testStep("bad name"),
    testStep("load", ["extrct"], { retry: { attempts: 0, intervalSeconds: 1, backoffRate: 2, jitter: "FULL" } }),
    testStep("extract", [], { timeoutSeconds: -5 }),
    testStep("use", [], { payload: { v: { $ref: { source: "item", path: [] } } } }),
  ];

  it("reports every mistake in one pass", () => {
    const codes = validate(broken).map((p) => p.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        "SL_NAME_INVALID",
        "SL_REF_UNKNOWN",
        "SL_RETRY_ATTEMPTS",
        "SL_TIMEOUT_INVALID",
        "SL_REF_ITEM_OUTSIDE_FANOUT",
      ]),
    );
    expect(codes.length).toBeGreaterThanOrEqual(5);
  });

  it("compile throws one SteplineError holding all of them", () => {
    let thrown: unknown;
    try {
      compile(testPipeline(broken), { integrations: testIntegrations });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SteplineError);
    expect(isSteplineError(thrown)).toBe(true);
    const error = thrown as SteplineError;
    expect(error.kind).toBe("user");
    expect(error.problems).toStrictEqual(validate(broken).filter((p) => p.severity === "error"));
    expect(error.code).toBe(error.problems[0]?.code);
    expect(error.message).toMatch(/^\d+ problems:/);
  });

  it("locates problems in the pipeline file when given", () => {
    const problems = validatePipeline(testPipeline(broken), {
      integrations: testIntegrations,
      file: "pipelines/etl.ts",
    });
    expect(problems.every((p) => p.file === "pipelines/etl.ts")).toBe(true);
  });
});
