import { type Case, DOCS, failed, ok } from "../types.js";

const CHOICE = `Choice workflow state — ${DOCS}state-choice.html`;

/** A Choice `C` with one rule → Pass `Yes` (Result "yes"), Default → Pass `No` (Result "no"). */
function rule(name: string, r: Record<string, unknown>, input: unknown, matches: boolean, source = CHOICE): Case {
  return {
    name: `choice/${name}`,
    source,
    definition: {
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ ...r, Next: "Yes" }], Default: "No" },
        Yes: { Type: "Pass", Result: "yes", End: true },
        No: { Type: "Pass", Result: "no", End: true },
      },
    },
    input,
    expected: ok(matches ? "yes" : "no"),
  };
}

const v = (op: string, value: unknown): Record<string, unknown> => ({ Variable: "$.v", [op]: value });
const p = (op: string): Record<string, unknown> => ({ Variable: "$.v", [`${op}Path`]: "$.w" });

const docsExample = {
  StartAt: "ChoiceStateX",
  States: {
    ChoiceStateX: {
      Type: "Choice",
      Choices: [
        { Not: { Variable: "$.type", StringEquals: "Private" }, Next: "Public" },
        { Variable: "$.value", NumericEquals: 0, Next: "ValueIsZero" },
        {
          And: [
            { Variable: "$.value", NumericGreaterThanEquals: 20 },
            { Variable: "$.value", NumericLessThan: 30 },
          ],
          Next: "ValueInTwenties",
        },
        { Variable: "$.value", NumericLessThan: 0, Next: "LessThanZero" },
      ],
      Default: "DefaultState",
    },
    Public: { Type: "Pass", Result: "Public", End: true },
    ValueIsZero: { Type: "Pass", Result: "ValueIsZero", End: true },
    ValueInTwenties: { Type: "Pass", Result: "ValueInTwenties", End: true },
    LessThanZero: { Type: "Pass", Result: "LessThanZero", End: true },
    DefaultState: { Type: "Fail", Error: "DefaultStateError", Cause: "No Matches!" },
  },
};

const T1 = "2016-03-14T01:59:00Z";
const T2 = "2016-03-14T02:00:00Z";

