import {
  type CurrentResource,
  canonicalJson,
  type DesiredResource,
  type FieldChange,
  type JsonValue,
  ownedBy,
  resourceKey,
  TAG_HASH,
} from "@stepline/core";
import type { AwsContext } from "./aws.js";
import {
  type ApplyContext,
  changed,
  hashThenFields,
  type ResourceDriver,
  tagChanges,
  tagList,
  tagRecord,
  withoutHash,
} from "./driver.js";
import { isError, unlessMissing } from "./errors.js";

/**
 * IAM roles stepline owns: `properties` are `{ RoleName, Path, Description,
 * AssumeRolePolicyDocument, Policies: { name: document }, ManagedPolicyArns?,
 * Tags }`. Inline policies are put one by one; the hash tag is written last.
 */

type Doc = { readonly [key: string]: JsonValue };

function parseDocument(encoded: string | undefined): JsonValue {
  if (encoded === undefined) return null;
  // IAM returns policy documents URL-encoded.
  const text = /^%7B/i.test(encoded) ? decodeURIComponent(encoded) : encoded;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

const policiesOf = (desired: DesiredResource): Doc => (desired.properties.Policies ?? {}) as Doc;
const managedOf = (properties: Doc): readonly string[] | undefined =>
  properties.ManagedPolicyArns as readonly string[] | undefined;

async function readPolicies(aws: AwsContext, name: string): Promise<Record<string, JsonValue>> {
  const iam = await aws.client("iam");
  const { ListRolePoliciesCommand, GetRolePolicyCommand } = await aws.sdk("iam");
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolePoliciesCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }));
    names.push(...(page.PolicyNames ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const out: Record<string, JsonValue> = {};
  for (const policy of names.sort()) {
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policy }));
    out[policy] = parseDocument(got.PolicyDocument);
  }
  return out;
}

async function readManaged(aws: AwsContext, name: string): Promise<string[]> {
  const iam = await aws.client("iam");
  const { ListAttachedRolePoliciesCommand } = await aws.sdk("iam");
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }),
    );
    arns.push(...(page.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return arns.sort();
}

async function read(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined> {
  const iam = await aws.client("iam");
  const { GetRoleCommand } = await aws.sdk("iam");
  const role = (
    await unlessMissing(() => iam.send(new GetRoleCommand({ RoleName: desired.name })), "NoSuchEntityException")
  )?.Role;
  if (role === undefined) return undefined;
  const tags = tagRecord(role.Tags);
  const base = {
    key: desired.key,
    type: desired.type,
    name: desired.name,
    tags,
    ...(role.Arn ? { arn: role.Arn } : {}),
  };
  // Same hash: what stepline last wrote is there; the policies need not be read.
  if (tags[TAG_HASH] === desired.hash) return { ...base, properties: desired.properties };
  const properties: Record<string, JsonValue> = {
    RoleName: role.RoleName ?? desired.name,
    Path: role.Path ?? "/",
    ...(role.Description === undefined ? {} : { Description: role.Description }),
    AssumeRolePolicyDocument: parseDocument(role.AssumeRolePolicyDocument),
    Policies: await readPolicies(aws, desired.name),
    Tags: withoutHash(tags),
  };
  if (managedOf(desired.properties) !== undefined) properties.ManagedPolicyArns = await readManaged(aws, desired.name);
  return { ...base, properties };
}

async function listOwned(aws: AwsContext, pipeline: string): Promise<CurrentResource[]> {
  const iam = await aws.client("iam");
  const { ListRolesCommand, ListRoleTagsCommand } = await aws.sdk("iam");
  const candidates: { name: string; arn?: string }[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolesCommand({ ...(marker ? { Marker: marker } : {}) }));
    for (const r of page.Roles ?? []) {
      // Every role stepline creates is named stepline-…; only those need their tags read.
      if (r.RoleName?.startsWith("stepline-")) candidates.push({ name: r.RoleName, ...(r.Arn ? { arn: r.Arn } : {}) });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const owned: CurrentResource[] = [];
  for (const c of candidates) {
    const tags = tagRecord((await iam.send(new ListRoleTagsCommand({ RoleName: c.name }))).Tags);
    if (!ownedBy(tags, pipeline)) continue;
    owned.push({
      key: resourceKey("iam.role", c.name),
      type: "iam.role",
      name: c.name,
      ...(c.arn ? { arn: c.arn } : {}),
      properties: { RoleName: c.name },
      tags,
    });
  }
  return owned;
}

async function putPolicies(ctx: ApplyContext, name: string, policies: Doc, only?: ReadonlySet<string>): Promise<void> {
  const iam = await ctx.aws.client("iam");
  const { PutRolePolicyCommand } = await ctx.aws.sdk("iam");
  for (const policy of Object.keys(policies).sort()) {
    if (only && !only.has(policy)) continue;
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: policy,
        PolicyDocument: JSON.stringify(policies[policy]),
      }),
    );
  }
}

