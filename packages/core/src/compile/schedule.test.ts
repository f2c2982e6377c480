import { describe, expect, it } from "vitest";
import { expectValidAsl } from "../../../../test/helpers/asl.js";
import {
  compile,
  execute,
  type HandlerRegistration,
  type PipelineModel,
  type Problem,
  type QueryLanguage,
  SCHEDULED_TIME_FIELD,
  type ScheduleModel,
  testIntegrations,
  testPipeline,
  testStep,
  validatePipeline,
  virtualClock,
} from "../index.js";

const LAMBDA = "arn:aws:states:::lambda:invoke";
const LIST = "arn:aws:states:::aws-sdk:sfn:listExecutions";

const INPUT = {
  schema: { type: "object" },
  defaults: { mode: "incremental" },
  required: ["date"],
  types: { date: "string", mode: "string", at: "string", limit: "number" },
} as const;

function model(schedule: ScheduleModel): PipelineModel {
  return testPipeline([testStep("work")], { name: "nightly", input: INPUT, schedule });
}

function codes(schedule: ScheduleModel): string[] {
  return validatePipeline(model(schedule), { integrations: testIntegrations })
    .filter((p: Problem) => p.severity === "error")
    .map((p) => p.code);
}

/** Runs the compiled machine on the engine; the Lambda step echoes its payload. */
async function run(
  schedule: ScheduleModel,
  input: unknown,
  queryLanguage: QueryLanguage = "JSONPath",
  others: readonly string[] = [],
) {
  const result = compile(model(schedule), { integrations: testIntegrations, queryLanguage });
  expectValidAsl(result.stateMachine);
  const calls: unknown[] = [];
  const handlers: HandlerRegistration[] = [
    { resource: LAMBDA, handler: async () => ({ StatusCode: 200, Payload: {} }) },
    {
      resource: LIST,
      handler: async (args, ctx) => {
        calls.push(args);
        const self = (ctx.context as { Execution: { Id: string } }).Execution.Id;
        return { Executions: [self, ...others].map((ExecutionArn) => ({ ExecutionArn, Status: "RUNNING" })) };
      },
    },
  ];
  const out = await execute({
    definition: result.stateMachine,
    input,
    handlers,
    clock: virtualClock(),
    stateMachineName: "nightly",
  });
  return { out, calls, result };
}

describe("schedule checks", () => {
  it("accepts a complete schedule", () => {
    expect(
      codes({
        expression: "cron(30 2 * * ? *)",
        timezone: "Europe/Paris",
        scheduledInput: { date: { kind: "date", offsetDays: -1 } },
        input: { mode: "full" },
        flexibleWindowMinutes: 15,
        retry: { maxAttempts: 5, maxEventAgeSeconds: 3600 },
        deadLetterQueueArn: "arn:aws:sqs:eu-west-1:123456789012:nightly-dlq",
        startDate: "2027-01-01T00:00:00Z",
        endDate: "2028-01-01T00:00:00+01:00",
        overlap: "skip",
      }),
    ).toEqual([]);
  });

  it("reports each mistake with its own code", () => {
    const base = { expression: "cron(30 2 * * ? *)", input: { date: "2026-01-01" } };
    expect(codes({ ...base, target: "rule", timezone: "Europe/Paris" })).toEqual([
      "SL_SCHEDULE_TIMEZONE_NEEDS_SCHEDULER",
    ]);
    expect(codes({ ...base, target: "rule", startDate: "2027-01-01T00:00:00Z" })).toEqual([
      "SL_SCHEDULE_RULE_UNSUPPORTED",
    ]);
    expect(codes({ ...base, expression: "at(2027-01-01T00:00:00)", target: "rule" })).toEqual([
      "SL_SCHEDULE_AT_NEEDS_SCHEDULER",
    ]);
    expect(codes({ ...base, flexibleWindowMinutes: 0 })).toEqual(["SL_SCHEDULE_WINDOW_INVALID"]);
    expect(codes({ ...base, retry: { maxAttempts: 186 } })).toEqual(["SL_SCHEDULE_RETRY_INVALID"]);
    expect(codes({ ...base, retry: { maxEventAgeSeconds: 59 } })).toEqual(["SL_SCHEDULE_RETRY_INVALID"]);
    expect(codes({ ...base, deadLetterQueueArn: "arn:aws:sns:eu-west-1:123456789012:t" })).toEqual([
      "SL_SCHEDULE_DLQ_INVALID",
    ]);
    expect(codes({ ...base, startDate: "2027-01-01" })).toEqual(["SL_SCHEDULE_DATE_INVALID"]);
    expect(codes({ ...base, startDate: "2027-01-02T00:00:00Z", endDate: "2027-01-01T00:00:00Z" })).toEqual([
      "SL_SCHEDULE_DATE_INVALID",
    ]);
    expect(codes({ expression: base.expression })).toEqual(["SL_SCHEDULE_INPUT_MISSING"]);
    expect(codes({ ...base, input: { date: "x", nope: 1 } })).toEqual(["SL_SCHEDULE_INPUT_UNKNOWN"]);
    expect(codes({ ...base, input: { date: "x", limit: "ten" } })).toEqual(["SL_SCHEDULE_INPUT_TYPE"]);
    expect(codes({ ...base, input: {}, scheduledInput: { date: { kind: "time" }, limit: { kind: "time" } } })).toEqual([
      "SL_SCHEDULE_INPUT_TYPE",
    ]);
    expect(codes({ ...base, scheduledInput: { date: { kind: "time" } } })).toEqual(["SL_SCHEDULE_INPUT_CONFLICT"]);
  });

  it("reports expression and time-zone errors at the schedule's fields", () => {
    const problems = validatePipeline(
      model({ expression: "cron(0 3 * * *)", timezone: "europe/paris", input: { date: "x" } }),
      { integrations: testIntegrations, file: "p.ts" },
    ).filter((p) => p.severity === "error");
    expect(problems.map((p) => [p.field, p.file])).toEqual([
      ["schedule.expression", "p.ts"],
      ["schedule.timezone", "p.ts"],
    ]);
    expect(problems[0]?.fix).toContain("cron(0 3 * * ? *)");
    expect(problems[1]?.fix).toContain("Europe/Paris");
  });
});

