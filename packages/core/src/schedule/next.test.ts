import { describe, expect, it } from "vitest";
import { nextFireTime, nextFireTimes } from "./index.js";

/** Hand-checked fire times (UTC unless a zone is given), as ISO strings without milliseconds. */
function fires(expression: string, from: string, count: number, timezone?: string): string[] {
  return nextFireTimes(expression, {
    from: Date.parse(from),
    count,
    ...(timezone === undefined ? {} : { timezone }),
  }).map((t) => new Date(t).toISOString().replace(".000Z", "Z"));
}

describe("cron: plain fields", () => {
  it("every 5 minutes, strictly after from", () => {
    expect(fires("cron(0/5 * * * ? *)", "2025-01-01T00:00:00Z", 3)).toStrictEqual([
      "2025-01-01T00:05:00Z",
      "2025-01-01T00:10:00Z",
      "2025-01-01T00:15:00Z",
    ]);
    expect(fires("cron(*/5 * * * ? *)", "2025-01-01T00:04:59.999Z", 1)).toStrictEqual(["2025-01-01T00:05:00Z"]);
  });

  it("a/n starts at a: 1/10 is minutes 1, 11, 21 …", () => {
    expect(fires("cron(1/10 9 * * ? *)", "2025-01-01T00:00:00Z", 7)).toStrictEqual([
      "2025-01-01T09:01:00Z",
      "2025-01-01T09:11:00Z",
      "2025-01-01T09:21:00Z",
      "2025-01-01T09:31:00Z",
      "2025-01-01T09:41:00Z",
      "2025-01-01T09:51:00Z",
      "2025-01-02T09:01:00Z",
    ]);
  });

  it("weekdays at 9:15, with names and numbers alike", () => {
    const expected = ["2025-01-03T09:15:00Z", "2025-01-06T09:15:00Z", "2025-01-07T09:15:00Z"];
    expect(fires("cron(15 9 ? * MON-FRI *)", "2025-01-02T10:00:00Z", 3)).toStrictEqual(expected);
    expect(fires("cron(15 9 ? * 2-6 *)", "2025-01-02T10:00:00Z", 3)).toStrictEqual(expected);
    expect(fires("cron(15 9 ? * mon-fri *)", "2025-01-02T10:00:00Z", 3)).toStrictEqual(expected);
  });

  it("wrap-around ranges: FRI-MON, hours 22-2, NOV-FEB", () => {
    // 2025-01-02 is a Thursday.
    expect(fires("cron(0 12 ? * FRI-MON *)", "2025-01-02T00:00:00Z", 5)).toStrictEqual([
      "2025-01-03T12:00:00Z",
      "2025-01-04T12:00:00Z",
      "2025-01-05T12:00:00Z",
      "2025-01-06T12:00:00Z",
      "2025-01-10T12:00:00Z",
    ]);
    expect(fires("cron(0 22-2 * * ? *)", "2025-01-01T12:00:00Z", 6)).toStrictEqual([
      "2025-01-01T22:00:00Z",
      "2025-01-01T23:00:00Z",
      "2025-01-02T00:00:00Z",
      "2025-01-02T01:00:00Z",
      "2025-01-02T02:00:00Z",
      "2025-01-02T22:00:00Z",
    ]);
    expect(fires("cron(0 0 1 NOV-FEB ? *)", "2025-01-15T00:00:00Z", 4)).toStrictEqual([
      "2025-02-01T00:00:00Z",
      "2025-11-01T00:00:00Z",
      "2025-12-01T00:00:00Z",
      "2026-01-01T00:00:00Z",
    ]);
  });

  it("the guide's example 0/30 20-2 ? * MON-FRI: the day-of-week is the day of each fire time", () => {
    // Friday 2025-01-03 20:00 … 23:30 fire; Saturday 00:00–02:30 do not; Monday 00:00 does.
    const times = fires("cron(0/30 20-2 ? * MON-FRI *)", "2025-01-03T19:00:00Z", 9);
    expect(times.slice(0, 8)).toStrictEqual([
      "2025-01-03T20:00:00Z",
      "2025-01-03T20:30:00Z",
      "2025-01-03T21:00:00Z",
      "2025-01-03T21:30:00Z",
      "2025-01-03T22:00:00Z",
      "2025-01-03T22:30:00Z",
      "2025-01-03T23:00:00Z",
      "2025-01-03T23:30:00Z",
    ]);
    expect(times[8]).toBe("2025-01-06T00:00:00Z");
  });

  it("year ranges end the schedule", () => {
    expect(fires("cron(0 0 1 1 ? 2030-2032)", "2025-01-01T00:00:00Z", 10)).toStrictEqual([
      "2030-01-01T00:00:00Z",
      "2031-01-01T00:00:00Z",
      "2032-01-01T00:00:00Z",
    ]);
    expect(fires("cron(0 0 1 1 ? 2020/5)", "2025-01-01T00:00:00Z", 3)).toStrictEqual([
      "2030-01-01T00:00:00Z",
      "2035-01-01T00:00:00Z",
      "2040-01-01T00:00:00Z",
    ]);
    expect(fires("cron(0 0 1 1 ? 2019-2022)", "2025-01-01T00:00:00Z", 10)).toStrictEqual([]);
    expect(fires("cron(59 23 31 12 ? *)", "2199-12-31T23:59:00Z", 1)).toStrictEqual([]);
  });

  it("a leap day fires every four years, skipping 2100", () => {
    const times = fires("cron(0 0 29 2 ? *)", "2025-01-01T00:00:00Z", 1000);
    expect(times.slice(0, 3)).toStrictEqual(["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"]);
    expect(times).not.toContain("2100-02-29T00:00:00Z");
    expect(times).toContain("2096-02-29T00:00:00Z");
    expect(times).toContain("2104-02-29T00:00:00Z");
    expect(times.at(-1)).toBe("2196-02-29T00:00:00Z");
    expect(times).toHaveLength(42);
  });

  it("a day a month lacks is skipped in that month", () => {
    expect(fires("cron(0 0 31 * ? *)", "2025-01-31T00:00:00Z", 3)).toStrictEqual([
      "2025-03-31T00:00:00Z",
      "2025-05-31T00:00:00Z",
      "2025-07-31T00:00:00Z",
    ]);
  });

  it("from before 1970 starts in 1970", () => {
    expect(fires("cron(0 0 1 1 ? *)", "1960-06-01T00:00:00Z", 1)).toStrictEqual(["1970-01-01T00:00:00Z"]);
  });
});

