import type { JobDefinition, RegisterJobDefinitionCommandInput } from "@aws-sdk/client-batch";
import { type CurrentResource, type DesiredResource, type FieldChange, type JsonValue, ownedBy } from "@stepline/core";
import type { AwsContext } from "../aws.js";
import { type ApplyContext, hashThenFields, onlyTagsChanged, type ResourceDriver, withoutHash } from "../driver.js";
import { allPages, compact, currentOf, desiredTags, type Json, syncTags, tagHash } from "./shared.js";

/**
 * Batch job definitions stepline registers (`properties` in
 * RegisterJobDefinition terms, plus the `architecture` hint).
 *
 * A revision is immutable, so its `stepline:hash` tag says exactly what it
 * holds: an equal hash on the newest ACTIVE revision means nothing to do.
 * The state machine pins each step to an exact revision ARN, so a change
 * registers a new revision, keeps the newest {@link KEPT_REVISIONS} ACTIVE
 * ones stepline owns (older state machine versions, which `stepline
 * rollback` returns to, submit to them) and deregisters the rest, and only
 * then writes the hash (a deploy stopped in between finishes on the next run).
 */

/**
 * ACTIVE revisions stepline keeps per job definition: `stepline rollback`
 * reaches back that many changes of a job definition. Batch can only run an
 * ACTIVE revision, so rollback refuses to go further back.
 */
export const KEPT_REVISIONS = 5;

/** RegisterJobDefinition inputs stepline compares (everything else Describe returns is state). */
const INPUT_KEYS = [
  "jobDefinitionName",
  "type",
  "parameters",
  "schedulingPriority",
  "containerProperties",
  "nodeProperties",
  "retryStrategy",
  "propagateTags",
  "timeout",
  "platformCapabilities",
  "eksProperties",
  "ecsProperties",
  "consumableResourceProperties",
] as const;

/** Not an API field: deploy's hint for the compute environments (Graviton for arm64). */
const HINTS = ["architecture"];

/** The RegisterJobDefinition input of a desired job definition (hints removed, hash not yet tagged). */
export function registerInput(desired: DesiredResource): Record<string, JsonValue> {
  const input: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(desired.properties)) if (!HINTS.includes(key)) input[key] = value;
  input.jobDefinitionName = desired.name;
  input.tags = desiredTags(desired);
  return input;
}

type EvaluateOnExit = { readonly action?: string; readonly [key: string]: JsonValue | undefined };

/**
 * What Describe returns, in the shape of the desired properties: empty lists
 * AWS fills in dropped, moto's default `logConfiguration` dropped, and
 * `evaluateOnExit` actions upper-cased (moto lower-cases them; AWS accepts both).
 */
export function normaliseJobDefinition(definition: JobDefinition): Record<string, JsonValue> {
  const raw = definition as unknown as Json;
  const out: Record<string, JsonValue> = {};
  for (const key of INPUT_KEYS) {
    const value = raw[key];
    if (value !== undefined) out[key] = value;
  }
  const container = raw.containerProperties as Json | undefined;
  if (container !== undefined) {
    const { logConfiguration, ...rest } = container;
    const log = logConfiguration as Json | undefined;
    const defaultLog = log !== undefined && Object.keys(log).length === 1 && log.logDriver === "awslogs";
    out.containerProperties = compact({ ...rest, ...(defaultLog ? {} : { logConfiguration: log }) });
  }
  const retry = raw.retryStrategy as Json | undefined;
  if (retry !== undefined) {
    const rules = (retry.evaluateOnExit ?? []) as readonly EvaluateOnExit[];
    out.retryStrategy = compact({
      ...retry,
      evaluateOnExit: rules.map((rule) => ({
        ...rule,
        ...(typeof rule.action === "string" ? { action: rule.action.toUpperCase() } : {}),
      })) as JsonValue,
    });
  }
  if (out.propagateTags === false) delete out.propagateTags;
  const compacted = compact(out);
  compacted.tags = withoutHash(definition.tags ?? {});
  return compacted;
}

async function describeActive(aws: AwsContext, name: string | undefined): Promise<JobDefinition[]> {
  const batch = await aws.client("batch");
  const { DescribeJobDefinitionsCommand } = await aws.sdk("batch");
  const all = await allPages(
    (token) =>
      batch.send(
        new DescribeJobDefinitionsCommand({
          status: "ACTIVE",
          ...(name === undefined ? {} : { jobDefinitionName: name }),
          ...token,
        }),
      ),
    (page) => page.jobDefinitions,
  );
  return all.filter((d) => d.status === "ACTIVE");
}

/** The newest revision of each name. */
function newest(definitions: readonly JobDefinition[]): Map<string, JobDefinition> {
  const byName = new Map<string, JobDefinition>();
  for (const d of definitions) {
    const name = d.jobDefinitionName ?? "";
    const seen = byName.get(name);
    if (seen === undefined || (d.revision ?? 0) > (seen.revision ?? 0)) byName.set(name, d);
  }
  return byName;
}

