import {
  type CurrentResource,
  type DesiredResource,
  type JsonValue,
  resourceKey,
  SteplineError,
  TAG_HASH,
} from "@stepline/core";
import type { AwsContext } from "../aws.js";
import { type ApplyContext, tagChanges } from "../driver.js";

/** Helpers shared by the Batch drivers (compute environments, job queues, job definitions). */

export type Json = { readonly [key: string]: JsonValue };

/** Seconds between two Describe calls while Batch is creating, updating or deleting. */
export const POLL_SECONDS = 5;
/** Longest wait for a compute environment or job queue to settle (VALID, DISABLED, gone). */
export const MAX_WAIT_SECONDS = 15 * 60;

/**
 * Every item of a Batch Describe call, page after page: `send` sends one
 * request with the page token it is given (spread into the input; empty for
 * the first page), `items` picks that page's items.
 */
export async function allPages<P extends { readonly nextToken?: string | undefined }, T>(
  send: (token: { nextToken?: string }) => Promise<P>,
  items: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await send(nextToken ? { nextToken } : {});
    out.push(...(items(page) ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** `from` and `to` of one field as a plain object, e.g. `{ state: "ENABLED" }`. */
export function pick(source: Json | undefined, keys: readonly string[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const key of keys) {
    const value = source?.[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Removes `undefined`, `null`, empty arrays and empty objects (defaults AWS and moto echo back). */
export function compact(value: Record<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) && Object.keys(v).length === 0) continue;
    out[key] = v as JsonValue;
  }
  return out;
}

/** A copy of a string list, sorted: Batch treats these lists as sets. */
export function sortedList(value: JsonValue | undefined): JsonValue | undefined {
  return Array.isArray(value) ? [...(value as string[])].sort() : value;
}

/** The tags a desired Batch resource asks for (its `tags` property). */
export function desiredTags(desired: DesiredResource): Record<string, string> {
  return { ...((desired.properties.tags ?? {}) as Record<string, string>) };
}

/**
 * Brings the tags of a Batch resource to the desired ones plus the hash:
 * tags what differs, untags what stepline no longer wants (AWS's own `aws:`
 * tags cannot be removed and are left alone).
 */
export async function syncTags(
  ctx: ApplyContext,
  arn: string,
  desired: DesiredResource,
  have: Readonly<Record<string, string>>,
): Promise<void> {
  const batch = await ctx.aws.client("batch");
  const { TagResourceCommand, UntagResourceCommand } = await ctx.aws.sdk("batch");
  const { set, remove } = tagChanges({ ...desiredTags(desired), [TAG_HASH]: desired.hash }, have);
  if (Object.keys(set).length > 0) await batch.send(new TagResourceCommand({ resourceArn: arn, tags: set }));
  if (remove.length > 0) await batch.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: remove }));
}

/** Status of a compute environment or job queue as Describe returns it. */
export interface Settled {
  readonly status?: string | undefined;
  readonly state?: string | undefined;
  readonly statusReason?: string | undefined;
}

/**
 * Polls `describe` until `done` holds (undefined means the resource is gone),
 * for at most {@link MAX_WAIT_SECONDS}. Batch creates, updates and deletes
 * compute environments and queues asynchronously; moto does it at once.
 */
export async function waitFor<T extends Settled>(
  aws: AwsContext,
  what: string,
  describe: () => Promise<T | undefined>,
  done: (item: T | undefined) => boolean,
  goal: string,
): Promise<T | undefined> {
  const deadline = Math.ceil(MAX_WAIT_SECONDS / POLL_SECONDS);
  let item: T | undefined;
  for (let attempt = 0; ; attempt++) {
    item = await describe();
    if (done(item)) return item;
    if (item?.status === "INVALID") {
      throw SteplineError.of(
        "SL_DEPLOY_BATCH_INVALID",
        `${what} is INVALID: ${item.statusReason ?? "AWS Batch gave no reason"}`,
        "fix the cause AWS names (subnets, security groups, roles, instance types), then deploy again",
      );
    }
    if (attempt >= deadline) break;
    await aws.sleep(POLL_SECONDS * 1000);
  }
  throw new SteplineError(
    SteplineError.of(
      "SL_DEPLOY_TIMEOUT",
      `${what} did not become ${goal} within ${MAX_WAIT_SECONDS / 60} minutes (status ${item?.status ?? "gone"}, state ${item?.state ?? "-"})`,
      "AWS Batch is still working on it: run the same command again later; it continues from where it stopped",
    ).problems,
    "failure",
  );
}

