// Makespan of the compiled series-parallel structure vs. the critical path.
// Run: npx tsc -p packages/core && node bench/compile/makespan.mjs
import { pathToFileURL } from "node:url";
import { isSeriesParallel } from "../../packages/core/dist/graph/dag.js";
import { criticalPath, layeredTree, spMakespan, toSeriesParallel } from "../../packages/core/dist/graph/sp.js";
import { makespanCorpus } from "./corpus.mjs";

/** Added waits as pairs (waiter, awaited step): `addedWaits` is grouped by waiter. */
function waitPairs(result) {
  let pairs = 0;
  for (const wait of result.addedWaits) pairs += wait.waitsFor.length;
  return pairs;
}

function summarise(ratios) {
  let sum = 0;
  let worst = 0;
  for (const r of ratios) {
    sum += r;
    worst = Math.max(worst, r);
  }
  return { mean: ratios.length ? sum / ratios.length : 1, worst };
}

/**
 * Compiles a seeded corpus of non-series-parallel pipelines three ways and returns
 * makespan / critical-path figures (unlimited parallelism), plus the SP-subset check.
 */
export function runMakespanBench(options = {}) {
  const { nonSp, sp } = makespanCorpus(isSeriesParallel, options);
  const known = [];
  const blind = [];
  const layered = [];
  let waitsKnown = 0;
  let waitsBlind = 0;
  const started = performance.now();
  for (const { dag, durations } of nonSp) {
    const cp = criticalPath(dag, durations);
    const withHints = toSeriesParallel(dag, durations);
    const noHints = toSeriesParallel(dag);
    known.push(spMakespan(withHints.tree, durations) / cp);
    blind.push(spMakespan(noHints.tree, durations) / cp);
    layered.push(spMakespan(layeredTree(dag), durations) / cp);
    waitsKnown += waitPairs(withHints);
    waitsBlind += waitPairs(noHints);
  }
  const elapsedMs = performance.now() - started;
  const spRatios = [];
  let spWaits = 0;
  for (const { dag, durations } of sp) {
    const r = toSeriesParallel(dag);
    spWaits += waitPairs(r);
    spRatios.push(spMakespan(r.tree, durations) / criticalPath(dag, durations));
  }
  const nodes = nonSp.reduce((acc, g) => acc + g.dag.nodes.length, 0);
  return {
    corpus: {
      graphs: nonSp.length,
      meanNodes: nodes / nonSp.length,
      spGraphs: sp.length,
    },
    known: { ...summarise(known), meanAddedWaits: waitsKnown / nonSp.length },
    noHints: { ...summarise(blind), meanAddedWaits: waitsBlind / nonSp.length },
    layered: summarise(layered),
    seriesParallel: { ...summarise(spRatios), addedWaits: spWaits },
    elapsedMs,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = runMakespanBench();
  const f = (x) => x.toFixed(3);
  console.log(
    `makespan / critical path, ${r.corpus.graphs} non-series-parallel pipelines ` +
      `(mean ${r.corpus.meanNodes.toFixed(1)} steps), unlimited parallelism\n`,
  );
  console.table({
    "stepline (durations known)": {
      mean: f(r.known.mean),
      worst: f(r.known.worst),
      "added waits/graph": r.known.meanAddedWaits.toFixed(2),
    },
    "stepline (no duration hints)": {
      mean: f(r.noHints.mean),
      worst: f(r.noHints.worst),
      "added waits/graph": r.noHints.meanAddedWaits.toFixed(2),
    },
    "one barrier per level": {
      mean: f(r.layered.mean),
      worst: f(r.layered.worst),
      "added waits/graph": "-",
    },
  });
  console.log(
    `series-parallel subset: ${r.corpus.spGraphs} graphs, mean ratio ${f(r.seriesParallel.mean)}, ` +
      `worst ${f(r.seriesParallel.worst)}, added waits ${r.seriesParallel.addedWaits}`,
  );
  console.log(`compile time for the corpus (2 compiles + baseline per graph): ${r.elapsedMs.toFixed(0)} ms`);
}
