import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Dag, topologicalOrder } from "./dag.js";
import { type AddedWait, criticalPath, layeredTree, type SpTree, spMakespan, toSeriesParallel } from "./sp.js";

const dag = (nodes: string, edges: string): Dag => ({
  nodes: nodes.split(" ").filter(Boolean),
  edges: edges
    .split(" ")
    .filter(Boolean)
    .map((e) => e.split(">") as [string, string]),
});
const leaf = (node: string): SpTree => ({ kind: "leaf", node });
const ser = (...children: SpTree[]): SpTree => ({ kind: "series", children });
const par = (...children: SpTree[]): SpTree => ({ kind: "parallel", children });
const wait = (waiter: string, ...waitsFor: string[]) => ({ waiter, waitsFor });

/** Grouped waits as `[waitsFor, waiter]` edges. */
const flatten = (waits: readonly AddedWait[]) =>
  waits.flatMap(({ waiter, waitsFor }) => waitsFor.map((from) => [from, waiter] as const));

/** Nodes of a tree in order of appearance. */
function nodesOf(t: SpTree): string[] {
  return t.kind === "leaf" ? [t.node] : t.children.flatMap(nodesOf);
}

/** Every pair `before>after` the tree orders. */
function treeOrder(t: SpTree, out = new Set<string>()): Set<string> {
  if (t.kind === "leaf") return out;
  for (const c of t.children) treeOrder(c, out);
  if (t.kind === "series") {
    const parts = t.children.map(nodesOf);
    parts.forEach((a, i) => {
      for (const b of parts.slice(i + 1)) for (const x of a) for (const y of b.flat()) out.add(`${x}>${y}`);
    });
  }
  return out;
}

/** Transitive closure of edges as `from>to` pairs. */
function closure(nodes: readonly string[], edges: readonly (readonly [string, string])[]): Set<string> {
  const succ = new Map(nodes.map((n) => [n, [] as string[]]));
  for (const [a, b] of edges) succ.get(a)?.push(b);
  const out = new Set<string>();
  for (const start of nodes) {
    const stack = [...(succ.get(start) ?? [])];
    while (stack.length > 0) {
      const v = stack.pop() as string;
      if (out.has(`${start}>${v}`)) continue;
      out.add(`${start}>${v}`);
      stack.push(...(succ.get(v) ?? []));
    }
  }
  return out;
}

describe("toSeriesParallel on small graphs", () => {
  it.each([
    ["empty", dag("", ""), ser()],
    ["single step", dag("a", ""), leaf("a")],
    ["chain", dag("a b c", "a>b b>c"), ser(leaf("a"), leaf("b"), leaf("c"))],
    ["diamond", dag("a b c d", "a>b a>c b>d c>d"), ser(leaf("a"), par(leaf("b"), leaf("c")), leaf("d"))],
    [
      "fork/join with a redundant edge",
      dag("s a b c j", "s>a s>b s>c a>j b>j c>j s>j"),
      ser(leaf("s"), par(leaf("a"), leaf("b"), leaf("c")), leaf("j")),
    ],
    ["disconnected, parallel in input order", dag("z y x", "y>x"), par(leaf("z"), ser(leaf("y"), leaf("x")))],
    [
      "nested",
      dag("a b c d e", "a>b b>d a>c c>d d>e"),
      ser(leaf("a"), par(leaf("b"), leaf("c")), leaf("d"), leaf("e")),
    ],
  ])("%s adds no wait", (_, g, tree) => {
    expect(toSeriesParallel(g)).toStrictEqual({ tree, addedWaits: [] });
  });

  it("the N graph gets exactly one added wait", () => {
    expect(toSeriesParallel(dag("a b c d", "a>c b>c b>d"))).toStrictEqual({
      tree: ser(par(leaf("a"), leaf("b")), par(leaf("c"), leaf("d"))),
      addedWaits: [wait("d", "a")],
    });
  });

  it("durations move the added wait off the critical path", () => {
    const weights = new Map([
      ["a", 10],
      ["b", 1],
      ["c", 1],
      ["d", 10],
    ]);
    expect(toSeriesParallel(dag("a b c d", "a>c b>c b>d"), weights)).toStrictEqual({
      tree: ser(leaf("b"), par(ser(leaf("a"), leaf("c")), leaf("d"))),
      addedWaits: [wait("a", "b")],
    });
  });

  it("a zigzag (W) keeps the critical path with unit durations", () => {
    const g = dag("a b c d e f", "a>d b>d b>e c>e c>f");
    const result = toSeriesParallel(g);
    expect(result).toStrictEqual({
      tree: ser(par(leaf("a"), leaf("b"), leaf("c")), par(leaf("d"), leaf("e"), leaf("f"))),
      addedWaits: [wait("d", "c"), wait("e", "a"), wait("f", "a", "b")],
    });
  });

  it("an N next to an independent step", () => {
    expect(toSeriesParallel(dag("x a b c d", "a>c b>c b>d"))).toStrictEqual({
      tree: par(leaf("x"), ser(par(leaf("a"), leaf("b")), par(leaf("c"), leaf("d")))),
      addedWaits: [wait("d", "a")],
    });
  });

  it("rejects a cycle with its path", () => {
    expect(() => toSeriesParallel(dag("a b", "a>b b>a"))).toThrow(/a => b => a/);
  });
});

