/**
 * The job graph as plain data, and the graph facts the compiler needs about it.
 */
import { decompose } from "./private/decompose.js";
import { ancestorBits, findCycleIn, indexDag, inputAdjacency, isAncestor, wordsFor } from "./private/indexed.js";

/**
 * A job graph: step names and dependency edges. An edge `[from, to]` means
 * `to` depends on `from` (`from` must finish before `to` starts).
 * Duplicate edges are allowed and ignored; node names must be unique.
 */
export interface Dag {
  readonly nodes: readonly string[];
  readonly edges: readonly (readonly [from: string, to: string])[];
}

/**
 * A dependency cycle as a path that ends where it starts, e.g. `["a", "b", "c", "a"]`
 * for `a => b => c => a`, or `undefined` when the graph is acyclic. Deterministic:
 * the depth-first search starts from nodes and follows edges in input order.
 */
export function findCycle(dag: Dag): string[] | undefined {
  const { succs } = inputAdjacency(dag);
  return findCycleIn(dag.nodes.length, succs)?.map((i) => dag.nodes[i] as string);
}

/**
 * Nodes so that every edge goes forward. Stable: among ready nodes the one first in
 * `dag.nodes` comes first. Throws a `SteplineError` (`SL_GRAPH_CYCLE`) naming the cycle.
 */
export function topologicalOrder(dag: Dag): string[] {
  return indexDag(dag).names.slice();
}

/**
 * The same graph without edges implied by others (`a→b`, `b→c` make `a→c` redundant).
 * Keeps the input order of nodes and of the remaining edges; drops duplicates.
 */
export function transitiveReduction(dag: Dag): Dag {
  const g = indexDag(dag);
  const words = wordsFor(g.n);
  const anc = ancestorBits(g);
  const pos = new Map<string, number>();
  g.names.forEach((name, i) => {
    pos.set(name, i);
  });
  const seen = new Set<string>();
  const edges: (readonly [string, string])[] = [];
  for (const edge of dag.edges) {
    const u = pos.get(edge[0]) as number;
    const v = pos.get(edge[1]) as number;
    const key = `${u},${v}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Redundant iff another direct predecessor of v is reachable from u.
    const redundant = (g.preds[v] as Int32Array).some((p) => p !== u && isAncestor(anc, words, u, p));
    if (!redundant) edges.push([edge[0], edge[1]]);
  }
  return { nodes: dag.nodes.slice(), edges };
}

/**
 * True iff the dependency order (the transitive closure) is series-parallel, i.e. has
 * no induced "N" (a<c, b<c, b<d with a,d unordered otherwise). Exactly these graphs
 * compile to Step Functions sequences and Parallel states without any added wait.
 * Throws `SL_GRAPH_CYCLE` on a cycle.
 */
export function isSeriesParallel(dag: Dag): boolean {
  const g = indexDag(dag);
  return decompose(g, new Float64Array(g.n).fill(1), { stopAtPrime: true }) !== undefined;
}
