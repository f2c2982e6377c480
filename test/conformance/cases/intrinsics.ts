import { type Case, DOCS, failed, ok, single } from "../types.js";

const INTRINSICS = `Intrinsic functions for JSONPath states in Step Functions — ${DOCS}intrinsic-functions.html`;

/** A Pass state whose Parameters evaluate one intrinsic into `r`. */
function intrinsic(name: string, expression: string, input: unknown, result: unknown, source = INTRINSICS): Case {
  return {
    name: `intrinsics/${name}`,
    source,
    definition: single({ Type: "Pass", Parameters: { "r.$": expression } }),
    input,
    expected: ok({ r: result }),
  };
}

const nine = { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] };

export const cases: Case[] = [
  intrinsic("array-single", "States.Array($.Id)", { Id: 123456 }, [123456]),
  {
    ...intrinsic("array-mixed", "States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: "abcdefg" } }, [
      "Foo",
      2020,
      { random: "abcdefg" },
      null,
    ]),
    motoDiffers: "moto (found here, not in FACTS): States.Array drops a null argument",
    motoExpected: ok({ r: ["Foo", 2020, { random: "abcdefg" }] }),
  },
  intrinsic("array-empty", "States.Array()", {}, []),
  intrinsic("array-partition", "States.ArrayPartition($.inputArray,4)", nine, [[1, 2, 3, 4], [5, 6, 7, 8], [9]]),
  intrinsic("array-partition-exact", "States.ArrayPartition($.a, 2)", { a: ["a", "b", "c", "d"] }, [
    ["a", "b"],
    ["c", "d"],
  ]),
  intrinsic(
    "array-contains-true",
    "States.ArrayContains($.inputArray, $.lookingFor)",
    { ...nine, lookingFor: 5 },
    true,
  ),
  intrinsic(
    "array-contains-false",
    "States.ArrayContains($.inputArray, $.lookingFor)",
    { ...nine, lookingFor: 42 },
    false,
  ),
  intrinsic("array-contains-object", "States.ArrayContains($.a, $.o)", { a: [{ x: 1 }, { y: 2 }], o: { y: 2 } }, true),
  intrinsic("array-range", "States.ArrayRange(1, 9, 2)", {}, [1, 3, 5, 7, 9]),
  intrinsic("array-range-step-one", "States.ArrayRange(0, 4, 1)", {}, [0, 1, 2, 3, 4]),
  intrinsic("array-range-not-reaching-end", "States.ArrayRange(1, 10, 4)", {}, [1, 5, 9]),
  intrinsic("array-get-item", "States.ArrayGetItem($.inputArray, $.index)", { ...nine, index: 5 }, 6),
  intrinsic("array-get-item-literal-index", "States.ArrayGetItem($.a, 0)", { a: ["x", "y"] }, "x"),
  intrinsic("array-length", "States.ArrayLength($.inputArray)", nine, 9),
  intrinsic("array-length-empty", "States.ArrayLength($.a)", { a: [] }, 0),
  intrinsic(
    "array-unique",
    "States.ArrayUnique($.inputArray)",
    { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] },
    [1, 2, 3, 4],
  ),
  intrinsic("base64-encode", "States.Base64Encode($.input)", { input: "Data to encode" }, "RGF0YSB0byBlbmNvZGU="),
  intrinsic(
    "base64-decode",
    "States.Base64Decode($.base64)",
    { base64: "RGF0YSB0byBlbmNvZGU=" },
    "Data to encode",
    `${INTRINSICS} (the page's sample output is wrong: the true decoding is "Data to encode", FACTS.md)`,
  ),
  intrinsic(
    "hash-sha1",
    "States.Hash($.Data, $.Algorithm)",
    { Data: "input data", Algorithm: "SHA-1" },
    "aaff4a450a104cd177d28d18d74485e8cae074b7",
    `${INTRINSICS} (the page's SHA-1 sample lacks a digit; true value, FACTS.md)`,
  ),
  intrinsic("hash-md5", "States.Hash($.Data, 'MD5')", { Data: "input data" }, "812f45842bc6d66ee14572ce20db8e86"),
  intrinsic(
    "hash-sha256",
    "States.Hash($.Data, 'SHA-256')",
    { Data: "input data" },
    "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3",
  ),
  intrinsic(
    "hash-sha384",
    "States.Hash($.Data, 'SHA-384')",
    { Data: "input data" },
    "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
  ),
  intrinsic(
    "hash-sha512",
    "States.Hash($.Data, 'SHA-512')",
    { Data: "input data" },
    "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
  ),
  intrinsic(
    "json-merge-shallow",
    "States.JsonMerge($.json1, $.json2, false)",
    { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } },
    { a: { a3: 1, a4: 2 }, b: 2, c: 3 },
  ),
  intrinsic(
    "string-to-json",
    "States.StringToJson($.escapedJsonString)",
    { escapedJsonString: '{"foo": "bar"}' },
    { foo: "bar" },
  ),
  intrinsic("string-to-json-number", "States.StringToJson($.s)", { s: "42" }, 42),
  intrinsic(
    "json-to-string-compact",
    "States.JsonToString($.unescapedJson)",
    { unescapedJson: { foo: "bar", n: [1, 2] } },
    '{"foo":"bar","n":[1,2]}',
    `${INTRINSICS} (compact JSON, FACTS.md)`,
  ),
  intrinsic("math-add", "States.MathAdd($.value1, $.step)", { value1: 111, step: -1 }, 110),
  intrinsic("math-add-literals", "States.MathAdd(5, 10)", {}, 15),
  intrinsic(
    "math-random-in-range",
    "States.ArrayContains(States.ArrayRange(1, 10, 1), States.MathRandom(1, 10))",
    {},
    true,
  ),
  intrinsic(
    "math-random-with-seed-in-range",
    "States.ArrayContains(States.ArrayRange(1, 10, 1), States.MathRandom(1, 10, 42))",
    {},
    true,
  ),
  intrinsic(
    "string-split",
    "States.StringSplit($.inputString, $.splitter)",
    { inputString: "1,2,3,4,5", splitter: "," },
    ["1", "2", "3", "4", "5"],
  ),
  intrinsic(
    "string-split-character-set",
    "States.StringSplit($.inputString, $.splitter)",
    { inputString: "This.is+a,test=string", splitter: ".+,=" },
    ["This", "is", "a", "test", "string"],
  ),
  intrinsic("uuid-shape", "States.UUID()", {}, "<<UUID>>"),
  intrinsic("uuid-has-five-groups", "States.ArrayLength(States.StringSplit(States.UUID(), '-'))", {}, 5),
  intrinsic(
    "format-name",
    "States.Format('Hello, my name is {}.', $.name)",
    { name: "Arnav" },
    "Hello, my name is Arnav.",
  ),
  intrinsic(
    "format-literals-and-numbers",
    "States.Format('{} has {} items, ok={}', 'cart', $.n, $.ok)",
    { n: 3, ok: true },
    "cart has 3 items, ok=true",
  ),
  intrinsic(
    "format-nested-nine-deep",
    "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 2))",
    { ImageRecipe: { Arn: "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/sample/1.2.3" } },
    "1.2.3",
  ),
  intrinsic(
    "array-length-of-partition",
    "States.ArrayLength(States.ArrayPartition(States.ArrayRange(1, 10, 1), 3))",
    {},
    4,
  ),
  {
    ...intrinsic("format-escaped-quote", "States.Format('It\\'s {}', $.x)", { x: "mine" }, "It's mine"),
    motoDiffers: "FACTS: moto mishandles the intrinsic escape \\'",
    motoExpected: ok({ r: "It\\\\" }),
  },
  {
    ...intrinsic("format-escaped-braces", "States.Format('\\{{}\\}', $.x)", { x: "v" }, "{v}"),
    motoDiffers: "FACTS: moto mishandles the intrinsic escapes \\{ and \\}",
    motoExpected: failed("States.Runtime"),
  },
  {
    name: "intrinsics/in-resultselector",
    source: INTRINSICS,
    definition: single({
      Type: "Parallel",
      Branches: [{ StartAt: "A", States: { A: { Type: "Pass", Result: { n: 2 }, End: true } } }],
      ResultSelector: { "sum.$": "States.MathAdd($[0].n, 40)" },
    }),
    input: {},
    expected: ok({ sum: 42 }),
    motoDiffers:
      "moto (found here, not in FACTS): its JSONPath gives a one-item list for a definite path with an index: $[0].n is a list there, so States.MathAdd fails",
    motoExpected: failed("States.Runtime"),
  },
];