/** True once Batch has finished changing the resource (neither CREATING, UPDATING nor DELETING). */
export function isSettled(item: Settled | undefined): boolean {
  return item !== undefined && (item.status === "VALID" || item.status === undefined);
}

/** True once a disable went through (an INVALID resource can be disabled and deleted too). */
export function isDisabled(item: Settled | undefined): boolean {
  return item === undefined || (item.state === "DISABLED" && item.status !== "UPDATING" && item.status !== "CREATING");
}

/** True when the resource is gone. */
export function isGone(item: Settled | undefined): boolean {
  return item === undefined || item.status === "DELETED";
}

/** True while the resource exists and is not being deleted (one being deleted counts as absent). */
export function isLive<T extends Settled>(item: T | undefined): item is T {
  return item !== undefined && item.status !== "DELETING" && !isGone(item);
}

/**
 * The bounded waits of a resource Batch changes asynchronously (compute
 * environments, job queues): `kind` names it in messages, `describeOne`
 * finds it by name.
 */
export function asyncLifecycle<T extends Settled>(
  kind: string,
  describeOne: (aws: AwsContext, name: string) => Promise<T | undefined>,
) {
  const wait = (aws: AwsContext, name: string, done: (item: T | undefined) => boolean, goal: string) =>
    waitFor(aws, `${kind} ${name}`, () => describeOne(aws, name), done, goal);
  return {
    /** Until it is VALID again after a create or update. */
    settle: (aws: AwsContext, name: string) => wait(aws, name, isSettled, "VALID"),
    /** Before a create: an earlier destroy may still be deleting it. */
    async untilDeleted(aws: AwsContext, name: string): Promise<void> {
      if ((await describeOne(aws, name))?.status === "DELETING") await wait(aws, name, isGone, "deleted");
    },
    /**
     * Disable, wait, delete, wait until gone; a delete already under way is
     * only waited for.
     */
    async remove(
      aws: AwsContext,
      name: string,
      disable: () => Promise<unknown>,
      deleteIt: () => Promise<unknown>,
    ): Promise<void> {
      const detail = await describeOne(aws, name);
      if (isGone(detail)) return;
      if (detail?.status !== "DELETING") {
        if (detail?.state !== "DISABLED") await disable();
        await wait(aws, name, isDisabled, "DISABLED");
        await deleteIt();
      }
      await wait(aws, name, isGone, "deleted");
    },
  };
}

/** Tags the hash, last: a resource a deploy left half-made is looked at again next time. */
export async function tagHash(ctx: ApplyContext, arn: string, desired: DesiredResource): Promise<void> {
  const batch = await ctx.aws.client("batch");
  const { TagResourceCommand } = await ctx.aws.sdk("batch");
  await batch.send(new TagResourceCommand({ resourceArn: arn, tags: { [TAG_HASH]: desired.hash } }));
}

/** A current resource of a Batch type from what Describe returned. */
export function currentOf(
  type: CurrentResource["type"],
  name: string,
  arn: string | undefined,
  properties: Record<string, JsonValue>,
  tags: Readonly<Record<string, string>>,
  state: Json = {},
): CurrentResource {
  return {
    key: resourceKey(type, name),
    type,
    name,
    ...(arn === undefined ? {} : { arn }),
    properties,
    tags,
    state,
  };
}
