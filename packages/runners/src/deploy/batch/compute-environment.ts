import type { ComputeEnvironmentDetail } from "@aws-sdk/client-batch";
import {
  type CurrentResource,
  type DesiredResource,
  type FieldChange,
  type JsonValue,
  ownedBy,
  SteplineError,
} from "@stepline/core";
import type { AwsContext } from "../aws.js";
import {
  type ApplyContext,
  changed,
  hashThenFields,
  onlyTagsChanged,
  type ResourceDriver,
  withoutHash,
} from "../driver.js";
import {
  allPages,
  asyncLifecycle,
  compact,
  currentOf,
  desiredTags,
  isLive,
  type Json,
  pick,
  sortedList,
  syncTags,
  tagHash,
} from "./shared.js";

/**
 * Managed compute environments (`properties` in CreateComputeEnvironment
 * terms, derived by core's `computeResources`). Batch creates, updates and
 * deletes them asynchronously: every change waits (bounded) until the
 * environment is VALID again, and delete is disable → wait → delete → wait
 * until gone, so the queue or environment after it can go.
 */

/** computeResources fields that UpdateComputeEnvironment changes in place with any service role. */
const SCALING_FIELDS = ["minvCpus", "maxvCpus"];
/**
 * Infrastructure fields: updatable in place only when the environment uses
 * Batch's service-linked role and a BEST_FIT_PROGRESSIVE or SPOT_*
 * allocation strategy (AWS Batch "Updating compute environments").
 */
const INFRASTRUCTURE_FIELDS = [
  "type",
  "allocationStrategy",
  "instanceTypes",
  "subnets",
  "securityGroupIds",
  "instanceRole",
  "tags",
  "bidPercentage",
  "ec2KeyPair",
  "imageId",
  "launchTemplate",
  "ec2Configuration",
  "placementGroup",
];
/** Lists Batch treats as sets. */
const SET_FIELDS = ["instanceTypes", "subnets", "securityGroupIds"];

function normaliseResources(resources: Json | undefined, keys: readonly string[]): Record<string, JsonValue> {
  const out = pick(resources, keys);
  for (const key of SET_FIELDS) if (key in out) out[key] = sortedList(out[key]) as JsonValue;
  return out;
}

/** The keys a comparison looks at: the desired ones, or (listing) every known one. */
function resourceKeys(desired: DesiredResource | undefined): string[] {
  const wanted = desired?.properties.computeResources as Json | undefined;
  return wanted === undefined ? [...SCALING_FIELDS, ...INFRASTRUCTURE_FIELDS] : Object.keys(wanted);
}

/**
 * Describe's answer in the desired shape: computeResources projected on the
 * desired keys (AWS adds desiredvCpus, ec2Configuration…), sets sorted, and
 * `serviceRole` only when the pipeline names one (AWS reports its
 * service-linked role otherwise).
 */
export function normaliseComputeEnvironment(
  detail: ComputeEnvironmentDetail,
  desired?: DesiredResource,
): Record<string, JsonValue> {
  const raw = detail as unknown as Json;
  const wantsServiceRole = desired === undefined || desired.properties.serviceRole !== undefined;
  return compact({
    computeEnvironmentName: detail.computeEnvironmentName,
    type: detail.type,
    state: detail.state,
    computeResources: normaliseResources(raw.computeResources as Json | undefined, resourceKeys(desired)),
    ...(wantsServiceRole ? { serviceRole: detail.serviceRole } : {}),
    tags: withoutHash(detail.tags ?? {}),
  });
}

function normaliseDesired(desired: DesiredResource): DesiredResource {
  const resources = desired.properties.computeResources as Json | undefined;
  if (resources === undefined) return desired;
  return {
    ...desired,
    properties: { ...desired.properties, computeResources: normaliseResources(resources, Object.keys(resources)) },
  };
}

async function describe(aws: AwsContext, names: readonly string[] | undefined): Promise<ComputeEnvironmentDetail[]> {
  const batch = await aws.client("batch");
  const { DescribeComputeEnvironmentsCommand } = await aws.sdk("batch");
  return allPages(
    (token) =>
      batch.send(
        new DescribeComputeEnvironmentsCommand({
          ...(names === undefined ? {} : { computeEnvironments: [...names] }),
          ...token,
        }),
      ),
    (page) => page.computeEnvironments,
  );
}

async function describeOne(aws: AwsContext, name: string): Promise<ComputeEnvironmentDetail | undefined> {
  return (await describe(aws, [name])).find(
    (e) => e.computeEnvironmentName === name || e.computeEnvironmentArn === name,
  );
}

function current(detail: ComputeEnvironmentDetail, desired?: DesiredResource): CurrentResource {
  return currentOf(
    "batch.computeEnvironment",
    detail.computeEnvironmentName ?? "",
    detail.computeEnvironmentArn,
    normaliseComputeEnvironment(detail, desired),
    { ...detail.tags },
    { status: detail.status ?? "", state: detail.state ?? "" },
  );
}

const lifecycle = asyncLifecycle("compute environment", describeOne);