describe("cron: L, W, LW, # and L in day-of-week", () => {
  it("L is the last day of the month; L-2 two days before it", () => {
    expect(fires("cron(0 0 L * ? 2024)", "2024-01-01T00:00:00Z", 4)).toStrictEqual([
      "2024-01-31T00:00:00Z",
      "2024-02-29T00:00:00Z",
      "2024-03-31T00:00:00Z",
      "2024-04-30T00:00:00Z",
    ]);
    expect(fires("cron(0 0 L-2 * ? 2025)", "2025-01-01T00:00:00Z", 3)).toStrictEqual([
      "2025-01-29T00:00:00Z",
      "2025-02-26T00:00:00Z",
      "2025-03-29T00:00:00Z",
    ]);
  });

  it("15W: the nearest weekday (a Saturday moves to Friday, a Sunday to Monday)", () => {
    // 15th of 2025: Jan Wed, Feb Sat, Mar Sat, Apr Tue, May Thu, Jun Sun.
    expect(fires("cron(0 10 15W * ? 2025)", "2025-01-01T00:00:00Z", 6)).toStrictEqual([
      "2025-01-15T10:00:00Z",
      "2025-02-14T10:00:00Z",
      "2025-03-14T10:00:00Z",
      "2025-04-15T10:00:00Z",
      "2025-05-15T10:00:00Z",
      "2025-06-16T10:00:00Z",
    ]);
  });

  it("W never leaves the month: 1W on a Saturday is Monday the 3rd, 31W on a Sunday is Friday the 29th", () => {
    // 1st of 2025: Jan Wed, Feb Sat, Mar Sat, Apr Tue, May Thu, Jun Sun.
    expect(fires("cron(0 10 1W * ? 2025)", "2025-01-01T12:00:00Z", 5)).toStrictEqual([
      "2025-02-03T10:00:00Z",
      "2025-03-03T10:00:00Z",
      "2025-04-01T10:00:00Z",
      "2025-05-01T10:00:00Z",
      "2025-06-02T10:00:00Z",
    ]);
    // 31st of 2025: Jan Fri, Mar Mon, May Sat, Jul Thu, Aug Sun; months without a 31st have no fire.
    expect(fires("cron(0 0 31W * ? 2025)", "2025-01-01T00:00:00Z", 5)).toStrictEqual([
      "2025-01-31T00:00:00Z",
      "2025-03-31T00:00:00Z",
      "2025-05-30T00:00:00Z",
      "2025-07-31T00:00:00Z",
      "2025-08-29T00:00:00Z",
    ]);
  });

  it("LW is the last weekday of the month", () => {
    // Last day of 2025: Jan Fri, Feb Fri, Mar Mon, Apr Wed, May Sat, Jun Mon, Jul Thu, Aug Sun.
    expect(fires("cron(0 0 LW * ? 2025)", "2025-01-01T00:00:00Z", 8)).toStrictEqual([
      "2025-01-31T00:00:00Z",
      "2025-02-28T00:00:00Z",
      "2025-03-31T00:00:00Z",
      "2025-04-30T00:00:00Z",
      "2025-05-30T00:00:00Z",
      "2025-06-30T00:00:00Z",
      "2025-07-31T00:00:00Z",
      "2025-08-29T00:00:00Z",
    ]);
  });

  it("3#2 is the second Tuesday; MON#1 the first Monday; 2#5 only in months with five Mondays", () => {
    expect(fires("cron(0 9 ? * 3#2 *)", "2025-01-01T00:00:00Z", 3)).toStrictEqual([
      "2025-01-14T09:00:00Z",
      "2025-02-11T09:00:00Z",
      "2025-03-11T09:00:00Z",
    ]);
    expect(fires("cron(0 9 ? * MON#1 *)", "2025-01-01T00:00:00Z", 3)).toStrictEqual([
      "2025-01-06T09:00:00Z",
      "2025-02-03T09:00:00Z",
      "2025-03-03T09:00:00Z",
    ]);
    expect(fires("cron(0 0 ? * 2#5 2025)", "2025-01-01T00:00:00Z", 10)).toStrictEqual([
      "2025-03-31T00:00:00Z",
      "2025-06-30T00:00:00Z",
      "2025-09-29T00:00:00Z",
      "2025-12-29T00:00:00Z",
    ]);
  });

  it("6L is the last Friday (the guide's example); 5L the last Thursday; L alone is Saturday", () => {
    expect(fires("cron(15 10 ? * 6L 2022-2023)", "2022-01-01T00:00:00Z", 4)).toStrictEqual([
      "2022-01-28T10:15:00Z",
      "2022-02-25T10:15:00Z",
      "2022-03-25T10:15:00Z",
      "2022-04-29T10:15:00Z",
    ]);
    expect(fires("cron(0 0 ? * 5L *)", "2025-01-01T00:00:00Z", 4)).toStrictEqual([
      "2025-01-30T00:00:00Z",
      "2025-02-27T00:00:00Z",
      "2025-03-27T00:00:00Z",
      "2025-04-24T00:00:00Z",
    ]);
    expect(fires("cron(0 0 ? * L *)", "2025-01-01T00:00:00Z", 2)).toStrictEqual([
      "2025-01-04T00:00:00Z",
      "2025-01-11T00:00:00Z",
    ]);
  });
});

