import { describe, expect, it } from "vitest";
import { applyResultPath } from "./result-path.js";

// The developer guide's ResultPath examples.
const input = {
  comment: "This is a test of the input and output of a Task state.",
  details: "Default example",
  who: "AWS Step Functions",
};
const result = "Hello, AWS Step Functions!";

describe("applyResultPath", () => {
  it("ResultPath $ (or absent) replaces the input with the result", () => {
    expect(applyResultPath(input, result, "$")).toBe(result);
    expect(applyResultPath(input, result, undefined)).toBe(result);
  });

  it("ResultPath null discards the result", () => {
    expect(applyResultPath(input, result, null)).toBe(input);
  });

  it("ResultPath $.taskresult adds the result to the input", () => {
    expect(applyResultPath(input, result, "$.taskresult")).toStrictEqual({ ...input, taskresult: result });
  });

  it("ResultPath $.strings.lambdaresult creates the missing objects", () => {
    expect(applyResultPath(input, result, "$.strings.lambdaresult")).toStrictEqual({
      ...input,
      strings: { lambdaresult: result },
    });
  });

  it("ResultPath $.details replaces an existing field", () => {
    expect(applyResultPath(input, result, "$.details")).toStrictEqual({ ...input, details: result });
  });

  it("merges into existing objects without mutating the input", () => {
    const original = { a: { keep: 1 }, other: [1, 2] };
    const out = applyResultPath(original, 5, "$.a.b") as typeof original & { a: { b: number } };
    expect(out).toStrictEqual({ a: { keep: 1, b: 5 }, other: [1, 2] });
    expect(original).toStrictEqual({ a: { keep: 1 }, other: [1, 2] });
    expect(out.other).toBe(original.other);
    expect(applyResultPath(original, 5, "$['a']['c d']")).toStrictEqual({ a: { keep: 1, "c d": 5 }, other: [1, 2] });
  });

  it("States.ResultPathMatchFailure when the input can't hold the result", () => {
    const failure = expect.objectContaining({ error: "States.ResultPathMatchFailure" });
    expect(() => applyResultPath("a string", 1, "$.x")).toThrow(failure);
    expect(() => applyResultPath({ a: [1, 2] }, 1, "$.a.b")).toThrow(failure);
    expect(() => applyResultPath({ a: "s" }, 1, "$.a.b")).toThrow(failure);
    expect(() => applyResultPath([1], 1, "$.x")).toThrow(failure);
  });

  it("rejects paths that are not reference paths", () => {
    expect(() => applyResultPath({}, 1, "$.a[*]")).toThrow(expect.objectContaining({ error: "States.Runtime" }));
  });
});
