import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventLine } from "./journal.js";

describe("eventLine", () => {
  it("writes exactly what JSON.stringify writes for an event record", () => {
    const details = fc.dictionary(fc.string(), fc.jsonValue());
    const event = fc.record({
      id: fc.nat(),
      previousEventId: fc.nat(),
      timestamp: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      type: fc.string(),
      details: fc.option(fc.tuple(fc.constantFrom("taskSucceededEventDetails", "stateEnteredEventDetails"), details)),
    });
    fc.assert(
      fc.property(event, ({ details: d, ...fixed }) => {
        const e = d ? { ...fixed, [d[0]]: d[1] } : fixed;
        expect(eventLine(e)).toBe(`${JSON.stringify({ kind: "event", event: e })}\n`);
      }),
    );
  });

  it("leaves out an undefined details member, as JSON.stringify does", () => {
    const e = { id: 3, previousEventId: 2, timestamp: "2026-01-01T00:00:00.000Z", type: "X", xEventDetails: undefined };
    expect(eventLine(e)).toBe(`${JSON.stringify({ kind: "event", event: e })}\n`);
  });
});