describe("time zones and daylight saving time", () => {
  it("a half-hour zone without DST: Asia/Kolkata is UTC+5:30", () => {
    expect(fires("cron(0 9 * * ? *)", "2025-01-01T00:00:00Z", 2, "Asia/Kolkata")).toStrictEqual([
      "2025-01-01T03:30:00Z",
      "2025-01-02T03:30:00Z",
    ]);
  });

  it("America/New_York spring forward: 02:30 does not exist on 9 March 2025 and is skipped", () => {
    expect(fires("cron(30 2 * * ? *)", "2025-03-08T00:00:00Z", 2, "America/New_York")).toStrictEqual([
      "2025-03-08T07:30:00Z",
      "2025-03-10T06:30:00Z",
    ]);
    // Every 30 minutes: 01:30 EST, then 03:00 EDT.
    expect(fires("cron(0/30 * * * ? *)", "2025-03-09T06:00:00Z", 2, "America/New_York")).toStrictEqual([
      "2025-03-09T06:30:00Z",
      "2025-03-09T07:00:00Z",
    ]);
  });

  it("America/New_York fall back: 01:30 on 2 November 2025 fires once, before the shift", () => {
    expect(fires("cron(30 1 * * ? *)", "2025-11-01T00:00:00Z", 3, "America/New_York")).toStrictEqual([
      "2025-11-01T05:30:00Z",
      "2025-11-02T05:30:00Z",
      "2025-11-03T06:30:00Z",
    ]);
    // Every 30 minutes: 01:00 and 01:30 EDT, not again in EST, then 02:00 EST.
    expect(fires("cron(0/30 * * * ? *)", "2025-11-02T04:45:00Z", 3, "America/New_York")).toStrictEqual([
      "2025-11-02T05:00:00Z",
      "2025-11-02T05:30:00Z",
      "2025-11-02T07:00:00Z",
    ]);
    // From inside the repeated hour (01:10 EST): its wall times already fired.
    expect(fires("cron(0/30 * * * ? *)", "2025-11-02T06:10:00Z", 1, "America/New_York")).toStrictEqual([
      "2025-11-02T07:00:00Z",
    ]);
  });

  it("Europe/London: 01:30 is skipped on 30 March 2025 and fires once on 26 October 2025", () => {
    expect(fires("cron(30 1 * * ? *)", "2025-03-29T00:00:00Z", 2, "Europe/London")).toStrictEqual([
      "2025-03-29T01:30:00Z",
      "2025-03-31T00:30:00Z",
    ]);
    expect(fires("cron(30 1 * * ? *)", "2025-10-25T00:00:00Z", 3, "Europe/London")).toStrictEqual([
      "2025-10-25T00:30:00Z",
      "2025-10-26T00:30:00Z",
      "2025-10-27T01:30:00Z",
    ]);
  });

  it("Australia/Adelaide (UTC+9:30, +10:30 in summer): both changes", () => {
    expect(fires("cron(30 2 * * ? *)", "2025-10-03T00:00:00Z", 2, "Australia/Adelaide")).toStrictEqual([
      "2025-10-03T17:00:00Z",
      "2025-10-05T16:00:00Z",
    ]);
    expect(fires("cron(30 2 * * ? *)", "2025-04-04T00:00:00Z", 3, "Australia/Adelaide")).toStrictEqual([
      "2025-04-04T16:00:00Z",
      "2025-04-05T16:00:00Z",
      "2025-04-06T17:00:00Z",
    ]);
  });
});

