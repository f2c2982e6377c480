import type { ResourceSpec } from "../compile/integration.js";
import type { Manifest } from "../compile/result.js";
import { type Problem, problem, SteplineError } from "../errors/problem.js";
import {
  type Architecture,
  type BatchStepModel,
  childGraphs,
  type DeployModel,
  type PipelineModel,
  type StepModel,
} from "../model/pipeline.js";
import type { JsonValue } from "../model/value.js";
import { contentHash, type DeployTarget, type DesiredResource, resourceKey, TAG_PIPELINE } from "./contract.js";

/**
 * Managed Batch compute (`deploy.compute`): for each architecture the
 * pipeline's Batch steps use, a Spot compute environment, an on-demand one,
 * and the job queues the compiled state machine submits to (the Spot queue
 * orders Spot before on-demand; the on-demand queue holds on-demand only).
 *
 * Everything is per pipeline (`stepline-<pipeline>-…`): ownership is the
 * `stepline:pipeline` tag, so two pipelines must never share a queue that one
 * of them could destroy. Mind the regional quotas (50 compute environments and
 * 50 job queues by default): each architecture takes two of each.
 */

/** The two kinds of managed capacity. */
export type ComputeCapacity = "spot" | "on-demand";

/** Batch names: letters, digits, `-`, `_`, ≤ 128 characters (pipeline names are ≤ 80: no clipping needed). */
const BATCH_NAME_LENGTH = 128;

/**
 * The name of a managed job queue, and of the compute environment of the same
 * capacity: `stepline-<pipeline>-spot-x86_64`, `stepline-<pipeline>-on-demand-arm64`.
 */
export function managedComputeName(pipeline: string, capacity: ComputeCapacity, architecture: Architecture): string {
  return `stepline-${pipeline}-${capacity}-${architecture}`.slice(0, BATCH_NAME_LENGTH);
}

/**
 * Instance families of the managed compute environments. Several families and
 * generations give Spot more pools to choose from (fewer reclaims and
 * shortages); arm64 images need Graviton (`…g`) families.
 */
export const INSTANCE_FAMILIES: { readonly [A in Architecture]: readonly string[] } = {
  arm64: ["c7g", "m7g", "r7g", "c6g", "m6g", "r6g"],
  x86_64: ["c6i", "m6i", "r6i", "c6a", "m6a", "r6a", "c5", "m5", "r5"],
};

/** Families added when a step on the architecture asks for GPUs (Batch then picks its GPU AMI). */
export const GPU_INSTANCE_FAMILIES: { readonly [A in Architecture]: readonly string[] } = {
  arm64: ["g5g"],
  x86_64: ["g4dn", "g5", "g6"],
};

/** Upper bound of the vCPUs each managed compute environment scales to when `compute.maxVcpus` is not set. */
export const DEFAULT_MAX_VCPUS = 256;

/** The managed policy of the container instances' role. */
const ECS_INSTANCE_POLICY = "service-role/AmazonEC2ContainerServiceforEC2Role";

/** IAM role and instance profile names are at most 64 characters. */
const IAM_NAME_LENGTH = 64;

/** Role and instance profile stepline creates for the container instances when `compute.instanceProfile` is not set. */
export function instanceRoleName(pipeline: string): string {
  const suffix = "-batch-ec2";
  const full = `stepline-${pipeline}${suffix}`;
  if (full.length <= IAM_NAME_LENGTH) return full;
  // Keep two long pipeline names apart: clip, then add a hash of the whole name.
  const hash = `-${contentHash(pipeline).slice(0, 8)}`;
  return `stepline-${pipeline}`.slice(0, IAM_NAME_LENGTH - suffix.length - hash.length).concat(hash, suffix);
}

type ComputeConfig = NonNullable<DeployModel["compute"]>;

/** The queues the compiled pipeline submits to that stepline creates (see runners' batch naming). */
interface ManagedQueue {
  readonly name: string;
  readonly capacity: ComputeCapacity;
  readonly architecture: Architecture;
  readonly usedBy: readonly string[];
}

function managedQueues(manifest: Pick<Manifest, "resources">): ManagedQueue[] {
  return manifest.resources
    .filter((r: ResourceSpec) => r.type === "batch.jobQueue" && r.managed)
    .map((r) => ({
      name: r.name,
      capacity: r.properties.capacity === "on-demand" ? "on-demand" : "spot",
      architecture: r.properties.architecture === "arm64" ? "arm64" : "x86_64",
      usedBy: r.usedBy,
    }));
}

