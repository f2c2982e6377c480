// Engine bench: stepline's embedded ASL engine against aws-local-stepfunctions 3.0.0.
//
// Run: pnpm run build && node bench/engine/run.mjs [--reps N] [--only a,b,c,e,d] [--journal off|append] (default: stepline run's FileJournal) [--json]
// (STEPLINE_CORE_DIST=<folder with index.js> runs another build of @stepline/core.)
//
// Cases (a)–(c) and (e) run on both engines, each engine × case in its own child
// process (once for time: 10 warm-ups then N timed runs, median kept; once for
// memory: one cold run, peak RSS from process.resourceUsage().maxRSS). stepline
// runs with a virtual clock and its journal ON: `stepline run`'s own FileJournal
// writing to a temp file (`--journal append`: one appendFileSync per whole JSON
// record, as the CLI did before batching; `--journal off`: none). Transitions are the
// states entered: stepline reports them, the peer's are computed from the case.
// Case (d) compiles a non-series-parallel DAG of Lambda steps and runs it on the
// engine with a real clock, each task sleeping its duration, and compares the
// makespan with the critical path.
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { FileJournal } from "../../packages/cli/dist/run/journal.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const self = fileURLToPath(import.meta.url);
// STEPLINE_CORE_DIST points at another build of @stepline/core (a folder holding index.js).
const coreDist = process.env.STEPLINE_CORE_DIST
  ? pathToFileURL(`${process.env.STEPLINE_CORE_DIST.replace(/\/$/, "")}/`)
  : new URL("../../packages/core/dist/", import.meta.url);

// ---------------------------------------------------------------- cases

const MAP_ITEMS = 10_000;
const LOOP_TURNS = 1_000;
const TASK_ITEMS = 1_000;
const TASK_CONCURRENCY = 40;
const WORK_ARN = "arn:aws:lambda:us-east-1:123456789012:function:work";

/** Milliseconds a case (e) task waits for: 1–5 ms by item. */
const taskDelay = (item) => 1 + (item % 5);

let inFlight = 0;
let peakInFlight = 0;

/**
 * A task of cases (c) and (e). (c): it resolves on the next turn of the event loop, so the
 * figure is the engines' own cost per task; (e): it sleeps 1–5 ms, so both engines wait
 * on timers most of the time and the figure is bounded by the sleeps' floor.
 */
async function work(item, sleeps) {
  inFlight++;
  peakInFlight = Math.max(peakInFlight, inFlight);
  try {
    if (sleeps) await sleep(taskDelay(item.i));
    else await new Promise((resolve) => setImmediate(resolve));
  } finally {
    inFlight--;
  }
  return { item: item.i, done: true };
}

const range = (n) => Array.from({ length: n }, (_, i) => i);
// Items are objects: aws-local-stepfunctions 3.0.0 fails a Map item that is 0 ("'$' does not point to a value").
const items = (n) => range(n).map((i) => ({ i }));

export const CASES = {
  a: {
    title: `Map over ${MAP_ITEMS.toLocaleString("en")} Pass items`,
    definition: {
      StartAt: "Items",
      States: {
        Items: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "Touch",
            States: { Touch: { Type: "Pass", Parameters: { "value.$": "$.i" }, End: true } },
          },
          ResultPath: "$.results",
          OutputPath: "$.results[0]",
          End: true,
        },
      },
    },
    input: () => ({ items: items(MAP_ITEMS) }),
    // Map entered once, then one Pass per item.
    transitions: 1 + MAP_ITEMS,
    concurrency: undefined,
    check: (out) => out?.value === 0,
  },
  b: {
    title: `Loop of ${(2 * LOOP_TURNS).toLocaleString("en")} transitions (MathAdd + Choice)`,
    definition: {
      StartAt: "Increment",
      States: {
        Increment: {
          Type: "Pass",
          Parameters: { "count.$": "States.MathAdd($.count, 1)" },
          Next: "More?",
        },
        "More?": {
          Type: "Choice",
          Choices: [{ Variable: "$.count", NumericLessThan: LOOP_TURNS, Next: "Increment" }],
          Default: "Done",
        },
        Done: { Type: "Succeed" },
      },
    },
    input: () => ({ count: 0 }),
    // Pass + Choice per turn, then Succeed.
    transitions: 2 * LOOP_TURNS + 1,
    concurrency: undefined,
    check: (out) => out?.count === LOOP_TURNS,
  },
  c: taskCase(false),
  e: taskCase(true),
};

