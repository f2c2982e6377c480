import { createHash } from "node:crypto";
import type { JsonValue } from "../model/value.js";

/**
 * The contract between what a pipeline wants on AWS (derived here, in core,
 * from the compiled state machine and manifest) and the drivers that read,
 * create, update and delete it (packages/runners/src/deploy/, one per service).
 */

/** Tags on everything stepline creates: plan and destroy only ever touch what carries them. */
export const TAG_PIPELINE = "stepline:pipeline";
/** Content hash of the resource's desired properties: equal hash, nothing to do. */
export const TAG_HASH = "stepline:hash";
/** The state machine alias that schedules and `stepline start` use; each deploy moves it. */
export const LIVE_ALIAS = "live";

export type DeployResourceType =
  /** properties: { AssumeRolePolicyDocument, Policies: { [name]: PolicyDocument }, ManagedPolicyArns?, Path? } */
  | "iam.role"
  /** Instance profile for managed Batch compute; properties: { Roles: [roleName] } */
  | "iam.instanceProfile"
  | "logs.logGroup"
  | "batch.computeEnvironment"
  | "batch.jobQueue"
  | "batch.jobDefinition"
  | "glue.job"
  /** Referenced only (checked to exist). */
  | "lambda.function"
  /** properties: { definition (ASL object), roleArn, type: "STANDARD", loggingConfiguration? } */
  | "sfn.stateMachine"
  /** name: "live"; properties: { stateMachine: name } — points at the version the deploy published. */
  | "sfn.alias"
  | "scheduler.schedule"
  | "events.rule";

/** One resource the pipeline wants. ARN templates (`${AWS::Region}`…) are already resolved. */
export interface DesiredResource {
  /** `<type>:<name>`, unique in a plan. */
  readonly key: string;
  readonly type: DeployResourceType;
  readonly name: string;
  /** false: referenced, only checked to exist (never changed or deleted). */
  readonly managed: boolean;
  /** In AWS API terms (the SDK's input shapes). */
  readonly properties: { readonly [key: string]: JsonValue };
  /** Keys of the resources that must exist first (apply order; destroy reverses it). */
  readonly dependsOn: readonly string[];
  /** {@link contentHash} of `properties`. */
  readonly hash: string;
  /** Steps that use it (for messages about referenced resources). */
  readonly usedBy?: readonly string[];
}

/** Where a deploy goes. */
export interface DeployTarget {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** `key` for a resource. */
export function resourceKey(type: DeployResourceType, name: string): string {
  return `${type}:${name}`;
}

/** Replaces `${AWS::Partition}`, `${AWS::Region}` and `${AWS::AccountId}` in every string of a value. */
export function resolveArnTemplates<T extends JsonValue>(value: T, target: DeployTarget): T {
  if (typeof value === "string") {
    return value
      .replaceAll("${AWS::Partition}", target.partition)
      .replaceAll("${AWS::Region}", target.region)
      .replaceAll("${AWS::AccountId}", target.accountId) as T;
  }
  if (Array.isArray(value))
    return (value as readonly JsonValue[]).map((v) => resolveArnTemplates(v, target)) as unknown as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveArnTemplates(v as JsonValue, target);
    return out as T;
  }
  return value;
}

/** JSON with object keys sorted at every level: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** First 16 hex digits of the SHA-256 of the canonical JSON (the `stepline:hash` tag). */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 16);
}

/** Role the state machine runs as, when stepline creates it (IAM role names: ≤ 64 characters). */
export function stateMachineRoleName(pipeline: string): string {
  return `stepline-${pipeline}`.slice(0, 60).concat("-sfn");
}

/**
 * A resource as it is on AWS, read by its driver. `properties` are normalised
 * to the shape of {@link DesiredResource.properties} (same keys, same
 * spelling) so the two compare field by field.
 */
export interface CurrentResource {
  readonly key: string;
  readonly type: DeployResourceType;
  readonly name: string;
  readonly arn?: string;
  readonly properties: { readonly [key: string]: JsonValue };
  /** Every tag, including {@link TAG_PIPELINE} and {@link TAG_HASH} (empty where the service has no tags). */
  readonly tags: Readonly<Record<string, string>>;
  /** What the driver needs later (a revision, a version ARN); never compared. */
  readonly state?: { readonly [key: string]: JsonValue };
}

/** One field that differs between what is wanted and what is there. */
export interface FieldChange {
  /** Dotted path in `properties`, e.g. `containerProperties.image`, `definition`, `tags.team`. */
  readonly field: string;
  /** Absent: the field is not there yet. */
  readonly from?: JsonValue;
  /** Absent: the field goes away. */
  readonly to?: JsonValue;
}

/**
 * What a plan does with one resource. `referenced`: not stepline's, only
 * checked to exist (it does).
 */
export type PlanActionKind = "create" | "update" | "delete" | "unchanged" | "referenced";

export interface PlanAction {
  readonly kind: PlanActionKind;
  readonly key: string;
  readonly type: DeployResourceType;
  readonly name: string;
  /** For `update`: what changed (never empty). */
  readonly changes: readonly FieldChange[];
  readonly desired?: DesiredResource;
  readonly current?: CurrentResource;
}

/** True when the tags say the resource belongs to this pipeline. */
export function ownedBy(tags: Readonly<Record<string, string>> | undefined, pipeline: string): boolean {
  return tags?.[TAG_PIPELINE] === pipeline;
}
