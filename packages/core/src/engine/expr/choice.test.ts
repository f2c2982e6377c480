import { describe, expect, it } from "vitest";
import { evaluateRule } from "./choice.js";
import { scopeOf } from "./private/testing.js";

const data = {
  str: "beta",
  num: 5,
  flag: true,
  nul: null,
  ts: "2016-03-14T01:59:00Z",
  tsOffset: "2016-03-14T03:59:00.000000001+02:00",
  other: { str: "alpha", num: 7, flag: true, ts: "2016-03-14T02:00:00Z" },
  file: "log-2020-01-01.txt",
  star: "a*b",
  backslash: "a\\b",
};
const scope = scopeOf(data, { context: { Execution: { Name: "e1" } }, vars: { limit: 5 } });
const rule = (r: Record<string, unknown>): boolean => evaluateRule(r, data, scope);

describe("evaluateRule: comparisons", () => {
  it("String operators and their Path variants", () => {
    expect(rule({ Variable: "$.str", StringEquals: "beta" })).toBe(true);
    expect(rule({ Variable: "$.str", StringLessThan: "gamma" })).toBe(true);
    expect(rule({ Variable: "$.str", StringGreaterThan: "alpha" })).toBe(true);
    expect(rule({ Variable: "$.str", StringLessThanEquals: "beta" })).toBe(true);
    expect(rule({ Variable: "$.str", StringGreaterThanEquals: "zeta" })).toBe(false);
    expect(rule({ Variable: "$.str", StringGreaterThanPath: "$.other.str" })).toBe(true);
    expect(rule({ Variable: "$.str", StringEqualsPath: "$.other.str" })).toBe(false);
    expect(rule({ Variable: "$.num", StringEquals: "5" })).toBe(false);
  });

  it("Numeric operators and their Path variants, with variables and context", () => {
    expect(rule({ Variable: "$.num", NumericEquals: 5 })).toBe(true);
    expect(rule({ Variable: "$.num", NumericLessThan: 5 })).toBe(false);
    expect(rule({ Variable: "$.num", NumericGreaterThanEquals: 5 })).toBe(true);
    expect(rule({ Variable: "$.num", NumericLessThanEquals: 4.5 })).toBe(false);
    expect(rule({ Variable: "$.num", NumericGreaterThan: 4.5 })).toBe(true);
    expect(rule({ Variable: "$.num", NumericLessThanPath: "$.other.num" })).toBe(true);
    expect(rule({ Variable: "$limit", NumericEqualsPath: "$.num" })).toBe(true);
    expect(rule({ Variable: "$$.Execution.Name", StringEquals: "e1" })).toBe(true);
    expect(rule({ Variable: "$.str", NumericEquals: 5 })).toBe(false);
  });

  it("Boolean operators", () => {
    expect(rule({ Variable: "$.flag", BooleanEquals: true })).toBe(true);
    expect(rule({ Variable: "$.flag", BooleanEqualsPath: "$.other.flag" })).toBe(true);
    expect(rule({ Variable: "$.str", BooleanEquals: true })).toBe(false);
  });

  it("Timestamp operators compare instants (offsets, nanoseconds)", () => {
    expect(rule({ Variable: "$.ts", TimestampEquals: "2016-03-14T01:59:00Z" })).toBe(true);
    expect(rule({ Variable: "$.ts", TimestampEquals: "2016-03-14T02:59:00+01:00" })).toBe(true);
    expect(rule({ Variable: "$.ts", TimestampLessThan: "2016-03-14T01:59:00.001Z" })).toBe(true);
    expect(rule({ Variable: "$.tsOffset", TimestampGreaterThan: "2016-03-14T01:59:00Z" })).toBe(true);
    expect(rule({ Variable: "$.ts", TimestampLessThanPath: "$.other.ts" })).toBe(true);
    expect(rule({ Variable: "$.ts", TimestampGreaterThanEquals: "2016-03-14T01:59:00Z" })).toBe(true);
    expect(rule({ Variable: "$.ts", TimestampLessThanEquals: "2016-03-14T01:58:59Z" })).toBe(false);
    expect(rule({ Variable: "$.str", TimestampEquals: "2016-03-14T01:59:00Z" })).toBe(false);
  });

  it("StringMatches: * is the only wildcard, \\* a literal star, \\\\ a literal backslash", () => {
    expect(rule({ Variable: "$.file", StringMatches: "log-*.txt" })).toBe(true);
    expect(rule({ Variable: "$.file", StringMatches: "log-*.csv" })).toBe(false);
    expect(rule({ Variable: "$.file", StringMatches: "*" })).toBe(true);
    expect(rule({ Variable: "$.file", StringMatches: "log-????-01-01.txt" })).toBe(false); // ? is not a wildcard
    expect(rule({ Variable: "$.star", StringMatches: "a\\*b" })).toBe(true);
    expect(rule({ Variable: "$.str", StringMatches: "b\\*" })).toBe(false); // \* is no wildcard
    expect(rule({ Variable: "$.backslash", StringMatches: "a\\\\b" })).toBe(true);
    expect(rule({ Variable: "$.backslash", StringMatches: "a\\\\*" })).toBe(true);
    expect(rule({ Variable: "$.num", StringMatches: "*" })).toBe(false);
  });
});

describe("evaluateRule: type tests and presence", () => {
  it("IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp", () => {
    expect(rule({ Variable: "$.nul", IsNull: true })).toBe(true);
    expect(rule({ Variable: "$.str", IsNull: false })).toBe(true);
    expect(rule({ Variable: "$.nul", IsPresent: true })).toBe(true);
    expect(rule({ Variable: "$.missing", IsPresent: false })).toBe(true);
    expect(rule({ Variable: "$.missing", IsPresent: true })).toBe(false);
    expect(rule({ Variable: "$.num", IsNumeric: true })).toBe(true);
    expect(rule({ Variable: "$.str", IsString: true })).toBe(true);
    expect(rule({ Variable: "$.flag", IsBoolean: true })).toBe(true);
    expect(rule({ Variable: "$.ts", IsTimestamp: true })).toBe(true);
    expect(rule({ Variable: "$.str", IsTimestamp: false })).toBe(true);
  });

  it("a comparison on a missing field is States.Runtime (AWS; moto takes the Default instead)", () => {
    const runtime = expect.objectContaining({ error: "States.Runtime" });
    expect(() => rule({ Variable: "$.missing", StringEquals: "x" })).toThrow(runtime);
    expect(() => rule({ Variable: "$.missing", IsNull: true })).toThrow(runtime);
    expect(() => rule({ Variable: "$.num", NumericEqualsPath: "$.missing" })).toThrow(runtime);
  });
});

describe("evaluateRule: And, Or, Not", () => {
  it("combines rules (the guide's example)", () => {
    const inRange = {
      And: [
        { Variable: "$.num", NumericGreaterThanEquals: 1 },
        { Variable: "$.num", NumericLessThan: 10 },
      ],
    };
    expect(rule(inRange)).toBe(true);
    expect(rule({ Not: { Variable: "$.str", StringEquals: "beta" } })).toBe(false);
    expect(
      rule({
        Or: [
          { Variable: "$.str", StringEquals: "x" },
          { Variable: "$.flag", BooleanEquals: true },
        ],
      }),
    ).toBe(true);
    expect(
      rule({
        And: [
          { Variable: "$.missing", IsPresent: true },
          { Variable: "$.missing", StringEquals: "x" },
        ],
      }),
    ).toBe(false);
  });
});
