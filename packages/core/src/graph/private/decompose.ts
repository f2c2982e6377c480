/**
 * Recursive series-parallel decomposition of a DAG's order, forcing the fewest and
 * cheapest series splits where the order is not series-parallel ("prime" parts).
 *
 * Every set handled is convex (a down-set of a convex set, a weak component of one, or a
 * series segment of one), so longest paths inside it are the paths of the DAG inside it.
 */
import { ancestorBits, type IndexedDag, isAncestor, wordsFor } from "./indexed.js";
import { type SplitContext, splitCandidates } from "./split.js";
import { compose, type ITree, treeMakespan } from "./tree.js";
import { countAddedWaits, popcount } from "./waits.js";

export interface DecomposeOptions {
  /** Return `undefined` instead of splitting a prime part (series-parallel test). */
  readonly stopAtPrime?: boolean;
  /**
   * Prime parts up to this many nodes compare several splits by the makespan of their
   * complete greedy decomposition instead of the bound alone.
   * @default 64
   */
  readonly lookaheadNodes?: number;
  /** Splits compared per prime part when looking ahead. @default 6 */
  readonly lookaheadWidth?: number;
  /** The graph's `ancestorBits`, when the caller already has them. */
  readonly anc?: Uint32Array;
}

const PRIME = Symbol("prime");

/**
 * Series-parallel tree whose order contains the DAG's order, with weights `w` (by
 * topological position) used to keep the added waits off the critical path.
 */