async function tagHash(ctx: ApplyContext, desired: DesiredResource): Promise<void> {
  const iam = await ctx.aws.client("iam");
  const { TagRoleCommand } = await ctx.aws.sdk("iam");
  await iam.send(new TagRoleCommand({ RoleName: desired.name, Tags: [{ Key: TAG_HASH, Value: desired.hash }] }));
}

async function create(ctx: ApplyContext, desired: DesiredResource): Promise<undefined> {
  const p = desired.properties;
  const iam = await ctx.aws.client("iam");
  const { CreateRoleCommand, AttachRolePolicyCommand } = await ctx.aws.sdk("iam");
  await iam.send(
    new CreateRoleCommand({
      RoleName: desired.name,
      Path: (p.Path as string | undefined) ?? "/",
      ...(typeof p.Description === "string" ? { Description: p.Description } : {}),
      AssumeRolePolicyDocument: JSON.stringify(p.AssumeRolePolicyDocument),
      Tags: tagList((p.Tags ?? {}) as Record<string, string>),
    }),
  );
  await putPolicies(ctx, desired.name, policiesOf(desired));
  for (const arn of managedOf(p) ?? []) {
    await iam.send(new AttachRolePolicyCommand({ RoleName: desired.name, PolicyArn: arn }));
  }
  await tagHash(ctx, desired);
  return undefined;
}

async function update(
  ctx: ApplyContext,
  desired: DesiredResource,
  current: CurrentResource,
  changes: readonly FieldChange[],
): Promise<undefined> {
  const p = desired.properties;
  const iam = await ctx.aws.client("iam");
  const sdk = await ctx.aws.sdk("iam");
  if (changed(changes, "AssumeRolePolicyDocument")) {
    await iam.send(
      new sdk.UpdateAssumeRolePolicyCommand({
        RoleName: desired.name,
        PolicyDocument: JSON.stringify(p.AssumeRolePolicyDocument),
      }),
    );
  }
  if (changed(changes, "Description") && typeof p.Description === "string") {
    await iam.send(new sdk.UpdateRoleCommand({ RoleName: desired.name, Description: p.Description }));
  }
  if (changed(changes, "Policies")) {
    const want = policiesOf(desired);
    const have = (current.properties.Policies ?? {}) as Doc;
    const differing = new Set(
      Object.keys(want).filter((name) => canonicalJson(want[name]) !== canonicalJson(have[name])),
    );
    await putPolicies(ctx, desired.name, want, differing);
    for (const name of Object.keys(have)) {
      if (!(name in want))
        await iam.send(new sdk.DeleteRolePolicyCommand({ RoleName: desired.name, PolicyName: name }));
    }
  }
  if (changed(changes, "ManagedPolicyArns")) {
    const want = new Set(managedOf(p) ?? []);
    const have = new Set(managedOf(current.properties) ?? []);
    for (const arn of want) {
      if (!have.has(arn)) await iam.send(new sdk.AttachRolePolicyCommand({ RoleName: desired.name, PolicyArn: arn }));
    }
    for (const arn of have) {
      if (!want.has(arn)) await iam.send(new sdk.DetachRolePolicyCommand({ RoleName: desired.name, PolicyArn: arn }));
    }
  }
  if (changed(changes, "Tags")) {
    const { set, remove } = tagChanges((p.Tags ?? {}) as Record<string, string>, withoutHash(current.tags));
    if (Object.keys(set).length > 0)
      await iam.send(new sdk.TagRoleCommand({ RoleName: desired.name, Tags: tagList(set) }));
    if (remove.length > 0) await iam.send(new sdk.UntagRoleCommand({ RoleName: desired.name, TagKeys: remove }));
  }
  await tagHash(ctx, desired);
  return undefined;
}

async function remove(ctx: ApplyContext, current: CurrentResource): Promise<void> {
  const iam = await ctx.aws.client("iam");
  const sdk = await ctx.aws.sdk("iam");
  try {
    for (const name of Object.keys(await readPolicies(ctx.aws, current.name))) {
      await iam.send(new sdk.DeleteRolePolicyCommand({ RoleName: current.name, PolicyName: name }));
    }
    for (const arn of await readManaged(ctx.aws, current.name)) {
      await iam.send(new sdk.DetachRolePolicyCommand({ RoleName: current.name, PolicyArn: arn }));
    }
    await iam.send(new sdk.DeleteRoleCommand({ RoleName: current.name }));
  } catch (error) {
    if (isError(error, "NoSuchEntityException")) return;
    throw error;
  }
}

export const iamRoleDriver: ResourceDriver = {
  type: "iam.role",
  read,
  listOwned,
  diff: (desired, current) => hashThenFields(desired, current, { opaque: ["AssumeRolePolicyDocument"], maxDepth: 2 }),
  create,
  update,
  delete: remove,
};
