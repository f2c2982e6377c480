import { describe, expect, it } from "vitest";
import { offsetMinutes, zoneTransitions } from "./zone-offsets.js";

const iso = (ms: number) => new Date(ms).toISOString();

describe("zone offsets", () => {
  it("reads offsets on both sides of a DST change", () => {
    expect(offsetMinutes("Europe/Paris", Date.UTC(2026, 0, 15))).toBe(60);
    expect(offsetMinutes("Europe/Paris", Date.UTC(2026, 6, 15))).toBe(120);
    expect(offsetMinutes("America/New_York", Date.UTC(2026, 0, 15))).toBe(-300);
    expect(offsetMinutes("Asia/Kolkata", Date.UTC(2026, 0, 15))).toBe(330);
    expect(offsetMinutes("UTC", Date.UTC(2026, 0, 15))).toBe(0);
  });

  it("finds each transition to the minute", () => {
    const z = zoneTransitions("Europe/Paris", Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
    expect(z.initialOffset).toBe(60);
    // EU rules: last Sunday of March and of October, 01:00 UTC.
    expect(z.transitions.map((t) => [iso(t.at), t.offset])).toEqual([
      ["2026-03-29T01:00:00.000Z", 120],
      ["2026-10-25T01:00:00.000Z", 60],
    ]);
    const ny = zoneTransitions("America/New_York", Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
    expect(ny.transitions.map((t) => [iso(t.at), t.offset])).toEqual([
      ["2026-03-08T07:00:00.000Z", -240],
      ["2026-11-01T06:00:00.000Z", -300],
    ]);
  });

  it("has no transitions in a zone without DST, and half-hour shifts where they exist", () => {
    expect(zoneTransitions("Asia/Kolkata", Date.UTC(2025, 0, 1), Date.UTC(2076, 0, 1))).toEqual({
      initialOffset: 330,
      transitions: [],
    });
    const lordHowe = zoneTransitions("Australia/Lord_Howe", Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
    expect(lordHowe.initialOffset).toBe(660);
    expect(lordHowe.transitions.map((t) => t.offset)).toEqual([630, 660]);
  });
});