describe("makespan helpers", () => {
  const w = new Map([
    ["a", 2],
    ["b", 3],
    ["c", 5],
  ]);
  it("spMakespan sums series and maxes parallel", () => {
    expect(spMakespan(ser(leaf("a"), par(leaf("b"), leaf("c"))), w)).toBe(7);
  });
  it("criticalPath is the heaviest path", () => {
    expect(criticalPath(dag("a b c", "a>b a>c"), w)).toBe(7);
    expect(criticalPath(dag("", ""), w)).toBe(0);
  });
  it("layeredTree puts one barrier per level", () => {
    expect(layeredTree(dag("a b c d", "a>c b>c b>d"))).toStrictEqual(
      ser(par(leaf("a"), leaf("b")), par(leaf("c"), leaf("d"))),
    );
  });
});

/** Random DAGs: edges only go from lower to higher id; nodes listed shuffled. */
const randomDag = fc
  .integer({ min: 1, max: 12 })
  .chain((n) => {
    const ids = Array.from({ length: n }, (_, i) => `n${i}`);
    return fc.record({
      nodes: fc.shuffledSubarray(ids, { minLength: n, maxLength: n }),
      edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), {
        maxLength: 3 * n,
      }),
      weights: fc.array(fc.integer({ min: 1, max: 100 }), {
        minLength: n,
        maxLength: n,
      }),
    });
  })
  .map(({ nodes, edges, weights }) => ({
    dag: {
      nodes,
      edges: edges.filter(([x, y]) => x !== y).map(([x, y]) => [`n${Math.min(x, y)}`, `n${Math.max(x, y)}`] as const),
    } satisfies Dag,
    weights: new Map(weights.map((w, i) => [`n${i}`, w])),
  }));

type Sp = { kind: "leaf" } | { kind: "series" | "parallel"; children: Sp[] };
const spShape: fc.Arbitrary<Sp> = fc.letrec<{ sp: Sp }>((tie) => ({
  sp: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant({ kind: "leaf" as const }),
    fc.record({
      kind: fc.constantFrom("series" as const, "parallel" as const),
      children: fc.array(tie("sp"), { minLength: 2, maxLength: 3 }),
    }),
  ),
})).sp;

