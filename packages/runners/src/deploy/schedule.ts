import type { DescribeRuleCommandOutput } from "@aws-sdk/client-eventbridge";
import type { GetScheduleOutput } from "@aws-sdk/client-scheduler";
import {
  type CurrentResource,
  type DesiredResource,
  type FieldChange,
  type JsonValue,
  ownedBy,
  resourceKey,
  ruleName,
  scheduleName,
  TAG_HASH,
  TAG_PIPELINE,
} from "@stepline/core";
import type { AwsContext } from "./aws.js";
import {
  type ApplyContext,
  fieldsOnly,
  hashThenFields,
  type ResourceDriver,
  tagList,
  tagRecord,
  withoutHash,
} from "./driver.js";
import { isError, unlessMissing } from "./errors.js";

/**
 * The pipeline's schedule: an EventBridge Scheduler schedule (properties:
 * the CreateSchedule input) or a legacy EventBridge rule (`{ Name,
 * Description, ScheduleExpression, State, Tags, Targets }`).
 *
 * Scheduler cannot tag schedules (only schedule groups), so a schedule is
 * stepline's when its name is `stepline-<pipeline>` and its description
 * starts with `stepline: starts <pipeline> ` (what the compiler writes);
 * changes are found by comparing every field (GetSchedule returns them all).
 * Rules carry tags like every other resource.
 */

type Json = { readonly [key: string]: JsonValue };

/** Scheduler's defaults, which GetSchedule reports when none were sent. */
const DEFAULT_RETRY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 };

const OWNER = /^stepline: starts (\S+) /;

/** The instant, in the desired spelling when it is the same instant. */
function sameInstant(have: Date | undefined, want: JsonValue | undefined): JsonValue | undefined {
  if (have === undefined) return undefined;
  if (typeof want === "string" && Date.parse(want) === have.getTime()) return want;
  return have.toISOString();
}

/**
 * Scheduler refuses a StartDate more than 5 minutes in the past, and UpdateSchedule takes the whole
 * schedule again: once the pipeline's start date has passed (minus a margin) it is no longer sent,
 * and no longer compared, since it changes nothing any more.
 */
const START_DATE_MARGIN_MS = 5 * 60_000;

export function startDatePassed(value: JsonValue | undefined, now = Date.now()): boolean {
  return typeof value === "string" && Date.parse(value) <= now + START_DATE_MARGIN_MS;
}

function canonicalEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** GetSchedule's answer in CreateSchedule's shape, with the defaults AWS fills in left out where the desired input leaves them out. */
export function normaliseSchedule(got: GetScheduleOutput, desired: Json): Record<string, JsonValue> {
  const want = desired;
  const wantTarget = (want.Target ?? {}) as Json;
  const t = got.Target;
  const retry = t?.RetryPolicy
    ? {
        ...(t.RetryPolicy.MaximumRetryAttempts === undefined
          ? {}
          : { MaximumRetryAttempts: t.RetryPolicy.MaximumRetryAttempts }),
        ...(t.RetryPolicy.MaximumEventAgeInSeconds === undefined
          ? {}
          : { MaximumEventAgeInSeconds: t.RetryPolicy.MaximumEventAgeInSeconds }),
      }
    : undefined;
  const target: Record<string, JsonValue> = {
    Arn: t?.Arn ?? "",
    RoleArn: t?.RoleArn ?? "",
    ...(t?.Input === undefined ? {} : { Input: t.Input }),
    ...(retry === undefined || (wantTarget.RetryPolicy === undefined && canonicalEqual(retry, DEFAULT_RETRY))
      ? {}
      : { RetryPolicy: retry }),
    ...(t?.DeadLetterConfig?.Arn === undefined ? {} : { DeadLetterConfig: { Arn: t.DeadLetterConfig.Arn } }),
  };
  const zone = got.ScheduleExpressionTimezone;
  const window = got.FlexibleTimeWindow;
  const start = startDatePassed(want.StartDate) ? want.StartDate : sameInstant(got.StartDate, want.StartDate);
  const end = sameInstant(got.EndDate, want.EndDate);
  return {
    Name: got.Name ?? "",
    GroupName: got.GroupName ?? "default",
    ...(got.Description === undefined ? {} : { Description: got.Description }),
    ScheduleExpression: got.ScheduleExpression ?? "",
    ...(zone === undefined || (want.ScheduleExpressionTimezone === undefined && zone === "UTC")
      ? {}
      : { ScheduleExpressionTimezone: zone }),
    ...(start === undefined ? {} : { StartDate: start }),
    ...(end === undefined ? {} : { EndDate: end }),
    State: got.State ?? "ENABLED",
    FlexibleTimeWindow: {
      Mode: window?.Mode ?? "OFF",
      ...(window?.MaximumWindowInMinutes === undefined
        ? {}
        : { MaximumWindowInMinutes: window.MaximumWindowInMinutes }),
    },
    ...(got.ActionAfterCompletion === undefined ||
    (want.ActionAfterCompletion === undefined && got.ActionAfterCompletion === "NONE")
      ? {}
      : { ActionAfterCompletion: got.ActionAfterCompletion }),
    Target: target,
  };
}

