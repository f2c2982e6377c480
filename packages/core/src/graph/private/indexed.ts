/**
 * Integer view of a `Dag`: nodes renumbered in stable topological order so that
 * "earlier index" means "may precede", plus ancestor bitsets. Built once per call;
 * every algorithm in `graph/` works on this view and maps back to names at the end.
 */
import { SteplineError } from "../../errors/problem.js";
import type { Dag } from "../dag.js";

export interface IndexedDag {
  /** Number of nodes. */
  readonly n: number;
  /** Node name by topological position. */
  readonly names: readonly string[];
  /** Input position (index in `dag.nodes`) by topological position. */
  readonly inputIndex: Int32Array;
  /** Direct predecessors (deduplicated, ascending) by topological position. */
  readonly preds: readonly Int32Array[];
  /** Direct successors (deduplicated, ascending) by topological position. */
  readonly succs: readonly Int32Array[];
}

/** Input-position adjacency; throws on duplicate or unknown nodes. */
export function inputAdjacency(dag: Dag): {
  index: Map<string, number>;
  succs: number[][];
} {
  const index = new Map<string, number>();
  dag.nodes.forEach((name, i) => {
    if (index.has(name)) {
      throw SteplineError.of(
        "SL_GRAPH_DUPLICATE_NODE",
        `step '${name}' appears twice in the job graph (positions ${index.get(name)} and ${i})`,
        "give every step a unique name",
        { step: name },
      );
    }
    index.set(name, i);
  });
  const succs: number[][] = dag.nodes.map(() => []);
  const seen = new Set<number>();
  for (const [from, to] of dag.edges) {
    const a = index.get(from);
    const b = index.get(to);
    if (a === undefined || b === undefined) {
      const missing = a === undefined ? from : to;
      throw SteplineError.of(
        "SL_GRAPH_UNKNOWN_NODE",
        `dependency '${from}' -> '${to}' names step '${missing}', which is not in the job graph`,
        `add a step named '${missing}' or remove the dependency`,
        { step: missing },
      );
    }
    const key = a * dag.nodes.length + b;
    if (seen.has(key)) continue;
    seen.add(key);
    (succs[a] as number[]).push(b);
  }
  for (const list of succs) list.sort((x, y) => x - y);
  return { index, succs };
}

/**
 * Stable topological order of input positions (Kahn's algorithm, smallest input
 * position first), or `undefined` when the graph has a cycle.
 */
export function stableTopo(n: number, succs: readonly (readonly number[])[]): number[] | undefined {
  const indeg = new Int32Array(n);
  for (const list of succs) for (const v of list) indeg[v] = (indeg[v] as number) + 1;
  // Binary min-heap of ready input positions.
  const heap: number[] = [];
  const push = (x: number): void => {
    heap.push(x);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((heap[p] as number) <= x) break;
      heap[i] = heap[p] as number;
      i = p;
    }
    heap[i] = x;
  };
  const pop = (): number => {
    const top = heap[0] as number;
    const last = heap.pop() as number;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const r = l + 1;
        const c = r < heap.length && (heap[r] as number) < (heap[l] as number) ? r : l;
        if ((heap[c] as number) >= last) break;
        heap[i] = heap[c] as number;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  for (let v = 0; v < n; v++) if (indeg[v] === 0) push(v);
  const order: number[] = [];
  while (heap.length > 0) {
    const u = pop();
    order.push(u);
    for (const v of succs[u] as number[]) {
      indeg[v] = (indeg[v] as number) - 1;
      if (indeg[v] === 0) push(v);
    }
  }
  return order.length === n ? order : undefined;
}

/** Builds the integer view; throws `SL_GRAPH_CYCLE` (with the cycle path) on a cycle. */
export function indexDag(dag: Dag): IndexedDag {
  const { succs } = inputAdjacency(dag);
  const n = dag.nodes.length;
  const order = stableTopo(n, succs);
  if (order === undefined) throw cycleError(dag, succs);
  const pos = new Int32Array(n);
  order.forEach((v, i) => {
    pos[v] = i;
  });
  const predLists: number[][] = order.map(() => []);
  const succLists: number[][] = order.map(() => []);
  for (let a = 0; a < n; a++) {
    for (const b of succs[a] as number[]) {
      (succLists[pos[a] as number] as number[]).push(pos[b] as number);
      (predLists[pos[b] as number] as number[]).push(pos[a] as number);
    }
  }
  return {
    n,
    names: order.map((v) => dag.nodes[v] as string),
    inputIndex: Int32Array.from(order),
    preds: predLists.map((l) => Int32Array.from(l).sort()),
    succs: succLists.map((l) => Int32Array.from(l).sort()),
  };
}

/** A deterministic cycle (first node repeated at the end), or `undefined`. */
export function findCycleIn(n: number, succs: readonly (readonly number[])[]): number[] | undefined {
  // Iterative DFS from nodes in input order; the first back edge found closes the cycle.
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const stack: number[] = [];
  const next: number[] = [];
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    stack.push(root);
    next.push(0);
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const u = stack[top] as number;
      const list = succs[u] as number[];
      const k = next[top] as number;
      if (k < list.length) {
        next[top] = k + 1;
        const v = list[k] as number;
        if (state[v] === 1) {
          const cycle = stack.slice(stack.indexOf(v));
          cycle.push(v);
          return cycle;
        }
        if (state[v] === 0) {
          state[v] = 1;
          stack.push(v);
          next.push(0);
        }
      } else {
        state[u] = 2;
        stack.pop();
        next.pop();
      }
    }
  }
  return undefined;
}

function cycleError(dag: Dag, succs: readonly (readonly number[])[]): SteplineError {
  const cycle = (findCycleIn(dag.nodes.length, succs) ?? []).map((i) => dag.nodes[i] as string);
  return SteplineError.of(
    "SL_GRAPH_CYCLE",
    `the job graph has a cycle: ${cycle.join(" => ")}`,
    "remove one of these dependencies so that no step waits, directly or indirectly, for itself",
    cycle[0] === undefined ? {} : { step: cycle[0] },
  );
}

/** Words per row of a bitset over `n` nodes. */
export function wordsFor(n: number): number {
  return (n + 31) >>> 5;
}

/**
 * Strict ancestor bitsets, one row of `wordsFor(n)` words per node in one buffer.
 * Row v has bit u set iff u reaches v. Only words up to v's own word are touched,
 * since ancestors have smaller topological positions.
 */
export function ancestorBits(g: IndexedDag): Uint32Array {
  const words = wordsFor(g.n);
  const bits = new Uint32Array(g.n * words);
  for (let v = 0; v < g.n; v++) {
    const row = v * words;
    for (const p of g.preds[v] as Int32Array) {
      const prow = p * words;
      const last = p >>> 5;
      for (let w = 0; w <= last; w++) bits[row + w] = (bits[row + w] as number) | (bits[prow + w] as number);
      bits[row + last] = (bits[row + last] as number) | (1 << (p & 31));
    }
  }
  return bits;
}

/** True iff u is a strict ancestor of v in the bitsets built by `ancestorBits`. */
export function isAncestor(bits: Uint32Array, words: number, u: number, v: number): boolean {
  return (((bits[v * words + (u >>> 5)] as number) >>> (u & 31)) & 1) === 1;
}
