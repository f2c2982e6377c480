import { describe, expect, it } from "vitest";
import {
  type ConditionModel,
  compile,
  type MapStepModel,
  type PipelineModel,
  type Problem,
  type RetryPolicy,
  SteplineError,
  type StepModel,
  testIntegrations,
  testPipeline,
  testStep,
  validatePipeline,
} from "../index.js";
import { checkRetry } from "./policies.js";

const validate = (steps: readonly StepModel[], overrides: Partial<PipelineModel> = {}): Problem[] =>
  validatePipeline(testPipeline(steps, overrides), { integrations: testIntegrations });

const withCode = (problems: readonly Problem[], code: string) => problems.filter((p) => p.code === code);

function expectFix(problems: readonly Problem[]): void {
  for (const p of problems) expect(p.fix.length, p.code).toBeGreaterThan(0);
}

const retry: RetryPolicy = { attempts: 3, intervalSeconds: 1, backoffRate: 2, jitter: "FULL" };
const fanOut = (extra: Partial<MapStepModel> = {}): MapStepModel => ({
  kind: "map",
  name: "each",
  after: [],
  items: { $ref: { source: "input", path: ["parts"] } },
  maxConcurrency: 10,
  mode: "inline",
  steps: [testStep("x"), testStep("y", ["x"]), testStep("z", ["y"])],
  ...extra,
});

describe("retry", () => {
  it("SL_RETRY_ATTEMPTS for 0 and 11, not for 1 and 10", () => {
    const problems = validate([
      testStep("a", [], { retry: { ...retry, attempts: 0 } }),
      testStep("b", [], { retry: { ...retry, attempts: 11 } }),
      testStep("c", [], { retry: { ...retry, attempts: 1 } }),
      testStep("d", [], { retry: { ...retry, attempts: 10 } }),
      testStep("e", [], { retry: { ...retry, attempts: 2.5 } }),
    ]);
    expect(withCode(problems, "SL_RETRY_ATTEMPTS").map((p) => [p.step, p.field, p.severity])).toStrictEqual([
      ["a", "retry.attempts", "error"],
      ["b", "retry.attempts", "error"],
      ["e", "retry.attempts", "error"],
    ]);
    expectFix(problems);
  });

  it("SL_RETRY_INTERVAL for a fraction or zero", () => {
    const problems = validate([
      testStep("a", [], { retry: { ...retry, intervalSeconds: 0.5 } }),
      testStep("b", [], { retry: { ...retry, intervalSeconds: 0 } }),
    ]);
    expect(withCode(problems, "SL_RETRY_INTERVAL").map((p) => [p.step, p.field])).toStrictEqual([
      ["a", "retry.intervalSeconds"],
      ["b", "retry.intervalSeconds"],
    ]);
    expectFix(problems);
  });

  it("SL_RETRY_BACKOFF below 1 (and NaN)", () => {
    const problems = validate([
      testStep("a", [], { retry: { ...retry, backoffRate: 0.5 } }),
      testStep("b", [], { retry: { ...retry, backoffRate: Number.NaN } }),
    ]);
    expect(withCode(problems, "SL_RETRY_BACKOFF").map((p) => [p.step, p.field])).toStrictEqual([
      ["a", "retry.backoffRate"],
      ["b", "retry.backoffRate"],
    ]);
    expect(validate([testStep("c", [], { retry: { ...retry, backoffRate: 1 } })])).toStrictEqual([]);
  });

  it("SL_RETRY_ERRORS: States.ALL alone; States.Runtime never", () => {
    expect(
      checkRetry({ ...retry, errors: ["States.ALL", "States.Timeout"] }, { step: "a" }).map((p) => p.code),
    ).toStrictEqual(["SL_RETRY_ERRORS"]);
    const runtime = checkRetry({ ...retry, errors: ["States.Runtime"] }, { step: "a" });
    expect(runtime.map((p) => [p.code, p.field])).toStrictEqual([["SL_RETRY_ERRORS", "retry.errors"]]);
  });

  it("SL_RETRY_MAX_DELAY and its warning below the interval", () => {
    expect(checkRetry({ ...retry, maxDelaySeconds: 0 }, {}).map((p) => [p.code, p.severity])).toStrictEqual([
      ["SL_RETRY_MAX_DELAY", "error"],
    ]);
    expect(
      checkRetry({ ...retry, intervalSeconds: 10, maxDelaySeconds: 5 }, {}).map((p) => [p.code, p.severity]),
    ).toStrictEqual([["SL_RETRY_MAX_DELAY_BELOW_INTERVAL", "warning"]]);
  });

  it("checks the pipeline's default retry under defaults.retry", () => {
    const problems = validate([testStep("a")], { defaults: { retry: { ...retry, attempts: 0 }, timeoutSeconds: 0 } });
    expect(problems.map((p) => [p.code, p.step, p.field])).toStrictEqual([
      ["SL_RETRY_ATTEMPTS", undefined, "defaults.retry.attempts"],
      ["SL_TIMEOUT_INVALID", undefined, "defaults.timeoutSeconds"],
    ]);
  });
});

