import { describe, expect, it } from "vitest";
import { fixedNondeterminism, scopeOf } from "./private/testing.js";
import { applyTemplate } from "./template.js";

describe("applyTemplate", () => {
  it("the developer guide's Parameters example", () => {
    const input = {
      comment: "Example for Parameters.",
      product: {
        details: { color: "blue", size: "small", material: "cotton" },
        availability: "in stock",
        sku: "2317",
        cost: "$23",
      },
    };
    const template = {
      comment: "Selecting what I care about.",
      MyDetails: { "size.$": "$.product.details.size", "exists.$": "$.product.availability", StaticValue: "foo" },
    };
    expect(applyTemplate(template, input, scopeOf(input), "Parameters")).toStrictEqual({
      comment: "Selecting what I care about.",
      MyDetails: { size: "small", exists: "in stock", StaticValue: "foo" },
    });
  });

  it("the guide's ResultSelector example (applied to the raw result)", () => {
    const result = {
      resourceType: "elasticmapreduce",
      resource: "createCluster.sync",
      output: { SdkHttpMetadata: { HttpStatusCode: 200 }, Cluster: { Id: "j-1" }, ClusterId: "AKIAIOSFODNN7EXAMPLE" },
    };
    const template = { "ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType", StaticValue: "foo" };
    expect(applyTemplate(template, result, scopeOf({}), "ResultSelector")).toStrictEqual({
      ClusterId: "AKIAIOSFODNN7EXAMPLE",
      ResourceType: "elasticmapreduce",
      StaticValue: "foo",
    });
  });

  it("recurses into arrays, evaluates intrinsics, context paths and variables", () => {
    const input = { n: 3, name: "x" };
    const scope = scopeOf(input, { context: { Map: { Item: { Index: 2, Value: "v" } } }, vars: { prefix: "p" } });
    const template = {
      list: [{ "a.$": "$.n" }, "plain", 1, null, ["nested", { "b.$": "$.name" }]],
      "greeting.$": "States.Format('hi {} {}', $prefix, $.name)",
      "index.$": "$$.Map.Item.Index",
      "id.$": "States.UUID()",
      "all.$": "$",
    };
    expect(applyTemplate(template, input, scope, "ItemSelector", fixedNondeterminism(["u-1"]))).toStrictEqual({
      list: [{ a: 3 }, "plain", 1, null, ["nested", { b: "x" }]],
      greeting: "hi p x",
      index: 2,
      id: "u-1",
      all: { n: 3, name: "x" },
    });
  });

  it("never shares the template's containers with the output", () => {
    const template = { static: { deep: [1] } };
    const out = applyTemplate(template, {}, scopeOf({}), "Parameters") as { static: { deep: number[] } };
    expect(out).toStrictEqual(template);
    expect(out.static).not.toBe(template.static);
    expect(out.static.deep).not.toBe(template.static.deep);
  });

  it("a missing path is States.Runtime naming the key, like AWS", () => {
    expect(() => applyTemplate({ "value.$": "$.missing" }, { a: 1 }, scopeOf({ a: 1 }), "Parameters")).toThrow(
      expect.objectContaining({
        error: "States.Runtime",
        cause: `The JSONPath '$.missing' specified for the field 'value.$' could not be found in the input '{"a":1}'`,
      }),
    );
  });
});
