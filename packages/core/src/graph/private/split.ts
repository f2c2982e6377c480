/**
 * Choosing where to force a series split in a prime (not series-parallel) part.
 *
 * A prime part must become `series(A, B)` with A a down-set. With head(v) the longest
 * path ending at v and tail(v) the longest path starting at v (both inside the part),
 * the split costs at least max_A head + max_B tail, and that bound only depends on the
 * two sets. Every prefix of a linear extension is a down-set, so each ordering below
 * yields |S|-1 candidates evaluated in O(1) each with prefix/suffix maxima.
 */
import { type IndexedDag, isAncestor } from "./indexed.js";

export interface SplitContext {
  readonly g: IndexedDag;
  readonly w: Float64Array;
  readonly anc: Uint32Array;
  readonly words: number;
  readonly mark: Int32Array;
  stamp: number;
  readonly head: Float64Array;
  readonly tail: Float64Array;
}

/** At most this many tied candidates are compared by the number of waits they add. */
const MAX_TIED = 8;

interface Candidate {
  readonly order: Int32Array;
  readonly cut: number;
  readonly bound: number;
}

/** A forced split: down-set `a`, the rest `b` (both ascending), and its makespan bound. */
export interface Split {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly bound: number;
  /** Pairs (maximal of `a`, minimal of `b`) not already ordered: a proxy for added waits. */
  readonly waits: number;
}

/**
 * Up to `limit` distinct splits of a prime set `s`, best first: lowest bound, then
 * fewest estimated waits, then generation order (deterministic).
 */
export function splitCandidates(ctx: SplitContext, s: Int32Array, limit: number): Split[] {
  const { g, w, head, tail } = ctx;
  const stamp = ++ctx.stamp;
  for (const v of s) ctx.mark[v] = stamp;
  let cp = 0;
  for (const v of s) {
    let m = 0;
    for (const p of g.preds[v] as Int32Array)
      if (ctx.mark[p] === stamp && (head[p] as number) > m) m = head[p] as number;
    head[v] = m + (w[v] as number);
    if ((head[v] as number) > cp) cp = head[v] as number;
  }
  for (let i = s.length - 1; i >= 0; i--) {
    const v = s[i] as number;
    let m = 0;
    for (const q of g.succs[v] as Int32Array)
      if (ctx.mark[q] === stamp && (tail[q] as number) > m) m = tail[q] as number;
    tail[v] = m + (w[v] as number);
  }

  // Orderings by a key that never decreases along edges, ties by topological position.
  // Earliest finish alone already reaches the lowest bound; the others add variety for
  // the look-ahead, which only small parts can afford.
  const keys: ((v: number) => number)[] = [
    (v) => head[v] as number, // earliest finish
    (v) => cp - (tail[v] as number), // latest start
    (v) => (head[v] as number) - (w[v] as number), // earliest start
    (v) => cp - (tail[v] as number) + (w[v] as number), // latest finish
    (v) => (head[v] as number) - (tail[v] as number), // middle of the slack window
  ];
  const n = s.length;
  const suffix = new Float64Array(n + 1);
  const eps = 1e-9 * Math.max(1, cp);
  const all: Candidate[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (const key of limit > 1 ? keys : keys.slice(0, 1)) {
    const order = sortBy(s, key);
    suffix[n] = 0;
    for (let i = n - 1; i >= 0; i--) suffix[i] = Math.max(suffix[i + 1] as number, tail[order[i] as number] as number);
    let prefix = 0;
    for (let cut = 1; cut < n; cut++) {
      prefix = Math.max(prefix, head[order[cut - 1] as number] as number);
      const bound = prefix + (suffix[cut] as number);
      if (limit > 1) all.push({ order, cut, bound });
      else {
        if (bound < best - eps) {
          best = bound;
          all.length = 0;
        }
        if (bound <= best + eps && all.length < MAX_TIED) all.push({ order, cut, bound });
      }
    }
  }
  // Stable sort keeps generation order among equal bounds.
  all.sort((x, y) => (Math.abs(x.bound - y.bound) <= eps ? 0 : x.bound - y.bound));
  const picked: Candidate[] = [];
  const lowest = (all[0] as Candidate).bound;
  for (const c of all) {
    if (picked.length >= Math.max(limit, MAX_TIED)) break;
    // Beyond `limit`, only candidates tied with the best are kept (for the waits tie-break).
    if (picked.length >= limit && c.bound > lowest + eps) break;
    if (!picked.some((p) => sameSet(p, c.order, c.cut))) picked.push(c);
  }
  const splits = picked.map((c) => ({
    a: c.order.slice(0, c.cut).sort(),
    b: c.order.slice(c.cut).sort(),
    bound: c.bound,
    waits: picked.length > 1 ? addedWaitsEstimate(ctx, s, c) : 0,
  }));
  splits.sort((x, y) => (Math.abs(x.bound - y.bound) <= eps ? x.waits - y.waits : x.bound - y.bound));
  return splits.slice(0, limit);
}

function sortBy(s: Int32Array, key: (v: number) => number): Int32Array {
  const k = new Float64Array(s.length);
  const idx: number[] = [];
  for (let i = 0; i < s.length; i++) {
    k[i] = key(s[i] as number);
    idx.push(i);
  }
  // `s` is ascending, so ties by index are ties by topological position.
  idx.sort((x, y) => (k[x] as number) - (k[y] as number) || x - y);
  const out = new Int32Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s[idx[i] as number] as number;
  return out;
}

function sameSet(c: Candidate, order: Int32Array, cut: number): boolean {
  if (c.cut !== cut) return false;
  if (c.order === order) return true;
  const inA = new Set<number>();
  for (let i = 0; i < cut; i++) inA.add(c.order[i] as number);
  for (let i = 0; i < cut; i++) if (!inA.has(order[i] as number)) return false;
  return true;
}

/** Pairs (maximal node of A, minimal node of B) that the original order leaves unordered. */
function addedWaitsEstimate(ctx: SplitContext, s: Int32Array, c: Candidate): number {
  const { g } = ctx;
  const stampA = ++ctx.stamp;
  for (let i = 0; i < c.cut; i++) ctx.mark[c.order[i] as number] = stampA;
  const stampB = ++ctx.stamp;
  for (let i = c.cut; i < s.length; i++) ctx.mark[c.order[i] as number] = stampB;
  const maxA: number[] = [];
  const minB: number[] = [];
  for (let i = 0; i < c.cut; i++) {
    const v = c.order[i] as number;
    if (!(g.succs[v] as Int32Array).some((q) => ctx.mark[q] === stampA)) maxA.push(v);
  }
  for (let i = c.cut; i < s.length; i++) {
    const v = c.order[i] as number;
    if (!(g.preds[v] as Int32Array).some((p) => ctx.mark[p] === stampB)) minB.push(v);
  }
  let count = 0;
  for (const a of maxA) for (const b of minB) if (!isAncestor(ctx.anc, ctx.words, a, b)) count++;
  return count;
}