function batchSteps(steps: readonly StepModel[], out: BatchStepModel[] = []): BatchStepModel[] {
  for (const step of steps) {
    if (step.kind === "batch") out.push(step);
    for (const graph of childGraphs(step)) batchSteps(graph, out);
    if (step.onFailure?.action === "handler" && step.onFailure.handler.kind === "batch")
      out.push(step.onFailure.handler);
  }
  return out;
}

function checkConfig(config: ComputeConfig, maxVcpus: number, steps: readonly BatchStepModel[]): Problem[] {
  const problems: Problem[] = [];
  const field = (name: string) => ({ field: `deploy.compute.${name}` });
  if (!Number.isInteger(maxVcpus) || maxVcpus < 1) {
    problems.push(
      problem(
        "SL_DEPLOY_COMPUTE_CONFIG",
        `deploy.compute.maxVcpus is ${maxVcpus}; it must be a positive integer`,
        `set maxVcpus to the most vCPUs the pipeline may use at once, e.g. ${DEFAULT_MAX_VCPUS}`,
        field("maxVcpus"),
      ),
    );
  }
  for (const [name, list] of [
    ["subnets", config.subnets],
    ["securityGroups", config.securityGroups],
  ] as const) {
    if (list.length === 0) {
      problems.push(
        problem(
          "SL_DEPLOY_COMPUTE_CONFIG",
          `deploy.compute.${name} is empty; the compute environments need at least one`,
          name === "subnets"
            ? "list the VPC subnet ids the container instances run in (subnet-…), e.g. the private subnets of your VPC"
            : "list the security group ids of the container instances (sg-…); they need outbound access to ECR and S3",
          field(name),
        ),
      );
    }
  }
  for (const step of steps) {
    if (step.vcpus > maxVcpus) {
      problems.push(
        problem(
          "SL_DEPLOY_COMPUTE_TOO_SMALL",
          `step '${step.name}' needs ${step.vcpus} vCPUs but deploy.compute.maxVcpus is ${maxVcpus}: its jobs would never start`,
          `raise deploy.compute.maxVcpus to at least ${step.vcpus}, or lower the step's vcpus`,
          { step: step.name, field: "vcpus" },
        ),
      );
    }
  }
  return problems;
}

function arn(target: DeployTarget, service: string, resource: string, regional = true): string {
  return `arn:${target.partition}:${service}:${regional ? target.region : ""}:${target.accountId}:${resource}`;
}

/** A role name or ARN → the ARN (Batch compares what it echoes back, so deploy always sends ARNs). */
function roleArn(target: DeployTarget, nameOrArn: string, kind: "role" | "instance-profile"): string {
  return nameOrArn.startsWith("arn:") ? nameOrArn : arn(target, "iam", `${kind}/${nameOrArn}`, false);
}

function desired(
  type: DesiredResource["type"],
  name: string,
  properties: { [key: string]: JsonValue },
  dependsOn: readonly string[],
  usedBy?: readonly string[],
): DesiredResource {
  return {
    key: resourceKey(type, name),
    type,
    name,
    managed: true,
    properties,
    dependsOn: [...new Set(dependsOn)].sort(),
    hash: contentHash(properties),
    ...(usedBy === undefined ? {} : { usedBy }),
  };
}

/** The role and instance profile of the container instances, unless the configuration names a profile. */
function instanceProfile(
  pipeline: string,
  config: ComputeConfig,
  tags: { [key: string]: string },
  target: DeployTarget,
): { readonly arn: string; readonly resources: DesiredResource[] } {
  if (config.instanceProfile !== undefined) {
    return { arn: roleArn(target, config.instanceProfile, "instance-profile"), resources: [] };
  }
  const name = instanceRoleName(pipeline);
  const role = desired(
    "iam.role",
    name,
    {
      RoleName: name,
      Path: "/",
      Description: `stepline: Batch container instances of pipeline ${pipeline}`,
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      },
      Policies: {},
      ManagedPolicyArns: [`arn:${target.partition}:iam::aws:policy/${ECS_INSTANCE_POLICY}`],
      Tags: tags,
    },
    [],
  );
  const profile = desired(
    "iam.instanceProfile",
    name,
    { InstanceProfileName: name, Path: "/", Roles: [name], Tags: tags },
    [role.key],
  );
  return { arn: roleArn(target, name, "instance-profile"), resources: [role, profile] };
}

