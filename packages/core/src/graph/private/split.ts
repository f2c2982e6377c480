/**
 * Choosing where to force a series split in a prime (not series-parallel) part.
 *
 * A prime part must become `series(A, B)` with A a down-set. With head(v) the longest
 * path ending at v and tail(v) the longest path starting at v (both inside the part),
 * the split costs at least max_A head + max_B tail, and that bound only depends on the
 * two sets. Every prefix of a linear extension is a down-set, so each ordering below
 * yields |S|-1 candidates evaluated in O(1) each with prefix/suffix maxima.
 */
import type { IndexedDag } from "./indexed.js";
import { popcount } from "./waits.js";

export interface SplitContext {
  readonly g: IndexedDag;
  readonly w: Float64Array;
  readonly anc: Uint32Array;
  readonly words: number;
  readonly mark: Int32Array;
  stamp: number;
  readonly head: Float64Array;
  readonly tail: Float64Array;
  /** Scratch, one entry per node: position in a candidate order. */
  readonly rank: Int32Array;
  /** Scratch, one entry per node: lowest rank of a successor inside the set. */
  readonly minSucc: Int32Array;
  /** Scratch, one entry per node: highest rank of a predecessor inside the set. */
  readonly maxPred: Int32Array;
  /** Scratch bitset of `words` words, all zero between uses. */
  readonly mask: Uint32Array;
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
  // Waits are estimated first; only the splits returned are materialised.
  const waits = picked.length > 1 ? addedWaitsEstimates(ctx, s, stamp, picked) : [0];
  const ranked = picked.map((c, i) => ({ c, waits: waits[i] as number }));
  ranked.sort((x, y) => (Math.abs(x.c.bound - y.c.bound) <= eps ? x.waits - y.waits : x.c.bound - y.c.bound));
  return ranked.slice(0, limit).map(({ c, waits }) => {
    // Both halves ascending, read off `s` by rank in the candidate's order (no sort).
    const { rank } = ctx;
    for (let i = 0; i < n; i++) rank[c.order[i] as number] = i;
    const a = new Int32Array(c.cut);
    const b = new Int32Array(n - c.cut);
    let ia = 0;
    let ib = 0;
    for (const v of s) {
      if ((rank[v] as number) < c.cut) a[ia++] = v;
      else b[ib++] = v;
    }
    return { a, b, bound: c.bound, waits };
  });
}

/**
 * `s` (ascending) stably sorted by `key`: ties keep topological position. Keys are
 * ranked with a native numeric sort and the nodes placed by a counting sort, which
 * avoids a comparator call per comparison.
 */
function sortBy(s: Int32Array, key: (v: number) => number): Int32Array {
  const n = s.length;
  const k = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    k[i] = key(s[i] as number);
    if (i > 0 && (k[i] as number) < (k[i - 1] as number)) sorted = false;
  }
  if (sorted) return s.slice();
  const distinct = k.slice().sort();
  let u = 0;
  for (let i = 0; i < n; i++) {
    // `!==` treats -0 and 0 as one key, as the comparison order does.
    if (u === 0 || distinct[i] !== distinct[u - 1]) distinct[u++] = distinct[i] as number;
  }
  const rank = new Int32Array(n);
  const start = new Int32Array(u + 1);
  for (let i = 0; i < n; i++) {
    const x = k[i] as number;
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((distinct[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
    start[lo + 1] = (start[lo + 1] as number) + 1;
  }
  for (let r = 0; r < u; r++) start[r + 1] = (start[r + 1] as number) + (start[r] as number);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rank[i] as number;
    out[start[r] as number] = s[i] as number;
    start[r] = (start[r] as number) + 1;
  }
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

/**
 * Per candidate: pairs (maximal node of A, minimal node of B) that the original order
 * leaves unordered. `s` is marked with `stamp`. Ranks and the in-set neighbour ranks are
 * computed once per distinct order; a node is maximal in A = order[..cut) iff its lowest
 * successor rank is >= cut, and minimal in B iff its highest predecessor rank is < cut.
 */
function addedWaitsEstimates(
  ctx: SplitContext,
  s: Int32Array,
  stamp: number,
  candidates: readonly Candidate[],
): number[] {
  const { g, rank, minSucc, maxPred, anc, words, mask } = ctx;
  const n = s.length;
  let ranked: Int32Array | undefined;
  const maxA: number[] = [];
  const minB: number[] = [];
  // Nodes that can be maximal in A or minimal in B for some cut of the current order.
  const nearA: number[] = [];
  const nearB: number[] = [];
  return candidates.map(({ order, cut }) => {
    if (order !== ranked) {
      ranked = order;
      for (let i = 0; i < n; i++) rank[order[i] as number] = i;
      for (const v of s) {
        let lo = n;
        for (const q of g.succs[v] as Int32Array)
          if (ctx.mark[q] === stamp && (rank[q] as number) < lo) lo = rank[q] as number;
        minSucc[v] = lo;
        let hi = -1;
        for (const p of g.preds[v] as Int32Array)
          if (ctx.mark[p] === stamp && (rank[p] as number) > hi) hi = rank[p] as number;
        maxPred[v] = hi;
      }
      let first = n;
      let last = 0;
      for (const c of candidates) {
        if (c.order !== order) continue;
        if (c.cut < first) first = c.cut;
        if (c.cut > last) last = c.cut;
      }
      nearA.length = 0;
      nearB.length = 0;
      for (let i = 0; i < n; i++) {
        const v = order[i] as number;
        if (i < last && (minSucc[v] as number) >= first) nearA.push(v);
        if (i >= first && (maxPred[v] as number) < last) nearB.push(v);
      }
    }
    maxA.length = 0;
    minB.length = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    for (const v of nearA) {
      if ((rank[v] as number) < cut && (minSucc[v] as number) >= cut) {
        maxA.push(v);
        if (v >>> 5 < lo) lo = v >>> 5;
        if (v >>> 5 > hi) hi = v >>> 5;
      }
    }
    for (const v of nearB) if ((rank[v] as number) >= cut && (maxPred[v] as number) < cut) minB.push(v);
    let count = 0;
    if (maxA.length <= hi - lo + 1) {
      for (const b of minB) {
        const row = b * words;
        for (const a of maxA) if ((((anc[row + (a >>> 5)] as number) >>> (a & 31)) & 1) === 0) count++;
      }
      return count;
    }
    for (const a of maxA) mask[a >>> 5] = (mask[a >>> 5] as number) | (1 << (a & 31));
    for (const b of minB) {
      let ordered = 0;
      const row = b * words;
      for (let x = lo; x <= hi; x++) ordered += popcount((anc[row + x] as number) & (mask[x] as number));
      count += maxA.length - ordered;
    }
    mask.fill(0, lo, hi + 1);
    return count;
  });
}
