import type { Job } from "@aws-sdk/client-glue";
import {
  type CurrentResource,
  type DesiredResource,
  type FieldChange,
  type JsonValue,
  resourceKey,
  SteplineError,
  TAG_HASH,
  TAG_PIPELINE,
} from "@stepline/core";
import type { AwsContext } from "./aws.js";
import { type ApplyContext, hashThenFields, type ResourceDriver, tagChanges, withoutHash } from "./driver.js";
import { unlessMissing } from "./errors.js";

/**
 * Glue jobs stepline creates for steps with a script (`properties` in
 * CreateJob terms: Name, Role, Command, GlueVersion, WorkerType and
 * NumberOfWorkers or MaxCapacity, ExecutionClass, Timeout, Connections,
 * SecurityConfiguration, DefaultArguments, Tags), and jobs steps name, which
 * are only checked to exist.
 *
 * UpdateJob replaces the whole job definition, so an update always sends
 * every desired field: a field the pipeline dropped goes back to Glue's
 * default. (moto does not implement UpdateJob; its tests cover it with a mocked client.)
 */

type Json = { readonly [key: string]: JsonValue };

/** The JobUpdate fields stepline compares when listing (no desired shape to follow). */
const LIST_FIELDS = [
  "Role",
  "Command",
  "GlueVersion",
  "WorkerType",
  "NumberOfWorkers",
  "MaxCapacity",
  "ExecutionClass",
  "Timeout",
  "Connections",
  "SecurityConfiguration",
  "DefaultArguments",
];

/** Properties that are not part of CreateJob's job fields. */
const NOT_JOB_FIELDS = new Set(["Name", "Tags"]);

function sortedConnections(value: JsonValue | undefined): JsonValue | undefined {
  const list = (value as Json | undefined)?.Connections;
  return Array.isArray(list) ? { Connections: [...(list as string[])].sort() } : value;
}

/**
 * GetJob's answer in the desired shape: only the desired fields (Glue adds
 * MaxCapacity, AllocatedCapacity, MaxRetries, ExecutionProperty, Timeout
 * defaults…), connections as a sorted set, tags from GetTags without the hash.
 */
export function normaliseGlueJob(job: Job, tags: Readonly<Record<string, string>>, desired?: DesiredResource) {
  const raw = job as unknown as Json;
  const fields =
    desired === undefined ? LIST_FIELDS : Object.keys(desired.properties).filter((k) => !NOT_JOB_FIELDS.has(k));
  const properties: Record<string, JsonValue> = { Name: job.Name ?? desired?.name ?? "" };
  for (const field of fields) {
    const value = raw[field];
    if (value === undefined || value === null) continue;
    properties[field] = field === "Connections" ? (sortedConnections(value) ?? value) : value;
  }
  properties.Tags = withoutHash(tags);
  return properties;
}

async function jobArn(aws: AwsContext, name: string): Promise<string> {
  const id = await aws.identity();
  return `arn:${id.partition}:glue:${aws.region}:${id.accountId}:job/${name}`;
}

async function getJob(aws: AwsContext, name: string): Promise<Job | undefined> {
  const glue = await aws.client("glue");
  const { GetJobCommand } = await aws.sdk("glue");
  const out = await unlessMissing(() => glue.send(new GetJobCommand({ JobName: name })), "EntityNotFoundException");
  return out?.Job;
}

async function getTags(aws: AwsContext, arn: string): Promise<Record<string, string>> {
  const glue = await aws.client("glue");
  const { GetTagsCommand } = await aws.sdk("glue");
  return { ...(await glue.send(new GetTagsCommand({ ResourceArn: arn }))).Tags };
}

async function currentOf(aws: AwsContext, job: Job, desired?: DesiredResource): Promise<CurrentResource> {
  const name = job.Name ?? desired?.name ?? "";
  const arn = await jobArn(aws, name);
  const tags = await getTags(aws, arn);
  return {
    key: resourceKey("glue.job", name),
    type: "glue.job",
    name,
    arn,
    properties: normaliseGlueJob(job, tags, desired),
    tags,
  };
}

