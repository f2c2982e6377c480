import { describe, expect, it } from "vitest";
import { StatesError } from "./errors.js";
import { MISSING, readPath, tryReadPath } from "./jsonpath.js";
import { scopeOf } from "./private/testing.js";

const data = {
  a: { b: { c: 1 }, "x y": "spaced", n: null },
  list: [{ id: 1, tag: "p" }, { id: 2, tag: "q" }, { id: 3 }],
  store: { book: [{ price: 8 }, { price: 12 }, { price: 22 }] },
};
const scope = scopeOf(data, {
  context: { Execution: { Input: { x: 1 }, Name: "run-1" }, Map: { Item: { Index: 4 } } },
  vars: { total: 42, cfg: { region: "eu-west-1", zones: ["a", "b"] } },
});

function read(path: string): unknown {
  return readPath(path, data, scope, "InputPath");
}

describe("readPath: definite paths", () => {
  it("reads the root, dots and brackets", () => {
    expect(read("$")).toBe(data);
    expect(read("$.a.b.c")).toBe(1);
    expect(read("$['a']['x y']")).toBe("spaced");
    expect(read('$["a"].b')).toStrictEqual({ c: 1 });
    expect(read("$.a.n")).toBeNull();
  });

  it("reads array indexes, negative ones from the end", () => {
    expect(read("$.list[0].id")).toBe(1);
    expect(read("$.list[-1]")).toStrictEqual({ id: 3 });
  });

  it("returns values by reference (no cloning)", () => {
    expect(read("$.a")).toBe(data.a);
  });

  it("reads the context object and variables", () => {
    expect(read("$$.Execution.Input")).toStrictEqual({ x: 1 });
    expect(read("$$.Map.Item.Index")).toBe(4);
    expect(read("$$")).toBe(scope.context);
    expect(read("$total")).toBe(42);
    expect(read("$cfg.region")).toBe("eu-west-1");
    expect(read("$cfg.zones[1]")).toBe("b");
  });

  it("throws States.Runtime naming the path and the field, like AWS", () => {
    const small = { a: 1 };
    const run = (): unknown => readPath("$.x", small, scopeOf(small), "InputPath");
    expect(run).toThrow(StatesError);
    expect(run).toThrow(
      expect.objectContaining({
        error: "States.Runtime",
        cause: `The JSONPath '$.x' specified for the field 'InputPath' could not be found in the input '{"a":1}'`,
      }),
    );
    expect(() => read("$.list[7]")).toThrow(/could not be found/);
    expect(() => read("$.a.b.c.d")).toThrow(/could not be found/);
    expect(() => read("$nope.x")).toThrow(/variable '\$nope', which is not defined/);
  });

  it("Jayway length()", () => {
    expect(read("$.list.length()")).toBe(3);
  });
});

describe("readPath: indefinite paths (jsonpath-plus)", () => {
  it("wildcards, deep scan, filters, slices and unions return arrays", () => {
    expect(read("$.list[*].tag")).toStrictEqual(["p", "q"]);
    expect(read("$..price")).toStrictEqual([8, 12, 22]);
    expect(read("$.store.book[?(@.price > 10)]")).toStrictEqual([{ price: 12 }, { price: 22 }]);
    expect(read("$.list[-1:]")).toStrictEqual([{ id: 3 }]);
    expect(read("$.list[0,2].id")).toStrictEqual([1, 3]);
    expect(read("$.nothing[*]")).toStrictEqual([]);
    expect(read("$cfg.zones[*]")).toStrictEqual(["a", "b"]);
  });
});

describe("tryReadPath", () => {
  it("returns MISSING instead of throwing", () => {
    expect(tryReadPath("$.zzz", data, scope)).toBe(MISSING);
    expect(tryReadPath("$.a.n", data, scope)).toBeNull();
  });
});
