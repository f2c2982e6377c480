// Seeded random job graphs for the compile benches (plain data, no stepline imports).

/** Tiny deterministic PRNG (mulberry32): returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A pipeline-like DAG: `n` steps, each with 0–3 predecessors among earlier steps
 * (60% local: one of the 3 previous steps; 40% long-range: any earlier step), and a
 * log-uniform duration in [1, 120] minutes. Node names are listed in shuffled order.
 */
export function randomPipeline(rand, n) {
  const names = Array.from({ length: n }, (_, i) => `s${i}`);
  const edges = [];
  for (let i = 1; i < n; i++) {
    const k = Math.min(i, Math.floor(rand() * 4));
    const preds = new Set();
    while (preds.size < k) {
      const p = rand() < 0.6 ? Math.max(0, i - 1 - Math.floor(rand() * 3)) : Math.floor(rand() * i);
      preds.add(p);
    }
    for (const p of [...preds].sort((x, y) => x - y)) edges.push([`s${p}`, `s${i}`]);
  }
  const durations = new Map(names.map((name) => [name, Math.exp(rand() * Math.log(120))]));
  const nodes = names.slice();
  for (let i = nodes.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [nodes[i], nodes[j]] = [nodes[j], nodes[i]];
  }
  return { dag: { nodes, edges }, durations };
}

/**
 * `size` non-series-parallel pipelines of 6–40 steps (and, on the side, the
 * series-parallel ones met while drawing them), from a fixed seed.
 */
export function makespanCorpus(isSeriesParallel, { seed = 20240611, size = 500, minNodes = 6, maxNodes = 40 } = {}) {
  const rand = mulberry32(seed);
  const nonSp = [];
  const sp = [];
  while (nonSp.length < size) {
    const n = minNodes + Math.floor(rand() * (maxNodes - minNodes + 1));
    const g = randomPipeline(rand, n);
    if (isSeriesParallel(g.dag)) sp.push(g);
    else nonSp.push(g);
  }
  return { nonSp, sp };
}
