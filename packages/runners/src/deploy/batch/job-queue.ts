import type { JobQueueDetail } from "@aws-sdk/client-batch";
import { type CurrentResource, type DesiredResource, type FieldChange, type JsonValue, ownedBy } from "@stepline/core";
import type { AwsContext } from "../aws.js";
import {
  type ApplyContext,
  changed,
  hashThenFields,
  onlyTagsChanged,
  type ResourceDriver,
  withoutHash,
} from "../driver.js";
import { allPages, asyncLifecycle, compact, currentOf, desiredTags, isLive, syncTags, tagHash } from "./shared.js";

/**
 * Job queues. Managed ones (`properties`: jobQueueName, state, priority,
 * computeEnvironmentOrder with compute environment ARNs, tags) are created
 * with the compute environments; referenced ones (a name or ARN the step
 * gives, or the shared default queue without `deploy.compute`) are only
 * read, and the plan reports SL_DEPLOY_MISSING_RESOURCE when they do not exist.
 */

type Order = { readonly order?: number; readonly computeEnvironment?: string };

function sortedOrder(value: JsonValue | undefined): JsonValue {
  const list = (Array.isArray(value) ? value : []) as readonly Order[];
  return [...list]
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((o) => ({ order: o.order ?? 0, computeEnvironment: o.computeEnvironment ?? "" }));
}

/** Describe's answer in the desired shape (AWS adds schedulingPolicyArn, jobStateTimeLimitActions…). */
export function normaliseJobQueue(detail: JobQueueDetail): Record<string, JsonValue> {
  return compact({
    jobQueueName: detail.jobQueueName,
    state: detail.state,
    priority: detail.priority,
    computeEnvironmentOrder: sortedOrder(detail.computeEnvironmentOrder as JsonValue | undefined),
    tags: withoutHash(detail.tags ?? {}),
  });
}

async function describe(aws: AwsContext, names: readonly string[] | undefined): Promise<JobQueueDetail[]> {
  const batch = await aws.client("batch");
  const { DescribeJobQueuesCommand } = await aws.sdk("batch");
  return allPages(
    (token) =>
      batch.send(new DescribeJobQueuesCommand({ ...(names === undefined ? {} : { jobQueues: [...names] }), ...token })),
    (page) => page.jobQueues,
  );
}

/** By name or ARN (steps may name a queue either way). */
async function describeOne(aws: AwsContext, name: string): Promise<JobQueueDetail | undefined> {
  return (await describe(aws, [name])).find((q) => q.jobQueueName === name || q.jobQueueArn === name);
}

function current(detail: JobQueueDetail, name = detail.jobQueueName ?? ""): CurrentResource {
  return currentOf(
    "batch.jobQueue",
    name,
    detail.jobQueueArn,
    normaliseJobQueue(detail),
    { ...detail.tags },
    {
      status: detail.status ?? "",
    },
  );
}

const lifecycle = asyncLifecycle("job queue", describeOne);

async function read(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined> {
  const detail = await describeOne(aws, desired.name);
  // Keyed by the desired name, which may be an ARN for a referenced queue.
  return isLive(detail) ? current(detail, desired.name) : undefined;
}

async function listOwned(aws: AwsContext, pipeline: string): Promise<CurrentResource[]> {
  return (await describe(aws, undefined)).filter((q) => ownedBy(q.tags, pipeline) && isLive(q)).map((q) => current(q));
}

function diff(desired: DesiredResource, currentResource: CurrentResource): FieldChange[] {
  const properties = {
    ...desired.properties,
    computeEnvironmentOrder: sortedOrder(desired.properties.computeEnvironmentOrder),
  };
  return hashThenFields({ ...desired, properties }, currentResource, { maxDepth: 2 });
}

/** The UpdateJobQueue / CreateJobQueue order (moto's UpdateJobQueue needs ARNs: core derives ARNs). */
function orderOf(desired: DesiredResource): { order: number; computeEnvironment: string }[] {
  return sortedOrder(desired.properties.computeEnvironmentOrder) as { order: number; computeEnvironment: string }[];
}

async function create(ctx: ApplyContext, desired: DesiredResource): Promise<Record<string, string>> {
  const batch = await ctx.aws.client("batch");
  const { CreateJobQueueCommand } = await ctx.aws.sdk("batch");
  const name = desired.name;
  await lifecycle.untilDeleted(ctx.aws, name);
  const out = await batch.send(
    new CreateJobQueueCommand({
      jobQueueName: name,
      state: (desired.properties.state as "ENABLED" | "DISABLED" | undefined) ?? "ENABLED",
      priority: (desired.properties.priority as number | undefined) ?? 1,
      computeEnvironmentOrder: orderOf(desired),
      tags: desiredTags(desired),
    }),
  );
  await lifecycle.settle(ctx.aws, name);
  const arn = out.jobQueueArn ?? "";
  await tagHash(ctx, arn, desired);
  return { arn };
}

async function update(
  ctx: ApplyContext,
  desired: DesiredResource,
  currentResource: CurrentResource,
  changes: readonly FieldChange[],
): Promise<Record<string, string>> {
  const arn = currentResource.arn ?? "";
  if (!onlyTagsChanged(changes)) {
    const batch = await ctx.aws.client("batch");
    const { UpdateJobQueueCommand } = await ctx.aws.sdk("batch");
    await batch.send(
      new UpdateJobQueueCommand({
        jobQueue: desired.name,
        ...(changed(changes, "state") ? { state: desired.properties.state as "ENABLED" } : {}),
        ...(changed(changes, "priority") ? { priority: desired.properties.priority as number } : {}),
        ...(changed(changes, "computeEnvironmentOrder") ? { computeEnvironmentOrder: orderOf(desired) } : {}),
      }),
    );
    await lifecycle.settle(ctx.aws, desired.name);
  }
  await syncTags(ctx, arn, desired, currentResource.tags);
  return { arn };
}

/** Disable, wait, delete, wait until gone (its compute environments can only go after it). */
async function remove(ctx: ApplyContext, currentResource: CurrentResource): Promise<void> {
  const batch = await ctx.aws.client("batch");
  const { UpdateJobQueueCommand, DeleteJobQueueCommand } = await ctx.aws.sdk("batch");
  const name = currentResource.name;
  await lifecycle.remove(
    ctx.aws,
    name,
    () => batch.send(new UpdateJobQueueCommand({ jobQueue: name, state: "DISABLED" })),
    () => batch.send(new DeleteJobQueueCommand({ jobQueue: name })),
  );
}

export const jobQueueDriver: ResourceDriver = {
  type: "batch.jobQueue",
  read,
  listOwned,
  diff,
  create,
  update,
  delete: remove,
};
