import { describe, expect, it } from "vitest";
import { type Dag, findCycle, isSeriesParallel, topologicalOrder, transitiveReduction } from "./dag.js";

const dag = (nodes: string, edges: string): Dag => ({
  nodes: nodes.split(" ").filter(Boolean),
  edges: edges
    .split(" ")
    .filter(Boolean)
    .map((e) => e.split(">") as [string, string]),
});

describe("findCycle", () => {
  it("returns the whole path, closed", () => {
    expect(findCycle(dag("a b c d", "a>b b>c c>a c>d"))).toStrictEqual(["a", "b", "c", "a"]);
  });
  it("finds a self-loop", () => {
    expect(findCycle(dag("a b", "a>b b>b"))).toStrictEqual(["b", "b"]);
  });
  it("returns undefined on a DAG", () => {
    expect(findCycle(dag("a b c", "a>b a>c b>c"))).toBeUndefined();
  });
});

describe("topologicalOrder", () => {
  it("breaks ties by input order", () => {
    expect(topologicalOrder(dag("d c b a", "a>b c>b"))).toStrictEqual(["d", "c", "a", "b"]);
  });
  it("throws SL_GRAPH_CYCLE naming the cycle", () => {
    expect(() => topologicalOrder(dag("a b c", "a>b b>c c>a"))).toThrow(/SL_GRAPH_CYCLE.*a => b => c => a/);
  });
  it("rejects unknown and duplicate nodes", () => {
    expect(() => topologicalOrder(dag("a", "a>z"))).toThrow(/SL_GRAPH_UNKNOWN_NODE/);
    expect(() => topologicalOrder(dag("a a", ""))).toThrow(/SL_GRAPH_DUPLICATE_NODE/);
  });
});

describe("transitiveReduction", () => {
  it("drops implied and duplicate edges, keeps order", () => {
    expect(transitiveReduction(dag("a b c d", "a>c a>b b>c c>d a>d a>b"))).toStrictEqual(dag("a b c d", "a>b b>c c>d"));
  });
});

describe("isSeriesParallel", () => {
  it.each([
    ["chain", dag("a b c", "a>b b>c"), true],
    ["diamond", dag("a b c d", "a>b a>c b>d c>d"), true],
    ["disconnected", dag("a b c", "a>b"), true],
    ["complete bipartite", dag("a b c d", "a>c a>d b>c b>d"), true],
    ["N", dag("a b c d", "a>c b>c b>d"), false],
    ["N hidden in the closure", dag("a b x c d", "a>c b>x x>c b>d"), false],
    ["empty", dag("", ""), true],
  ])("%s", (_, g, expected) => {
    expect(isSeriesParallel(g)).toBe(expected);
  });
});
