import { describe, expect, it } from "vitest";
import { isSteplineError } from "../errors/problem.js";
import {
  checkScheduleExpression,
  formatScheduleExpression,
  parseScheduleExpression,
  SCHEDULE_CODES,
  tryParseScheduleExpression,
} from "./index.js";

/** The codes and fixes of an expression's problems. */
function problems(expression: string): { code: string; message: string; fix: string }[] {
  return tryParseScheduleExpression(expression).problems.map(({ code, message, fix }) => ({ code, message, fix }));
}
const codes = (expression: string) => problems(expression).map((p) => p.code);
const fix = (expression: string) => problems(expression)[0]?.fix;

describe("parseScheduleExpression: the model", () => {
  it("reads every field of a cron expression", () => {
    expect(parseScheduleExpression("cron(0/15 8-17 ? JAN,MAR MON-FRI 2025-2026)")).toStrictEqual({
      kind: "cron",
      expression: "cron(0/15 8-17 ? JAN,MAR MON-FRI 2025-2026)",
      minutes: [0, 15, 30, 45],
      hours: [8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
      dayOfMonth: { kind: "any" },
      months: [1, 3],
      dayOfWeek: { kind: "days", days: [2, 3, 4, 5, 6] },
      years: [2025, 2026],
    });
  });

  it("reads L, L-n, LW, nW, nL, n#k and L alone in day-of-week (Saturday)", () => {
    const day = (e: string) => {
      const s = parseScheduleExpression(e);
      return s.kind === "cron" ? [s.dayOfMonth, s.dayOfWeek] : undefined;
    };
    expect(day("cron(0 0 L * ? *)")?.[0]).toStrictEqual({ kind: "last", offset: 0 });
    expect(day("cron(0 0 L-3 * ? *)")?.[0]).toStrictEqual({ kind: "last", offset: 3 });
    expect(day("cron(0 0 LW * ? *)")?.[0]).toStrictEqual({ kind: "lastWeekday" });
    expect(day("cron(0 0 lw * ? *)")?.[0]).toStrictEqual({ kind: "lastWeekday" });
    expect(day("cron(0 0 15W * ? *)")?.[0]).toStrictEqual({ kind: "nearestWeekday", day: 15 });
    expect(day("cron(0 0 ? * 6L *)")?.[1]).toStrictEqual({ kind: "last", day: 6 });
    expect(day("cron(0 0 ? * FRIL *)")?.[1]).toStrictEqual({ kind: "last", day: 6 });
    expect(day("cron(0 0 ? * 3#2 *)")?.[1]).toStrictEqual({ kind: "nth", day: 3, nth: 2 });
    expect(day("cron(0 0 ? * TUE#2 *)")?.[1]).toStrictEqual({ kind: "nth", day: 3, nth: 2 });
    expect(day("cron(0 0 ? * L *)")?.[1]).toStrictEqual({ kind: "days", days: [7] });
    expect(day("cron(0 0 ? * WED,SAT *)")?.[1]).toStrictEqual({ kind: "days", days: [4, 7] });
    expect(day("cron(0 0 ? * 2/2 *)")?.[1]).toStrictEqual({ kind: "days", days: [2, 4, 6] });
    expect(day("cron(0 0 ? * */3 *)")?.[1]).toStrictEqual({ kind: "days", days: [1, 4, 7] });
  });

  it("reads wrap-around ranges and steps on them", () => {
    const s = parseScheduleExpression("cron(50-10/5 22-2 ? NOV-FEB FRI-MON *)");
    expect(s.kind === "cron" && [s.minutes, s.hours, s.months, s.dayOfWeek]).toStrictEqual([
      [0, 5, 10, 50, 55],
      [0, 1, 2, 22, 23],
      [1, 2, 11, 12],
      { kind: "days", days: [1, 2, 6, 7] },
    ]);
  });

  it("reads rate and at", () => {
    expect(parseScheduleExpression("rate(1 hour)")).toStrictEqual({
      kind: "rate",
      expression: "rate(1 hour)",
      value: 1,
      unit: "hour",
      intervalMs: 3_600_000,
    });
    expect(parseScheduleExpression("rate(5 days)")).toMatchObject({ value: 5, unit: "day", intervalMs: 432_000_000 });
    expect(parseScheduleExpression(" at(2030-01-23T13:00:00) ")).toStrictEqual({
      kind: "at",
      expression: "at(2030-01-23T13:00:00)",
      year: 2030,
      month: 1,
      day: 23,
      hour: 13,
      minute: 0,
      second: 0,
    });
  });

  it("formats canonically", () => {
    const f = (e: string) => formatScheduleExpression(parseScheduleExpression(e));
    expect(f("cron(0/15 * * * ? *)")).toBe("cron(*/15 * * * ? *)");
    expect(f("cron(5,6,7,9 1/6 ? JAN-MAR MON-FRI 2025)")).toBe("cron(5-7,9 1/6 ? 1-3 2-6 2025)");
    expect(f("cron(0 0 L-2 * ? *)")).toBe("cron(0 0 L-2 * ? *)");
    expect(f("cron(0 0 ? * 1,3,5,7 *)")).toBe("cron(0 0 ? * 1,3,5,7 *)");
    expect(f("rate(1 minute)")).toBe("rate(1 minute)");
    expect(f("at(2030-01-02T03:04:05)")).toBe("at(2030-01-02T03:04:05)");
  });

  it("throws one SteplineError carrying every problem, at the given location", () => {
    let caught: unknown;
    try {
      parseScheduleExpression("cron(60 24 * * ? *)", { where: { file: "p.ts", field: "schedule.expression" } });
    } catch (error) {
      caught = error;
    }
    expect(isSteplineError(caught)).toBe(true);
    if (!isSteplineError(caught)) return;
    expect(caught.problems.map((p) => [p.code, p.file, p.field])).toStrictEqual([
      ["SL_SCHEDULE_FIELD_RANGE", "p.ts", "schedule.expression"],
      ["SL_SCHEDULE_FIELD_RANGE", "p.ts", "schedule.expression"],
    ]);
  });
});

describe("parseScheduleExpression: problems, with stable codes and the fix", () => {
  it("the day fields: exactly one is ?", () => {
    expect(problems("cron(0 3 * * * *)")).toStrictEqual([
      {
        code: SCHEDULE_CODES.dayFields,
        message: "both day-of-month and day-of-week are set; one of them must be ?",
        fix: "write ? in day-of-month: cron(0 3 ? * * *)",
      },
    ]);
    expect(fix("cron(0 3 1 * * *)")).toBe("write ? in day-of-week: cron(0 3 1 * ? *)");
    expect(fix("cron(0 3 1 * MON *)")).toContain("use two schedules");
    expect(problems("cron(0 3 ? * ? *)")).toStrictEqual([
      {
        code: "SL_SCHEDULE_DAY_FIELDS",
        message: "day-of-month and day-of-week are both ?; one of them must name the days",
        fix: "write * in day-of-month for every day: cron(0 3 * * ? *)",
      },
    ]);
  });

  it("day-of-week 0 (Unix's Sunday)", () => {
    expect(problems("cron(0 3 ? * 0 *)")).toStrictEqual([
      {
        code: "SL_SCHEDULE_FIELD_RANGE",
        message: "day-of-week 0 is not valid in AWS cron (1–7 = SUN–SAT); did you mean 1 (SUN)?",
        fix: "AWS numbers days 1 (SUN) to 7 (SAT), not Unix's 0–6: write day-of-week as 1",
      },
    ]);
    expect(fix("cron(0 3 ? * 0-4 *)")).toBe(
      "AWS numbers days 1 (SUN) to 7 (SAT), not Unix's 0–6: write day-of-week as 1-5",
    );
    // With * in day-of-month too, both problems, and the second fix already uses AWS's day.
    expect(problems("cron(0 3 * * 0 *)").map((p) => [p.code, p.fix])).toStrictEqual([
      ["SL_SCHEDULE_FIELD_RANGE", "AWS numbers days 1 (SUN) to 7 (SAT), not Unix's 0–6: write day-of-week as 1"],
      ["SL_SCHEDULE_DAY_FIELDS", "write ? in day-of-month: cron(0 3 ? * 1 *)"],
    ]);
  });

  it("Unix five-field cron, bare or wrapped, is translated", () => {
    expect(problems("0 3 * * *")).toStrictEqual([
      {
        code: "SL_SCHEDULE_UNIX_CRON",
        message:
          "'0 3 * * *' is a five-field Unix cron expression; AWS wants cron(…) with six fields (… day-of-week year), days 1–7 from SUN and ? in one day field",
        fix: "write cron(0 3 * * ? *)",
      },
    ]);
    expect(codes("cron(0 3 * * *)")).toStrictEqual(["SL_SCHEDULE_UNIX_CRON"]);
    expect(fix("cron(0 3 * * *)")).toBe("write cron(0 3 * * ? *)");
    expect(fix("*/15 9-17 * * 1-5")).toBe("write cron(*/15 9-17 ? * 2-6 *)");
    expect(fix("0 3 * * 0")).toBe("write cron(0 3 ? * 1 *)");
    expect(fix("0 3 * * 7")).toBe("write cron(0 3 ? * 1 *)");
    expect(fix("0 3 * * 5-7")).toBe("write cron(0 3 ? * 1,6,7 *)");
    expect(fix("0 3 * * MON-FRI")).toBe("write cron(0 3 ? * MON-FRI *)");
    expect(fix("0 3 1 * *")).toBe("write cron(0 3 1 * ? *)");
    expect(fix("0 3 1 * 1")).toBe(
      "Unix runs on either day field; AWS takes one: use two schedules, cron(0 3 1 * ? *) and cron(0 3 ? * 2 *)",
    );
    expect(problems("@daily")).toStrictEqual([
      {
        code: "SL_SCHEDULE_UNIX_CRON",
        message: "'@daily' is a Unix cron macro; AWS does not take macros",
        fix: "write cron(0 0 * * ? *)",
      },
    ]);
  });

  it("expressions without their wrapper", () => {
    expect(problems("0 3 * * ? *")).toStrictEqual([
      {
        code: "SL_SCHEDULE_MISSING_WRAPPER",
        message: "'0 3 * * ? *' lacks its cron( ) wrapper",
        fix: "write cron(0 3 * * ? *)",
      },
    ]);
    expect(fix("0 3 * * * *")).toBe("write cron(…) around it, and: write ? in day-of-month: cron(0 3 ? * * *)");
    expect(fix("5 minutes")).toBe("write rate(5 minutes)");
    expect(fix("2030-01-01T10:00:00")).toBe("write at(2030-01-01T10:00:00)");
    expect(codes("every day")).toStrictEqual(["SL_SCHEDULE_UNKNOWN_FORM"]);
    expect(fix("CRON(0 3 * * ? *)")).toBe("write cron( in lower case: cron(0 3 * * ? *)");
    expect(codes("")).toStrictEqual(["SL_SCHEDULE_EMPTY"]);
  });

  it("Quartz's seconds field", () => {
    expect(problems("cron(0 0 3 * * ? *)")).toStrictEqual([
      {
        code: "SL_SCHEDULE_SECONDS_FIELD",
        message: "'0 0 3 * * ? *' has seven fields: AWS cron has no seconds field",
        fix: "drop the seconds: cron(0 3 * * ? *)",
      },
    ]);
    expect(fix("cron(0 0 3 * * ?)")).toBe("drop the seconds and add the year: cron(0 3 * * ? *)");
    expect(codes("cron(0 3 * *)")).toStrictEqual(["SL_SCHEDULE_FIELD_COUNT"]);
  });

  it("values out of range", () => {
    const cases: [string, string][] = [
      ["cron(60 3 * * ? *)", "minutes 60 is out of range in '60' (0–59)"],
      ["cron(0 24 * * ? *)", "hours 24 is not valid (hours are 0–23; midnight is 0)"],
      ["cron(0 3 0 * ? *)", "day-of-month 0 is out of range in '0' (1–31)"],
      ["cron(0 3 32 * ? *)", "day-of-month 32 is out of range in '32' (1–31)"],
      ["cron(0 3 ? 0 * *)", "month 0 is not valid (months are 1–12 = JAN–DEC)"],
      ["cron(0 3 ? 13 * *)", "month 13 is out of range in '13' (1–12 or JAN–DEC)"],
      ["cron(0 3 ? * 8 *)", "day-of-week 8 is out of range in '8' (1–7 = SUN–SAT)"],
      ["cron(0 3 * * ? 1969)", "year 1969 is out of range in '1969' (1970–2199)"],
      ["cron(0 3 * * ? 2200)", "year 2200 is out of range in '2200' (1970–2199)"],
    ];
    for (const [expression, message] of cases) {
      expect(problems(expression).map((p) => [p.code, p.message])).toStrictEqual([
        ["SL_SCHEDULE_FIELD_RANGE", message],
      ]);
    }
    expect(problems("cron(0 3 * * ? 2030-2020)")).toStrictEqual([
      {
        code: "SL_SCHEDULE_FIELD_RANGE",
        message: "year range 2030-2020 runs backwards",
        fix: "write the year range from the earlier value: 2020-2030",
      },
    ]);
    expect(codes("cron(0 3 L-31 * ? *)")).toStrictEqual(["SL_SCHEDULE_FIELD_RANGE"]);
    expect(codes("cron(0 3 32W * ? *)")).toStrictEqual(["SL_SCHEDULE_FIELD_RANGE"]);
    expect(codes("cron(0 3 ? * 3#6 *)")).toStrictEqual(["SL_SCHEDULE_FIELD_RANGE"]);
  });

  it("wildcards in the wrong field or in lists", () => {
    expect(problems("cron(? 3 * * ? *)")).toStrictEqual([
      {
        code: "SL_SCHEDULE_QUESTION_MARK",
        message: "minutes cannot be '?': only day-of-month and day-of-week take '?'",
        fix: "write * for every minute",
      },
    ]);
    expect(codes("cron(0 L * * ? *)")).toStrictEqual(["SL_SCHEDULE_WILDCARD_FIELD"]);
    expect(codes("cron(0 3 ? * 1W *)")).toStrictEqual(["SL_SCHEDULE_WILDCARD_FIELD"]);
    expect(codes("cron(0 3 3#2 * ? *)")).toStrictEqual(["SL_SCHEDULE_WILDCARD_FIELD"]);
    expect(codes("cron(0 3 * 5L ? *)")).toStrictEqual(["SL_SCHEDULE_WILDCARD_FIELD"]);
    expect(problems("cron(0 3 ? * 3#1,6#3 *)")).toStrictEqual([
      {
        code: "SL_SCHEDULE_SPECIAL_IN_LIST",
        message:
          "day-of-week '3#1,6#3': '#' must stand alone in the field (AWS reads a list such as 3#1,6#3 as two expressions)",
        fix: "use one n#k or nL per schedule, and a second schedule for the other day",
      },
    ]);
    expect(codes("cron(0 3 1,L * ? *)")).toStrictEqual(["SL_SCHEDULE_SPECIAL_IN_LIST"]);
    expect(codes("cron(0 3 1-15W * ? *)")).toStrictEqual(["SL_SCHEDULE_SPECIAL_IN_LIST"]);
    expect(codes("cron(0 3 1,? * ? *)")).toStrictEqual(["SL_SCHEDULE_SPECIAL_IN_LIST"]);
  });

  it("syntax and steps", () => {
    expect(problems("cron(0/0 3 * * ? *)")).toStrictEqual([
      {
        code: "SL_SCHEDULE_STEP",
        message: "minutes '0/0': step '0' must be a whole number from 1 to 59",
        fix: "write a step such as 0/5",
      },
    ]);
    expect(codes("cron(0/60 3 * * ? *)")).toStrictEqual(["SL_SCHEDULE_STEP"]);
    expect(codes("cron(0 */24 * * ? *)")).toStrictEqual(["SL_SCHEDULE_STEP"]);
    expect(codes("cron(0 3 * FOO ? *)")).toStrictEqual(["SL_SCHEDULE_FIELD_SYNTAX"]);
    expect(codes("cron(0 3 * * ? *-2030)")).toStrictEqual(["SL_SCHEDULE_FIELD_SYNTAX"]);
    expect(codes("cron(1,,2 3 * * ? *)")).toStrictEqual(["SL_SCHEDULE_FIELD_SYNTAX"]);
    expect(codes("cron(H 3 * * ? *)")).toStrictEqual(["SL_SCHEDULE_FIELD_SYNTAX"]);
    // Every field's problem is reported, not only the first.
    expect(codes("cron(61 25 * 13 ? *)")).toStrictEqual([
      "SL_SCHEDULE_FIELD_RANGE",
      "SL_SCHEDULE_FIELD_RANGE",
      "SL_SCHEDULE_FIELD_RANGE",
    ]);
  });

  it("rate", () => {
    const cases: [string, string, string][] = [
      ["rate(5 minute)", "SL_SCHEDULE_RATE_UNIT", "write rate(5 minutes)"],
      ["rate(1 minutes)", "SL_SCHEDULE_RATE_UNIT", "write rate(1 minute)"],
      ["rate(1 hours)", "SL_SCHEDULE_RATE_UNIT", "write rate(1 hour)"],
      ["rate(5 Minutes)", "SL_SCHEDULE_RATE_UNIT", "write rate(5 minutes)"],
      ["rate(0 minutes)", "SL_SCHEDULE_RATE_VALUE", "write e.g. rate(5 minutes)"],
      ["rate(-5 minutes)", "SL_SCHEDULE_RATE_VALUE", "write e.g. rate(5 minutes)"],
      ["rate(1.5 hours)", "SL_SCHEDULE_RATE_VALUE", "write rate(90 minutes)"],
      ["rate(30 seconds)", "SL_SCHEDULE_RATE_UNIT", "write rate(1 minute) or slower"],
      ["rate(2 weeks)", "SL_SCHEDULE_RATE_UNIT", "write rate(14 days)"],
      ["rate(1 month)", "SL_SCHEDULE_RATE_UNIT", "use a cron() expression, e.g. cron(0 0 1 * ? *) for monthly"],
      ["rate(5)", "SL_SCHEDULE_RATE_UNIT", "write e.g. rate(5 minutes), rate(1 hour) or rate(7 days)"],
    ];
    for (const [expression, code, f] of cases) {
      expect(
        problems(expression).map((p) => [p.code, p.fix]),
        expression,
      ).toStrictEqual([[code, f]]);
    }
  });

  it("at", () => {
    const cases: [string, string][] = [
      ["at(2030-01-01 10:00:00)", "write at(2030-01-01T10:00:00)"],
      ["at(2030-01-01T10:00)", "write at(2030-01-01T10:00:00)"],
      [
        "at(2030-01-01T10:00:00Z)",
        "write at(2030-01-01T10:00:00), without an offset: set the schedule's time zone instead",
      ],
      ["at(2030-01-01T10:00:00.000)", "write at(2030-01-01T10:00:00)"],
      ["at(2030-02-30T10:00:00)", "write a date that exists, hours 00–23, minutes and seconds 00–59"],
      ["at(2030-01-01T24:00:00)", "write a date that exists, hours 00–23, minutes and seconds 00–59"],
    ];
    for (const [expression, f] of cases) {
      expect(
        problems(expression).map((p) => [p.code, p.fix]),
        expression,
      ).toStrictEqual([["SL_SCHEDULE_AT_FORMAT", f]]);
    }
    expect(
      tryParseScheduleExpression("at(2030-01-01T10:00:00)", { service: "rules" }).problems.map((p) => p.code),
    ).toStrictEqual(["SL_SCHEDULE_AT_NEEDS_SCHEDULER"]);
  });
});

describe("checkScheduleExpression", () => {
  it("warns about expressions that never fire", () => {
    expect(checkScheduleExpression("cron(0 0 30 2 ? *)").map((p) => [p.code, p.severity])).toStrictEqual([
      ["SL_SCHEDULE_NEVER_FIRES", "warning"],
    ]);
    expect(checkScheduleExpression("cron(0 0 31 APR,JUN ? *)").map((p) => p.code)).toStrictEqual([
      "SL_SCHEDULE_NEVER_FIRES",
    ]);
    expect(checkScheduleExpression("cron(0 0 29 2 ? 2100)").map((p) => p.code)).toStrictEqual([
      "SL_SCHEDULE_NEVER_FIRES",
    ]);
    expect(checkScheduleExpression("cron(0 0 29 2 ? *)")).toStrictEqual([]);
    expect(
      checkScheduleExpression("at(2025-03-09T02:30:00)", { timezone: "America/New_York" }).map((p) => p.code),
    ).toStrictEqual(["SL_SCHEDULE_NEVER_FIRES"]);
  });

  it("checks the zone, and that EventBridge rules take neither a zone nor at()", () => {
    expect(
      checkScheduleExpression("cron(0 3 * * ? *)", { timezone: "Europe/Pari" }).map((p) => [p.code, p.field]),
    ).toStrictEqual([["SL_SCHEDULE_TIMEZONE", "timezone"]]);
    expect(
      checkScheduleExpression("at(2030-01-01T10:00:00)", { service: "rules", timezone: "Europe/Paris" }).map(
        (p) => p.code,
      ),
    ).toStrictEqual(["SL_SCHEDULE_AT_NEEDS_SCHEDULER", "SL_SCHEDULE_TIMEZONE_NEEDS_SCHEDULER"]);
    expect(checkScheduleExpression("rate(1 day)", { service: "rules", timezone: "UTC" })).toStrictEqual([]);
  });
});