async function read(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined> {
  const job = await getJob(aws, desired.name);
  if (job === undefined) return undefined;
  if (!desired.managed) {
    // Referenced: only its existence matters.
    return { key: desired.key, type: "glue.job", name: desired.name, properties: { Name: desired.name }, tags: {} };
  }
  return currentOf(aws, job, desired);
}

/** The jobs tagged for the pipeline (ListJobs filters by tag; a deleted job's tags linger in moto but it is not listed). */
async function listOwned(aws: AwsContext, pipeline: string): Promise<CurrentResource[]> {
  const glue = await aws.client("glue");
  const { ListJobsCommand } = await aws.sdk("glue");
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await glue.send(
      new ListJobsCommand({ Tags: { [TAG_PIPELINE]: pipeline }, ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    names.push(...(page.JobNames ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  const out: CurrentResource[] = [];
  for (const name of names.sort()) {
    const job = await getJob(aws, name);
    if (job !== undefined) out.push(await currentOf(aws, job));
  }
  return out.filter((c) => c.tags[TAG_PIPELINE] === pipeline);
}

function diff(desired: DesiredResource, current: CurrentResource): FieldChange[] {
  const connections = sortedConnections(desired.properties.Connections);
  const properties =
    connections === undefined ? desired.properties : { ...desired.properties, Connections: connections };
  return hashThenFields({ ...desired, properties }, current, { maxDepth: 2 });
}

/** The job fields of CreateJob / UpdateJob's JobUpdate. */
function jobFields(desired: DesiredResource): Record<string, JsonValue> {
  if (typeof desired.properties.Role !== "string" || desired.properties.Role === "") {
    throw SteplineError.of(
      "SL_DEPLOY_GLUE_ROLE",
      `Glue job ${desired.name} has no role (Role): Glue runs every job as an IAM role`,
      "give the job a role: deploy must set `Role` on the glue.job resource (a role trusted by glue.amazonaws.com that can read the script)",
      { field: resourceKey("glue.job", desired.name) },
    );
  }
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(desired.properties)) if (!NOT_JOB_FIELDS.has(key)) out[key] = value;
  return out;
}

function desiredTags(desired: DesiredResource): Record<string, string> {
  return { ...((desired.properties.Tags ?? {}) as Record<string, string>), [TAG_HASH]: desired.hash };
}

async function create(ctx: ApplyContext, desired: DesiredResource): Promise<Record<string, string>> {
  const glue = await ctx.aws.client("glue");
  const { CreateJobCommand } = await ctx.aws.sdk("glue");
  const input = { ...jobFields(desired), Name: desired.name, Tags: desiredTags(desired) };
  // One call holds the job and its tags (the hash too): nothing is half-made.
  await ctx.retryWhileRoleNotReady(`creating Glue job ${desired.name}`, () =>
    glue.send(new CreateJobCommand(input as never)),
  );
  return { arn: await jobArn(ctx.aws, desired.name) };
}

async function syncTags(ctx: ApplyContext, desired: DesiredResource, current: CurrentResource): Promise<void> {
  const glue = await ctx.aws.client("glue");
  const { TagResourceCommand, UntagResourceCommand } = await ctx.aws.sdk("glue");
  const arn = current.arn ?? (await jobArn(ctx.aws, desired.name));
  const { set, remove } = tagChanges(desiredTags(desired), current.tags);
  if (Object.keys(set).length > 0) await glue.send(new TagResourceCommand({ ResourceArn: arn, TagsToAdd: set }));
  if (remove.length > 0) await glue.send(new UntagResourceCommand({ ResourceArn: arn, TagsToRemove: remove }));
}

async function update(
  ctx: ApplyContext,
  desired: DesiredResource,
  current: CurrentResource,
  changes: readonly FieldChange[],
): Promise<Record<string, string>> {
  // Only real tag changes spare the UpdateJob; a bare hash change may hide a dropped field.
  const tagsOnly = changes.every((c) => c.field === "Tags" || c.field.startsWith("Tags."));
  if (!tagsOnly) {
    const glue = await ctx.aws.client("glue");
    const { UpdateJobCommand } = await ctx.aws.sdk("glue");
    const jobUpdate = jobFields(desired);
    await ctx.retryWhileRoleNotReady(`updating Glue job ${desired.name}`, () =>
      glue.send(new UpdateJobCommand({ JobName: desired.name, JobUpdate: jobUpdate as never })),
    );
  }
  await syncTags(ctx, desired, current);
  return { arn: current.arn ?? (await jobArn(ctx.aws, desired.name)) };
}

async function remove(ctx: ApplyContext, current: CurrentResource): Promise<void> {
  const glue = await ctx.aws.client("glue");
  const { DeleteJobCommand } = await ctx.aws.sdk("glue");
  // Deleting a missing job succeeds (Glue returns its name either way).
  await glue.send(new DeleteJobCommand({ JobName: current.name }));
}

export const glueJobDriver: ResourceDriver = {
  type: "glue.job",
  read,
  listOwned,
  diff,
  create,
  update,
  delete: remove,
};

/** The Glue drivers. */
export const glueDrivers: ResourceDriver[] = [glueJobDriver];
