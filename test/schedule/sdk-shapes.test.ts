import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  type PutRuleCommandInput,
  PutTargetsCommand,
  type PutTargetsCommandInput,
} from "@aws-sdk/client-eventbridge";
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  GetScheduleCommand,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import {
  compile,
  type PipelineModel,
  resolveArnTemplates,
  type ScheduleModel,
  type ScheduleTarget,
} from "@stepline/core";
import { daily, lambda, pipeline, rate, scheduled } from "@stepline/dsl";
import { integrations } from "@stepline/runners";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type MotoSetup, startMoto } from "../helpers/moto.js";

// The compiled schedule is what deploy sends: it must be the SDK's input shapes, and the
// services (here moto's EventBridge Scheduler and EventBridge) must accept it as it is.
const target = { partition: "aws", region: "eu-west-1", accountId: "123456789012" };

function model(schedule: ScheduleModel): PipelineModel {
  return pipeline({
    name: "shapes",
    input: z.object({ date: z.string(), mode: z.string().default("incremental") }),
    schedule,
    steps: () => [lambda("a", { functionName: "f" })],
  });
}

function compiled(schedule: ScheduleModel): ScheduleTarget {
  const manifest = compile(model(schedule), { integrations }).manifest;
  const scheduleTarget = manifest.schedule?.target;
  if (!scheduleTarget) throw new Error("no schedule");
  return resolveArnTemplates(scheduleTarget as never, target) as ScheduleTarget;
}

/** The compiled Scheduler input as the SDK types it (dates as Date). */
function schedulerInput(t: ScheduleTarget): CreateScheduleCommandInput {
  if (t.kind !== "scheduler") throw new Error("not a Scheduler schedule");
  const { StartDate, EndDate, ...rest } = t.createSchedule;
  return {
    ...rest,
    ...(StartDate === undefined ? {} : { StartDate: new Date(StartDate) }),
    ...(EndDate === undefined ? {} : { EndDate: new Date(EndDate) }),
    Target: { ...rest.Target },
  } satisfies CreateScheduleCommandInput;
}

function ruleInputs(t: ScheduleTarget): { rule: PutRuleCommandInput; targets: PutTargetsCommandInput } {
  if (t.kind !== "rule") throw new Error("not a rule");
  return {
    rule: { ...t.putRule } satisfies PutRuleCommandInput,
    targets: {
      Rule: t.putTargets.Rule,
      Targets: t.putTargets.Targets.map((x) => ({ ...x })),
    } satisfies PutTargetsCommandInput,
  };
}

let moto: MotoSetup;
beforeAll(async () => {
  moto = await startMoto();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});

const clientConfig = () => ({
  endpoint: moto.endpoint,
  region: target.region,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
});

describe("compiled schedules, sent to the emulated services", () => {
  it("creates an EventBridge Scheduler schedule that reads back the same", async (t) => {
    if (!moto.available) t.skip();
    const input = schedulerInput(
      compiled(
        daily("02:30", {
          timezone: "Europe/Paris",
          input: { date: scheduled.date({ offsetDays: -1 }), mode: "full" },
          flexibleWindowMinutes: 15,
          retry: { maxAttempts: 3, maxEventAgeSeconds: 3600 },
          deadLetterQueueArn: "arn:aws:sqs:eu-west-1:123456789012:shapes-dlq",
          startDate: new Date(Date.now() + 86_400_000),
        }),
      ),
    );
    const client = new SchedulerClient(clientConfig());
    await client.send(new CreateScheduleCommand(input));
    const got = await client.send(new GetScheduleCommand({ Name: input.Name, GroupName: input.GroupName }));
    expect(got).toMatchObject({
      Name: "stepline-shapes",
      ScheduleExpression: "cron(30 2 * * ? *)",
      ScheduleExpressionTimezone: "Europe/Paris",
      State: "ENABLED",
      FlexibleTimeWindow: { Mode: "FLEXIBLE", MaximumWindowInMinutes: 15 },
      Target: {
        Arn: "arn:aws:states:eu-west-1:123456789012:stateMachine:shapes:live",
        RoleArn: "arn:aws:iam::123456789012:role/stepline-shapes-schedule",
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: "arn:aws:sqs:eu-west-1:123456789012:shapes-dlq" },
      },
    });
    expect(JSON.parse(got.Target?.Input ?? "{}")).toEqual({
      mode: "full",
      steplineScheduledTime: "<aws.scheduler.scheduled-time>",
    });
  });

  it("creates a legacy EventBridge rule and its target", async (t) => {
    if (!moto.available) t.skip();
    const { rule, targets } = ruleInputs(
      compiled(rate(6, "hours", { target: "rule", input: { date: scheduled.date() }, enabled: false })),
    );
    const client = new EventBridgeClient(clientConfig());
    await client.send(new PutRuleCommand(rule));
    const put = await client.send(new PutTargetsCommand(targets));
    expect(put.FailedEntryCount ?? 0).toBe(0);
    expect(await client.send(new DescribeRuleCommand({ Name: rule.Name }))).toMatchObject({
      Name: "stepline-shapes",
      ScheduleExpression: "rate(6 hours)",
      State: "DISABLED",
    });
    const listed = await client.send(new ListTargetsByRuleCommand({ Rule: rule.Name }));
    expect(listed.Targets).toEqual([
      {
        Id: "stepline-start",
        Arn: "arn:aws:states:eu-west-1:123456789012:stateMachine:shapes:live",
        RoleArn: "arn:aws:iam::123456789012:role/stepline-shapes-schedule",
        InputTransformer: { InputPathsMap: { time: "$.time" }, InputTemplate: '{"steplineScheduledTime":"<time>"}' },
      },
    ]);
  });
});