describe("compiled schedule target", () => {
  it("is an EventBridge Scheduler schedule by default, starting the live alias", () => {
    const { manifest } = compile(
      model({
        expression: "cron(30 2 * * ? *)",
        timezone: "Europe/Paris",
        input: { mode: "full" },
        scheduledInput: { date: { kind: "date", offsetDays: -1 } },
        flexibleWindowMinutes: 10,
        retry: { maxAttempts: 4 },
        deadLetterQueueArn: "arn:aws:sqs:eu-west-1:123456789012:dlq",
      }),
      { integrations: testIntegrations },
    );
    expect(manifest.schedule?.target).toEqual({
      kind: "scheduler",
      createSchedule: {
        Name: "stepline-nightly",
        GroupName: "default",
        Description: "stepline: starts nightly (cron(30 2 * * ? *) Europe/Paris)",
        ScheduleExpression: "cron(30 2 * * ? *)",
        ScheduleExpressionTimezone: "Europe/Paris",
        State: "ENABLED",
        FlexibleTimeWindow: { Mode: "FLEXIBLE", MaximumWindowInMinutes: 10 },
        Target: {
          Arn: "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:nightly:live",
          RoleArn: "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/stepline-nightly-schedule",
          Input: JSON.stringify({ mode: "full", [SCHEDULED_TIME_FIELD]: "<aws.scheduler.scheduled-time>" }),
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: { Arn: "arn:aws:sqs:eu-west-1:123456789012:dlq" },
        },
      },
    });
    expect(manifest.schedule?.role).toEqual({
      name: "stepline-nightly-schedule",
      trustedService: "scheduler.amazonaws.com",
      statements: [
        {
          Sid: "StartPipelineRuns",
          Effect: "Allow",
          Action: ["states:StartExecution"],
          Resource: [
            "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:nightly",
            "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:nightly:live",
          ],
        },
      ],
    });
  });

  it("is a rule with an input transformer for the scheduled time when asked", () => {
    const { manifest } = compile(
      model({
        expression: "cron(30 1 * * ? *)",
        target: "rule",
        enabled: false,
        scheduledInput: { date: { kind: "date", offsetDays: 0 } },
      }),
      { integrations: testIntegrations },
    );
    expect(manifest.schedule?.target).toEqual({
      kind: "rule",
      putRule: {
        Name: "stepline-nightly",
        Description: "stepline: starts nightly (cron(30 1 * * ? *))",
        ScheduleExpression: "cron(30 1 * * ? *)",
        State: "DISABLED",
      },
      putTargets: {
        Rule: "stepline-nightly",
        Targets: [
          {
            Id: "stepline-start",
            Arn: "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:nightly:live",
            RoleArn: "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/stepline-nightly-schedule",
            InputTransformer: {
              InputPathsMap: { time: "$.time" },
              InputTemplate: `{"${SCHEDULED_TIME_FIELD}":"<time>"}`,
            },
          },
        ],
      },
    });
    expect(manifest.schedule?.role.trustedService).toBe("events.amazonaws.com");
  });

  it("gives the state machine role ListExecutions on its own state machine for overlap skip", () => {
    const { manifest, report } = compile(model({ expression: "rate(1 hour)", input: { date: "x" }, overlap: "skip" }), {
      integrations: testIntegrations,
    });
    expect(manifest.iam.stateMachineRole.statements).toContainEqual({
      Sid: "OverlapListRuns",
      Effect: "Allow",
      Action: ["states:ListExecutions"],
      Resource: ["arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:nightly"],
    });
    expect(report.iamActions).toContain("states:ListExecutions");
  });
});