/**
 * The managed compute of a pipeline: for each architecture its managed queues
 * use, the instance role and profile (unless configured), a Spot and an
 * on-demand compute environment, then the queues. Empty without
 * `deploy.compute` (the queues are then referenced and only checked to exist).
 * Throws a `SteplineError` (SL_DEPLOY_COMPUTE_CONFIG, SL_DEPLOY_COMPUTE_TOO_SMALL)
 * when the configuration cannot work.
 */
export function computeResources(
  model: PipelineModel,
  manifest: Pick<Manifest, "resources">,
  target: DeployTarget,
): DesiredResource[] {
  const config = model.deploy?.compute;
  if (config === undefined) return [];
  const queues = managedQueues(manifest);
  if (queues.length === 0) return [];

  const maxVcpus = config.maxVcpus ?? DEFAULT_MAX_VCPUS;
  const users = new Set(queues.flatMap((q) => q.usedBy));
  const steps = batchSteps(model.steps).filter((s) => users.has(s.name));
  const problems = checkConfig(config, maxVcpus, steps);
  if (problems.length > 0) throw new SteplineError(problems);

  const tags = sortedTags({ ...model.tags, [TAG_PIPELINE]: model.name });
  const profile = instanceProfile(model.name, config, tags, target);
  const out: DesiredResource[] = [...profile.resources];
  const architectures = (["x86_64", "arm64"] as const).filter((a) => queues.some((q) => q.architecture === a));
  const environments = new Map<string, DesiredResource>();

  for (const architecture of architectures) {
    const gpus = steps.some((s) => s.architecture === architecture && (s.gpus ?? 0) > 0);
    const instanceTypes = [...INSTANCE_FAMILIES[architecture], ...(gpus ? GPU_INSTANCE_FAMILIES[architecture] : [])];
    for (const capacity of ["spot", "on-demand"] as const) {
      const name = managedComputeName(model.name, capacity, architecture);
      const environment = desired(
        "batch.computeEnvironment",
        name,
        {
          computeEnvironmentName: name,
          type: "MANAGED",
          state: "ENABLED",
          computeResources: {
            type: capacity === "spot" ? "SPOT" : "EC2",
            allocationStrategy: capacity === "spot" ? "SPOT_PRICE_CAPACITY_OPTIMIZED" : "BEST_FIT_PROGRESSIVE",
            minvCpus: 0,
            maxvCpus: maxVcpus,
            instanceTypes,
            subnets: [...config.subnets],
            securityGroupIds: [...config.securityGroups],
            instanceRole: profile.arn,
            // EC2 instances carry the pipeline's tags too (cost allocation).
            tags,
          },
          // Without a service role AWS Batch uses its service-linked role (AWSServiceRoleForBatch),
          // which is also what allows in-place infrastructure updates.
          ...(config.serviceRole !== undefined ? { serviceRole: roleArn(target, config.serviceRole, "role") } : {}),
          tags,
        },
        profile.resources.filter((r) => r.type === "iam.instanceProfile").map((r) => r.key),
      );
      environments.set(`${capacity}/${architecture}`, environment);
      out.push(environment);
    }
  }

  const seen = new Set<string>();
  for (const queue of queues) {
    if (seen.has(queue.name)) continue;
    seen.add(queue.name);
    const order = (queue.capacity === "spot" ? (["spot", "on-demand"] as const) : (["on-demand"] as const)).map(
      (capacity) => environments.get(`${capacity}/${queue.architecture}`),
    );
    out.push(
      desired(
        "batch.jobQueue",
        queue.name,
        {
          jobQueueName: queue.name,
          state: "ENABLED",
          priority: 1,
          computeEnvironmentOrder: order.map((environment, index) => ({
            order: index + 1,
            computeEnvironment: arn(target, "batch", `compute-environment/${environment?.name ?? ""}`),
          })),
          tags,
        },
        order.flatMap((environment) => (environment === undefined ? [] : [environment.key])),
        queue.usedBy,
      ),
    );
  }
  return out;
}

function sortedTags(tags: Record<string, string>): { [key: string]: string } {
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
