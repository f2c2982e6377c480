/**
 * Internal series-parallel tree over topological positions, before names are attached.
 */

/** Leaf, series (children run one after the other) or parallel (children run side by side). */
export type ITree =
  | { readonly k: "leaf"; readonly v: number }
  | { readonly k: "series" | "parallel"; readonly c: readonly ITree[] };

/** Builds a series/parallel node in normal form: flattened, no single child. */
export function compose(k: "series" | "parallel", children: readonly ITree[]): ITree {
  const flat: ITree[] = [];
  for (const child of children) {
    if (child.k === k) flat.push(...child.c);
    else flat.push(child);
  }
  if (flat.length === 1) return flat[0] as ITree;
  return { k, c: flat };
}

/** Makespan with unlimited parallelism: leaf = weight, series = sum, parallel = max. */
export function treeMakespan(t: ITree, w: Float64Array): number {
  if (t.k === "leaf") return w[t.v] as number;
  let acc = 0;
  for (const child of t.c) {
    const m = treeMakespan(child, w);
    acc = t.k === "series" ? acc + m : Math.max(acc, m);
  }
  return acc;
}

/** Pushes the minimal (`first`) or maximal (`!first`) nodes of the tree's order. */
export function ends(t: ITree, first: boolean, out: number[]): number[] {
  if (t.k === "leaf") out.push(t.v);
  else if (t.k === "parallel") for (const child of t.c) ends(child, first, out);
  else ends(t.c[first ? 0 : t.c.length - 1] as ITree, first, out);
  return out;
}

/**
 * The covering pairs `[before, after]` of the tree's order: for every series node,
 * each maximal node of a child against each minimal node of the next child. Every
 * pair the tree orders is implied by these, and none of them is implied by the others.
 */
export function coverPairs(t: ITree, out: [number, number][] = []): [number, number][] {
  if (t.k === "leaf") return out;
  for (const child of t.c) coverPairs(child, out);
  if (t.k === "series") {
    for (let i = 0; i + 1 < t.c.length; i++) {
      const before = ends(t.c[i] as ITree, false, []);
      const after = ends(t.c[i + 1] as ITree, true, []);
      for (const a of before) for (const b of after) out.push([a, b]);
    }
  }
  return out;
}
