import { describe, expect, it } from "vitest";
import { z } from "zod";
import { lambda } from "./lambda.js";
import { pipeline } from "./pipeline.js";
import { cron, daily, hourly, monthly, once, rate, schedule, scheduled, weekly } from "./schedule.js";

describe("schedule helpers", () => {
  it("write AWS expressions", () => {
    expect(daily("02:30").expression).toBe("cron(30 2 * * ? *)");
    expect(daily("0:05").expression).toBe("cron(5 0 * * ? *)");
    expect(hourly().expression).toBe("cron(0 * * * ? *)");
    expect(hourly(45).expression).toBe("cron(45 * * * ? *)");
    expect(weekly("MON", "06:00").expression).toBe("cron(0 6 ? * MON *)");
    expect(weekly(["MON", "THU", "MON"], "18:15").expression).toBe("cron(15 18 ? * MON,THU *)");
    expect(monthly(1, "04:00").expression).toBe("cron(0 4 1 * ? *)");
    expect(monthly("last", "23:59").expression).toBe("cron(59 23 L * ? *)");
    expect(cron("0 3 ? * MON-FRI *").expression).toBe("cron(0 3 ? * MON-FRI *)");
    expect(cron("cron(0 3 ? * MON-FRI *)").expression).toBe("cron(0 3 ? * MON-FRI *)");
    expect(once("2027-01-01T09:00:00").expression).toBe("at(2027-01-01T09:00:00)");
  });

  it("use AWS's singular unit for a rate of 1", () => {
    expect(rate(1, "hours").expression).toBe("rate(1 hour)");
    expect(rate(15, "minute").expression).toBe("rate(15 minutes)");
    expect(rate(2, "days").expression).toBe("rate(2 days)");
  });

  it("split static and scheduled input, and keep the options", () => {
    const s = daily("02:30", {
      timezone: "Europe/Paris",
      input: { mode: "full", date: scheduled.date({ offsetDays: -1 }), at: scheduled.time() },
      overlap: "skip",
      startDate: new Date("2027-01-01T00:00:00Z"),
      retry: { maxAttempts: 2 },
    });
    expect(s).toEqual({
      expression: "cron(30 2 * * ? *)",
      timezone: "Europe/Paris",
      input: { mode: "full" },
      scheduledInput: { date: { kind: "date", offsetDays: -1 }, at: { kind: "time" } },
      startDate: "2027-01-01T00:00:00.000Z",
      retry: { maxAttempts: 2 },
      overlap: "skip",
    });
    expect(schedule("rate(5 minutes)")).toEqual({ expression: "rate(5 minutes)" });
  });

  it("reject malformed times with a code and a fix", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as { problems: { code: string; fix: string }[] }).problems[0]?.code;
      }
      return "none";
    };
    expect(code(() => daily("25:00"))).toBe("SL_SCHEDULE_TIME_INVALID");
    expect(code(() => daily("2.30" as never))).toBe("SL_SCHEDULE_TIME_INVALID");
    expect(code(() => hourly(60))).toBe("SL_SCHEDULE_TIME_INVALID");
    expect(code(() => weekly([], "01:00"))).toBe("SL_SCHEDULE_TIME_INVALID");
    expect(code(() => weekly("MONDAY" as never, "01:00"))).toBe("SL_SCHEDULE_TIME_INVALID");
    expect(code(() => monthly(32, "01:00"))).toBe("SL_SCHEDULE_TIME_INVALID");
    expect(code(() => scheduled.date({ offsetDays: 0.5 }))).toBe("SL_SCHEDULE_INPUT_INVALID");
    expect(code(() => daily("01:00", { startDate: new Date("nope") }))).toBe("SL_SCHEDULE_DATE_INVALID");
  });

  it("end up in the pipeline model", () => {
    const model = pipeline({
      name: "p",
      input: z.object({ date: z.string() }),
      schedule: daily("02:30", { timezone: "Europe/Paris", input: { date: scheduled.date({ offsetDays: -1 }) } }),
      steps: () => [lambda("a", { functionName: "f" })],
    });
    expect(model.schedule?.scheduledInput).toEqual({ date: { kind: "date", offsetDays: -1 } });
  });
});
