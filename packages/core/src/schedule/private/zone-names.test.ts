import { describe, expect, it } from "vitest";
import { checkTimezone } from "../timezone.js";
import { zoneOffsets } from "./zone.js";
import { FAR_ZONE_OFFSETS, IANA_ZONE_NAMES } from "./zone-names.js";

// The static tables let a compile skip ICU; these checks keep them true to Intl.
const names = [...IANA_ZONE_NAMES];
const instants = [Date.UTC(2025, 0, 15), Date.UTC(2025, 6, 15), Date.UTC(2031, 2, 31), Date.UTC(2040, 9, 31)];

describe("static time zone tables", () => {
  it("holds only names Intl accepts, and every zone Intl lists", () => {
    for (const zone of names) expect(() => new Intl.DateTimeFormat("en-US", { timeZone: zone }), zone).not.toThrow();
    for (const zone of Intl.supportedValuesOf("timeZone")) expect(IANA_ZONE_NAMES.has(zone), zone).toBe(true);
    expect(names.length).toBeGreaterThan(500);
  });

  it("accepts the names people write, and still checks the others", () => {
    for (const zone of ["UTC", "Europe/Paris", "Asia/Kolkata", "Asia/Calcutta", "Europe/Kyiv", "America/New_York"])
      expect(checkTimezone(zone), zone).toEqual([]);
    expect(checkTimezone("europe/paris")[0]?.fix).toContain("Europe/Paris");
    expect(checkTimezone("Mars/Olympus")).toHaveLength(1);
  });

  it("puts every zone within 9 hours of its reference offset, the far ones within 2", () => {
    for (const zone of names) {
      const reference = FAR_ZONE_OFFSETS[zone] ?? 0;
      for (const t of instants) {
        const offset = zoneOffsets(zone).offsetAt(t) / 60_000;
        expect(Math.abs(offset - reference), `${zone} at ${new Date(t).toISOString()}`).toBeLessThanOrEqual(
          zone in FAR_ZONE_OFFSETS ? 120 : 540,
        );
      }
    }
  });
});