describe("compiled schedule states on the engine", () => {
  const skip: ScheduleModel = { expression: "rate(1 hour)", input: { date: "2026-01-01" }, overlap: "skip" };

  for (const language of ["JSONPath", "JSONata"] as const) {
    it(`overlap skip ends at once while another run is RUNNING (${language})`, async () => {
      const other = "arn:aws:states:local:123456789012:execution:nightly:other";
      const busy = await run(skip, { date: "2026-01-01" }, language, [other]);
      expect(busy.out.status).toBe("SUCCEEDED");
      expect(busy.out.output).toEqual({ skipped: "another run of nightly is RUNNING (overlap: skip)", running: 1 });
      expect(busy.calls).toEqual([
        {
          StateMachineArn: "arn:aws:states:local:123456789012:stateMachine:nightly",
          StatusFilter: "RUNNING",
          MaxResults: 100,
        },
      ]);
      const free = await run(skip, { date: "2026-01-01" }, language);
      expect(free.out.status).toBe("SUCCEEDED");
      expect(free.out.output).toMatchObject({ input: { date: "2026-01-01", mode: "incremental" } });
    });
  }

  it("lists the runs of the state machine, not of the alias a run was started through", async () => {
    const { calls } = await run(skip, { date: "x" });
    expect((calls[0] as { StateMachineArn: string }).StateMachineArn).not.toContain(":live");
  });

  // One fire time a day takes the nearest-date path; several take the table of the zone's offsets.
  for (const expression of ["cron(30 0 * * ? *)", "cron(30 0,22 * * ? *)"]) {
    const dated: ScheduleModel = {
      expression,
      timezone: "Europe/Paris",
      scheduledInput: { date: { kind: "date", offsetDays: -1 }, at: { kind: "time" } },
    };
    const cases: [string, string, string][] = [
      // 00:30 UTC is 01:30 in Paris (CET, winter): yesterday there is the 14th.
      ["2026-01-15T00:30:00Z", "2026-01-14", "winter"],
      // 22:30 UTC on the 14th of July is 00:30 on the 15th in Paris (CEST): yesterday is the 14th.
      ["2026-07-14T22:30:00Z", "2026-07-14", "summer, across midnight"],
      // The spring-forward day: 00:30 UTC = 01:30 CET (the change is at 01:00 UTC).
      ["2026-03-29T00:30:00Z", "2026-03-28", "spring-forward day, before the change"],
      ["2026-03-29T22:30:00Z", "2026-03-29", "spring-forward day, after the change"],
      ["2026-10-24T22:30:00Z", "2026-10-24", "the night before fall-back (still CEST)"],
      ["2026-10-25T23:30:00Z", "2026-10-25", "after fall-back: 00:30 CET on the 26th"],
      ["2061-03-27T00:30:00Z", "2061-03-26", "decades ahead"],
    ];
    for (const [time, date, label] of cases) {
      it(`fills the scheduled date in the schedule's zone (${expression}): ${label}`, async () => {
        const { out } = await run(dated, { [SCHEDULED_TIME_FIELD]: time });
        expect(out.status).toBe("SUCCEEDED");
        expect((out.output as { input: unknown }).input).toEqual({ date, at: time, mode: "incremental" });
      });
    }
  }

  const dated: ScheduleModel = {
    expression: "cron(30 0 * * ? *)",
    timezone: "Europe/Paris",
    scheduledInput: { date: { kind: "date", offsetDays: -1 }, at: { kind: "time" } },
  };
  it("leaves a run started by hand as it is", async () => {
    const { out } = await run(dated, { date: "2020-01-01" });
    expect((out.output as { input: unknown }).input).toEqual({ date: "2020-01-01", mode: "incremental" });
  });
});
