import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSteplineError } from "../errors/problem.js";
import { checkTimezone, isTimezone, nextFireTimes, suggestTimezones } from "./index.js";
import { zoneOffsets } from "./private/zone.js";

describe("time zones", () => {
  it("takes IANA names, links included", () => {
    for (const zone of [
      "UTC",
      "Europe/Paris",
      "America/New_York",
      "Asia/Kolkata",
      "Asia/Calcutta",
      "US/Eastern",
      "Etc/GMT+5",
      "EST",
    ]) {
      expect(isTimezone(zone), zone).toBe(true);
    }
  });

  it("refuses a name in the wrong case, with the right one", () => {
    expect(checkTimezone("europe/paris", { field: "schedule.timezone" })).toStrictEqual([
      {
        code: "SL_SCHEDULE_TIMEZONE",
        severity: "error",
        message: "time zone 'europe/paris' is not written as the IANA database writes it (names are case-sensitive)",
        fix: "write 'Europe/Paris'",
        field: "schedule.timezone",
      },
    ]);
    expect(checkTimezone("EUROPE/PARIS")[0]?.fix).toBe("write 'Europe/Paris'");
    expect(checkTimezone("us/eastern")[0]?.fix).toBe("write 'US/Eastern'");
  });

  it("refuses unknown names, offsets and ICU-only abbreviations, suggesting zones", () => {
    expect(checkTimezone("Europe/Pari")[0]?.fix).toBe("did you mean 'Europe/Paris'?");
    expect(checkTimezone("Paris")[0]?.fix).toBe("did you mean 'Europe/Paris'?");
    expect(checkTimezone("New York")[0]?.fix).toBe("did you mean 'America/New_York'?");
    expect(checkTimezone("PST")[0]?.fix).toBe("did you mean 'America/Los_Angeles'?");
    expect(checkTimezone("IST")[0]?.fix).toBe("did you mean 'Asia/Kolkata'?");
    expect(checkTimezone("+05:00")[0]?.code).toBe("SL_SCHEDULE_TIMEZONE");
    expect(checkTimezone("Mars/Olympus_Mons")[0]?.fix).toBe(
      "use an IANA zone name such as UTC, America/New_York or Europe/Paris",
    );
    expect(checkTimezone("")[0]?.code).toBe("SL_SCHEDULE_TIMEZONE");
    expect(suggestTimezones("America/Los_Angles")).toContain("America/Los_Angeles");
  });

  it("nextFireTimes refuses a bad zone and bad options with codes", () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return isSteplineError(error) ? error.code : "not a SteplineError";
      }
      return "no error";
    };
    const from = 0;
    expect(codeOf(() => nextFireTimes("rate(1 day)", { from, count: 1, timezone: "europe/paris" }))).toBe(
      "SL_SCHEDULE_TIMEZONE",
    );
    expect(codeOf(() => nextFireTimes("rate(1 day)", { from, count: -1 }))).toBe("SL_SCHEDULE_OPTIONS");
    expect(codeOf(() => nextFireTimes("rate(1 day)", { from: Number.NaN, count: 1 }))).toBe("SL_SCHEDULE_OPTIONS");
    expect(codeOf(() => nextFireTimes("rate(1 day)", { from: new Date("x"), count: 1 }))).toBe("SL_SCHEDULE_OPTIONS");
    expect(codeOf(() => nextFireTimes("cron(0 3 * * *)", { from, count: 1 }))).toBe("SL_SCHEDULE_UNIX_CRON");
  });

  it("a zone with a 30-minute DST shift: Australia/Lord_Howe", () => {
    // UTC+10:30, +11 in summer; 5 October 2025 02:00 → 02:30 (02:00–02:29 skipped).
    const from = Date.parse("2025-10-04T00:00:00Z");
    const times = nextFireTimes("cron(15 2 * * ? *)", { from, count: 2, timezone: "Australia/Lord_Howe" });
    expect(times.map((t) => new Date(t).toISOString())).toStrictEqual([
      "2025-10-05T15:15:00.000Z", // 6 October; 5 October's 02:15 does not exist
      "2025-10-06T15:15:00.000Z",
    ]);
  });
});

describe("zone offsets", () => {
  const zones = Intl.supportedValuesOf("timeZone");
  const formats = new Map<string, Intl.DateTimeFormat>();
  const intlOffset = (zone: string, t: number) => {
    let format = formats.get(zone);
    if (!format) {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
      formats.set(zone, format);
    }
    const p = format.formatToParts(t);
    const n = (type: string) => Number(p.find((x) => x.type === type)?.value);
    return (
      Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) - Math.floor(t / 1000) * 1000
    );
  };
  const instant = fc
    .integer({ min: Date.UTC(1970, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 })
    .map((s) => s * 1000);

  it("offsetAt matches Intl at any instant in any zone", () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, (zone, t) => {
        expect(zoneOffsets(zone).offsetAt(t)).toBe(intlOffset(zone, t));
      }),
      { numRuns: 3000 },
    );
  });

  it("offsetAt matches Intl around each change of a DST zone", () => {
    for (const zone of ["America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Sao_Paulo"]) {
      const z = zoneOffsets(zone);
      for (let day = Date.UTC(2000, 0, 1); day < Date.UTC(2030, 0, 1); day += 86_400_000) {
        if (intlOffset(zone, day) === intlOffset(zone, day + 86_400_000)) continue;
        for (let t = day; t < day + 86_400_000; t += 3_600_000) {
          if (intlOffset(zone, t) === intlOffset(zone, t + 3_600_000)) continue;
          for (let u = t; u <= t + 3_600_000; u += 60_000) expect(z.offsetAt(u)).toBe(intlOffset(zone, u));
        }
      }
    }
  });

  it("firstInstant is the earliest instant showing a wall time, or NaN when none does", () => {
    const zone = fc.constantFrom(
      "America/New_York",
      "Europe/London",
      "Australia/Adelaide",
      "Australia/Lord_Howe",
      "Asia/Kolkata",
    );
    // Wall times near 02:00, where the changes are.
    const wall = fc
      .record({ day: fc.integer({ min: 0, max: 365 * 30 }), minute: fc.integer({ min: 0, max: 240 }) })
      .map(({ day, minute }) => Date.UTC(2000, 0, 1) + day * 86_400_000 + minute * 60_000);
    fc.assert(
      fc.property(zone, wall, (name, w) => {
        const z = zoneOffsets(name);
        const showing: number[] = [];
        for (const offset of new Set([z.offsetAt(w - 86_400_000), z.offsetAt(w + 86_400_000)])) {
          if (intlOffset(name, w - offset) === offset) showing.push(w - offset);
        }
        const t = z.firstInstant(w);
        if (showing.length === 0) expect(t).toBeNaN();
        else expect(t).toBe(Math.min(...showing));
      }),
      { numRuns: 3000 },
    );
  });
});
