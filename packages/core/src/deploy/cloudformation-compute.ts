import type { Manifest } from "../compile/result.js";
import type { PipelineModel } from "../model/pipeline.js";
import type { JsonValue } from "../model/value.js";
import { type CloudFormationResource, logicalId, pascal, sub, subAll, tagList } from "./cloudformation-values.js";
import { computeResources } from "./compute.js";
import type { DeployTarget, DesiredResource } from "./contract.js";

/** Logical ids of the container instances' role and profile. */
export const INSTANCE_ROLE_ID = "BatchInstanceRole";
export const INSTANCE_PROFILE_ID = "BatchInstanceProfile";

/** Where the stack is: ARNs built for it come out as `${AWS::…}` templates, then `Fn::Sub`. */
const STACK_TARGET: DeployTarget = {
  partition: "${AWS::Partition}",
  region: "${AWS::Region}",
  accountId: "${AWS::AccountId}",
};

/**
 * Managed compute, as deploy makes it (`computeResources`): the container
 * instances' role and profile, then the compute environments and job queues.
 * Adds them to `resources`; returns the job queues' logical ids.
 */
export function computeTemplate(
  model: PipelineModel,
  manifest: Manifest,
  resources: Record<string, CloudFormationResource>,
): string[] {
  const desired = computeResources(model, manifest, STACK_TARGET);
  // `stepline-<pipeline>-spot-x86_64` → `ComputeEnvironmentSpotX8664` / `JobQueueSpotX8664`.
  const own = `stepline-${model.name}-`;
  const ids = new Map<string, string>();
  for (const r of desired) {
    const short = r.name.startsWith(own) ? r.name.slice(own.length) : r.name;
    const id =
      r.type === "iam.role"
        ? INSTANCE_ROLE_ID
        : r.type === "iam.instanceProfile"
          ? INSTANCE_PROFILE_ID
          : logicalId(r.type === "batch.jobQueue" ? "JobQueue" : "ComputeEnvironment", short);
    ids.set(r.key, id);
  }
  // The profile stepline creates is referenced (so the stack creates it first); a configured one is an ARN.
  const createsProfile = desired.some((r) => r.type === "iam.instanceProfile");
  const profileArn = (arn: JsonValue): JsonValue =>
    createsProfile ? { "Fn::GetAtt": [INSTANCE_PROFILE_ID, "Arn"] } : subAll(arn);
  const queues: string[] = [];
  for (const r of desired) {
    const id = ids.get(r.key) as string;
    resources[id] = computeResource(r, ids, profileArn);
    if (r.type === "batch.jobQueue") queues.push(id);
  }
  return queues;
}

function computeResource(
  r: DesiredResource,
  ids: ReadonlyMap<string, string>,
  profileArn: (arn: JsonValue) => JsonValue,
): CloudFormationResource {
  const p = r.properties;
  switch (r.type) {
    case "iam.role":
      return {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: p.RoleName as string,
          Path: p.Path as string,
          Description: p.Description as string,
          AssumeRolePolicyDocument: p.AssumeRolePolicyDocument as JsonValue,
          ManagedPolicyArns: subAll(p.ManagedPolicyArns as JsonValue),
          Tags: tagList(p.Tags as Record<string, string>),
        },
      };
    case "iam.instanceProfile":
      // (CloudFormation takes no tags on an instance profile.)
      return {
        Type: "AWS::IAM::InstanceProfile",
        Properties: {
          InstanceProfileName: p.InstanceProfileName as string,
          Path: p.Path as string,
          Roles: [{ Ref: INSTANCE_ROLE_ID }],
        },
      };
    case "batch.computeEnvironment": {
      const properties = pascal(p) as Record<string, JsonValue>;
      const compute = properties.ComputeResources as Record<string, JsonValue>;
      // (InstanceRole after subAll: `Fn::Sub` of a `Fn::Sub` would be wrong.)
      return {
        Type: "AWS::Batch::ComputeEnvironment",
        Properties: {
          ...(subAll(properties) as Record<string, JsonValue>),
          ComputeResources: {
            ...(subAll(compute) as Record<string, JsonValue>),
            InstanceRole: profileArn(compute.InstanceRole as JsonValue),
          },
        },
      };
    }
    default: {
      // batch.jobQueue: its compute environments, in deploy's order, by reference (Ref gives the ARN).
      const properties = pascal(p) as Record<string, JsonValue>;
      const order = p.computeEnvironmentOrder as { order: number; computeEnvironment: string }[];
      return {
        Type: "AWS::Batch::JobQueue",
        Properties: {
          ...properties,
          ComputeEnvironmentOrder: order.map((entry) => {
            const name = entry.computeEnvironment.slice(entry.computeEnvironment.lastIndexOf("/") + 1);
            const id = ids.get(`batch.computeEnvironment:${name}`);
            return {
              Order: entry.order,
              ComputeEnvironment: id === undefined ? sub(entry.computeEnvironment) : { Ref: id },
            };
          }),
        },
      };
    }
  }
}