function scheduleResource(got: GetScheduleOutput, desired: Json): CurrentResource {
  const name = got.Name ?? "";
  const owner = OWNER.exec(got.Description ?? "")?.[1];
  return {
    key: resourceKey("scheduler.schedule", name),
    type: "scheduler.schedule",
    name,
    ...(got.Arn ? { arn: got.Arn } : {}),
    properties: normaliseSchedule(got, desired),
    tags: owner !== undefined && name === scheduleName(owner) ? { [TAG_PIPELINE]: owner } : {},
    state: { group: got.GroupName ?? "default" },
  };
}

async function getSchedule(aws: AwsContext, name: string, group: string): Promise<GetScheduleOutput | undefined> {
  const scheduler = await aws.client("scheduler");
  const { GetScheduleCommand } = await aws.sdk("scheduler");
  return unlessMissing(
    () => scheduler.send(new GetScheduleCommand({ Name: name, GroupName: group })),
    "ResourceNotFoundException",
  );
}

async function readSchedule(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined> {
  const group = (desired.properties.GroupName as string | undefined) ?? "default";
  const got = await getSchedule(aws, desired.name, group);
  return got === undefined ? undefined : scheduleResource(got, desired.properties);
}

async function listSchedules(aws: AwsContext, pipeline: string): Promise<CurrentResource[]> {
  const scheduler = await aws.client("scheduler");
  const { ListSchedulesCommand } = await aws.sdk("scheduler");
  const name = scheduleName(pipeline);
  const out: CurrentResource[] = [];
  let token: string | undefined;
  do {
    // No GroupName: every group.
    const page = await scheduler.send(
      new ListSchedulesCommand({ NamePrefix: name, ...(token ? { NextToken: token } : {}) }),
    );
    for (const s of page.Schedules ?? []) {
      if (s.Name !== name) continue;
      const got = await getSchedule(aws, name, s.GroupName ?? "default");
      if (got === undefined) continue;
      const current = scheduleResource(got, {});
      if (ownedBy(current.tags, pipeline)) out.push(current);
    }
    token = page.NextToken;
  } while (token);
  return out;
}

function scheduleInput(desired: DesiredResource): Record<string, unknown> {
  const { StartDate, ...p } = desired.properties;
  return {
    ...p,
    ...(typeof StartDate === "string" && !startDatePassed(StartDate) ? { StartDate: new Date(StartDate) } : {}),
    ...(typeof p.EndDate === "string" ? { EndDate: new Date(p.EndDate) } : {}),
  };
}

async function createSchedule(ctx: ApplyContext, desired: DesiredResource): Promise<undefined> {
  const scheduler = await ctx.aws.client("scheduler");
  const { CreateScheduleCommand } = await ctx.aws.sdk("scheduler");
  await ctx.retryWhileRoleNotReady("creating the schedule", () =>
    scheduler.send(new CreateScheduleCommand(scheduleInput(desired) as never)),
  );
  return undefined;
}

async function updateSchedule(ctx: ApplyContext, desired: DesiredResource): Promise<undefined> {
  const scheduler = await ctx.aws.client("scheduler");
  const { UpdateScheduleCommand } = await ctx.aws.sdk("scheduler");
  // UpdateSchedule replaces the whole schedule: always the complete input.
  await ctx.retryWhileRoleNotReady("updating the schedule", () =>
    scheduler.send(new UpdateScheduleCommand(scheduleInput(desired) as never)),
  );
  return undefined;
}

async function removeSchedule(ctx: ApplyContext, current: CurrentResource): Promise<void> {
  const scheduler = await ctx.aws.client("scheduler");
  const { DeleteScheduleCommand } = await ctx.aws.sdk("scheduler");
  const group = (current.state?.group as string | undefined) ?? (current.properties.GroupName as string) ?? "default";
  await unlessMissing(
    () => scheduler.send(new DeleteScheduleCommand({ Name: current.name, GroupName: group })),
    "ResourceNotFoundException",
  );
}

export const schedulerScheduleDriver: ResourceDriver = {
  type: "scheduler.schedule",
  read: readSchedule,
  listOwned: listSchedules,
  diff: (desired, current) => fieldsOnly(desired, current, { opaque: ["Target.Input"] }),
  create: createSchedule,
  update: updateSchedule,
  delete: removeSchedule,
};

// ---- legacy EventBridge rules ----

const TARGET_FIELDS = ["Id", "Arn", "RoleArn", "Input", "InputTransformer", "RetryPolicy", "DeadLetterConfig"] as const;

function normaliseTarget(target: Record<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const field of TARGET_FIELDS) {
    const value = target[field];
    if (value !== undefined && value !== null) out[field] = JSON.parse(JSON.stringify(value)) as JsonValue;
  }
  return out;
}