/** One being deleted counts as absent: create waits for it to go, then creates it again. */
async function read(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined> {
  const detail = await describeOne(aws, desired.name);
  return isLive(detail) ? current(detail, desired) : undefined;
}

async function listOwned(aws: AwsContext, pipeline: string): Promise<CurrentResource[]> {
  return (await describe(aws, undefined)).filter((e) => ownedBy(e.tags, pipeline) && isLive(e)).map((e) => current(e));
}

function diff(desired: DesiredResource, currentResource: CurrentResource): FieldChange[] {
  return hashThenFields(normaliseDesired(desired), currentResource, { maxDepth: 2 });
}

/** Delays before the attempts after the first while a fresh instance profile is not visible to Batch yet. */
export const PROFILE_RETRY_SECONDS = [2, 4, 8, 16];

/** True when this run created or changed the instance profile the environment depends on. */
function freshProfile(ctx: ApplyContext, desired: DesiredResource): boolean {
  return desired.dependsOn.some((key) => key.startsWith("iam.instanceProfile:") && ctx.outputs.has(key));
}

/**
 * IAM is eventually consistent: Batch may not see an instance profile made
 * seconds ago ("could not find instanceRole", "instance profile … is not
 * valid"). Retried a bounded number of times, only right after stepline made it.
 */
async function retryWhileProfileNotReady<T>(ctx: ApplyContext, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const delay = PROFILE_RETRY_SECONDS[attempt];
      const message = (error as { message?: string } | undefined)?.message ?? "";
      if (delay === undefined || !/instance ?role|instance profile/i.test(message)) throw error;
      await ctx.aws.sleep(delay * 1000);
    }
  }
}

async function create(ctx: ApplyContext, desired: DesiredResource): Promise<Record<string, string>> {
  const batch = await ctx.aws.client("batch");
  const { CreateComputeEnvironmentCommand } = await ctx.aws.sdk("batch");
  const name = desired.name;
  await lifecycle.untilDeleted(ctx.aws, name);
  const input = { ...desired.properties, computeEnvironmentName: name, tags: desiredTags(desired) };
  const send = () => batch.send(new CreateComputeEnvironmentCommand(input as never));
  const out = await ctx.retryWhileRoleNotReady(`creating compute environment ${name}`, () =>
    freshProfile(ctx, desired) ? retryWhileProfileNotReady(ctx, send) : send(),
  );
  await lifecycle.settle(ctx.aws, name);
  const arn = out.computeEnvironmentArn ?? "";
  // The hash last: an environment that never became VALID is looked at again next time.
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
  const resourceChanges = changes
    .filter((c) => c.field.startsWith("computeResources."))
    .map((c) => c.field.slice("computeResources.".length).split(".")[0] ?? "");
  const infrastructure = resourceChanges.filter((f) => INFRASTRUCTURE_FIELDS.includes(f));
  if (infrastructure.length > 0 && desired.properties.serviceRole !== undefined) {
    throw SteplineError.of(
      "SL_DEPLOY_UPDATE_UNSUPPORTED",
      `compute environment ${desired.name}: ${infrastructure.map((f) => `computeResources.${f}`).join(", ")} cannot change in place while it uses its own service role (AWS Batch updates infrastructure only with its service-linked role)`,
      "remove deploy.compute.serviceRole so Batch uses AWSServiceRoleForBatch, or run `stepline destroy` and deploy again to replace the environments",
      { field: `deploy.compute` },
    );
  }
  if (!onlyTagsChanged(changes) || changed(changes, "state")) {
    const batch = await ctx.aws.client("batch");
    const { UpdateComputeEnvironmentCommand } = await ctx.aws.sdk("batch");
    const wanted = (desired.properties.computeResources ?? {}) as Json;
    // The type and the allocation strategy go together.
    const fields = new Set(resourceChanges);
    if (fields.has("type") || fields.has("allocationStrategy"))
      for (const f of ["type", "allocationStrategy"]) fields.add(f);
    const computeResources = pick(wanted, [...fields]);
    await batch.send(
      new UpdateComputeEnvironmentCommand({
        computeEnvironment: desired.name,
        ...(changed(changes, "state") ? { state: desired.properties.state as "ENABLED" } : {}),
        ...(changed(changes, "serviceRole") && typeof desired.properties.serviceRole === "string"
          ? { serviceRole: desired.properties.serviceRole }
          : {}),
        ...(Object.keys(computeResources).length > 0 ? { computeResources: computeResources as never } : {}),
      }),
    );
    await lifecycle.settle(ctx.aws, desired.name);
  }
  await syncTags(ctx, arn, desired, currentResource.tags);
  return { arn };
}

/** Disable, wait, delete, wait until gone (a queue must have let go of it first: destroy deletes queues before). */
async function remove(ctx: ApplyContext, currentResource: CurrentResource): Promise<void> {
  const batch = await ctx.aws.client("batch");
  const { UpdateComputeEnvironmentCommand, DeleteComputeEnvironmentCommand } = await ctx.aws.sdk("batch");
  const name = currentResource.name;
  await lifecycle.remove(
    ctx.aws,
    name,
    () => batch.send(new UpdateComputeEnvironmentCommand({ computeEnvironment: name, state: "DISABLED" })),
    () => batch.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: name })),
  );
}

export const computeEnvironmentDriver: ResourceDriver = {
  type: "batch.computeEnvironment",
  read,
  listOwned,
  diff,
  create,
  update,
  delete: remove,
};
