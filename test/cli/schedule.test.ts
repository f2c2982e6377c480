import { describe, expect, it } from "vitest";
import { stackFrame, stepline } from "./run.js";

const next = (args: string[]) => {
  const run = stepline(["schedule", ...args, "--json"]);
  expect(run.stderr).not.toContain(stackFrame);
  return { status: run.status, out: run.status === 0 ? JSON.parse(run.stdout) : JSON.parse(run.stdout || "{}") };
};

describe("stepline schedule", () => {
  it("lists fire times across the spring-forward change in the schedule's zone", () => {
    const { status, out } = next([
      "--expression",
      "cron(30 2 * * ? *)",
      "--timezone",
      "Europe/Paris",
      "--from",
      "2026-03-27T00:00:00Z",
      "-n",
      "4",
    ]);
    expect(status).toBe(0);
    // 02:30 does not exist in Paris on 29 March 2026: EventBridge Scheduler skips it.
    expect(out).toEqual({
      expression: "cron(30 2 * * ? *)",
      timezone: "Europe/Paris",
      next: ["2026-03-27T01:30:00Z", "2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z"],
    });
  });

  it("fires once when the fall-back change repeats the hour", () => {
    const { out } = next([
      "--expression",
      "cron(30 1 * * ? *)",
      "--timezone",
      "America/New_York",
      "--from",
      "2026-10-31T12:00:00Z",
      "-n",
      "3",
    ]);
    // 01:30 happens twice in New York on 1 November 2026 (EDT, then EST): one run.
    expect(out.next).toEqual(["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z", "2026-11-03T06:30:00Z"]);
  });

  it("reads a pipeline's schedule, zone and all", () => {
    const { status, out } = next(["examples/nightly-etl/pipeline.ts", "-n", "3", "--from", "2026-10-24T00:00:00Z"]);
    expect(status).toBe(0);
    expect(out).toEqual({
      expression: "cron(30 2 * * ? *)",
      timezone: "Europe/Paris",
      next: ["2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"],
    });
  });

  it("prints UTC and local times as a table", () => {
    const run = stepline([
      "schedule",
      "--expression",
      "rate(6 hours)",
      "--timezone",
      "Asia/Kolkata",
      "--from",
      "2026-01-01T00:00:00Z",
      "-n",
      "2",
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      [
        "rate(6 hours) in Asia/Kolkata",
        "  1  2026-01-01T06:00:00Z  2026-01-01 11:30:00 +05:30",
        "  2  2026-01-01T12:00:00Z  2026-01-01 17:30:00 +05:30",
        "",
      ].join("\n"),
    );
  });

  it("tells an expression that never fires from one that has ended", () => {
    const never = stepline(["schedule", "--expression", "cron(0 2 31 2 ? *)"]);
    expect(never.status).toBe(0);
    expect(never.stdout).toContain("it never fires");
    const ended = stepline(["schedule", "--expression", "cron(0 2 1 1 ? 2020)", "--from", "2026-01-01T00:00:00Z"]);
    expect(ended.stdout).toContain("the schedule has ended");
  });

  it("rejects invalid expressions with the error and exit 2", () => {
    const cases: [string[], string, string][] = [
      [["--expression", "cron(0 3 * * *)"], "SL_SCHEDULE_UNIX_CRON", "cron(0 3 * * ? *)"],
      [["--expression", "cron(0 3 ? * 0 *)"], "SL_SCHEDULE_FIELD_RANGE", "did you mean 1 (SUN)?"],
      [["--expression", "cron(0 3 1 * MON *)"], "", "one of them must be ?"],
      [["--expression", "rate(1 hours)"], "SL_SCHEDULE_RATE_UNIT", "rate(1 hour)"],
      [["--expression", "cron(0 1 * * ? *)", "--timezone", "europe/paris"], "SL_SCHEDULE_TIMEZONE", "Europe/Paris"],
      [["examples/partition-fanout/pipeline.ts"], "SL_SCHEDULE_NONE", "daily("],
      [["--expression", "rate(5 minutes)", "--from", "yesterday"], "SL_SCHEDULE_FROM_INVALID", "2026-03-28"],
      [[], "SL_CLI_USAGE", "--expression"],
    ];
    for (const [args, code, text] of cases) {
      const run = stepline(["schedule", ...args]);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr).not.toContain(stackFrame);
      if (code) expect(run.stderr).toContain(code);
      expect(run.stderr).toContain(text);
    }
  });
});