describe("timeouts and fan-out options", () => {
  it("SL_TIMEOUT_INVALID for 0, fractions and more than a year", () => {
    const problems = validate([
      testStep("a", [], { timeoutSeconds: 0 }),
      testStep("b", [], { timeoutSeconds: 1.5 }),
      testStep("c", [], { timeoutSeconds: 31_536_001 }),
      testStep("d", [], { timeoutSeconds: 31_536_000 }),
    ]);
    expect(withCode(problems, "SL_TIMEOUT_INVALID").map((p) => [p.step, p.field])).toStrictEqual([
      ["a", "timeoutSeconds"],
      ["b", "timeoutSeconds"],
      ["c", "timeoutSeconds"],
    ]);
    expectFix(problems);
  });

  it("SL_FANOUT_CONCURRENCY for a negative or fractional maxConcurrency", () => {
    const problems = validate([fanOut({ maxConcurrency: -1, maxItems: 10 })]);
    const [p] = withCode(problems, "SL_FANOUT_CONCURRENCY");
    expect(p).toMatchObject({ severity: "error", step: "each", field: "maxConcurrency" });
    expect(withCode(validate([fanOut({ maxConcurrency: 2.5, maxItems: 10 })]), "SL_FANOUT_CONCURRENCY")).toHaveLength(
      1,
    );
    expectFix(problems);
  });

  it("SL_FANOUT_CONCURRENCY_INLINE warns above 40 inline", () => {
    const problems = validate([fanOut({ maxConcurrency: 100, maxItems: 10 })]);
    expect(problems.map((p) => [p.code, p.severity, p.field])).toStrictEqual([
      ["SL_FANOUT_CONCURRENCY_INLINE", "warning", "maxConcurrency"],
    ]);
    expect(validate([fanOut({ maxConcurrency: 100, maxItems: 10, mode: "distributed" })])).toStrictEqual([]);
  });

  it("SL_FANOUT_MAX_ITEMS", () => {
    expect(withCode(validate([fanOut({ maxItems: 0 })]), "SL_FANOUT_MAX_ITEMS")).toMatchObject([
      { step: "each", field: "maxItems" },
    ]);
  });

  it("SL_CONDITION_EMPTY for an and/or without conditions, at any depth", () => {
    const choice = (condition: ConditionModel): StepModel => ({
      kind: "choice",
      name: "pick",
      after: [],
      condition,
      then: [testStep("t")],
      otherwise: [],
    });
    expect(withCode(validate([choice({ op: "and", conditions: [] })]), "SL_CONDITION_EMPTY")).toMatchObject([
      { step: "pick", field: "condition" },
    ]);
    const nested: ConditionModel = { op: "not", condition: { op: "and", conditions: [{ op: "or", conditions: [] }] } };
    expect(withCode(validate([choice(nested)]), "SL_CONDITION_EMPTY")).toHaveLength(1);
  });

  it("SL_DURATION_INVALID", () => {
    expect(
      withCode(validate([testStep("a", [], { expectedDurationSeconds: 0 })]), "SL_DURATION_INVALID"),
    ).toMatchObject([{ step: "a", field: "expectedDurationSeconds" }]);
  });
});

describe("pipeline-level checks", () => {
  it("SL_PIPELINE_EMPTY", () => {
    const problems = validate([]);
    expect(problems).toMatchObject([{ code: "SL_PIPELINE_EMPTY", severity: "error", field: "steps" }]);
    expectFix(problems);
  });

  it("SL_TAGS_TOO_MANY above 50 tags", () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    expect(validate([testStep("a")], { tags }).map((p) => [p.code, p.field])).toStrictEqual([
      ["SL_TAGS_TOO_MANY", "tags"],
    ]);
  });

  it("SL_INPUT_REQUIRED_WITH_DEFAULT", () => {
    const input = { schema: { type: "object" }, defaults: { date: "today" }, required: ["date"], types: {} };
    expect(validate([testStep("a")], { input }).map((p) => [p.code, p.field])).toStrictEqual([
      ["SL_INPUT_REQUIRED_WITH_DEFAULT", "input.date"],
    ]);
  });
});

