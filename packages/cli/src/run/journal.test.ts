import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HistoryEvent, JournalRecord } from "@stepline/core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { FileJournal, readJournal, repairJournal } from "./journal.js";
import { EventEncoder } from "./journal-events.js";

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
  "__proto__",
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
  id: fc.nat(),
  previousEventId: fc.nat(),
  timestamp: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()),
  type: fc.constantFrom("TaskStateEntered", "TaskSucceeded", "MapIterationStarted", "ExecutionSucceeded"),
  details: fc.option(fc.tuple(detailsKeys, fc.dictionary(memberNames, fc.option(fc.jsonValue(), { nil: undefined }))), {
    nil: undefined,
  }),
});
const events = fc.array(event, { maxLength: 40 }).map((list) =>
  list.map(({ details, ...fixed }): HistoryEvent => {
    const e: Record<string, unknown> = { ...fixed };
    // Defined, not assigned: a `__proto__` details member must be a member, as JSON.parse makes it.
    if (details) {
      const members: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(details[1]))
        Object.defineProperty(members, k, { value: v, enumerable: true, writable: true, configurable: true });
      e[details[0]] = members;
    }
    return e as HistoryEvent;
  }),
);

/** Writes the events with one journal writer per part (a run, then its resumes), and reads them back. */
function roundTrip(list: readonly HistoryEvent[], file: string, writers = 1): JournalRecord[] {
  const size = Math.ceil(list.length / writers) || 1;
  for (let start = 0; start < list.length; start += size) {
    const journal = new FileJournal(file);
    for (const [i, e] of list.slice(start, start + size).entries()) {
      // Half through append, half through appendEvent (the engine's way): the file must not tell.
      const members = Object.keys(e).filter((k) => !["id", "previousEventId", "timestamp", "type"].includes(k));
      const detailsKey = members[0];
      // (appendEvent takes one details member: events with more go through append.)
      if (i % 2 === 0 || members.length > 1) journal.append({ kind: "event", event: e });
      else
        journal.appendEvent(
          e.id,
          e.previousEventId,
          e.timestamp,
          e.type,
          detailsKey,
          detailsKey === undefined ? undefined : (e[detailsKey] as Record<string, unknown>),
        );
    }
    journal.close();
  }
  return readJournal(file).records;
}

describe("journal events", () => {
  let n = 0;
  it("gives back every event as it was written, members in order", () => {
    fc.assert(
      fc.property(events, fc.integer({ min: 1, max: 3 }), (list, writers) => {
        const records = roundTrip(list, join(dir, `prop-${n++}.jsonl`), writers);
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
      {
        id: 6,
        previousEventId: 5,
        timestamp: "2026-01-01T00:00:00.000Z",
        type: "F",
        fEventDetails: { at: new Date(0) },
      },
    ];
    expect(roundTrip(odd, file)).toEqual(odd.map((event) => ({ kind: "event", event: asJson(event) })));
    expect(readFileSync(file, "utf8").match(/"kind":"event"/g)).toHaveLength(5);
    // Values JSON cannot hold: the line stays JSON, the value goes as JSON.stringify drops it.
    const fn = join(dir, "function.jsonl");
    const withFunction = {
      id: 1,
      previousEventId: 0,
      timestamp: "2026-01-01T00:00:00.000Z",
      type: "G",
      gEventDetails: { output: () => 1, name: "n" },
    };
    const withFixedFunction = { ...withFunction, id: 2, gEventDetails: { name: () => 1 } };
    expect(roundTrip([withFunction, withFixedFunction], fn)).toEqual(
      [withFunction, withFixedFunction].map((event) => ({ kind: "event", event: asJson(event) })),
    );
  });

  it("leaves out a torn compact line, and a resumed writer goes on after it", () => {
    const file = join(dir, "torn-event.jsonl");
    const at = (i: number): HistoryEvent => ({
      id: i,
      previousEventId: i - 1,
      timestamp: new Date(Date.UTC(2026, 3, 1) + i).toISOString(),
      type: "TaskStateEntered",
      stateEnteredEventDetails: { name: "T", input: `{"i":${i}}` },
    });
    roundTrip([at(1), at(2)], file);
    writeFileSync(file, `${readFileSync(file, "utf8")}[3,1,2,0,"{\\"i`);
    expect(readJournal(file)).toEqual({ records: [1, 2].map((i) => ({ kind: "event", event: at(i) })), torn: true });
    expect(repairJournal(file)).toHaveLength(2);
    expect(roundTrip([at(3)], file)).toEqual([1, 2, 3].map((i) => ({ kind: "event", event: at(i) })));
  });

  it("keeps a whole last record whose newline was lost", () => {
    const file = join(dir, "no-newline.jsonl");
    writeFileSync(
      file,
      '{"kind":"task","key":"a","stateName":"a","output":1}\n{"kind":"task","key":"b","stateName":"b","output":2}',
    );
    expect(repairJournal(file)).toHaveLength(2);
    expect(readFileSync(file, "utf8").endsWith('"output":2}\n')).toBe(true);
    expect(readJournal(file).records).toHaveLength(2);
  });

  it("refuses an event of a shape only an earlier writer defined", () => {
    const file = join(dir, "stale-shape.jsonl");
    roundTrip([{ id: 1, previousEventId: 0, timestamp: "2026-01-01T00:00:00.000Z", type: "ExecutionStarted" }], file);
    // A second writer's header starts a new table: shape 0 of the first writer is gone.
    writeFileSync(file, `${readFileSync(file, "utf8")}{"kind":"events","version":1,"base":0}\n[2,1,0,0]\n`);
    expect(() => readJournal(file)).toThrow(/line 5 an event of no known shape/);
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
