import type { ScheduleModel } from "../model/pipeline.js";
import type { JsonValue } from "../model/value.js";
import type { IamStatement } from "./integration.js";
import { SCHEDULED_TIME_FIELD } from "./schedule-states.js";

/**
 * What deploy sends for a pipeline's schedule, in the AWS SDK's input shapes:
 * an EventBridge Scheduler schedule (CreateSchedule/UpdateSchedule), or a
 * legacy EventBridge rule (PutRule) with its target (PutTargets). ARNs not
 * known before deploy are templates with `${AWS::Partition}`,
 * `${AWS::Region}` and `${AWS::AccountId}`, as elsewhere in the manifest.
 */
export type ScheduleTarget =
  | { readonly kind: "scheduler"; readonly createSchedule: SchedulerScheduleInput }
  | { readonly kind: "rule"; readonly putRule: EventsPutRuleInput; readonly putTargets: EventsPutTargetsInput };

/** `@aws-sdk/client-scheduler` CreateScheduleCommandInput (dates as ISO strings). */
export interface SchedulerScheduleInput {
  readonly Name: string;
  readonly GroupName: string;
  readonly Description: string;
  readonly ScheduleExpression: string;
  readonly ScheduleExpressionTimezone?: string;
  readonly StartDate?: string;
  readonly EndDate?: string;
  readonly State: "ENABLED" | "DISABLED";
  readonly FlexibleTimeWindow: { readonly Mode: "OFF" | "FLEXIBLE"; readonly MaximumWindowInMinutes?: number };
  readonly ActionAfterCompletion?: "NONE" | "DELETE";
  readonly Target: {
    readonly Arn: string;
    readonly RoleArn: string;
    readonly Input: string;
    readonly RetryPolicy?: { readonly MaximumRetryAttempts?: number; readonly MaximumEventAgeInSeconds?: number };
    readonly DeadLetterConfig?: { readonly Arn: string };
  };
}

/** `@aws-sdk/client-eventbridge` PutRuleCommandInput. */
export interface EventsPutRuleInput {
  readonly Name: string;
  readonly Description: string;
  readonly ScheduleExpression: string;
  readonly State: "ENABLED" | "DISABLED";
}

/** `@aws-sdk/client-eventbridge` PutTargetsCommandInput. */
export interface EventsPutTargetsInput {
  readonly Rule: string;
  readonly Targets: readonly {
    readonly Id: string;
    readonly Arn: string;
    readonly RoleArn: string;
    readonly Input?: string;
    readonly InputTransformer?: { readonly InputPathsMap: Record<string, string>; readonly InputTemplate: string };
    readonly RetryPolicy?: { readonly MaximumRetryAttempts?: number; readonly MaximumEventAgeInSeconds?: number };
    readonly DeadLetterConfig?: { readonly Arn: string };
  }[];
}

/** The schedule as the manifest carries it: the declaration, the target to create and its role. */
export interface CompiledSchedule {
  readonly declaration: ScheduleModel;
  readonly target: ScheduleTarget;
  /** The role the schedule assumes to start runs. */
  readonly role: {
    readonly name: string;
    readonly trustedService: "scheduler.amazonaws.com" | "events.amazonaws.com";
    readonly statements: readonly IamStatement[];
  };
}

const BASE = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}";

/** ARN of the `live` alias that schedules start (deploy publishes a version per change and moves it). */
export function liveAliasArn(pipeline: string): string {
  return `${BASE}:stateMachine:${pipeline}:live`;
}

/** Name of the role the schedule assumes (IAM role names: ≤ 64 characters). */
export function scheduleRoleName(pipeline: string): string {
  return `stepline-${pipeline}`.slice(0, 55).concat("-schedule");
}

