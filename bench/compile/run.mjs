// Compile benchmark: prints figures, asserts nothing.
//   node bench/compile/run.mjs            (after `pnpm run build`)
// 1. compile time of the examples, in-process (warm) and as a whole CLI process;
// 2. compile time of generated pipelines of 100, 1,000 and 5,000 steps;
// 3. makespan ÷ critical path on a fixed corpus of random non-series-parallel DAGs,
//    next to one barrier per topological level.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { loadPipeline } from "../../packages/cli/dist/index.js";
import { compile } from "../../packages/core/dist/index.js";
import { integrations } from "../../packages/runners/dist/index.js";
import { runMakespanBench } from "./makespan.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const examples = ["nightly-etl", "partition-fanout", "spot-training"];

function timeIt(fn, { warmup = 5, runs = 30 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0] };
}

/** Wall time and peak RSS of a whole process, over `runs` runs (GNU time when present). */
function processFigures(args, runs = 15) {
  const gnuTime = existsSync("/usr/bin/time");
  const walls = [];
  const rss = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    const run = gnuTime
      ? spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], { cwd: root, encoding: "utf8" })
      : spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    const wall = performance.now() - start;
    if (run.status !== 0) throw new Error(`${args.join(" ")} failed: ${run.stderr}`);
    if (i < 2) continue; // warm the OS cache and stepline's pipeline cache
    walls.push(wall);
    if (gnuTime) rss.push(Number(run.stderr.trim().split("\n").pop()) / 1024);
  }
  walls.sort((a, b) => a - b);
  return {
    median: walls[Math.floor(walls.length / 2)],
    min: walls[0],
    peakMiB: rss.length ? Math.max(...rss) : Number.NaN,
  };
}

const ms = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const s = (x) => `${(x / 1000).toFixed(3)} s`;

console.log(`stepline compile bench — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"})`);
console.log("");
console.log("1. Examples");
console.log("   example            in-process (warm, median)   CLI process (median / min)   peak RSS");
const baseline = processFigures(["-e", "0"]);
for (const name of examples) {
  const file = `examples/${name}/pipeline.ts`;
  const model = (await loadPipeline(`${root}${file}`)).model;
  const inProcess = timeIt(() => compile(model, { integrations }));
  const cli = processFigures(["packages/cli/bin/stepline.js", "compile", file]);
  console.log(
    `   ${name.padEnd(18)} ${ms(inProcess.median).padStart(12)}                ${s(cli.median)} / ${s(cli.min)}          ${cli.peakMiB.toFixed(0)} MiB`,
  );
}
console.log(
  `   (for scale: \`node -e 0\` takes ${s(baseline.median)} / ${s(baseline.min)} here, ${baseline.peakMiB.toFixed(0)} MiB)`,
);

console.log("");
console.log("2. Generated pipelines (warehouse shape: shared dimensions, per-table extract → clean → load, a report),");
console.log("   each size timed in a process of its own");
console.log(
  "   steps    compile (median after 50 warm-up compiles)   states   definition    added waits (steps that wait more)",
);
for (const n of [100, 1000, 5000]) {
  const line = execFileSync(process.execPath, ["bench/compile/generated-timing.mjs", String(n)], {
    cwd: root,
    encoding: "utf8",
  });
  const r = JSON.parse(line);
  const detail =
    r.error === undefined
      ? `${String(r.states).padStart(6)}   ${(r.definitionBytes / 1024).toFixed(0).padStart(6)} KiB    ${r.waiters}`
      : `   rejected: ${r.error} (${/([\d,]+) bytes/.exec(r.message)?.[1] ?? "?"} bytes > 1 MiB, as AWS would)`;
  console.log(`   ${String(r.steps).padStart(5)}    ${ms(r.medianMs).padStart(12)}             ${detail}`);
}

console.log("");
console.log("3. Makespan ÷ critical path, unlimited parallelism (fixed seeded corpus of non-series-parallel DAGs)");
const r = runMakespanBench();
const f = (x) => x.toFixed(3);
console.log(
  `   corpus: ${r.corpus.graphs} DAGs (mean ${r.corpus.meanNodes.toFixed(1)} steps, random durations), seed fixed`,
);
console.log("   structure                               mean     worst    added waits per DAG");
console.log(
  `   stepline, durations declared           ${f(r.known.mean)}    ${f(r.known.worst)}    ${r.known.meanAddedWaits.toFixed(1)}`,
);
console.log(
  `   stepline, no duration hints            ${f(r.noHints.mean)}    ${f(r.noHints.worst)}    ${r.noHints.meanAddedWaits.toFixed(1)}`,
);
console.log(`   one barrier per topological level      ${f(r.layered.mean)}    ${f(r.layered.worst)}    -`);
console.log(
  `   series-parallel subset (${r.corpus.spGraphs} DAGs)       ${f(r.seriesParallel.mean)}    ${f(r.seriesParallel.worst)}    ${r.seriesParallel.addedWaits}`,
);