/** Cases (c) and (e): a Map of async tasks at MaxConcurrency 40. */
function taskCase(sleeps) {
  return {
    title: sleeps
      ? `Map of ${TASK_ITEMS.toLocaleString("en")} async tasks sleeping 1–5 ms, MaxConcurrency ${TASK_CONCURRENCY}`
      : `Map of ${TASK_ITEMS.toLocaleString("en")} async tasks (next turn), MaxConcurrency ${TASK_CONCURRENCY}`,
    definition: {
      StartAt: "Tasks",
      States: {
        Tasks: {
          Type: "Map",
          ItemsPath: "$.items",
          MaxConcurrency: TASK_CONCURRENCY,
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "Work",
            States: { Work: { Type: "Task", Resource: WORK_ARN, End: true } },
          },
          ResultPath: "$.results",
          OutputPath: "$.results[0]",
          End: true,
        },
      },
    },
    input: () => ({ items: items(TASK_ITEMS) }),
    transitions: 1 + TASK_ITEMS,
    // stepline bounds running handlers by its `concurrency` option (default: cores);
    // let MaxConcurrency decide, as on AWS.
    concurrency: TASK_CONCURRENCY,
    check: (out) => out?.item === 0 && out.done === true,
    stepline: [{ resource: WORK_ARN, handler: (input) => work(input, sleeps) }],
    peer: { Work: (input) => work(input, sleeps) },
    /** Lower bound of the wall time: the delays spread over the slots. */
    floorMs: sleeps ? range(TASK_ITEMS).reduce((sum, i) => sum + taskDelay(i), 0) / TASK_CONCURRENCY : undefined,
  };
}

// ---------------------------------------------------------------- engines

async function loadCore() {
  let core = await import(new URL("index.js", coreDist).href);
  if (typeof core.execute !== "function") {
    try {
      core = { ...core, ...(await import(new URL("engine/index.js", coreDist).href)) };
    } catch {
      // reported below
    }
  }
  if (typeof core.execute !== "function" || typeof core.virtualClock !== "function") {
    throw new Error("packages/core/dist has no engine (execute, virtualClock): run `pnpm run build` once it lands");
  }
  return core;
}

async function loadPeer() {
  // aws-local-stepfunctions 3 uses Promise.withResolvers (Node 22+): polyfill it before the import.
  if (typeof Promise.withResolvers !== "function") {
    Promise.withResolvers = function withResolvers() {
      let resolve;
      let reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    };
  }
  return import("aws-local-stepfunctions");
}

/** A Journal as the CLI's before batching: one appendFileSync per record (`--journal append`). */
class AppendJournal {
  constructor(file) {
    this.file = file;
    this.records = 0;
  }
  append(record) {
    appendFileSync(this.file, `${JSON.stringify(record)}\n`);
    this.records++;
  }
}

/** Returns `run()` → { ms, transitions, journalRecords? } for one engine and case. */
async function runner(engine, key) {
  const c = CASES[key];
  if (engine === "stepline") {
    const core = await loadCore();
    const dir = mkdtempSync(join(tmpdir(), "stepline-bench-"));
    let n = 0;
    return {
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
      async run() {
        const file = join(dir, `journal-${n++}.jsonl`);
        const mode = process.env.BENCH_JOURNAL;
        const journal =
          mode === "off" ? undefined : mode === "append" ? new AppendJournal(file) : new FileJournal(file);
        const input = c.input();
        const started = performance.now();
        const result = await core.execute({
          definition: c.definition,
          input,
          handlers: c.stepline ?? [],
          clock: core.virtualClock(),
          ...(journal === undefined ? {} : { journal }),
          executionName: `bench-${key}-${n}`,
          ...(c.concurrency === undefined ? {} : { concurrency: c.concurrency }),
        });
        const ms = performance.now() - started;
        if (result.status !== "SUCCEEDED")
          throw new Error(`stepline ${key}: ${result.status} ${result.error}: ${result.cause}`);
        if (!c.check(result.output))
          throw new Error(`stepline ${key}: unexpected output ${JSON.stringify(result.output)}`);
        return { ms, transitions: result.transitions, journalRecords: journal?.records ?? 0 };
      },
    };
  }
  const { StateMachine } = await loadPeer();
  const machine = new StateMachine(c.definition);
  return {
    cleanup: () => {},
    async run() {
      const input = c.input();
      const started = performance.now();
      const execution = machine.run(input, { overrides: { taskResourceLocalHandlers: c.peer ?? {} } });
      const output = await execution.result;
      const ms = performance.now() - started;
      if (!c.check(output)) throw new Error(`peer ${key}: unexpected output ${JSON.stringify(output)}`);
      return { ms, transitions: c.transitions };
    },
  };
}

