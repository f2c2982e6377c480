import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { root, stackFrame } from "./run.js";
import { exited, journalRecords, startStepline, steplineIn, until } from "./spawn.js";

// End to end through the built bin with core's engine and the runners' local handlers.
// Until both have landed (they are written in parallel), these tests are skipped.
const exported = async (pkg: string, name: string) => {
  try {
    return typeof ((await import(pkg)) as Record<string, unknown>)[name] === "function";
  } catch {
    return false;
  }
};
const engine = await exported("@stepline/core", "execute");
const local =
  Boolean(process.env.STEPLINE_TEST_BIN) || (engine && (await exported("@stepline/runners", "localHandlers")));
if (!local) console.warn("run-e2e: core's execute or runners' localHandlers is missing; skipping those tests");

const cwd = mkdtempSync(join(tmpdir(), "stepline-run-e2e-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const fixture = (path: string) => join(root, "test/fixtures/run", path);
const sequence = fixture("sequence.ts");
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1) ?? "null");
const runIdOf = (text: string) => /(\d{8}T\d{6}Z-[\w-]+-[0-9a-f]{4})/.exec(text)?.[1] ?? "";
const runDirOf = (id: string) => join(cwd, ".stepline", "runs", id);
let counters = 0;
/** A fresh side-effect counter file and the run input that points the jobs at it. */
function counter(extra: Record<string, string> = {}) {
  const file = join(cwd, `counter-${++counters}.txt`);
  writeFileSync(file, "");
  return { file, input: JSON.stringify({ counter: file, ...extra }), lines: () => readFileSync(file, "utf8") };
}
const count = (text: string, step: string) => text.split("\n").filter((l) => l === step).length;