async function readRule(aws: AwsContext, name: string): Promise<CurrentResource | undefined> {
  const events = await aws.client("events");
  const sdk = await aws.sdk("events");
  let rule: DescribeRuleCommandOutput;
  try {
    rule = await events.send(new sdk.DescribeRuleCommand({ Name: name }));
  } catch (error) {
    if (isError(error, "ResourceNotFoundException")) return undefined;
    throw error;
  }
  const arn = rule.Arn ?? "";
  const tags = tagRecord((await events.send(new sdk.ListTagsForResourceCommand({ ResourceARN: arn }))).Tags);
  const targets = (await events.send(new sdk.ListTargetsByRuleCommand({ Rule: name }))).Targets ?? [];
  return {
    key: resourceKey("events.rule", name),
    type: "events.rule",
    name,
    arn,
    properties: {
      Name: name,
      ...(rule.Description === undefined ? {} : { Description: rule.Description }),
      ScheduleExpression: rule.ScheduleExpression ?? "",
      State: rule.State ?? "ENABLED",
      Tags: withoutHash(tags),
      Targets: targets
        .map((t) => normaliseTarget(t as unknown as Record<string, unknown>))
        .sort((a, b) => String(a.Id).localeCompare(String(b.Id))),
    },
    tags,
  };
}

async function listRules(aws: AwsContext, pipeline: string): Promise<CurrentResource[]> {
  const events = await aws.client("events");
  const { ListRulesCommand } = await aws.sdk("events");
  const name = ruleName(pipeline);
  const page = await events.send(new ListRulesCommand({ NamePrefix: name }));
  if (!(page.Rules ?? []).some((r) => r.Name === name)) return [];
  const rule = await readRule(aws, name);
  return rule !== undefined && ownedBy(rule.tags, pipeline) ? [rule] : [];
}

async function putRule(ctx: ApplyContext, desired: DesiredResource, tags: Record<string, string>): Promise<string> {
  const p = desired.properties;
  const events = await ctx.aws.client("events");
  const { PutRuleCommand } = await ctx.aws.sdk("events");
  const put = await events.send(
    new PutRuleCommand({
      Name: desired.name,
      ...(typeof p.Description === "string" ? { Description: p.Description } : {}),
      ScheduleExpression: p.ScheduleExpression as string,
      State: p.State as "ENABLED" | "DISABLED",
      Tags: tagList(tags),
    }),
  );
  return put.RuleArn ?? "";
}

