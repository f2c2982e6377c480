import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HistoryEvent, JournalRecord } from "@stepline/core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { EventEncoder, FileJournal, readJournal } from "./journal.js";

const dir = mkdtempSync(join(tmpdir(), "stepline-journal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the journal must give back: the event as a JSON line would (undefined members left out). */
const asJson = (e: HistoryEvent): HistoryEvent => JSON.parse(JSON.stringify(e)) as HistoryEvent;

const detailsKeys = fc.constantFrom(
  "taskSucceededEventDetails",
  "stateEnteredEventDetails",
  "mapIterationStartedEventDetails",
);
const memberNames = fc.constantFrom(
  "name",
  "resource",
  "region",
  "inputDetails",
  "input",
  "output",
  "index",
  "error",
  "cause",
);
const event = fc.record({
  previousEventId: fc.nat(),
  timestamp: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()),
  type: fc.constantFrom("TaskStateEntered", "TaskSucceeded", "MapIterationStarted", "ExecutionSucceeded"),
  details: fc.option(fc.tuple(detailsKeys, fc.dictionary(memberNames, fc.option(fc.jsonValue(), { nil: undefined }))), {
    nil: undefined,
  }),
});
const events = fc.array(event, { maxLength: 40 }).map((list) =>
  list.map(
    ({ details, ...fixed }, i): HistoryEvent => ({
      id: i + 1,
      ...fixed,
      ...(details ? { [details[0]]: details[1] } : {}),
    }),
  ),
);

function roundTrip(list: readonly HistoryEvent[], file: string): JournalRecord[] {
  const journal = new FileJournal(file);
  for (const e of list) journal.append({ kind: "event", event: e });
  journal.close();
  return readJournal(file).records;
}

describe("journal events", () => {
  let n = 0;
  it("gives back every event as it was written, members in order", () => {
    fc.assert(
      fc.property(events, (list) => {
        const records = roundTrip(list, join(dir, `prop-${n++}.jsonl`));
        expect(records).toEqual(list.map((e) => ({ kind: "event", event: asJson(e) })));
        for (const [i, r] of records.entries())
          expect(JSON.stringify(r)).toBe(JSON.stringify({ kind: "event", event: list[i] }));
      }),
      { numRuns: 200 },
    );
  });

  it("writes what repeats once: a shape per type, state and resource", () => {
    const file = join(dir, "shapes.jsonl");
    const list: HistoryEvent[] = Array.from({ length: 100 }, (_, i) => ({
      id: i + 1,
      previousEventId: i,
      timestamp: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
      type: "TaskStateEntered",
      stateEnteredEventDetails: { name: i < 50 ? "A" : "B", input: `{"i":${i}}`, inputDetails: { truncated: false } },
    }));
    expect(roundTrip(list, file)).toEqual(list.map((e) => ({ kind: "event", event: e })));
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines.filter((l) => l.includes('"kind":"shape"'))).toHaveLength(2);
    expect(lines[0]).toBe(`{"kind":"events","version":1,"base":${Date.UTC(2026, 0, 1)}}`);
    expect(lines).toContain('[1,1,0,0,"{\\"i\\":0}"]');
  });

  it("keeps working after a second writer appends to the same file (resume)", () => {
    const file = join(dir, "two-writers.jsonl");
    const at = (i: number, name: string): HistoryEvent => ({
      id: i,
      previousEventId: i - 1,
      timestamp: new Date(Date.UTC(2026, 5, 1) + i * 1000).toISOString(),
      type: "PassStateEntered",
      stateEnteredEventDetails: { name, input: "{}" },
    });
    const first = new FileJournal(file);
    first.append({ kind: "event", event: at(1, "A") });
    first.close();
    const second = new FileJournal(file);
    second.append({ kind: "event", event: at(2, "B") });
    second.append({ kind: "event", event: at(3, "A") });
    second.close();
    expect(readJournal(file).records).toEqual(
      [1, 2, 3].map((i) => ({ kind: "event", event: at(i, i === 2 ? "B" : "A") })),
    );
  });

  it("writes whole what it cannot express compactly, and reads it back", () => {
    const file = join(dir, "whole.jsonl");
    const odd: HistoryEvent[] = [
      { id: 1, previousEventId: 0, timestamp: "2026-01-01T00:00:00Z", type: "A", aEventDetails: { name: "x" } },
      { id: 2, previousEventId: 1, timestamp: "2026-01-01T00:00:00.000Z", type: "B", one: { a: 1 }, two: { b: 2 } },
      { id: 3, previousEventId: 2, timestamp: "2026-01-01T00:00:00.000Z", type: "C", cEventDetails: "text" },
      { id: 4, previousEventId: 3, timestamp: "not a date", type: "D" },
      { id: 5.5, previousEventId: 3, timestamp: "2026-01-01T00:00:00.000Z", type: "E" },
    ];
    expect(roundTrip(odd, file)).toEqual(odd.map((event) => ({ kind: "event", event })));
    expect(readFileSync(file, "utf8").match(/"kind":"event"/g)).toHaveLength(5);
  });

  it("refuses an event line of no known shape", () => {
    const file = join(dir, "no-shape.jsonl");
    const journal = new FileJournal(file);
    journal.append({ kind: "task", key: "k", stateName: "s", output: 1 });
    journal.close();
    const text = `${readFileSync(file, "utf8")}[1,0,0,7]\n`;
    const damaged = join(dir, "no-shape-2.jsonl");
    writeFileSync(damaged, text);
    expect(() => readJournal(damaged)).toThrow(/line 2 an event of no known shape/);
  });

  it("encodes an event without details as its four numbers", () => {
    const before: string[] = [];
    const line = new EventEncoder().line(
      { id: 9, previousEventId: 8, timestamp: "2026-01-01T00:00:00.000Z", type: "ExecutionSucceeded" },
      before,
    );
    expect(line).toBe("[9,1,0,0]\n");
    expect(before.map((l) => JSON.parse(l))).toEqual([
      { kind: "events", version: 1, base: Date.UTC(2026, 0, 1) },
      { kind: "shape", id: 0, type: "ExecutionSucceeded", detailsKey: null, members: [] },
    ]);
  });
});
