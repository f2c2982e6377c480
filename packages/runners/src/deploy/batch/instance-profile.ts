import type { InstanceProfile } from "@aws-sdk/client-iam";
import {
  type CurrentResource,
  type DesiredResource,
  type FieldChange,
  instanceRoleName,
  type JsonValue,
  ownedBy,
  resourceKey,
} from "@stepline/core";
import type { AwsContext } from "../aws.js";
import {
  type ApplyContext,
  changed,
  hashThenFields,
  type ResourceDriver,
  tagChanges,
  tagList,
  tagRecord,
  tagsWithHash,
  withoutHash,
} from "../driver.js";
import { unlessMissing } from "../errors.js";

/**
 * The instance profile of a pipeline's managed Batch container instances
 * (`properties`: InstanceProfileName, Path, Roles: [role name], Tags). Its
 * role is an ordinary `iam.role` resource; destroy removes the role from the
 * profile before deleting it. There is one per pipeline, by name convention
 * (tags are read with GetInstanceProfile: moto lacks ListInstanceProfileTags).
 */

async function get(aws: AwsContext, name: string): Promise<InstanceProfile | undefined> {
  const iam = await aws.client("iam");
  const { GetInstanceProfileCommand } = await aws.sdk("iam");
  const out = await unlessMissing(
    () => iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })),
    "NoSuchEntityException",
  );
  return out?.InstanceProfile;
}

function current(profile: InstanceProfile): CurrentResource {
  const name = profile.InstanceProfileName ?? "";
  const tags = tagRecord(profile.Tags);
  const properties: Record<string, JsonValue> = {
    InstanceProfileName: name,
    Path: profile.Path ?? "/",
    Roles: (profile.Roles ?? []).flatMap((r) => (r.RoleName ? [r.RoleName] : [])).sort(),
    Tags: withoutHash(tags),
  };
  return {
    key: resourceKey("iam.instanceProfile", name),
    type: "iam.instanceProfile",
    name,
    ...(profile.Arn ? { arn: profile.Arn } : {}),
    properties,
    tags,
  };
}

async function read(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined> {
  const profile = await get(aws, desired.name);
  return profile === undefined ? undefined : current(profile);
}

async function listOwned(aws: AwsContext, pipeline: string): Promise<CurrentResource[]> {
  const profile = await get(aws, instanceRoleName(pipeline));
  if (profile === undefined || !ownedBy(tagRecord(profile.Tags), pipeline)) return [];
  return [current(profile)];
}

const rolesOf = (properties: { readonly [key: string]: JsonValue }): string[] =>
  [...((properties.Roles ?? []) as readonly string[])].sort();

function diff(desired: DesiredResource, currentResource: CurrentResource): FieldChange[] {
  const properties = { ...desired.properties, Roles: rolesOf(desired.properties) };
  return hashThenFields({ ...desired, properties }, currentResource);
}

async function syncRoles(ctx: ApplyContext, name: string, want: readonly string[], have: readonly string[]) {
  const iam = await ctx.aws.client("iam");
  const { AddRoleToInstanceProfileCommand, RemoveRoleFromInstanceProfileCommand } = await ctx.aws.sdk("iam");
  for (const role of have) {
    if (!want.includes(role)) {
      await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: role }));
    }
  }
  for (const role of want) {
    if (!have.includes(role)) {
      await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: role }));
    }
  }
}

async function syncTags(ctx: ApplyContext, desired: DesiredResource, have: Readonly<Record<string, string>>) {
  const iam = await ctx.aws.client("iam");
  const { TagInstanceProfileCommand, UntagInstanceProfileCommand } = await ctx.aws.sdk("iam");
  const { set, remove } = tagChanges(tagsWithHash(desired, "Tags"), have);
  if (Object.keys(set).length > 0) {
    await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: desired.name, Tags: tagList(set) }));
  }
  if (remove.length > 0) {
    await iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: desired.name, TagKeys: remove }));
  }
}

async function create(ctx: ApplyContext, desired: DesiredResource): Promise<Record<string, string>> {
  const iam = await ctx.aws.client("iam");
  const { CreateInstanceProfileCommand } = await ctx.aws.sdk("iam");
  const out = await iam.send(
    new CreateInstanceProfileCommand({
      InstanceProfileName: desired.name,
      Path: (desired.properties.Path as string | undefined) ?? "/",
      Tags: tagList((desired.properties.Tags ?? {}) as Record<string, string>),
    }),
  );
  await syncRoles(ctx, desired.name, rolesOf(desired.properties), []);
  // The hash last: a profile left without its role is completed next time.
  await syncTags(ctx, desired, tagRecord(out.InstanceProfile?.Tags));
  return { arn: out.InstanceProfile?.Arn ?? "" };
}

async function update(
  ctx: ApplyContext,
  desired: DesiredResource,
  currentResource: CurrentResource,
  changes: readonly FieldChange[],
): Promise<Record<string, string>> {
  if (changed(changes, "Roles")) {
    await syncRoles(ctx, desired.name, rolesOf(desired.properties), rolesOf(currentResource.properties));
  }
  await syncTags(ctx, desired, currentResource.tags);
  return { arn: currentResource.arn ?? "" };
}

async function remove(ctx: ApplyContext, currentResource: CurrentResource): Promise<void> {
  const iam = await ctx.aws.client("iam");
  const { DeleteInstanceProfileCommand } = await ctx.aws.sdk("iam");
  const profile = await get(ctx.aws, currentResource.name);
  if (profile === undefined) return;
  await syncRoles(ctx, currentResource.name, [], rolesOf(current(profile).properties));
  await unlessMissing(
    () => iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: currentResource.name })),
    "NoSuchEntityException",
  );
}

export const instanceProfileDriver: ResourceDriver = {
  type: "iam.instanceProfile",
  read,
  listOwned,
  diff,
  create,
  update,
  delete: remove,
};
