// Generated pipelines of a given size for the compile bench (plain PipelineModel data).
import { mulberry32 } from "./corpus.mjs";

const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/etl:1.0";

function batchStep(name, after, command) {
  return {
    kind: "batch",
    name,
    after,
    image: IMAGE,
    command,
    vcpus: 1,
    memoryMiB: 2048,
    environment: {},
    secrets: {},
    architecture: "x86_64",
    capacity: "spot",
    tags: {},
  };
}

/**
 * A warehouse-style pipeline of about `n` steps: shared dimension extracts,
 * then per-table chains extract → clean → load where each clean also waits
 * for one or two shared dimensions (which makes the graph non-series-parallel),
 * and a final report. Commands reference the input date.
 */
export function generatedPipeline(n, seed = 7) {
  const rand = mulberry32(seed);
  const date = { $ref: { source: "input", path: ["date"] } };
  const dims = Math.max(2, Math.round(n / 40));
  const tables = Math.max(1, Math.floor((n - dims - 1) / 3));
  const steps = [];
  for (let d = 0; d < dims; d++) steps.push(batchStep(`dim-${d}`, [], ["extract-dim", String(d), "--date", date]));
  for (let t = 0; t < tables; t++) {
    const first = Math.floor(rand() * dims);
    const deps = [`extract-${t}`, `dim-${first}`];
    if (rand() < 0.3) deps.push(`dim-${(first + 1 + Math.floor(rand() * (dims - 1))) % dims}`);
    steps.push(batchStep(`extract-${t}`, [], ["extract", `table_${t}`, "--date", date]));
    steps.push(batchStep(`clean-${t}`, [...new Set(deps)], ["clean", `table_${t}`]));
    steps.push(batchStep(`load-${t}`, [`clean-${t}`], ["load", `table_${t}`]));
  }
  steps.push(
    batchStep(
      "report",
      Array.from({ length: tables }, (_, t) => `load-${t}`),
      ["report", "--date", date],
    ),
  );
  return {
    kind: "stepline.pipeline",
    version: 1,
    name: `generated-${n}`,
    tags: {},
    input: {
      schema: { type: "object", properties: { date: { type: "string" } }, required: ["date"] },
      defaults: {},
      required: ["date"],
      types: { date: "string" },
    },
    defaults: { retry: { attempts: 3, intervalSeconds: 30, backoffRate: 2, jitter: "FULL" } },
    steps,
  };
}
