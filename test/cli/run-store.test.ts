import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileJournal, readJournal, repairJournal } from "../../packages/cli/src/run/journal.js";
import { jsonErrorPosition } from "../../packages/cli/src/run/json-position.js";
import { logTail, openLog, stepDirName, stepLogs } from "../../packages/cli/src/run/logs.js";
import { newRunId } from "../../packages/cli/src/run/store.js";
import { failureOf } from "../../packages/cli/src/run/tracker.js";
import { duration, summaryTable } from "../../packages/cli/src/run/views.js";

const dir = mkdtempSync(join(tmpdir(), "stepline-run-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const plain = { red: String, yellow: String, green: String, dim: String, bold: String } as const;

describe("journal", () => {
  it("appends one JSON line per record and reads them back", () => {
    const file = join(dir, "a.jsonl");
    const journal = new FileJournal(file);
    journal.append({ kind: "task", key: "k1", stateName: "a", output: { n: 1 } });
    journal.append({ kind: "end", status: "FAILED", error: "E", cause: "c" });
    expect(readFileSync(file, "utf8").split("\n")).toHaveLength(3);
    expect(journal.ended).toBe(true);
    expect(readJournal(file)).toEqual({
      records: [
        { kind: "task", key: "k1", stateName: "a", output: { n: 1 } },
        { kind: "end", status: "FAILED", error: "E", cause: "c" },
      ],
      torn: false,
    });
  });

  it("ignores a torn last line, and repair cuts it off so appends start on a new line", async () => {
    const file = join(dir, "torn.jsonl");
    writeFileSync(file, '{"kind":"task","key":"k1","stateName":"a","output":1}\n{"kind":"task","ke');
    expect(readJournal(file)).toMatchObject({ records: [{ key: "k1" }], torn: true });
    expect(repairJournal(file)).toHaveLength(1);
    // A record replay needs is on disk once its append resolves (records of one event-loop turn share a write).
    await new FileJournal(file).append({ kind: "value", key: "v", value: 2 });
    expect(readJournal(file)).toMatchObject({ records: [{ key: "k1" }, { key: "v" }], torn: false });
  });

  it("refuses a damaged line that is not the last", () => {
    const file = join(dir, "damaged.jsonl");
    writeFileSync(file, 'nope\n{"kind":"value","key":"v","value":1}\n');
    expect(() => readJournal(file)).toThrow(/line 1 is not JSON/);
  });

  it("reads a missing journal as empty", () => {
    expect(readJournal(join(dir, "none.jsonl"))).toEqual({ records: [], torn: false });
  });
});

describe("logs", () => {
  it("keeps one file per state and attempt, in the order steps first ran", () => {
    const run = join(dir, "run");
    openLog(run, "zeta", 1)("z starts");
    openLog(run, "alpha/beta", 1)("ab starts");
    openLog(run, "zeta", 2)("z again");
    expect(stepLogs(run)).toEqual([
      { state: "zeta", attempts: [1, 2] },
      { state: "alpha/beta", attempts: [1] },
    ]);
    openLog(run, "zeta", 2)("z once more");
    expect(logTail(run, "zeta", 2, 2)).toEqual([expect.stringMatching(/^--- run again at /), "z once more"]);
    appendFileSync(join(run, "logs", "steps.jsonl"), '"tor');
    expect(stepLogs(run).map((s) => s.state)).toEqual(["zeta", "alpha/beta"]);
  });

  it("encodes any state name as one directory name", () => {
    expect(stepDirName("extract-orders")).toBe("extract-orders");
    expect(stepDirName("a/b c")).toBe("a%2Fb%20c");
    expect(stepDirName("..")).toBe("%2E%2E");
  });
});

describe("run ids, input positions, failures, durations", () => {
  it("makes sortable run ids", () => {
    const early = newRunId("nightly etl", new Date("2026-11-25T22:15:00.123Z"));
    const late = newRunId("a", new Date("2026-11-25T22:15:01Z"));
    expect(early).toMatch(/^20261125T221500Z-nightly-etl-[0-9a-f]{4}$/);
    expect([late, early].sort()).toEqual([early, late]);
  });

  it("finds where JSON goes wrong", () => {
    expect(jsonErrorPosition('{"a": 1}')).toBeUndefined();
    expect(jsonErrorPosition('{"name": ada}')).toBe(9);
    expect(jsonErrorPosition('{"a": [1, 2,]}')).toBe(12);
    expect(jsonErrorPosition('{"a": 1} x')).toBe(9);
    expect(jsonErrorPosition('{"a": tru}')).toBe(9);
    expect(jsonErrorPosition('{"a": "b')).toBe(8);
  });

  it("takes the ASL error and cause from TaskFailure-like errors, else name and message", () => {
    expect(failureOf(Object.assign(new Error("x"), { error: "Batch.Fail", cause: "exit 3" }))).toEqual({
      error: "Batch.Fail",
      cause: "exit 3",
    });
    expect(failureOf(new RangeError("too far"))).toEqual({ error: "RangeError", cause: "too far" });
    expect(failureOf("str")).toEqual({ error: "Error", cause: "str" });
  });

  it("formats durations and the summary table", () => {
    expect(duration(1234)).toBe("1.2 s");
    expect(duration(185_000)).toBe("3 min 5 s");
    expect(duration(3_720_000)).toBe("1 h 2 min");
    const table = summaryTable(
      [
        { state: "extract", attempt: 1, key: "e", started: 0, ended: 1000, status: "failed" },
        { state: "extract", attempt: 2, key: "e", started: 2000, ended: 3500, status: "succeeded" },
      ],
      plain,
    );
    expect(table).toBe("\nSTEP     STATUS     ATTEMPTS  DURATION\nextract  succeeded  2         3.5 s\n");
  });
});
