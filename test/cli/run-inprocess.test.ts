import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "@stepline/cli";
import { afterAll, describe, expect, it, vi } from "vitest";
import { root } from "./run.js";

// The CLI's run commands against a small fake engine, in-process: the run store, journal,
// logs, resume and redrive logic are tested whatever state core's engine is in.
// The fakes are imported inside the factory: it runs before this file's own imports are ready.
vi.mock("@stepline/core", async (original) => {
  const fakes = await import("./fakes/engine.js");
  return {
    ...(await original<Record<string, unknown>>()),
    execute: fakes.fakeExecute,
    virtualClock: fakes.virtualClock,
    realClock: fakes.realClock,
    checkDefinition: fakes.checkDefinition,
  };
});

const cwd = mkdtempSync(join(tmpdir(), "stepline-run-inprocess-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const fixture = (path: string) => join(root, "test/fixtures/run", path);

async function cli(argv: readonly string[]) {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { NO_COLOR: "1" },
    cwd,
  };
  const status = await main(argv, io);
  return { status, stdout, stderr, runId: /(\d{8}T\d{6}Z-[\w-]+-[0-9a-f]{4})/.exec(stderr + stdout)?.[1] ?? "" };
}

const greet = ["run", "--asl", fixture("asl/greet.asl.json"), "--input", '{"name":"ada"}', "--fast-waits"];
const greetHandlers = [
  "--handler",
  `Greet=${fixture("handlers/greet.mjs")}`,
  "--handler",
  `Shout=${fixture("handlers/shout.ts")}`,
];

/** A handler module that counts its calls and fails until a marker file exists. */
function flakyModule(name: string): { module: string; counter: string; marker: string } {
  const counter = join(cwd, `${name}.count`);
  const marker = join(cwd, `${name}.marker`);
  const module = join(cwd, `${name}.mjs`);
  writeFileSync(
    module,
    `import { spawn } from "node:child_process";
import { appendFileSync, existsSync } from "node:fs";
export default async function (input, context) {
  context.log("checking " + ${JSON.stringify(marker)});
  if (context.stateName === "Boom" && !existsSync(${JSON.stringify(marker)})) throw new RangeError("no marker yet");
  appendFileSync(${JSON.stringify(counter)}, context.stateName + "\\n");
  return { ...input, [context.stateName]: true };
}
`,
  );
  return { module, counter, marker };
}

describe("stepline run (fake engine)", () => {
  it("runs an ASL file with .mjs and .ts handlers and prints the result as the last JSON line", async () => {
    const run = await cli([...greet, ...greetHandlers, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ type: "ExecutionStarted" });
    const last = JSON.parse(lines.at(-1) ?? "");
    expect(last).toEqual({
      status: "SUCCEEDED",
      output: { shouted: "HELLO ADA", from: "Greet", by: "Shout" },
      error: null,
      cause: null,
      runId: expect.stringMatching(/^\d{8}T\d{6}Z-greet-[0-9a-f]{4}$/),
    });
    const meta = JSON.parse(readFileSync(join(cwd, ".stepline/runs", last.runId, "meta.json"), "utf8"));
    expect(meta).toMatchObject({ kind: "asl", pipeline: "greet", status: "SUCCEEDED", input: { name: "ada" } });
  });

  it("prints plain lines when stdout is not a terminal", async () => {
    const run = await cli([...greet, ...greetHandlers]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Greet started\nGreet succeeded in \d+\.\d s\nShout started\nShout succeeded in/);
    expect(run.stderr).toContain(`run ${run.runId}`);
  });

  it("fails with the handler's error name and message, exit 1", async () => {
    const run = await cli([
      "run",
      "--asl",
      fixture("asl/boom.asl.json"),
      "--handler",
      `Prepare=${fixture("handlers/prepare.mjs")}`,
      "--handler",
      `Boom=${fixture("handlers/boom.mjs")}`,
      "--json",
    ]);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "")).toEqual({
      status: "FAILED",
      output: null,
      error: "QuotaExceeded",
      cause: "the daily quota of 3 exports is used up",
      runId: run.runId,
    });
    expect(run.stderr).toContain("step:  Boom (attempt 1)");
    expect(run.stderr).toContain("| QuotaExceeded: the daily quota of 3 exports is used up");
  });

  it("refuses a Task state without a handler before running, exit 2", async () => {
    const run = await cli([
      "run",
      "--asl",
      fixture("asl/boom.asl.json"),
      "--handler",
      `Prepare=${fixture("handlers/prepare.mjs")}`,
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_RUN_NO_HANDLER");
    expect(run.stderr).toContain("'Boom'");
    expect(run.stderr).not.toContain("Prepare started");
  });

  it("refuses a handler module without a default export, and a --handler for no Task state", async () => {
    const module = join(cwd, "named.mjs");
    writeFileSync(module, "export const handler = () => 1;\n");
    const before = existsSync(join(cwd, ".stepline/runs")) ? readdirSync(join(cwd, ".stepline/runs")).length : 0;
    const run = await cli([
      ...greet,
      "--handler",
      `Greet=${module}`,
      "--handler",
      `Shout=${module}`,
      "--handler",
      `Nope=${module}`,
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_RUN_UNKNOWN_STATE");
    const noDefault = await cli([...greet, "--handler", `Greet=${module}`, "--handler", `Shout=${module}`]);
    expect(noDefault.status).toBe(2);
    expect(noDefault.stderr).toContain("SL_RUN_HANDLER_EXPORT");
    const after = existsSync(join(cwd, ".stepline/runs")) ? readdirSync(join(cwd, ".stepline/runs")).length : 0;
    expect(after).toBe(before);
  });

  it("reports invalid ASL with the state and reason, exit 2", async () => {
    const run = await cli([
      "run",
      "--asl",
      fixture("asl/invalid.asl.json"),
      "--handler",
      `Load=${fixture("handlers/prepare.mjs")}`,
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Load");
    expect(run.stderr).toContain("Nowhere");
  });

  it("reports invalid --input JSON with its position, exit 2", async () => {
    const run = await cli([...greet, ...greetHandlers.slice(0, 2), "--input", '{"name": ada}']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_RUN_INPUT_JSON");
    expect(run.stderr).toMatch(/line 1, column 10/);
  });

  it("redrives a failed run: succeeded steps are not run again", async () => {
    const { module, counter, marker } = flakyModule("redrive");
    const handlers = ["--handler", `Prepare=${module}`, "--handler", `Boom=${module}`];
    const first = await cli(["run", "--asl", fixture("asl/boom.asl.json"), ...handlers]);
    expect(first.status).toBe(1);
    expect((await cli(["resume", first.runId])).stderr).toContain("SL_RUN_FINISHED");
    writeFileSync(marker, "");
    const again = await cli(["redrive", first.runId, "--json"]);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout.trim().split("\n").at(-1) ?? "")).toMatchObject({
      status: "SUCCEEDED",
      runId: first.runId,
    });
    expect(readFileSync(counter, "utf8")).toBe("Prepare\nBoom\n");
    expect((await cli(["redrive", first.runId])).stderr).toContain("SL_RUN_SUCCEEDED");
    const logs = await cli(["logs", first.runId, "Boom"]);
    // The redrive ran Boom's first attempt again: its log goes on after a separator.
    expect(logs.stdout).toMatch(/RangeError: no marker yet\n--- run again at .*\nchecking /);
    const all = await cli(["logs", first.runId]);
    expect(all.stdout).toMatch(/^== Prepare \(attempt 1\) ==\nchecking .*\n== Boom \(attempt 1\) ==\n/);
  });

  it("resumes an interrupted run from a torn journal", async () => {
    const { module, counter, marker } = flakyModule("resume");
    writeFileSync(marker, "");
    const handlers = ["--handler", `Prepare=${module}`, "--handler", `Boom=${module}`];
    const done = await cli(["run", "--asl", fixture("asl/boom.asl.json"), ...handlers]);
    expect(done.status).toBe(0);
    // Make it look killed after Prepare: keep the journal up to Prepare's task record,
    // add half a line, and mark the run RUNNING under a pid that is gone.
    const dir = join(cwd, ".stepline/runs", done.runId);
    const lines = readFileSync(join(dir, "journal.jsonl"), "utf8").split("\n");
    const cut = lines.findIndex((l) => l.includes('"kind":"task"'));
    writeFileSync(join(dir, "journal.jsonl"), `${lines.slice(0, cut + 1).join("\n")}\n`);
    appendFileSync(join(dir, "journal.jsonl"), '{"kind":"event","event":{"id":9,"ty');
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
    writeFileSync(join(dir, "meta.json"), JSON.stringify({ ...meta, status: "RUNNING", pid: 2 ** 22 + 17 }));
    expect((await cli(["runs"])).stdout).toMatch(new RegExp(`${done.runId}\\s+boom\\s+INTERRUPTED`));
    writeFileSync(counter, "");

    const resumed = await cli(["resume", done.runId.slice(0, -2)]);
    expect(resumed.stderr).toContain(`SUCCEEDED ${done.runId}`);
    expect(resumed.status).toBe(0);
    expect(readFileSync(counter, "utf8")).toBe("Boom\n");
    const journal = readFileSync(join(dir, "journal.jsonl"), "utf8");
    expect(journal.endsWith("\n")).toBe(true);
    for (const line of journal.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("refuses to resume a run whose process is alive", async () => {
    const run = await cli([...greet, ...greetHandlers]);
    const dir = join(cwd, ".stepline/runs", run.runId);
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
    // Stands for the stepline process still running the run.
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)", "stepline"], { stdio: "ignore" });
    try {
      writeFileSync(join(dir, "meta.json"), JSON.stringify({ ...meta, status: "RUNNING", pid: other.pid }));
      const resumed = await cli(["resume", run.runId]);
      expect(resumed.status).toBe(2);
      expect(resumed.stderr).toContain("SL_RUN_ACTIVE");
      expect(resumed.stderr).toContain(`process ${other.pid}`);
    } finally {
      other.kill("SIGKILL");
    }
  });

  it("names recent runs when the run id is unknown", async () => {
    const run = await cli(["logs", "nope"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_RUN_UNKNOWN");
    expect(run.stderr).toMatch(/Recent runs: \d{8}T/);
    expect(existsSync(join(cwd, ".stepline/runs"))).toBe(true);
  });

  it("lists runs as JSON", async () => {
    const runs = JSON.parse((await cli(["runs", "--json"])).stdout);
    expect(runs.length).toBeGreaterThan(3);
    expect(runs[0]).toEqual({
      id: expect.any(String),
      pipeline: expect.any(String),
      status: expect.any(String),
      started: expect.any(String),
      finished: expect.toBeOneOf([expect.any(String), null]),
      durationMs: expect.toBeOneOf([expect.any(Number), null]),
      error: expect.toBeOneOf([expect.any(String), null]),
    });
  });
});
