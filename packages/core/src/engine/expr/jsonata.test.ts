import { describe, expect, it } from "vitest";
import { evaluateCondition, evaluateJsonata, isJsonataTemplate } from "./jsonata.js";
import { fixedNondeterminism, scopeOf } from "./private/testing.js";

const scope = scopeOf(
  { customer: { name: "Ana", age: 30 }, items: [{ price: 2 }, { price: 3 }], json: '{"a":[1,2]}' },
  {
    context: { Execution: { Name: "e1" } },
    result: { Payload: { ok: true } },
    errorOutput: { Error: "Boom", Cause: "bad" },
    vars: { region: "eu-west-1", limits: { max: 3 } },
  },
);

describe("evaluateJsonata", () => {
  it("evaluates $states and variables", async () => {
    expect(await evaluateJsonata("{% $states.input.customer.name %}", scope, "Output")).toBe("Ana");
    expect(await evaluateJsonata("{% $states.context.Execution.Name %}", scope, "Output")).toBe("e1");
    expect(await evaluateJsonata("{% $states.result.Payload.ok %}", scope, "Output")).toBe(true);
    expect(await evaluateJsonata("{% $states.errorOutput.Error %}", scope, "Output")).toBe("Boom");
    expect(await evaluateJsonata("{% $region & '/' & $string($limits.max) %}", scope, "Output")).toBe("eu-west-1/3");
    expect(await evaluateJsonata("{% $sum($states.input.items.price) %}", scope, "Output")).toBe(5);
  });

  it("walks objects and arrays; other strings are literals", async () => {
    const value = {
      name: "{% $states.input.customer.name %}",
      list: ["{% 1 + 1 %}", "not {% an expression %}", 3, null, { deep: "{% $region %}" }],
      literal: "plain",
    };
    expect(await evaluateJsonata(value, scope, "Arguments")).toStrictEqual({
      name: "Ana",
      list: [2, "not {% an expression %}", 3, null, { deep: "eu-west-1" }],
      literal: "plain",
    });
  });

  it("returns plain arrays (no JSONata sequences)", async () => {
    const out = await evaluateJsonata({ prices: "{% $states.input.items.price %}" }, scope, "Output");
    expect(out).toStrictEqual({ prices: [2, 3] });
    expect(Object.keys((out as { prices: number[] }).prices)).toStrictEqual(["0", "1"]);
  });

  it("a top-level undefined is returned; a nested one is an error", async () => {
    expect(await evaluateJsonata("{% $states.input.nope %}", scope, "Output")).toBeUndefined();
    await expect(evaluateJsonata({ a: "{% $states.input.nope %}" }, scope, "Arguments")).rejects.toMatchObject({
      error: "States.QueryEvaluationError",
    });
  });

  it("errors are States.QueryEvaluationError", async () => {
    await expect(evaluateJsonata("{% $states.input.customer.name + 1 %}", scope, "Output")).rejects.toMatchObject({
      error: "States.QueryEvaluationError",
    });
    await expect(evaluateJsonata("{% ((( %}", scope, "Output")).rejects.toMatchObject({
      error: "States.QueryEvaluationError",
    });
  });
});

describe("AWS's extra JSONata functions", () => {
  const ev = (expr: string): Promise<unknown> =>
    evaluateJsonata(`{% ${expr} %}`, scope, "Output", fixedNondeterminism(["u-1"], [0.25]));

  it("$partition", async () => {
    expect(await ev("$partition([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)")).toStrictEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(await ev("$partition([1, 2, 3, 4, 5], 2)")).toStrictEqual([[1, 2], [3, 4], [5]]);
  });

  it("$range", async () => {
    expect(await ev("$range(0, 10, 2)")).toStrictEqual([0, 2, 4, 6, 8, 10]);
    expect(await ev("$range(10, 0, -5)")).toStrictEqual([10, 5, 0]);
  });

  it("$hash", async () => {
    expect(await ev("$hash('input data', 'SHA-1')")).toBe("aaff4a450a104cd177d28d18d74485e8cae074b7");
    expect(await ev("$hash('input data', 'MD5')")).toBe("812f45842bc6d66ee14572ce20db8e86");
    await expect(ev("$hash('x', 'CRC32')")).rejects.toMatchObject({ error: "States.QueryEvaluationError" });
  });

  it("$random and $uuid come from the Nondeterminism; a seed makes $random repeatable", async () => {
    expect(await ev("$random()")).toBe(0.25);
    expect(await ev("$uuid()")).toBe("u-1");
    const seeded = await ev("$random(42)");
    expect(seeded).toBe(await ev("$random(42)"));
    expect(seeded).toBeGreaterThanOrEqual(0);
    expect(seeded).toBeLessThan(1);
  });

  it("$eval is refused (Step Functions offers $parse instead)", async () => {
    await expect(ev("$eval('1 + 1')")).rejects.toMatchObject({ error: "States.QueryEvaluationError" });
  });

  it("$parse", async () => {
    expect(await ev("$parse($states.input.json)")).toStrictEqual({ a: [1, 2] });
    await expect(ev("$parse('{nope')")).rejects.toMatchObject({ error: "States.QueryEvaluationError" });
  });
});

describe("evaluateCondition", () => {
  it("must evaluate to a boolean", async () => {
    expect(await evaluateCondition("{% $states.input.customer.age >= 18 %}", scope)).toBe(true);
    expect(await evaluateCondition("{% $region = 'us-east-1' %}", scope)).toBe(false);
    await expect(evaluateCondition("{% $states.input.customer.age %}", scope)).rejects.toMatchObject({
      error: "States.QueryEvaluationError",
    });
  });
});

describe("isJsonataTemplate", () => {
  it("needs {% at the start and %} at the end", () => {
    expect(isJsonataTemplate("{% 1 %}")).toBe(true);
    expect(isJsonataTemplate(" {% 1 %}")).toBe(false);
    expect(isJsonataTemplate("{% 1 %} ")).toBe(false);
    expect(isJsonataTemplate(1)).toBe(false);
  });
});
