import { describe, expect, it } from "vitest";
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics.js";
import { fixedNondeterminism, scopeOf } from "./private/testing.js";

function run(expression: string, input: unknown = {}, vars: Record<string, unknown> = {}): unknown {
  return evaluateIntrinsic(expression, input, scopeOf(input, { vars }), fixedNondeterminism());
}

function failure(expression: string, input: unknown = {}): unknown {
  try {
    run(expression, input);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${expression} to fail`);
}

describe("AWS developer guide examples", () => {
  it("States.Format", () => {
    const input = { name: "Arnav", template: "Hello, my name is {}." };
    expect(run("States.Format('Hello, my name is {}.', $.name)", input)).toBe("Hello, my name is Arnav.");
    expect(run("States.Format($.template, $.name)", input)).toBe("Hello, my name is Arnav.");
  });

  it("States.StringToJson and States.JsonToString (compact JSON)", () => {
    expect(run("States.StringToJson($.escapedJsonString)", { escapedJsonString: '{"foo": "bar"}' })).toStrictEqual({
      foo: "bar",
    });
    expect(run("States.JsonToString($.unescapedJson)", { unescapedJson: { foo: "bar" } })).toBe('{"foo":"bar"}');
  });

  it("States.Array", () => {
    expect(run("States.Array($.Id)", { Id: 123456 })).toStrictEqual([123456]);
    expect(run("States.Array()")).toStrictEqual([]);
    expect(run("States.Array('a', 1, true, null, $.Id)", { Id: 7 })).toStrictEqual(["a", 1, true, null, 7]);
  });

  const inputArray = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  it("States.ArrayPartition", () => {
    expect(run("States.ArrayPartition($.inputArray,4)", { inputArray })).toStrictEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9],
    ]);
  });

  it("States.ArrayContains", () => {
    expect(run("States.ArrayContains($.inputArray, $.lookingFor)", { inputArray, lookingFor: 5 })).toBe(true);
    expect(run("States.ArrayContains($.a, $.b)", { a: [{ x: [1] }], b: { x: [1] } })).toBe(true);
    expect(run("States.ArrayContains($.inputArray, 10)", { inputArray })).toBe(false);
  });

  it("States.ArrayRange", () => {
    expect(run("States.ArrayRange(1, 9, 2)")).toStrictEqual([1, 3, 5, 7, 9]);
    expect(run("States.ArrayRange(5, 1, -2)")).toStrictEqual([5, 3, 1]);
  });

  it("States.ArrayGetItem", () => {
    expect(run("States.ArrayGetItem($.inputArray, $.index)", { inputArray, index: 5 })).toBe(6);
  });

  it("States.ArrayLength", () => {
    expect(run("States.ArrayLength($.inputArray)", { inputArray })).toBe(9);
  });

  it("States.ArrayUnique", () => {
    expect(run("States.ArrayUnique($.inputArray)", { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] })).toStrictEqual([
      1, 2, 3, 4,
    ]);
  });

  it("States.Base64Encode and States.Base64Decode (the guide's decode sample is wrong: it decodes to 'Data to encode')", () => {
    expect(run("States.Base64Encode($.input)", { input: "Data to encode" })).toBe("RGF0YSB0byBlbmNvZGU=");
    expect(run("States.Base64Decode($.base64)", { base64: "RGF0YSB0byBlbmNvZGU=" })).toBe("Data to encode");
  });

  it("States.Hash (true digests; the guide's SHA-1 sample lacks a digit)", () => {
    const digest = (algorithm: string): unknown =>
      run("States.Hash($.Data, $.Algorithm)", { Data: "input data", Algorithm: algorithm });
    expect(digest("SHA-1")).toBe("aaff4a450a104cd177d28d18d74485e8cae074b7");
    expect(digest("MD5")).toBe("812f45842bc6d66ee14572ce20db8e86");
    expect(digest("SHA-256")).toBe("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3");
    expect(digest("SHA-384")).toBe(
      "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
    );
    expect(digest("SHA-512")).toBe(
      "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
    );
  });

  it("States.JsonMerge (shallow)", () => {
    const input = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } };
    expect(run("States.JsonMerge($.json1, $.json2, false)", input)).toStrictEqual({ a: { a3: 1, a4: 2 }, b: 2, c: 3 });
  });

  it("States.MathRandom", () => {
    const value = run("States.MathRandom($.start, $.end)", { start: 1, end: 999 });
    expect(value).toBe(500); // 1 + floor(0.5 * 998)
    const seeded = run("States.MathRandom(1, 999, 42)");
    expect(seeded).toBe(run("States.MathRandom(1, 999, 42)"));
    expect(seeded).toBeGreaterThanOrEqual(1);
    expect(seeded).toBeLessThan(999);
  });

  it("States.MathAdd", () => {
    expect(run("States.MathAdd($.value1, $.step)", { value1: 111, step: -1 })).toBe(110);
    expect(run("States.MathAdd(1.5, 1)")).toBe(3);
  });

  it("States.StringSplit", () => {
    expect(
      run("States.StringSplit($.inputString, $.splitter)", { inputString: "1,2,3,4,5", splitter: "," }),
    ).toStrictEqual(["1", "2", "3", "4", "5"]);
    expect(
      run("States.StringSplit($.inputString, $.splitter)", { inputString: "This.is+a,test=string", splitter: ".+,=" }),
    ).toStrictEqual(["This", "is", "a", "test", "string"]);
  });

  it("States.UUID comes from the Nondeterminism", () => {
    expect(run("States.UUID()")).toBe("11111111-1111-4111-8111-111111111111");
    expect(evaluateIntrinsic("States.UUID()", {}, scopeOf({}))).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("nine nested intrinsics (the guide's myArn example, which has 3 placeholders for 2 values: fixed to 2)", () => {
    const input = {
      ImageRecipe: { Arn: "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/recipe.name.x/1.0.0" },
    };
    expect(
      run(
        "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))",
        input,
      ),
    ).toBe("1.0");
  });
});

describe("parser", () => {
  it("escapes \\' \\{ \\} \\\\ in string literals", () => {
    expect(run("States.Format('It\\'s {}', 'me')")).toBe("It's me");
    expect(run("States.Format('\\{\\} is {}', 'literal')")).toBe("{} is literal");
    expect(run("States.Format('back\\\\slash {}', 1)")).toBe("back\\slash 1");
    expect(run("States.Array('a,b)', 'c')")).toStrictEqual(["a,b)", "c"]);
  });

  it("rejects an open escape, a bad token and more than 10 nested calls", () => {
    expect(failure("States.Format('bad \\n')")).toMatchObject({ error: "States.IntrinsicFailure" });
    expect(failure("States.Array(foo)")).toMatchObject({ error: "States.IntrinsicFailure" });
    let deep = "1";
    for (let i = 0; i < 11; i++) deep = `States.Array(${deep})`;
    expect(failure(deep)).toMatchObject({ error: "States.IntrinsicFailure" });
    deep = "1";
    for (let i = 0; i < 10; i++) deep = `States.Array(${deep})`;
    expect(run(deep)).toBeInstanceOf(Array);
  });

  it("reads $$ and $variables, and paths with brackets and filters", () => {
    const input = { items: [{ n: 1 }, { n: 5 }], "k y": 2 };
    const scope = scopeOf(input, { context: { Execution: { Name: "exec" } }, vars: { who: "bob" } });
    expect(evaluateIntrinsic("States.Format('{}-{}', $$.Execution.Name, $who)", input, scope)).toBe("exec-bob");
    expect(evaluateIntrinsic("States.Array($['k y'], $.items[?(@.n > 2)])", input, scope)).toStrictEqual([
      2,
      [{ n: 5 }],
    ]);
    expect(evaluateIntrinsic("States.ArrayLength($.items[*])", input, scope)).toBe(2);
  });

  it("allows whitespace around arguments", () => {
    expect(run("States.Format( '{} and {}' , $.a ,States.ArrayLength( $.b ) )", { a: "x", b: [1, 2] })).toBe("x and 2");
  });

  it("isIntrinsic", () => {
    expect(isIntrinsic("States.Format('x')")).toBe(true);
    expect(isIntrinsic("$.States")).toBe(false);
  });
});

describe("States.Format rendering and errors", () => {
  it("stringifies numbers, booleans and null as JSON, strings as is", () => {
    expect(run("States.Format('{} {} {} {} {}', 1.5, true, null, 'str', $.o)", { o: { a: 1, b: [1, 2] } })).toBe(
      "1.5 true null str {a=1, b=[1, 2]}",
    );
  });
  it("fails when placeholders and arguments don't match", () => {
    expect(failure("States.Format('{} {}', 1)")).toMatchObject({ error: "States.IntrinsicFailure" });
    expect(failure("States.Format('{}', 1, 2)")).toMatchObject({ error: "States.IntrinsicFailure" });
  });
});

describe("argument validation → States.IntrinsicFailure; missing paths → States.Runtime", () => {
  it.each([
    ["States.ArrayPartition($.a, 0)", { a: [1] }],
    ["States.ArrayPartition($.s, 2)", { s: "x" }],
    ["States.ArrayRange(1, 2000, 1)", {}],
    ["States.ArrayRange(1, 9, 0)", {}],
    ["States.ArrayGetItem($.a, 3)", { a: [1] }],
    ["States.ArrayLength($.s)", { s: "x" }],
    ["States.Base64Decode($.s)", { s: "not base64!" }],
    ["States.Base64Encode($.s)", { s: "x".repeat(10001) }],
    ["States.Hash($.s, 'SHA-999')", { s: "x" }],
    ["States.JsonMerge($.a, $.a, true)", { a: {} }],
    ["States.JsonMerge($.a, $.s, false)", { a: {}, s: "x" }],
    ["States.StringToJson($.s)", { s: "{nope" }],
    ["States.MathAdd($.s, 1)", { s: "1" }],
    ["States.MathRandom(5, 5)", {}],
    ["States.UUID(1)", {}],
    ["States.Nope(1)", {}],
  ])("%s", (expression, input) => {
    expect(failure(expression, input)).toMatchObject({ error: "States.IntrinsicFailure" });
  });

  it("a missing path", () => {
    expect(failure("States.Array($.missing)", {})).toMatchObject({ error: "States.Runtime" });
  });
});