export function decompose(g: IndexedDag, w: Float64Array, options: DecomposeOptions = {}): ITree | undefined {
  if (g.n === 0) return { k: "series", c: [] };
  const words = wordsFor(g.n);
  const ctx: SplitContext = {
    g,
    w,
    anc: options.anc ?? ancestorBits(g),
    words,
    mark: new Int32Array(g.n),
    stamp: 0,
    head: new Float64Array(g.n),
    tail: new Float64Array(g.n),
    rank: new Int32Array(g.n),
    minSucc: new Int32Array(g.n),
    maxPred: new Int32Array(g.n),
    mask: new Uint32Array(words),
  };
  const parent = new Int32Array(g.n);
  const group = new Int32Array(g.n);
  const mask = ctx.mask;

  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[x] !== r) {
      const nx = parent[x] as number;
      parent[x] = r;
      x = nx;
    }
    return r;
  };

  /** Weak components of the induced subgraph, each ascending, ordered by first node. */
  const components = (s: Int32Array): Int32Array[] => {
    const stamp = ++ctx.stamp;
    for (const v of s) {
      ctx.mark[v] = stamp;
      parent[v] = v;
    }
    let merges = 0;
    for (const v of s) {
      for (const p of ctx.g.preds[v] as Int32Array) {
        if (ctx.mark[p] !== stamp) continue;
        const a = find(p);
        const b = find(v);
        if (a !== b) {
          // Keep the smaller position as root so groups come out in order of first node.
          if (a < b) parent[b] = a;
          else parent[a] = b;
          merges++;
        }
      }
    }
    if (merges === s.length - 1) return [s];
    // Roots are each group's smallest node, so groups are numbered in order of first node.
    // `group` holds the root's group number (s is ascending: a root precedes its group).
    const sizes: number[] = [];
    for (const v of s) {
      const r = find(v);
      if (r === v) {
        group[v] = sizes.length;
        sizes.push(0);
      }
      const k = group[r] as number;
      sizes[k] = (sizes[k] as number) + 1;
    }
    const out = sizes.map((size) => new Int32Array(size));
    const fill = new Int32Array(sizes.length);
    for (const v of s) {
      const k = group[find(v)] as number;
      (out[k] as Int32Array)[fill[k] as number] = v;
      fill[k] = (fill[k] as number) + 1;
    }
    return out;
  };

  // count[v] = number of ancestors of v inside the set currently holding v. Kept up to
  // date as sets are split, so series cuts cost O(|set|) instead of bitset scans.
  const count = new Int32Array(g.n);
  for (let v = 0; v < g.n; v++) {
    let c = 0;
    for (let x = v * words, end = x + (v >>> 5) + 1; x < end; x++) c += popcount(ctx.anc[x] as number);
    count[v] = c;
  }

  /**
   * Splits a connected set at every series cut: positions of its (topological) order
   * where each node before is an ancestor of each node after. A cut at i is one iff
   * every node after it has at least i ancestors in the set (all before it).
   */
  const seriesSegments = (s: Int32Array): Int32Array[] => {
    const cuts: number[] = [];
    let min = Number.POSITIVE_INFINITY;
    for (let i = s.length - 1; i >= 1; i--) {
      min = Math.min(min, count[s[i] as number] as number);
      if (min >= i) cuts.push(i);
    }
    if (cuts.length === 0) return [s];
    cuts.reverse();
    const segments: Int32Array[] = [];
    let start = 0;
    for (const cut of [...cuts, s.length]) {
      const segment = s.subarray(start, cut);
      for (const v of segment) count[v] = (count[v] as number) - start;
      segments.push(segment);
      start = cut;
    }
    return segments;
  };

  /** Removes the ancestors lying in down-set `a` from the counts of `b`. */
  const detach = (a: Int32Array, b: Int32Array): void => {
    const lo = (a[0] as number) >>> 5;
    const hi = (a[a.length - 1] as number) >>> 5;
    if (a.length <= hi - lo + 1) {
      for (const v of b) {
        let c = 0;
        for (const u of a) if (isAncestor(ctx.anc, words, u, v)) c++;
        count[v] = (count[v] as number) - c;
      }
      return;
    }
    for (const u of a) mask[u >>> 5] = (mask[u >>> 5] as number) | (1 << (u & 31));
    for (const v of b) {
      let c = 0;
      const top = Math.min(hi, v >>> 5);
      for (let x = lo; x <= top; x++) c += popcount((ctx.anc[v * words + x] as number) & (mask[x] as number));
      count[v] = (count[v] as number) - c;
    }
    for (const u of a) mask[u >>> 5] = 0;
  };

  const forced = (a: Int32Array, b: Int32Array, look: boolean): ITree => {
    detach(a, b);
    return compose("series", [rec(a, look), rec(b, look)]);
  };

  const lookaheadNodes = options.lookaheadNodes ?? 64;
  const width = options.lookaheadWidth ?? 6;
  const rec = (s: Int32Array, look: boolean): ITree => {
    if (s.length === 1) return { k: "leaf", v: s[0] as number };
    const comps = components(s);
    if (comps.length > 1)
      return compose(
        "parallel",
        comps.map((c) => rec(c, look)),
      );
    const segments = seriesSegments(s);
    if (segments.length > 1)
      return compose(
        "series",
        segments.map((c) => rec(c, look)),
      );
    if (options.stopAtPrime === true) throw PRIME;
    if (!look || s.length > lookaheadNodes) {
      const [split] = splitCandidates(ctx, s, 1);
      const { a, b } = split as { a: Int32Array; b: Int32Array };
      return forced(a, b, false);
    }
    let best: ITree | undefined;
    let bestCost = Number.POSITIVE_INFINITY;
    let bestWaits = Number.POSITIVE_INFINITY;
    let bestSplit: { a: Int32Array; b: Int32Array } | undefined;
    const saved = s.map((v) => count[v] as number);
    const restore = (): void =>
      s.forEach((v, i) => {
        count[v] = saved[i] as number;
      });
    for (const split of splitCandidates(ctx, s, width)) {
      if (split.bound > bestCost + 1e-9 * bestCost) continue; // cannot win
      restore();
      const t = forced(split.a, split.b, false);
      const cost = treeMakespan(t, w);
      const waits = addedCount(t);
      if (cost < bestCost - 1e-9 * cost || (cost <= bestCost + 1e-9 * cost && waits < bestWaits)) {
        best = t;
        bestCost = cost;
        bestWaits = waits;
        bestSplit = split;
      }
    }
    const chosen = bestSplit as { a: Int32Array; b: Int32Array };
    // Decompose the winner's halves again with look-ahead; keep whichever is better.
    restore();
    const again = forced(chosen.a, chosen.b, true);
    const againCost = treeMakespan(again, w);
    return againCost <= bestCost + 1e-9 * bestCost ? again : (best as ITree);
  };
  const addedCount = (t: ITree): number => countAddedWaits(t, ctx.anc, words);

  const all = new Int32Array(g.n);
  for (let i = 0; i < g.n; i++) all[i] = i;
  try {
    return rec(all, true);
  } catch (e) {
    if (e === PRIME) return undefined;
    throw e;
  }
}