export function compileSchedule(pipeline: string, schedule: ScheduleModel): CompiledSchedule {
  const target = schedule.target ?? "scheduler";
  const roleName = scheduleRoleName(pipeline);
  const roleArn = `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${roleName}`;
  const arn = liveAliasArn(pipeline);
  const description = `stepline: starts ${pipeline} (${schedule.expression}${schedule.timezone ? ` ${schedule.timezone}` : ""})`;
  const state = schedule.enabled === false ? "DISABLED" : "ENABLED";
  const retry = retryPolicy(schedule);
  const dlq =
    schedule.deadLetterQueueArn === undefined ? {} : { DeadLetterConfig: { Arn: schedule.deadLetterQueueArn } };
  const role = {
    name: roleName,
    trustedService: target === "rule" ? ("events.amazonaws.com" as const) : ("scheduler.amazonaws.com" as const),
    statements: [
      {
        Sid: "StartPipelineRuns",
        Effect: "Allow" as const,
        Action: ["states:StartExecution"],
        // The alias the schedule starts, and the state machine behind it.
        Resource: [`${BASE}:stateMachine:${pipeline}`, arn],
      },
    ],
  };
  const staticInput: Record<string, JsonValue> = { ...schedule.input };
  const scheduled = schedule.scheduledInput !== undefined && Object.keys(schedule.scheduledInput).length > 0;
  if (target === "rule") {
    const ruleTarget = {
      Id: "stepline-start",
      Arn: arn,
      RoleArn: roleArn,
      ...(scheduled
        ? {
            InputTransformer: {
              InputPathsMap: { time: "$.time" },
              InputTemplate: JSON.stringify({ ...staticInput, [SCHEDULED_TIME_FIELD]: "<time>" }),
            },
          }
        : { Input: JSON.stringify(staticInput) }),
      ...(retry === undefined ? {} : { RetryPolicy: retry }),
      ...dlq,
    };
    return {
      declaration: schedule,
      target: {
        kind: "rule",
        putRule: {
          Name: ruleName(pipeline),
          Description: description,
          ScheduleExpression: schedule.expression,
          State: state,
        },
        putTargets: { Rule: ruleName(pipeline), Targets: [ruleTarget] },
      },
      role,
    };
  }
  const input = scheduled ? { ...staticInput, [SCHEDULED_TIME_FIELD]: "<aws.scheduler.scheduled-time>" } : staticInput;
  const createSchedule: SchedulerScheduleInput = {
    Name: scheduleName(pipeline),
    GroupName: "default",
    Description: description,
    ScheduleExpression: schedule.expression,
    ...(schedule.timezone === undefined ? {} : { ScheduleExpressionTimezone: schedule.timezone }),
    ...(schedule.startDate === undefined ? {} : { StartDate: schedule.startDate }),
    ...(schedule.endDate === undefined ? {} : { EndDate: schedule.endDate }),
    State: state,
    FlexibleTimeWindow:
      schedule.flexibleWindowMinutes === undefined
        ? { Mode: "OFF" }
        : { Mode: "FLEXIBLE", MaximumWindowInMinutes: schedule.flexibleWindowMinutes },
    ...(schedule.expression.startsWith("at(") ? { ActionAfterCompletion: "NONE" as const } : {}),
    Target: {
      Arn: arn,
      RoleArn: roleArn,
      Input: JSON.stringify(input),
      ...(retry === undefined ? {} : { RetryPolicy: retry }),
      ...dlq,
    },
  };
  return { declaration: schedule, target: { kind: "scheduler", createSchedule }, role };
}

/** Schedule names: 1–64 of `[0-9a-zA-Z-_.]`; pipeline names are already within that alphabet. */
export function scheduleName(pipeline: string): string {
  return `stepline-${pipeline}`.slice(0, 64);
}

export function ruleName(pipeline: string): string {
  return `stepline-${pipeline}`.slice(0, 64);
}

/**
 * The target's retry policy, both fields always: AWS fills a missing one with its default
 * (185 attempts, 86,400 s) and reads it back, so a half-given policy would always look changed.
 */
function retryPolicy(
  schedule: ScheduleModel,
): { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number } | undefined {
  const retry = schedule.retry;
  if (retry === undefined) return undefined;
  return {
    MaximumRetryAttempts: retry.maxAttempts ?? 185,
    MaximumEventAgeInSeconds: retry.maxEventAgeSeconds ?? 86_400,
  };
}

/** What the state machine role needs for the overlap guard. */
export function overlapStatements(pipeline: string, schedule: ScheduleModel | undefined): IamStatement[] {
  if (schedule?.overlap !== "skip") return [];
  return [
    {
      Sid: "OverlapListRuns",
      Effect: "Allow",
      Action: ["states:ListExecutions"],
      Resource: [`${BASE}:stateMachine:${pipeline}`],
    },
  ];
}
