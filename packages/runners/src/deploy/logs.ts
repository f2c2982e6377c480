import type { LogGroup } from "@aws-sdk/client-cloudwatch-logs";
import {
  type CurrentResource,
  type DesiredResource,
  type FieldChange,
  logGroupName,
  ownedBy,
  resourceKey,
  TAG_HASH,
} from "@stepline/core";
import type { AwsContext } from "./aws.js";
import { type ApplyContext, hashThenFields, type ResourceDriver, tagChanges, withoutHash } from "./driver.js";
import { unlessMissing } from "./errors.js";

/** The state machine's log group: `{ logGroupName, retentionInDays, tags }`. */

async function find(aws: AwsContext, name: string): Promise<LogGroup | undefined> {
  const logs = await aws.client("logs");
  const { DescribeLogGroupsCommand } = await aws.sdk("logs");
  let nextToken: string | undefined;
  do {
    const page = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: name, ...(nextToken ? { nextToken } : {}) }),
    );
    const hit = page.logGroups?.find((g) => g.logGroupName === name);
    if (hit) return hit;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

const arnOf = (group: LogGroup): string => group.logGroupArn ?? (group.arn ?? "").replace(/:\*$/, "");

async function tagsOf(aws: AwsContext, group: LogGroup): Promise<Record<string, string>> {
  const logs = await aws.client("logs");
  const { ListTagsForResourceCommand } = await aws.sdk("logs");
  return { ...(await logs.send(new ListTagsForResourceCommand({ resourceArn: arnOf(group) }))).tags };
}

function current(group: LogGroup, tags: Record<string, string>): CurrentResource {
  const name = group.logGroupName ?? "";
  return {
    key: resourceKey("logs.logGroup", name),
    type: "logs.logGroup",
    name,
    arn: arnOf(group),
    properties: {
      logGroupName: name,
      ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays }),
      tags: withoutHash(tags),
    },
    tags,
  };
}

async function read(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined> {
  const group = await find(aws, desired.name);
  return group === undefined ? undefined : current(group, await tagsOf(aws, group));
}

async function listOwned(aws: AwsContext, pipeline: string): Promise<CurrentResource[]> {
  const group = await find(aws, logGroupName(pipeline));
  if (group === undefined) return [];
  const tags = await tagsOf(aws, group);
  return ownedBy(tags, pipeline) ? [current(group, tags)] : [];
}

async function groupArn(ctx: ApplyContext, name: string): Promise<string> {
  const id = await ctx.aws.identity();
  return `arn:${id.partition}:logs:${ctx.aws.region}:${id.accountId}:log-group:${name}`;
}

async function create(ctx: ApplyContext, desired: DesiredResource): Promise<undefined> {
  const logs = await ctx.aws.client("logs");
  const sdk = await ctx.aws.sdk("logs");
  const tags = (desired.properties.tags ?? {}) as Record<string, string>;
  await logs.send(new sdk.CreateLogGroupCommand({ logGroupName: desired.name, tags }));
  const days = desired.properties.retentionInDays;
  if (typeof days === "number") {
    await logs.send(new sdk.PutRetentionPolicyCommand({ logGroupName: desired.name, retentionInDays: days }));
  }
  await logs.send(
    new sdk.TagResourceCommand({
      resourceArn: await groupArn(ctx, desired.name),
      tags: { [TAG_HASH]: desired.hash },
    }),
  );
  return undefined;
}

async function update(
  ctx: ApplyContext,
  desired: DesiredResource,
  current: CurrentResource,
  changes: readonly FieldChange[],
): Promise<undefined> {
  const logs = await ctx.aws.client("logs");
  const sdk = await ctx.aws.sdk("logs");
  const arn = current.arn ?? (await groupArn(ctx, desired.name));
  const days = desired.properties.retentionInDays;
  if (changes.some((c) => c.field === "retentionInDays")) {
    if (typeof days === "number") {
      await logs.send(new sdk.PutRetentionPolicyCommand({ logGroupName: desired.name, retentionInDays: days }));
    } else {
      await logs.send(new sdk.DeleteRetentionPolicyCommand({ logGroupName: desired.name }));
    }
  }
  const want = (desired.properties.tags ?? {}) as Record<string, string>;
  const { remove } = tagChanges(want, withoutHash(current.tags));
  if (remove.length > 0) await logs.send(new sdk.UntagResourceCommand({ resourceArn: arn, tagKeys: remove }));
  await logs.send(new sdk.TagResourceCommand({ resourceArn: arn, tags: { ...want, [TAG_HASH]: desired.hash } }));
  return undefined;
}

async function remove(ctx: ApplyContext, current: CurrentResource): Promise<void> {
  const logs = await ctx.aws.client("logs");
  const { DeleteLogGroupCommand } = await ctx.aws.sdk("logs");
  await unlessMissing(
    () => logs.send(new DeleteLogGroupCommand({ logGroupName: current.name })),
    "ResourceNotFoundException",
  );
}

export const logGroupDriver: ResourceDriver = {
  type: "logs.logGroup",
  read,
  listOwned,
  diff: (desired, current) => hashThenFields(desired, current),
  create,
  update,
  delete: remove,
};
