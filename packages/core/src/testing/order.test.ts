import { describe, expect, it } from "vitest";
import type { StateJson, StateMachineJson } from "../asl/types.js";
import { orderFacts } from "./order.js";

const task = (next?: string, extra: Partial<StateJson> = {}): StateJson => ({
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke",
  ...(next === undefined ? { End: true } : { Next: next }),
  ...extra,
});
const before = (machine: StateMachineJson) =>
  Object.fromEntries([...orderFacts(machine).before].map(([name, set]) => [name, [...set].sort()]));

describe("orderFacts", () => {
  it("orders a chain", () => {
    expect(before({ StartAt: "a", States: { a: task("b"), b: task("c"), c: task() } })).toStrictEqual({
      a: [],
      b: ["a"],
      c: ["a", "b"],
    });
  });

  it("joins Parallel branches: what follows waits for every branch", () => {
    const machine: StateMachineJson = {
      StartAt: "a",
      States: {
        a: task("P"),
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "b", States: { b: task() } },
            { StartAt: "c", States: { c: task("d"), d: task() } },
          ],
          Next: "e",
        },
        e: task(),
      },
    };
    expect(before(machine)).toStrictEqual({ a: [], b: ["a"], c: ["a"], d: ["a", "c"], e: ["a", "b", "c", "d"] });
  });

  it("keeps only what every Choice path has done", () => {
    const machine: StateMachineJson = {
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "t" }], Default: "o" },
        t: task("z"),
        o: task("z"),
        z: task(),
      },
    };
    expect(before(machine).z).toStrictEqual([]);
  });

  it("a Catch target only gets what was done before the failing state", () => {
    const machine: StateMachineJson = {
      StartAt: "a",
      States: {
        a: task("b"),
        b: task("c", { Catch: [{ ErrorEquals: ["States.ALL"], Next: "c" }] }),
        c: task(),
      },
    };
    expect(before(machine).c).toStrictEqual(["a"]);
  });

  it("walks Map bodies and counts occurrences", () => {
    const machine: StateMachineJson = {
      StartAt: "M",
      States: {
        M: { Type: "Map", ItemProcessor: { StartAt: "x", States: { x: task("y"), y: task() } }, Next: "z" },
        z: task(),
      },
    };
    const facts = orderFacts(machine);
    expect([...(facts.before.get("z") ?? [])].sort()).toStrictEqual(["x", "y"]);
    expect([...facts.occurrences]).toStrictEqual([
      ["x", 1],
      ["y", 1],
      ["z", 1],
    ]);
  });
});