/** The cases both engines run, in the order they are reported. */
const MEASURED = ["a", "b", "c", "e"];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs before the timed ones, so that both engines are measured with their code optimised. */
const WARM_UPS = 10;

/** Child: time (warm-ups + reps) or mem (one cold run), printed as one JSON line. */
async function child(mode, engine, key, reps) {
  const r = await runner(engine, key);
  const baselineKB = process.resourceUsage().maxRSS;
  try {
    if (mode === "mem") {
      const one = await r.run();
      return { ...one, baselineKB, peakKB: process.resourceUsage().maxRSS };
    }
    for (let i = 0; i < WARM_UPS; i++) await r.run();
    const times = [];
    let last;
    for (let i = 0; i < reps; i++) {
      last = await r.run();
      times.push(last.ms);
    }
    return { ...last, ms: median(times), times, peakInFlight };
  } finally {
    r.cleanup();
  }
}

// ---------------------------------------------------------------- case (d): DAG makespan

/**
 * A non-series-parallel DAG (an "N" inside: d needs a and b, e needs only b;
 * f needs a and c; k joins the long c→j chain with e). Durations in ms.
 */
const DAG = {
  a: { ms: 100, after: [] },
  b: { ms: 250, after: [] },
  c: { ms: 150, after: [] },
  d: { ms: 200, after: ["a", "b"] },
  e: { ms: 300, after: ["b"] },
  f: { ms: 120, after: ["a", "c"] },
  g: { ms: 150, after: ["d", "f"] },
  h: { ms: 100, after: ["e"] },
  j: { ms: 400, after: ["c"] },
  i: { ms: 80, after: ["g", "h"] },
  k: { ms: 50, after: ["j", "e"] },
};

function criticalPath(dag) {
  const finish = {};
  const at = (name) => {
    if (finish[name] === undefined) finish[name] = dag[name].ms + Math.max(0, ...dag[name].after.map(at));
    return finish[name];
  };
  return Math.max(...Object.keys(dag).map(at));
}

/** The ideal makespan of the compiled structure: chains add up, Parallel branches take the longest. */
function structureMakespan(machine, dag) {
  let total = 0;
  let name = machine.StartAt;
  while (name !== undefined) {
    const state = machine.States[name];
    if (state.Type === "Task") total += dag[name]?.ms ?? 0;
    else if (state.Type === "Parallel") total += Math.max(0, ...state.Branches.map((b) => structureMakespan(b, dag)));
    name = state.End ? undefined : state.Next;
  }
  return total;
}

