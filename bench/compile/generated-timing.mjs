// Times `compile` of one generated pipeline in a process of its own (so the heap left by
// other measurements does not skew it) and prints one JSON line. Used by run.mjs.
import { compile } from "../../packages/core/dist/index.js";
import { integrations } from "../../packages/runners/dist/index.js";
import { generatedPipeline } from "./generated.mjs";

const n = Number(process.argv[2] ?? 1000);
const model = generatedPipeline(n);
const warmup = n >= 5000 ? 2 : 50;
const runs = n >= 5000 ? 5 : 50;
let outcome;
const samples = [];
for (let i = 0; i < warmup + runs; i++) {
  const start = performance.now();
  try {
    const result = compile(model, { integrations });
    outcome = {
      states: result.report.states.length,
      definitionBytes: result.report.definitionBytes,
      waiters: result.report.addedWaits.length,
    };
  } catch (error) {
    outcome = { error: error.code, message: error.message };
  }
  if (i >= warmup) samples.push(performance.now() - start);
}
samples.sort((a, b) => a - b);
console.log(
  JSON.stringify({ steps: model.steps.length, medianMs: samples[Math.floor(samples.length / 2)], ...outcome }),
);
