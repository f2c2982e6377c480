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
