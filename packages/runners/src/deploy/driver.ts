import {
  type CurrentResource,
  type DeployResourceType,
  type DesiredResource,
  type DiffOptions,
  diffProperties,
  type FieldChange,
  TAG_HASH,
} from "@stepline/core";
import type { AwsContext } from "./aws.js";

/**
 * One driver per AWS resource type: it reads what is there, lists what a
 * pipeline owns, compares, and creates, updates and deletes. Drivers talk
 * to AWS only through the {@link AwsContext} (counted, hookable calls).
 */
export interface ResourceDriver {
  readonly type: DeployResourceType;
  /**
   * The resource the desired one names, or undefined when it does not exist.
   * Properties are normalised to the desired shape; tags include
   * `stepline:pipeline` and `stepline:hash` when present.
   */
  read(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined>;
  /**
   * Every resource of this type tagged `stepline:pipeline=<pipeline>` (found
   * per service by name convention and tags; not the tagging API).
   */
  listOwned(aws: AwsContext, pipeline: string): Promise<CurrentResource[]>;
  /** What differs: `[]` when nothing does. Usually {@link hashThenFields}. */
  diff(desired: DesiredResource, current: CurrentResource): FieldChange[];
  create(ctx: ApplyContext, desired: DesiredResource): Promise<DriverOutput | undefined>;
  /** `changes` is what {@link diff} returned (never empty): drivers change only that. */
  update(
    ctx: ApplyContext,
    desired: DesiredResource,
    current: CurrentResource,
    changes: readonly FieldChange[],
  ): Promise<DriverOutput | undefined>;
  delete(ctx: ApplyContext, current: CurrentResource): Promise<void>;
}

/** What an applied resource tells the ones after it (e.g. the version a state machine update published). */
export type DriverOutput = Readonly<Record<string, string>>;

/** What create, update and delete get besides the resource. */
export interface ApplyContext {
  readonly aws: AwsContext;
  readonly pipeline: string;
  /** Every desired resource of the deploy, by key. */
  readonly desired: ReadonlyMap<string, DesiredResource>;
  /** Outputs of the resources applied so far in this run, by key. */
  readonly outputs: Map<string, DriverOutput>;
  /**
   * Runs `fn`, retrying (bounded, with backoff) while AWS refuses a role it
   * has not propagated yet; other errors pass through at once.
   */
  retryWhileRoleNotReady<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * The usual comparison: an equal `stepline:hash` tag means unchanged
 * (stepline wrote it after the last complete create or update); otherwise the
 * normalised fields name what changed, and when they all match only the hash
 * tag is rewritten (a run stopped between the change and the tag).
 */
export function hashThenFields(
  desired: DesiredResource,
  current: CurrentResource,
  options: DiffOptions = {},
): FieldChange[] {
  const hash = current.tags[TAG_HASH];
  if (hash === desired.hash) return [];
  const changes = diffProperties(desired.properties, current.properties, options);
  if (changes.length > 0) return changes;
  return [{ field: `tags.${TAG_HASH}`, ...(hash === undefined ? {} : { from: hash }), to: desired.hash }];
}

/** Compares fields only: for resources AWS cannot tag (schedules, aliases). */
export function fieldsOnly(
  desired: DesiredResource,
  current: CurrentResource,
  options: DiffOptions = {},
): FieldChange[] {
  return diffProperties(desired.properties, current.properties, options);
}

/** True when a change is at `prefix` or below it. */
export function changed(changes: readonly FieldChange[], prefix: string): boolean {
  return changes.some((c) => c.field === prefix || c.field.startsWith(`${prefix}.`));
}

/** True when only the hash tag (and other tags) changed, so no other call is needed. */
export function onlyTagsChanged(changes: readonly FieldChange[], tagsField = "tags"): boolean {
  return changes.every((c) => c.field === tagsField || c.field.startsWith(`${tagsField}.`));
}

/** Tags as a plain record without `stepline:hash` (what desired properties carry). */
export function withoutHash(tags: Readonly<Record<string, string>>): Record<string, string> {
  const { [TAG_HASH]: _hash, ...rest } = tags;
  return rest;
}

/**
 * What brings the tags `have` to `want`: the tags to set (new or another
 * value) and the keys to remove. AWS's own `aws:` tags cannot be removed
 * and are left alone.
 */
export function tagChanges(
  want: Readonly<Record<string, string>>,
  have: Readonly<Record<string, string>>,
): { set: Record<string, string>; remove: string[] } {
  return {
    set: Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v)),
    remove: Object.keys(have).filter((k) => !(k in want) && !k.startsWith("aws:")),
  };
}

/** `[{Key, Value}]` → record. */
export function tagRecord(
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? "";
  return out;
}

/** Record → `[{Key, Value}]`, sorted. */
export function tagList(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] ?? "" }));
}

/** The desired tags (from a properties field) plus the hash tag. */
export function tagsWithHash(desired: DesiredResource, field: string): Record<string, string> {
  const tags = (desired.properties[field] ?? {}) as Readonly<Record<string, string>>;
  return { ...tags, [TAG_HASH]: desired.hash };
}