async function putTargets(ctx: ApplyContext, desired: DesiredResource): Promise<void> {
  const events = await ctx.aws.client("events");
  const { PutTargetsCommand } = await ctx.aws.sdk("events");
  const result = await ctx.retryWhileRoleNotReady("setting the rule's target", () =>
    events.send(new PutTargetsCommand({ Rule: desired.name, Targets: desired.properties.Targets as never })),
  );
  if ((result.FailedEntryCount ?? 0) > 0) {
    const first = result.FailedEntries?.[0];
    throw Object.assign(new Error(`PutTargets failed: ${first?.ErrorCode ?? ""} ${first?.ErrorMessage ?? ""}`), {
      name: first?.ErrorCode ?? "PutTargetsFailed",
    });
  }
}

async function tagRuleHash(ctx: ApplyContext, arn: string, desired: DesiredResource): Promise<void> {
  const events = await ctx.aws.client("events");
  const { TagResourceCommand } = await ctx.aws.sdk("events");
  await events.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: TAG_HASH, Value: desired.hash }] }));
}

async function createRule(ctx: ApplyContext, desired: DesiredResource): Promise<undefined> {
  const arn = await putRule(ctx, desired, (desired.properties.Tags ?? {}) as Record<string, string>);
  await putTargets(ctx, desired);
  await tagRuleHash(ctx, arn, desired);
  return undefined;
}

async function updateRule(
  ctx: ApplyContext,
  desired: DesiredResource,
  current: CurrentResource,
  changes: readonly FieldChange[],
): Promise<undefined> {
  const events = await ctx.aws.client("events");
  const sdk = await ctx.aws.sdk("events");
  const want = (desired.properties.Tags ?? {}) as Record<string, string>;
  let arn = current.arn ?? "";
  if (changes.some((c) => /^(Description|ScheduleExpression|State)$/.test(c.field))) {
    arn = await putRule(ctx, desired, want);
  }
  if (changes.some((c) => c.field === "Targets" || c.field.startsWith("Targets."))) {
    const keep = new Set((desired.properties.Targets as readonly Json[]).map((t) => t.Id as string));
    const stale = ((current.properties.Targets ?? []) as readonly Json[])
      .map((t) => t.Id as string)
      .filter((id) => !keep.has(id));
    if (stale.length > 0) await events.send(new sdk.RemoveTargetsCommand({ Rule: desired.name, Ids: stale }));
    await putTargets(ctx, desired);
  }
  const remove = Object.keys(withoutHash(current.tags)).filter((k) => !(k in want));
  if (remove.length > 0) await events.send(new sdk.UntagResourceCommand({ ResourceARN: arn, TagKeys: remove }));
  await events.send(
    new sdk.TagResourceCommand({ ResourceARN: arn, Tags: tagList({ ...want, [TAG_HASH]: desired.hash }) }),
  );
  return undefined;
}

async function removeRule(ctx: ApplyContext, current: CurrentResource): Promise<void> {
  const events = await ctx.aws.client("events");
  const sdk = await ctx.aws.sdk("events");
  let ids: string[];
  try {
    ids = ((await events.send(new sdk.ListTargetsByRuleCommand({ Rule: current.name }))).Targets ?? []).flatMap((t) =>
      t.Id ? [t.Id] : [],
    );
  } catch (error) {
    if (isError(error, "ResourceNotFoundException")) return;
    throw error;
  }
  // A rule with targets cannot be deleted.
  if (ids.length > 0) await events.send(new sdk.RemoveTargetsCommand({ Rule: current.name, Ids: ids }));
  await events.send(new sdk.DeleteRuleCommand({ Name: current.name }));
}

export const eventsRuleDriver: ResourceDriver = {
  type: "events.rule",
  read: (aws, desired) => readRule(aws, desired.name),
  listOwned: listRules,
  diff: (desired, current) => hashThenFields(desired, current, { maxDepth: 1 }),
  create: createRule,
  update: updateRule,
  delete: removeRule,
};