async function dagCase(reps) {
  const core = await loadCore();
  const { integrations } = await import(new URL("../../packages/runners/dist/index.js", import.meta.url).href);
  const model = {
    kind: "stepline.pipeline",
    version: 1,
    name: "bench-dag",
    tags: {},
    input: { schema: { type: "object", properties: {} }, defaults: {}, required: [], types: {} },
    defaults: {},
    steps: Object.entries(DAG).map(([name, { ms, after }]) => ({
      kind: "lambda",
      name,
      after,
      functionName: `bench-${name}`,
      payload: { step: name },
      // The compiler's hint, in the same unit ratio as the sleeps.
      expectedDurationSeconds: ms,
    })),
  };
  const compiled = core.compile(model, { integrations });
  const machine = compiled.stateMachine;
  const cp = criticalPath(DAG);
  const ideal = structureMakespan(machine, DAG);
  let log = [];
  let t0 = performance.now();
  const handler = async (input, ctx) => {
    const name = DAG[ctx.stateName] ? ctx.stateName : input?.Payload?.step;
    const began = performance.now() - t0;
    await sleep(DAG[name].ms);
    log.push({ name, began, ended: performance.now() - t0 });
    return { Payload: { step: name }, StatusCode: 200 };
  };
  const dir = mkdtempSync(join(tmpdir(), "stepline-bench-dag-"));
  try {
    const makespans = [];
    let transitions = 0;
    for (let rep = 0; rep < reps; rep++) {
      log = [];
      t0 = performance.now();
      const result = await core.execute({
        definition: machine,
        input: {},
        handlers: [{ resource: /^arn:aws:(states|lambda):/, handler }],
        journal: new FileJournal(join(dir, `journal-${rep}.jsonl`)),
        // Every step may run at once (the default bound is the number of cores).
        concurrency: Object.keys(DAG).length,
        executionName: `bench-dag-${rep}`,
      });
      makespans.push(performance.now() - t0);
      transitions = result.transitions;
      if (result.status !== "SUCCEEDED") throw new Error(`dag: ${result.status} ${result.error}: ${result.cause}`);
      // Order check: every step started after all its dependencies ended.
      const byName = Object.fromEntries(log.map((e) => [e.name, e]));
      for (const [name, { after }] of Object.entries(DAG))
        for (const dep of after)
          if (!(byName[dep].ended <= byName[name].began + 0.5))
            throw new Error(`dag: ${name} began before ${dep} ended`);
    }
    return {
      steps: Object.keys(DAG).length,
      addedWaits: compiled.report.addedWaits.map((w) => w.message),
      criticalPathMs: cp,
      structureMs: ideal,
      makespanMs: median(makespans),
      worstMs: Math.max(...makespans),
      makespans,
      transitions,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- parent

function spawnChild(args) {
  const result = spawnSync(process.execPath, [self, "--child", ...args], {
    cwd: here,
    encoding: "utf8",
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = result.stdout.trim().split("\n").at(-1) ?? "";
  if (result.status !== 0 || !line.startsWith("{")) {
    return {
      error: (result.stderr || result.stdout || String(result.error)).trim().split("\n").slice(0, 6).join("\n"),
    };
  }
  return JSON.parse(line);
}

const fmt = (n, digits = 0) =>
  n === undefined || Number.isNaN(n)
    ? "–"
    : n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

async function main(argv) {
  if (argv[0] === "--child") {
    const [, mode, engine, key, reps] = argv;
    const out = mode === "dag" ? await dagCase(Number(reps)) : await child(mode, engine, key, Number(reps));
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const flag = (name) => {
    const i = argv.indexOf(name);
    return i < 0 ? undefined : argv[i + 1];
  };
  const reps = Number(flag("--reps") ?? 5);
  // --journal off: stepline without its journal (what journaling costs); --journal fd: one open descriptor.
  if (flag("--journal") !== undefined) process.env.BENCH_JOURNAL = flag("--journal");
  const only = (flag("--only") ?? "a,b,c,e,d").split(",");
  const asJson = argv.includes("--json");
  const engines = ["stepline", "peer"];
  const results = {};
  for (const key of MEASURED.filter((k) => only.includes(k))) {
    results[key] = {};
    for (const engine of engines) {
      process.stderr.write(`case ${key} · ${engine} …\n`);
      const time = spawnChild(["time", engine, key, String(reps)]);
      const mem = time.error ? { error: time.error } : spawnChild(["mem", engine, key, "1"]);
      results[key][engine] = { time, mem };
    }
  }
  if (only.includes("d")) {
    process.stderr.write("case d · stepline (real clock) …\n");
    results.d = spawnChild(["dag", "stepline", "d", String(Math.max(reps, 5))]);
  }
  if (asJson) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }

  const rows = [];
  const errors = [];
  for (const key of MEASURED.filter((k) => only.includes(k))) {
    const s = results[key].stepline;
    const p = results[key].peer;
    for (const [name, r] of [
      ["stepline", s],
      ["peer", p],
    ])
      if (r.time.error || r.mem.error) errors.push(`(${key}) ${name}: ${r.time.error ?? r.mem.error}`);
    const tps = (r) => (r.time.error ? Number.NaN : (r.time.transitions / r.time.ms) * 1000);
    const rss = (r) => (r.mem.error ? Number.NaN : r.mem.peakKB / 1024);
    const grew = (r) => (r.mem.error ? Number.NaN : (r.mem.peakKB - r.mem.baselineKB) / 1024);
    rows.push([
      `(${key}) ${CASES[key].title}`,
      s.time.error
        ? fmt(CASES[key].transitions)
        : `${fmt(s.time.transitions)}${s.time.transitions === CASES[key].transitions ? "" : ` (peer ${fmt(CASES[key].transitions)})`}`,
      fmt(s.time.ms, 1),
      fmt(p.time.ms, 1),
      fmt(tps(s)),
      fmt(tps(p)),
      `${fmt(tps(s) / tps(p), 2)}×`,
      fmt(rss(s), 1),
      fmt(rss(p), 1),
      fmt(rss(s) / rss(p), 2),
      fmt(grew(s), 1),
      fmt(grew(p), 1),
    ]);
  }
  const node = process.version;
  const journalMode =
    { off: "journal OFF", append: "journal on, appendFileSync per record" }[process.env.BENCH_JOURNAL] ??
    "journal on, stepline run's own FileJournal";
  console.log(
    `\nEngine bench — stepline (virtual clock, ${journalMode}) vs aws-local-stepfunctions 3.0.0 · Node ${node} · median of ${reps} runs after ${WARM_UPS} warm-ups`,
  );
  if (rows.length > 0) {
    console.log(
      table(
        [
          "case",
          "transitions",
          "stepline ms",
          "peer ms",
          "stepline tr/s",
          "peer tr/s",
          "speed ×",
          "stepline MiB",
          "peer MiB",
          "RSS ratio",
          "stepline +MiB",
          "peer +MiB",
        ],
        rows,
      ),
    );
    console.log(
      "speed × = stepline transitions/s ÷ peer's; MiB = peak RSS of a process doing one cold run; RSS ratio = stepline ÷ peer;\n" +
        "+MiB = peak RSS minus the RSS once the engine is imported (the run's own growth).",
    );
    if (results.e && !results.e.stepline.time.error)
      console.log(
        `(e) floor: ${fmt(CASES.e.floorMs, 0)} ms of sleeps spread over ${TASK_CONCURRENCY} slots (setTimeout adds ~1 ms each): no engine can be 3× faster here.`,
      );
    const judged = ["a", "b", "c"].filter(
      (k) => results[k] && !results[k].stepline.time.error && !results[k].peer.time.error,
    );
    if (judged.length > 0) {
      const speed = (k) => results[k].peer.time.ms / results[k].stepline.time.ms;
      const memory = (k) => results[k].stepline.mem.peakKB / results[k].peer.mem.peakKB;
      console.log(
        `target ≥ 3× the peer's throughput on ${judged.map((k) => `(${k})`).join(" ")}: ${judged.every((k) => speed(k) >= 3) ? "met" : "NOT met"} · ` +
          `peak RSS ≤ the peer's: ${judged.every((k) => memory(k) <= 1) ? "met" : "NOT met"}`,
      );
    }
    const journal = MEASURED.filter((k) => results[k] && !results[k].stepline.time.error);
    if (journal.length > 0)
      console.log(
        `journal records per run: ${journal.map((k) => `(${k}) ${fmt(results[k].stepline.time.journalRecords)}`).join(", ")}`,
      );
  }
  if (results.d) {
    const d = results.d;
    if (d.error) errors.push(`(d) ${d.error}`);
    else {
      console.log(
        `\n(d) DAG of ${d.steps} sleeping Lambda steps (50–400 ms), real clock, median of ${d.makespans.length} runs`,
      );
      console.log(
        table(
          [
            "critical path ms",
            "compiled structure ms",
            "makespan ms (median)",
            "worst ms",
            "makespan ÷ CP",
            "worst ÷ CP",
            "structure ÷ CP",
            "makespan ÷ structure",
          ],
          [
            [
              fmt(d.criticalPathMs),
              fmt(d.structureMs),
              fmt(d.makespanMs, 1),
              fmt(d.worstMs, 1),
              fmt(d.makespanMs / d.criticalPathMs, 3),
              fmt(d.worstMs / d.criticalPathMs, 3),
              fmt(d.structureMs / d.criticalPathMs, 3),
              fmt(d.makespanMs / d.structureMs, 3),
            ],
          ],
        ),
      );
      console.log(
        `added waits: ${d.addedWaits.join("; ") || "none"} · target makespan ÷ CP ≤ 1.05: ${d.makespanMs / d.criticalPathMs <= 1.05 ? "met" : "NOT met"}`,
      );
    }
  }
  if (errors.length > 0) {
    console.log("\nnot measured:");
    for (const e of errors) console.log(`  ${e.replaceAll("\n", "\n    ")}`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