/** An SP order presented as a DAG: covering edges plus some redundant ones, shuffled nodes. */
const randomSpDag = fc
  .record({
    shape: spShape,
    extra: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
    seed: fc.nat(),
    weights: fc.array(fc.integer({ min: 1, max: 100 }), {
      minLength: 40,
      maxLength: 40,
    }),
  })
  .map(({ shape, extra, seed, weights }) => {
    let next = 0;
    const edges: [string, string][] = [];
    const build = (t: Sp): { first: string[]; last: string[]; all: string[] } => {
      if (t.kind === "leaf") {
        const name = `s${next++}`;
        return { first: [name], last: [name], all: [name] };
      }
      const parts = t.children.map(build);
      if (t.kind === "parallel") {
        return {
          first: parts.flatMap((p) => p.first),
          last: parts.flatMap((p) => p.last),
          all: parts.flatMap((p) => p.all),
        };
      }
      parts.forEach((p, i) => {
        const q = parts[i + 1];
        if (q) for (const a of p.last) for (const b of q.first) edges.push([a, b]);
      });
      return {
        first: parts[0]?.first ?? [],
        last: parts[parts.length - 1]?.last ?? [],
        all: parts.flatMap((p) => p.all),
      };
    };
    const { all } = build(shape);
    const order = [...closure(all, edges)];
    for (const [x] of extra) {
      const pair = order[x % Math.max(1, order.length)];
      if (pair) edges.push(pair.split(">") as [string, string]);
    }
    const nodes = all
      .map((n, i) => ({ n, k: (i * 7919 + seed) % 104729 }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.n);
    return {
      dag: { nodes, edges } satisfies Dag,
      weights: new Map(all.map((n, i) => [n, weights[i % 40] as number])),
    };
  });

describe("toSeriesParallel properties", () => {
  it("places every node once, respects every edge, reports exactly the added order", () => {
    fc.assert(
      fc.property(randomDag, fc.boolean(), ({ dag: g, weights }, useWeights) => {
        const { tree, addedWaits } = toSeriesParallel(g, useWeights ? weights : undefined);
        expect(nodesOf(tree).sort()).toStrictEqual([...g.nodes].sort());
        const inTree = treeOrder(tree);
        const original = closure(g.nodes, g.edges);
        for (const pair of original) expect(inTree.has(pair)).toBe(true);
        const pairs = flatten(addedWaits);
        for (const [waitsFor, waiter] of pairs) expect(original.has(`${waitsFor}>${waiter}`)).toBe(false);
        const withWaits = closure(g.nodes, [...g.edges, ...pairs]);
        expect(withWaits).toStrictEqual(inTree);
        // Minimal: no pair is implied by the graph's edges and the other pairs.
        for (let i = 0; i < pairs.length; i++) {
          const others = [...g.edges, ...pairs.slice(0, i), ...pairs.slice(i + 1)];
          const [from, to] = pairs[i] as readonly [string, string];
          expect(closure(g.nodes, others).has(`${from}>${to}`)).toBe(false);
        }
        // Grouped: one non-empty group per waiter, waiters and each group in topological order.
        const topo = new Map(topologicalOrder(g).map((name, i) => [name, i]));
        const rank = (name: string) => topo.get(name) as number;
        for (const { waitsFor } of addedWaits) expect(waitsFor.length).toBeGreaterThan(0);
        const waiters = addedWaits.map((x) => rank(x.waiter));
        expect(waiters).toStrictEqual([...new Set(waiters)].sort((x, y) => x - y));
        for (const { waitsFor } of addedWaits) {
          const ranks = waitsFor.map(rank);
          expect(ranks).toStrictEqual([...new Set(ranks)].sort((x, y) => x - y));
        }
        expect(spMakespan(tree, weights)).toBeGreaterThanOrEqual(criticalPath(g, weights));
        expect(toSeriesParallel(g, useWeights ? weights : undefined)).toStrictEqual({ tree, addedWaits });
      }),
      { numRuns: 1000 },
    );
  });

  it("adds nothing to series-parallel graphs and keeps the critical path", () => {
    fc.assert(
      fc.property(randomSpDag, ({ dag: g, weights }) => {
        const { tree, addedWaits } = toSeriesParallel(g, weights);
        expect(addedWaits).toStrictEqual([]);
        expect(treeOrder(tree)).toStrictEqual(closure(g.nodes, g.edges));
        expect(spMakespan(tree, weights)).toBe(criticalPath(g, weights));
        expect(toSeriesParallel(g).addedWaits).toStrictEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
