import {
  CreateScheduleCommand,
  GetScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
import { type DesiredResource, resourceKey } from "@stepline/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { awsContext } from "./aws.js";
import type { ApplyContext } from "./driver.js";
import { normaliseSchedule, schedulerScheduleDriver, startDatePassed } from "./schedule.js";

const scheduler = mockClient(SchedulerClient);
beforeEach(() => scheduler.reset());

const aws = () => awsContext({ region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
const ctx = (): ApplyContext => ({
  aws: aws(),
  pipeline: "nightly",
  desired: new Map(),
  outputs: new Map(),
  retryWhileRoleNotReady: (_what, fn) => fn(),
});

function desired(startDate: string): DesiredResource {
  const properties = {
    Name: "stepline-nightly",
    GroupName: "default",
    Description: "stepline: starts nightly (rate(1 hour))",
    ScheduleExpression: "rate(1 hour)",
    StartDate: startDate,
    State: "ENABLED",
    FlexibleTimeWindow: { Mode: "OFF" },
    Target: {
      Arn: "arn:aws:states:eu-west-1:123456789012:stateMachine:nightly:live",
      RoleArn: "arn:aws:iam::123456789012:role/stepline-nightly-schedule",
      Input: "{}",
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 86400 },
    },
  };
  return {
    key: resourceKey("scheduler.schedule", "stepline-nightly"),
    type: "scheduler.schedule",
    name: "stepline-nightly",
    managed: true,
    properties,
    dependsOn: [],
    hash: "h",
  };
}

describe("scheduler.schedule", () => {
  it("knows when a start date has passed (with Scheduler's 5-minute margin)", () => {
    const now = Date.UTC(2026, 10, 26, 12, 0);
    expect(startDatePassed("2026-11-26T12:04:00Z", now)).toBe(true);
    expect(startDatePassed("2026-11-26T12:06:00Z", now)).toBe(false);
    expect(startDatePassed(undefined, now)).toBe(false);
  });

  it("sends a future start date, and leaves a past one out: Scheduler refuses it", async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    scheduler.on(UpdateScheduleCommand).resolves({});
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await schedulerScheduleDriver.create(ctx(), desired(future));
    const past = desired("2020-01-01T00:00:00Z");
    await schedulerScheduleDriver.update(ctx(), past, { ...past, properties: {} } as never, [
      { field: "ScheduleExpression", from: "rate(2 hours)", to: "rate(1 hour)" },
    ]);
    const [created] = scheduler.commandCalls(CreateScheduleCommand);
    const [updated] = scheduler.commandCalls(UpdateScheduleCommand);
    expect(created?.args[0].input.StartDate).toEqual(new Date(future));
    expect(updated?.args[0].input).not.toHaveProperty("StartDate");
    expect(updated?.args[0].input.ScheduleExpression).toBe("rate(1 hour)");
  });

  it("shows no change for a start date that has passed, whatever AWS kept", async () => {
    const want = desired("2020-01-01T00:00:00Z");
    scheduler.on(GetScheduleCommand).resolves({
      Name: "stepline-nightly",
      GroupName: "default",
      Description: "stepline: starts nightly (rate(1 hour))",
      ScheduleExpression: "rate(1 hour)",
      State: "ENABLED",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: {
        Arn: "arn:aws:states:eu-west-1:123456789012:stateMachine:nightly:live",
        RoleArn: "arn:aws:iam::123456789012:role/stepline-nightly-schedule",
        Input: "{}",
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 86400 },
      },
    });
    const current = await schedulerScheduleDriver.read(aws(), want);
    expect(current).toBeDefined();
    expect(schedulerScheduleDriver.diff(want, current as never)).toEqual([]);
    expect(
      normaliseSchedule({ StartDate: new Date("2027-01-01T00:00:00Z") }, { StartDate: "2027-01-01T00:00:00Z" }),
    ).toMatchObject({ StartDate: "2027-01-01T00:00:00Z" });
  });
});