describe("limits checked on the compiled definition", () => {
  it("SL_FANOUT_HISTORY: an inline fan-out of 10,000 items with a 3-task body", () => {
    const problems = validate([fanOut({ maxItems: 10_000 })]);
    const [p] = withCode(problems, "SL_FANOUT_HISTORY");
    expect(p).toMatchObject({ severity: "error", step: "each", field: "maxItems" });
    // 3 tasks × 6 events + ItemDone 2 + the iteration's own 2 = 22 per item.
    expect(p?.message).toContain("220,000 history events (22 per item");
    expect(p?.fix).toContain("mode: 'distributed'");
    expect(p?.fix).toContain("1,136");
    expect(() => compile(testPipeline([fanOut({ maxItems: 10_000 })]), { integrations: testIntegrations })).toThrow(
      SteplineError,
    );
  });

  it("no SL_FANOUT_HISTORY when the same fan-out is distributed", () => {
    expect(validate([fanOut({ maxItems: 10_000, mode: "distributed" })])).toStrictEqual([]);
  });

  it("SL_FANOUT_HISTORY multiplies nested inline fan-outs", () => {
    const inner = fanOut({ name: "inner", maxItems: 100, steps: [testStep("x")] });
    const problems = validate([fanOut({ maxItems: 100, steps: [inner] })]);
    expect(withCode(problems, "SL_FANOUT_HISTORY").map((p) => p.step)).toContain("each");
  });

  it("SL_FANOUT_UNBOUNDED warns, and compile still succeeds with the warning in the report", () => {
    const problems = validate([fanOut({ steps: [testStep("x")] })]);
    expect(problems.map((p) => [p.code, p.severity, p.step, p.field])).toStrictEqual([
      ["SL_FANOUT_UNBOUNDED", "warning", "each", "maxItems"],
    ]);
    expectFix(problems);
    const result = compile(testPipeline([fanOut({ steps: [testStep("x")] })]), { integrations: testIntegrations });
    expect(result.report.warnings.map((p) => p.code)).toStrictEqual(["SL_FANOUT_UNBOUNDED"]);
  });

  it("SL_NAME_TOO_LONG when a state derived from an 80-character step name exceeds 80", () => {
    const name = "x".repeat(80);
    const problems = validate([testStep(name, [], { onFailure: { action: "continue" } })]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "SL_NAME_TOO_LONG", severity: "error", step: name, field: "name" });
    expect(problems[0]?.message).toContain(`'${name}.Continue'`);
    expect(problems[0]?.fix).toBe("shorten the step name to 71 characters or fewer");
    expect(
      withCode(validate([fanOut({ name: "m".repeat(75), maxItems: 1 })]), "SL_NAME_TOO_LONG").map((p) => p.step),
    ).toStrictEqual(["m".repeat(75)]);
  });

  it("SL_DEFINITION_TOO_LARGE for 3,000 steps with long payloads", () => {
    const steps = Array.from({ length: 3000 }, (_, i) =>
      testStep(`step${i}`, i === 0 ? [] : [`step${i - 1}`], { payload: { text: "x".repeat(300) } }),
    );
    const problems = validate(steps);
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p).toMatchObject({ code: "SL_DEFINITION_TOO_LARGE", severity: "error" });
    expect(p?.message).toContain("for 3000 steps");
    expect(p?.message).toContain("1,048,576");
    expectFix(problems);
  });
});

describe("choice options", () => {
  it("warns that retry, timeoutSeconds and onFailure do nothing on a choice", async () => {
    const { checkStep } = await import("./policies.js");
    const problems = checkStep({
      kind: "choice",
      name: "pick",
      after: [],
      condition: { op: "present", left: { source: "input", path: ["x"] } },
      then: [],
      otherwise: [],
      timeoutSeconds: 60,
      onFailure: { action: "continue" },
    });
    expect(problems.map((p) => [p.code, p.severity, p.field])).toStrictEqual([
      ["SL_CHOICE_OPTION_IGNORED", "warning", "timeoutSeconds"],
      ["SL_CHOICE_OPTION_IGNORED", "warning", "onFailure"],
    ]);
  });
});