function current(definition: JobDefinition): CurrentResource {
  return currentOf(
    "batch.jobDefinition",
    definition.jobDefinitionName ?? "",
    definition.jobDefinitionArn,
    normaliseJobDefinition(definition),
    { ...definition.tags },
    { revision: definition.revision ?? 0 },
  );
}

/** The newest ACTIVE revision: the one a submit by name runs. */
async function read(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined> {
  const latest = newest(await describeActive(aws, desired.name)).get(desired.name);
  return latest === undefined ? undefined : current(latest);
}

async function listOwned(aws: AwsContext, pipeline: string): Promise<CurrentResource[]> {
  // Batch cannot filter by tag or name prefix: every ACTIVE definition is read (100 a page).
  const owned = (await describeActive(aws, undefined)).filter((d) => ownedBy(d.tags, pipeline));
  return [...newest(owned).values()].map(current);
}

/** Hash first; otherwise the fields without the deploy hints. */
function diff(desired: DesiredResource, currentResource: CurrentResource): FieldChange[] {
  const properties = { ...registerInput(desired) };
  return hashThenFields({ ...desired, properties }, currentResource, { maxDepth: 3 });
}

/**
 * Deregisters the ACTIVE revisions of `name` this pipeline owns but the
 * newest `keep` of them (all when `keep` is 0), oldest first.
 */
async function deregisterOwned(ctx: ApplyContext, name: string, keep: number): Promise<void> {
  const batch = await ctx.aws.client("batch");
  const { DeregisterJobDefinitionCommand } = await ctx.aws.sdk("batch");
  const owned = (await describeActive(ctx.aws, name))
    .filter((d) => d.jobDefinitionArn !== undefined && ownedBy(d.tags, ctx.pipeline))
    .sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0));
  for (const d of owned.slice(keep).reverse()) {
    await batch.send(new DeregisterJobDefinitionCommand({ jobDefinition: d.jobDefinitionArn }));
  }
}

async function register(ctx: ApplyContext, desired: DesiredResource): Promise<Record<string, string>> {
  const batch = await ctx.aws.client("batch");
  const { RegisterJobDefinitionCommand } = await ctx.aws.sdk("batch");
  const input = registerInput(desired) as unknown as RegisterJobDefinitionCommandInput;
  // The job and execution roles may be fresh: Batch can refuse them for a few seconds.
  const out = await ctx.retryWhileRoleNotReady(`registering job definition ${desired.name}`, () =>
    batch.send(new RegisterJobDefinitionCommand(input)),
  );
  const arn = out.jobDefinitionArn ?? "";
  await deregisterOwned(ctx, desired.name, KEPT_REVISIONS);
  await tagHash(ctx, arn, desired);
  return { arn, revision: String(out.revision ?? "") };
}

async function create(ctx: ApplyContext, desired: DesiredResource): Promise<Record<string, string>> {
  return register(ctx, desired);
}

async function update(
  ctx: ApplyContext,
  desired: DesiredResource,
  currentResource: CurrentResource,
  changes: readonly FieldChange[],
): Promise<Record<string, string>> {
  if (!onlyTagsChanged(changes) || currentResource.arn === undefined) return register(ctx, desired);
  // Same content (an earlier run stopped before its clean-up, or only tags differ): keep the revision.
  await deregisterOwned(ctx, desired.name, KEPT_REVISIONS);
  await syncTags(ctx, currentResource.arn, desired, currentResource.tags);
  return { arn: currentResource.arn, revision: String(currentResource.state?.revision ?? "") };
}

/**
 * The revisions (ARNs ending in `:N`) among `arns` that Batch can no longer
 * run: deregistered (INACTIVE) or unknown.
 */
export async function inactiveRevisions(aws: AwsContext, arns: readonly string[]): Promise<string[]> {
  const batch = await aws.client("batch");
  const { DescribeJobDefinitionsCommand } = await aws.sdk("batch");
  const active = new Set<string>();
  // DescribeJobDefinitions takes at most 100 names or ARNs a call.
  for (let i = 0; i < arns.length; i += 100) {
    const found = await allPages(
      (token) => batch.send(new DescribeJobDefinitionsCommand({ jobDefinitions: arns.slice(i, i + 100), ...token })),
      (page) => page.jobDefinitions,
    );
    for (const d of found) if (d.status === "ACTIVE" && d.jobDefinitionArn) active.add(d.jobDefinitionArn);
  }
  return arns.filter((arn) => !active.has(arn));
}

/** Deregisters every ACTIVE revision this pipeline owns (Batch keeps them as INACTIVE, as it always does). */
async function remove(ctx: ApplyContext, currentResource: CurrentResource): Promise<void> {
  await deregisterOwned(ctx, currentResource.name, 0);
}

export const jobDefinitionDriver: ResourceDriver = {
  type: "batch.jobDefinition",
  read,
  listOwned,
  diff,
  create,
  update,
  delete: remove,
};
