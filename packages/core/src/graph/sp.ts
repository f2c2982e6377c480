/**
 * Series-parallel form of a job graph: what Step Functions can express with
 * sequences and Parallel states. A series-parallel graph keeps its exact order;
 * any other graph gets the cheapest extra waits the compiler finds.
 */
import type { Dag } from "./dag.js";
import { decompose } from "./private/decompose.js";
import { ancestorBits, type IndexedDag, indexDag, wordsFor } from "./private/indexed.js";
import { compose, type ITree } from "./private/tree.js";
import { addedWaitRows } from "./private/waits.js";

/**
 * A series-parallel tree over the graph's nodes, in normal form: series children are
 * never series, parallel children never parallel, no series/parallel has one child,
 * and parallel children come in order of the first input position of their nodes.
 */
export type SpTree =
  | { readonly kind: "leaf"; readonly node: string }
  | { readonly kind: "series"; readonly children: readonly SpTree[] }
  | { readonly kind: "parallel"; readonly children: readonly SpTree[] };

/**
 * The waits the tree adds to one step: `waiter` also waits for every step of `waitsFor`
 * ("d also waits for a and b"). `waitsFor` is never empty.
 */
export interface AddedWait {
  readonly waiter: string;
  /** Stable topological order. */
  readonly waitsFor: readonly string[];
}

/** The tree and the waits it adds beyond the graph's own (transitive) dependencies. */
export interface SpResult {
  readonly tree: SpTree;
  /**
   * Grouped by waiter. Minimal: flattened to `(waitsFor[i], waiter)` pairs, the unique
   * smallest set of pairs that, together with the graph's edges, implies every order the
   * tree imposes; no pair is implied by the graph or by other pairs. One group per step
   * that gains waits, in the waiter's stable topological order; each `waitsFor` in stable
   * topological order too.
   */
  readonly addedWaits: readonly AddedWait[];
}

/**
 * Series-parallel tree respecting every edge of `dag`. Adds no wait when the graph is
 * series-parallel; otherwise forces series splits chosen to keep the makespan (with
 * unlimited parallelism) close to the critical path.
 *
 * @param weights expected duration per step, used to keep added waits off the critical
 *   path; missing steps count 1 (pass nothing when durations are unknown).
 * @returns for an empty graph, a series with no children.
 * @throws SteplineError `SL_GRAPH_CYCLE`, `SL_GRAPH_DUPLICATE_NODE`, `SL_GRAPH_UNKNOWN_NODE`.
 */
export function toSeriesParallel(dag: Dag, weights?: ReadonlyMap<string, number>): SpResult {
  const g = indexDag(dag);
  const w = weightVector(g, weights);
  const anc = ancestorBits(g);
  const words = wordsFor(g.n);
  const tree = decompose(g, w, { anc }) as ITree;
  const { waiters, starts, targets } = addedWaitRows(tree, anc, words, g.n);
  const addedWaits: AddedWait[] = new Array(waiters.length);
  for (let i = 0; i < waiters.length; i++) {
    const from = starts[i] as number;
    const waitsFor: string[] = new Array((starts[i + 1] as number) - from);
    for (let j = 0; j < waitsFor.length; j++) waitsFor[j] = g.names[targets[from + j] as number] as string;
    addedWaits[i] = { waiter: g.names[waiters[i] as number] as string, waitsFor };
  }
  return { tree: named(g, tree).tree, addedWaits };
}

/** Makespan with unlimited parallelism: leaf = its weight (missing: 1), series = sum, parallel = max. */
export function spMakespan(tree: SpTree, weights: ReadonlyMap<string, number>): number {
  if (tree.kind === "leaf") return weights.get(tree.node) ?? 1;
  let acc = 0;
  for (const child of tree.children) {
    const m = spMakespan(child, weights);
    acc = tree.kind === "series" ? acc + m : Math.max(acc, m);
  }
  return acc;
}

/** Length of the heaviest path (sum of weights, missing: 1); 0 for an empty graph. */
export function criticalPath(dag: Dag, weights: ReadonlyMap<string, number>): number {
  const g = indexDag(dag);
  const w = weightVector(g, weights);
  const head = new Float64Array(g.n);
  let cp = 0;
  for (let v = 0; v < g.n; v++) {
    let m = 0;
    for (const p of g.preds[v] as Int32Array) m = Math.max(m, head[p] as number);
    head[v] = m + (w[v] as number);
    cp = Math.max(cp, head[v] as number);
  }
  return cp;
}

/**
 * One barrier per topological level (level = longest edge count from a source):
 * a series of Parallel states. The naive baseline the compiler must beat; bench only.
 */
export function layeredTree(dag: Dag): SpTree {
  const g = indexDag(dag);
  const level = new Int32Array(g.n);
  const levels: number[][] = [];
  for (let v = 0; v < g.n; v++) {
    let l = 0;
    for (const p of g.preds[v] as Int32Array) l = Math.max(l, (level[p] as number) + 1);
    level[v] = l;
    const list = levels[l] ?? [];
    list.push(v);
    levels[l] = list;
  }
  const tree = compose(
    "series",
    levels.map((vs) =>
      compose(
        "parallel",
        vs.map((v): ITree => ({ k: "leaf", v })),
      ),
    ),
  );
  return g.n === 0 ? { kind: "series", children: [] } : named(g, tree).tree;
}

function weightVector(g: IndexedDag, weights: ReadonlyMap<string, number> | undefined): Float64Array {
  const w = new Float64Array(g.n);
  for (let v = 0; v < g.n; v++) {
    const x = weights?.get(g.names[v] as string) ?? 1;
    // Negative or non-finite durations would break the longest-path bounds.
    w[v] = Number.isFinite(x) && x > 0 ? x : 0;
  }
  return w;
}

/** Attaches names and orders parallel children by their first input position. */
function named(g: IndexedDag, t: ITree): { tree: SpTree; first: number } {
  if (t.k === "leaf")
    return {
      tree: { kind: "leaf", node: g.names[t.v] as string },
      first: g.inputIndex[t.v] as number,
    };
  const children = t.c.map((c) => named(g, c));
  if (t.k === "parallel") children.sort((x, y) => x.first - y.first);
  const first = children.reduce((m, c) => Math.min(m, c.first), Number.POSITIVE_INFINITY);
  return { tree: { kind: t.k, children: children.map((c) => c.tree) }, first };
}