describe("rate and at", () => {
  it("rate counts from startDate, and from `from` without one", () => {
    const from = Date.parse("2025-01-01T00:00:00Z");
    expect(nextFireTimes("rate(5 minutes)", { from, count: 2 })).toStrictEqual([from + 300_000, from + 600_000]);
    const startDate = Date.parse("2024-12-31T23:58:00Z");
    expect(nextFireTimes("rate(5 minutes)", { from, count: 2, startDate })).toStrictEqual([
      startDate + 300_000,
      startDate + 600_000,
    ]);
    const later = Date.parse("2025-02-01T00:00:00Z");
    expect(nextFireTimes("rate(1 day)", { from, count: 1, startDate: later })).toStrictEqual([later]);
  });

  it("rate(1 day) is 24 hours across DST, whatever the zone", () => {
    const from = Date.parse("2025-03-08T12:00:00Z");
    const times = nextFireTimes("rate(1 day)", { from, count: 2, timezone: "America/New_York" });
    expect(times).toStrictEqual([from + 86_400_000, from + 2 * 86_400_000]);
  });

  it("endDate ends the schedule (inclusive)", () => {
    const from = Date.parse("2025-01-01T00:00:00Z");
    const endDate = Date.parse("2025-01-03T00:00:00Z");
    expect(nextFireTimes("cron(0 0 * * ? *)", { from, count: 10, endDate })).toHaveLength(2);
    expect(nextFireTimes("rate(1 day)", { from, count: 10, endDate })).toHaveLength(2);
  });

  it("startDate holds cron back", () => {
    const from = Date.parse("2025-01-01T00:00:00Z");
    const startDate = Date.parse("2025-01-05T00:00:00Z");
    expect(nextFireTime("cron(0 0 * * ? *)", { from, startDate })).toBe(startDate);
  });

  it("at() fires once, in its zone, if still ahead", () => {
    expect(fires("at(2030-01-23T00:00:00)", "2025-01-01T00:00:00Z", 5, "Asia/Kolkata")).toStrictEqual([
      "2030-01-22T18:30:00Z",
    ]);
    expect(fires("at(2020-01-23T00:00:00)", "2025-01-01T00:00:00Z", 5)).toStrictEqual([]);
    // A repeated wall time: its first instant; a skipped one: never.
    expect(fires("at(2025-11-02T01:30:00)", "2025-01-01T00:00:00Z", 1, "America/New_York")).toStrictEqual([
      "2025-11-02T05:30:00Z",
    ]);
    expect(fires("at(2025-03-09T02:30:00)", "2025-01-01T00:00:00Z", 1, "America/New_York")).toStrictEqual([]);
  });
});