describe.skipIf(!engine)("stepline run --asl (built bin)", () => {
  const greet = ["run", "--asl", fixture("asl/greet.asl.json"), "--input", '{"name":"ada"}'];
  const handlers = [
    "--handler",
    `Greet=${fixture("handlers/greet.mjs")}`,
    "--handler",
    `Shout=${fixture("handlers/shout.ts")}`,
  ];

  it("runs with .mjs and .ts handlers; --json ends with the exact result line", () => {
    const run = steplineIn(cwd, [...greet, ...handlers, "--fast-waits", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n");
    for (const line of lines.slice(0, -1)) expect(JSON.parse(line)).toMatchObject({ type: expect.any(String) });
    const last = lastJson(run.stdout);
    expect(Object.keys(last)).toEqual(["status", "output", "error", "cause", "runId"]);
    expect(last).toMatchObject({
      status: "SUCCEEDED",
      output: { shouted: "HELLO ADA", from: "Greet", by: "Shout" },
      error: null,
      cause: null,
    });
  });

  it("fails with the thrown error's name and message, exit 1", () => {
    const run = steplineIn(cwd, [
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
    expect(lastJson(run.stdout)).toMatchObject({
      status: "FAILED",
      output: null,
      error: "QuotaExceeded",
      cause: "the daily quota of 3 exports is used up",
    });
    expect(run.stderr).toContain("Boom");
    expect(run.stderr).not.toContain(stackFrame);
  });

  it("exits 2 naming a Task state without a handler", () => {
    const run = steplineIn(cwd, [...greet, "--handler", `Greet=${fixture("handlers/greet.mjs")}`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_RUN_NO_HANDLER");
    expect(run.stderr).toContain("'Shout'");
  });

  it("exits 2 on invalid ASL, naming the state", () => {
    const run = steplineIn(cwd, [
      "run",
      "--asl",
      fixture("asl/invalid.asl.json"),
      "--handler",
      `Load=${fixture("handlers/prepare.mjs")}`,
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Load");
    expect(run.stderr).not.toContain(stackFrame);
  });
});

describe.skipIf(!local)("stepline run <pipeline> (built bin, host processes)", () => {
  it("runs every step once; runs lists it; logs prints its logs", () => {
    const c = counter();
    const run = steplineIn(cwd, ["run", sequence, "--input", c.input, "--docker", "never", "--fast-waits"]);
    expect(run.stderr).toContain("SUCCEEDED");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/first started\nfirst succeeded in \d+\.\d s\nsecond started/);
    expect(c.lines()).toBe("first\nsecond\nthird\n");
    const id = runIdOf(run.stderr);
    expect(steplineIn(cwd, ["runs"]).stdout).toMatch(new RegExp(`${id}\\s+sequence\\s+SUCCEEDED`));
    const logs = steplineIn(cwd, ["logs", id]);
    expect(logs.stdout).toMatch(/== first \(attempt 1\) ==[\s\S]*first: done[\s\S]*== second \(attempt 1\) ==/);
    expect(steplineIn(cwd, ["logs", id, "third", "--attempt", "1"]).stdout).toContain("third: done");
  });

  it("--json prints events and the exact last line; history gives back the same events", () => {
    const c = counter();
    const run = steplineIn(cwd, ["run", sequence, "--input", c.input, "--docker", "never", "--json"]);
    expect(run.status).toBe(0);
    const last = lastJson(run.stdout);
    expect(last).toMatchObject({ status: "SUCCEEDED", error: null, cause: null });
    expect(Object.keys(last).slice(0, 4)).toEqual(["status", "output", "error", "cause"]);
    // The journal keeps events compactly; `history --json` must give back exactly what was streamed.
    const streamed = run.stdout
      .trim()
      .split("\n")
      .slice(0, -1)
      .map((l) => JSON.parse(l));
    const history = steplineIn(cwd, ["history", last.runId, "--json"]);
    expect(history.status).toBe(0);
    expect(JSON.parse(history.stdout)).toEqual({ events: streamed });
    expect(streamed[0].type).toBe("ExecutionStarted");
    // The input checks the compiler puts first, then the three jobs.
    expect(streamed.map((e: { type: string }) => e.type).slice(-16)).toEqual([
      ...["first", "second", "third"].flatMap(() => [
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
      ]),
      "ExecutionSucceeded",
    ]);
    // A prefix of the id, as long as it names this run only (runs of this file share the directory).
    const others = readdirSync(join(cwd, ".stepline", "runs")).filter((r) => r !== last.runId);
    const prefix = others.some((r) => r.startsWith(last.runId.slice(0, -1))) ? last.runId : last.runId.slice(0, -1);
    const table = steplineIn(cwd, ["history", prefix]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/status\s+SUCCEEDED/);
    expect(table.stdout).toMatch(/first\s+Task\s+succeeded\s+1\s+1/);
    expect(table.stdout).toMatch(/third\s+Task\s+succeeded/);
  });

  it("exits 2 on input that is not JSON, with the position", () => {
    const run = steplineIn(cwd, ["run", sequence, "--input", '{"counter": x}']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_RUN_INPUT_JSON");
    expect(run.stderr).toContain("column 13");
  });

  it("CRASH: resumes a killed run (even with a torn journal); succeeded jobs ran once", async () => {
    const c = counter({ slowMs: "1500" });
    const child = startStepline(cwd, ["run", sequence, "--input", c.input, "--docker", "never"]);
    await until(() => runIdOf(child.output()) !== "", "the run id");
    const id = runIdOf(child.output());
    const journal = join(runDirOf(id), "journal.jsonl");
    await until(
      () => journalRecords(journal).some((r) => r.kind === "task" && r.stateName === "first"),
      "step 'first' to succeed",
    );
    child.kill("SIGKILL");
    await exited(child);
    // Half a record, as if the kill came in the middle of a write.
    appendFileSync(journal, '{"kind":"task","key":"second#1","stateNa');
    expect(steplineIn(cwd, ["runs"]).stdout).toMatch(new RegExp(`${id}\\s+sequence\\s+INTERRUPTED`));

    const resumed = steplineIn(cwd, ["resume", id, "--json"]);
    expect(resumed.stderr).not.toContain(stackFrame);
    expect(lastJson(resumed.stdout)).toMatchObject({ status: "SUCCEEDED" });
    expect(resumed.status).toBe(0);
    // The killed run's 'second' job may still finish on its own (it is a separate process).
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    const lines = c.lines();
    expect(count(lines, "first")).toBe(1);
    expect(count(lines, "second")).toBeGreaterThanOrEqual(1);
    expect(count(lines, "second")).toBeLessThanOrEqual(2);
    expect(count(lines, "third")).toBe(1);
    expect(JSON.parse(readFileSync(join(runDirOf(id), "meta.json"), "utf8")).status).toBe("SUCCEEDED");
    expect(steplineIn(cwd, ["resume", id]).stderr).toContain("SL_RUN_SUCCEEDED");
  });

  it("REDRIVE: reruns the failed step and what follows, not the steps before", () => {
    const marker = join(cwd, "redrive.marker");
    const c = counter({ marker });
    const failed = steplineIn(cwd, ["run", sequence, "--input", c.input, "--docker", "never", "--fast-waits"]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("second");
    expect(failed.stderr).toContain("marker");
    expect(c.lines()).toBe("first\n");
    const id = runIdOf(failed.stderr);
    expect(steplineIn(cwd, ["resume", id]).stderr).toContain(`stepline redrive ${id}`);

    writeFileSync(marker, "");
    const redriven = steplineIn(cwd, ["redrive", id, "--fast-waits"]);
    expect(redriven.status).toBe(0);
    expect(c.lines()).toBe("first\nsecond\nthird\n");
    // Two writers appended to the journal: the history reads across both, ids continuing.
    const { events } = JSON.parse(steplineIn(cwd, ["history", id, "--json"]).stdout);
    expect(events.map((e: { id: number }) => e.id)).toEqual(events.map((_: unknown, i: number) => i + 1));
    const types = events.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === "ExecutionFailed")).toHaveLength(1);
    expect(types.at(-1)).toBe("ExecutionSucceeded");
    const history = steplineIn(cwd, ["history", id]);
    expect(history.stdout).toMatch(/second\s+Task\s+\S*\s*\d/);
    const unknown = steplineIn(cwd, ["history", "no-such-run"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("SL_RUN_UNKNOWN");
    expect(unknown.stderr).not.toContain(stackFrame);
  });

  it("Ctrl-C aborts the run: ABORTED in the journal, exit 1", async () => {
    const c = counter({ slowMs: "20000" });
    const child = startStepline(cwd, ["run", sequence, "--input", c.input, "--docker", "never"]);
    await until(() => runIdOf(child.output()) !== "", "the run id");
    const id = runIdOf(child.output());
    await until(() => existsSync(join(runDirOf(id), "logs", "second")), "step 'second' to start");
    child.kill("SIGINT");
    expect(await exited(child)).toBe(1);
    const records = journalRecords(join(runDirOf(id), "journal.jsonl"));
    expect(records.at(-1)).toMatchObject({ kind: "end", status: "ABORTED" });
    expect(JSON.parse(readFileSync(join(runDirOf(id), "meta.json"), "utf8")).status).toBe("ABORTED");
    expect(readdirSync(join(runDirOf(id), "logs"))).toContain("first");
  });
});