export const cases: Case[] = [
  {
    name: "choice/docs-example-public",
    source: CHOICE,
    definition: docsExample,
    input: { type: "Public" },
    expected: ok("Public"),
  },
  {
    name: "choice/docs-example-zero",
    source: CHOICE,
    definition: docsExample,
    input: { type: "Private", value: 0 },
    expected: ok("ValueIsZero"),
  },
  {
    name: "choice/docs-example-twenties",
    source: CHOICE,
    definition: docsExample,
    input: { type: "Private", value: 25 },
    expected: ok("ValueInTwenties"),
  },
  {
    name: "choice/docs-example-negative",
    source: CHOICE,
    definition: docsExample,
    input: { type: "Private", value: -5 },
    expected: ok("LessThanZero"),
  },
  {
    name: "choice/docs-example-default-fail",
    source: CHOICE,
    definition: docsExample,
    input: { type: "Private", value: 10 },
    expected: failed("DefaultStateError", "No Matches!"),
  },
  {
    name: "choice/missing-field-is-runtime-error",
    source: `${CHOICE} (comparing a field that is not present: States.Runtime, FACTS.md)`,
    definition: docsExample,
    input: { type: "Private" },
    expected: failed("States.Runtime"),
    motoDiffers: "FACTS: comparing a missing field takes the Default in moto (AWS: States.Runtime)",
    motoExpected: failed("DefaultStateError", "No Matches!"),
  },
  {
    name: "choice/no-match-no-default",
    source: `${CHOICE} (no rule matches and no Default: States.NoChoiceMatched)`,
    definition: {
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Variable: "$.v", NumericEquals: 1, Next: "Y" }] },
        Y: { Type: "Succeed" },
      },
    },
    input: { v: 2 },
    expected: failed("States.NoChoiceMatched"),
    motoDiffers:
      "FACTS: moto gives States.Runtime for a Choice with no match and no Default (AWS: States.NoChoiceMatched)",
    motoExpected: failed("States.Runtime"),
  },
  rule("string-equals-true", v("StringEquals", "abc"), { v: "abc" }, true),
  rule("string-equals-false", v("StringEquals", "abc"), { v: "abd" }, false),
  rule("string-equals-path", p("StringEquals"), { v: "x", w: "x" }, true),
  rule("string-less-than", v("StringLessThan", "b"), { v: "a" }, true),
  rule("string-less-than-path", p("StringLessThan"), { v: "b", w: "a" }, false),
  rule("string-greater-than", v("StringGreaterThan", "a"), { v: "b" }, true),
  rule("string-greater-than-path", p("StringGreaterThan"), { v: "b", w: "a" }, true),
  rule("string-less-than-equals", v("StringLessThanEquals", "abc"), { v: "abc" }, true),
  rule("string-less-than-equals-path", p("StringLessThanEquals"), { v: "abd", w: "abc" }, false),
  rule("string-greater-than-equals", v("StringGreaterThanEquals", "abc"), { v: "abc" }, true),
  rule("string-greater-than-equals-path", p("StringGreaterThanEquals"), { v: "abb", w: "abc" }, false),
  rule("string-matches-star", v("StringMatches", "log-*.txt"), { v: "log-2022-09-01.txt" }, true),
  rule("string-matches-star-no-match", v("StringMatches", "log-*.txt"), { v: "log-2022.csv" }, false),
  rule("string-matches-star-empty", v("StringMatches", "a*b*c"), { v: "abc" }, true),
  {
    ...rule("string-matches-question-mark-is-literal", v("StringMatches", "a?c"), { v: "abc" }, false),
    motoDiffers: "FACTS: moto's StringMatches treats ? as a wildcard",
    motoExpected: ok("yes"),
  },
  rule("string-matches-escaped-star-is-literal", v("StringMatches", "a\\*c"), { v: "abbc" }, false),
  {
    ...rule("string-matches-escaped-star-matches-star", v("StringMatches", "a\\*c"), { v: "a*c" }, true),
    motoDiffers: "FACTS: moto's StringMatches ignores the escape \\* (it keeps the backslash and a wildcard)",
    motoExpected: ok("no"),
  },
  {
    ...rule("string-matches-escaped-backslash", v("StringMatches", "a\\\\b*"), { v: "a\\bcd" }, true),
    motoDiffers: "FACTS: moto's StringMatches ignores the escape \\\\",
    motoExpected: ok("no"),
  },
  rule("numeric-equals-true", v("NumericEquals", 1), { v: 1.0 }, true),
  rule("numeric-equals-float", v("NumericEquals", 0.5), { v: 0.5 }, true),
  rule("numeric-equals-path", p("NumericEquals"), { v: 3, w: 4 }, false),
  rule("numeric-less-than", v("NumericLessThan", 10), { v: 9.99 }, true),
  rule("numeric-less-than-path", p("NumericLessThan"), { v: 10, w: 10 }, false),
  rule("numeric-greater-than", v("NumericGreaterThan", -1), { v: 0 }, true),
  rule("numeric-greater-than-path", p("NumericGreaterThan"), { v: 5, w: 4 }, true),
  rule("numeric-less-than-equals", v("NumericLessThanEquals", 10), { v: 10 }, true),
  rule("numeric-less-than-equals-path", p("NumericLessThanEquals"), { v: 11, w: 10 }, false),
  rule("numeric-greater-than-equals", v("NumericGreaterThanEquals", 10), { v: 10 }, true),
  rule("numeric-greater-than-equals-path", p("NumericGreaterThanEquals"), { v: 9, w: 10 }, false),
  rule("numeric-on-string-is-false", v("NumericEquals", 1), { v: "1" }, false),
  rule("boolean-equals-true", v("BooleanEquals", true), { v: true }, true),
  rule("boolean-equals-false", v("BooleanEquals", true), { v: false }, false),
  rule("boolean-equals-path", p("BooleanEquals"), { v: false, w: false }, true),
  rule("timestamp-equals", v("TimestampEquals", T1), { v: T1 }, true),
  rule("timestamp-equals-path", p("TimestampEquals"), { v: T1, w: T2 }, false),
  rule("timestamp-less-than", v("TimestampLessThan", T2), { v: T1 }, true),
  rule("timestamp-less-than-path", p("TimestampLessThan"), { v: T2, w: T1 }, false),
  rule("timestamp-greater-than", v("TimestampGreaterThan", T1), { v: T2 }, true),
  rule("timestamp-greater-than-path", p("TimestampGreaterThan"), { v: T2, w: T1 }, true),
  rule("timestamp-less-than-equals", v("TimestampLessThanEquals", T1), { v: T1 }, true),
  rule("timestamp-less-than-equals-path", p("TimestampLessThanEquals"), { v: T2, w: T1 }, false),
  rule("timestamp-greater-than-equals", v("TimestampGreaterThanEquals", T2), { v: T2 }, true),
  rule("timestamp-greater-than-equals-path", p("TimestampGreaterThanEquals"), { v: T1, w: T2 }, false),
  rule("is-null-true", v("IsNull", true), { v: null }, true),
  rule("is-null-false", v("IsNull", true), { v: 0 }, false),
  rule("is-present-true", v("IsPresent", true), { v: null }, true),
  rule("is-present-missing", v("IsPresent", true), { other: 1 }, false),
  rule("is-present-false-on-missing", v("IsPresent", false), {}, true),
  rule("is-numeric-true", v("IsNumeric", true), { v: 1.5 }, true),
  rule("is-numeric-string", v("IsNumeric", true), { v: "1.5" }, false),
  rule("is-string-true", v("IsString", true), { v: "x" }, true),
  rule("is-string-false", v("IsString", false), { v: 3 }, true),
  rule("is-boolean-true", v("IsBoolean", true), { v: false }, true),
  rule("is-timestamp-true", v("IsTimestamp", true), { v: T1 }, true),
  rule("is-timestamp-false", v("IsTimestamp", true), { v: "yesterday" }, false),
  rule("and-all-true", { And: [v("NumericGreaterThan", 1), v("NumericLessThan", 3)] }, { v: 2 }, true),
  rule("and-one-false", { And: [v("NumericGreaterThan", 1), v("NumericLessThan", 3)] }, { v: 3 }, false),
  rule("or-one-true", { Or: [v("StringEquals", "a"), v("StringEquals", "b")] }, { v: "b" }, true),
  rule("or-none-true", { Or: [v("StringEquals", "a"), v("StringEquals", "b")] }, { v: "c" }, false),
  rule("not", { Not: v("BooleanEquals", true) }, { v: false }, true),
  rule(
    "nested-and-or-not",
    { And: [{ Or: [v("IsNull", true), v("IsString", true)] }, { Not: v("StringEquals", "skip") }] },
    { v: "go" },
    true,
  ),
  rule(
    "and-guards-missing-with-is-present",
    {
      And: [
        { Variable: "$.x", IsPresent: true },
        { Variable: "$.x", NumericGreaterThan: 0 },
      ],
    },
    { v: 1 },
    false,
  ),
  {
    name: "choice/first-matching-rule-wins",
    source: CHOICE,
    definition: {
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Choices: [
            { Variable: "$.v", NumericGreaterThan: 1, Next: "A" },
            { Variable: "$.v", NumericGreaterThan: 0, Next: "B" },
          ],
          Default: "B",
        },
        A: { Type: "Pass", Result: "A", End: true },
        B: { Type: "Pass", Result: "B", End: true },
      },
    },
    input: { v: 5 },
    expected: ok("A"),
  },
  {
    name: "choice/input-and-output-path",
    source: `${CHOICE} (Choice supports InputPath and OutputPath)`,
    definition: {
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          InputPath: "$.inner",
          OutputPath: "$.keep",
          Choices: [{ Variable: "$.v", NumericEquals: 1, Next: "Done" }],
        },
        Done: { Type: "Succeed" },
      },
    },
    input: { inner: { v: 1, keep: { k: true } } },
    expected: ok({ k: true }),
  },
];
