import {
  applyOrder,
  type BatchStepModel,
  buildPlan,
  type CurrentResource,
  computeResources,
  type DesiredResource,
  destroyOrder,
  testPipeline,
} from "@stepline/core";
import { batchIntegration } from "@stepline/runners";
import { type AwsContext, driverFor } from "@stepline/runners/deploy";
import { describe, expect, it } from "vitest";
import { useMoto } from "../helpers/moto-hooks.js";
import { applyContext, desiredOf, integrationContext, motoAws, resetMoto, startDeployMoto, TARGET } from "./setup.js";

const moto = useMoto(() => startDeployMoto({ managedPolicies: true }), resetMoto);

const PIPELINE = "nightly";
const iamRoleDriver = driverFor("iam.role");
const instanceProfileDriver = driverFor("iam.instanceProfile");
const computeEnvironmentDriver = driverFor("batch.computeEnvironment");
const jobQueueDriver = driverFor("batch.jobQueue");

const step: BatchStepModel = {
  kind: "batch",
  name: "train",
  after: [],
  image: "registry.example/train:1",
  command: [],
  vcpus: 2,
  memoryMiB: 4096,
  environment: {},
  secrets: {},
  architecture: "x86_64",
  capacity: "spot-then-on-demand",
  tags: {},
};

/** moto's default VPC (tests only: a real pipeline names its subnets and security groups). */
async function defaultNetwork(aws: AwsContext): Promise<{ subnets: string[]; securityGroups: string[] }> {
  const ec2 = await aws.client("ec2");
  const { DescribeSubnetsCommand, DescribeSecurityGroupsCommand } = await aws.sdk("ec2");
  const subnets = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }),
  );
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["default"] }] }),
  );
  return {
    subnets: (subnets.Subnets ?? []).slice(0, 2).flatMap((s) => (s.SubnetId ? [s.SubnetId] : [])),
    securityGroups: (groups.SecurityGroups ?? []).slice(0, 1).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
  };
}

/** moto wants an explicit Batch service role (AWS would use its service-linked role). */
async function serviceRole(aws: AwsContext): Promise<string> {
  const iam = await aws.client("iam");
  const { CreateRoleCommand } = await aws.sdk("iam");
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "batch.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
  const out = await iam.send(
    new CreateRoleCommand({ RoleName: "batch-service", AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
  return out.Role?.Arn ?? "";
}

/** The managed compute a pipeline with `deploy.compute` wants, derived as deploy derives it. */
async function desiredCompute(aws: AwsContext, maxVcpus = 16): Promise<DesiredResource[]> {
  const network = await defaultNetwork(aws);
  const model = testPipeline([step], {
    name: PIPELINE,
    deploy: { compute: { ...network, maxVcpus, serviceRole: "batch-service" } },
  });
  const resources = batchIntegration.resources(step, integrationContext(model));
  return computeResources(model, { resources }, TARGET);
}

async function readAll(aws: AwsContext, desired: readonly DesiredResource[]): Promise<Map<string, CurrentResource>> {
  const out = new Map<string, CurrentResource>();
  for (const d of desired) {
    const current = await driverFor(d.type).read(aws, d);
    if (current) out.set(d.key, current);
  }
  return out;
}

describe("managed Batch compute on moto", () => {
  it("creates the role, profile, environments and queues; no-op; updates; deletes", async () => {
    const aws = motoAws(moto);
    await serviceRole(aws);
    const desired = await desiredCompute(aws);
    expect(desired.map((d) => d.key).sort()).toStrictEqual([
      "batch.computeEnvironment:stepline-nightly-on-demand-x86_64",
      "batch.computeEnvironment:stepline-nightly-spot-x86_64",
      "batch.jobQueue:stepline-nightly-on-demand-x86_64",
      "batch.jobQueue:stepline-nightly-spot-x86_64",
      "iam.instanceProfile:stepline-nightly-batch-ec2",
      "iam.role:stepline-nightly-batch-ec2",
    ]);
    const ctx = applyContext(aws, PIPELINE, desired);

    for (const d of applyOrder(desired)) {
      expect(await driverFor(d.type).read(aws, d)).toBeUndefined();
      await driverFor(d.type).create(ctx, d);
    }

    // No-op: equal hashes, and equal normalised fields even without them.
    const current = await readAll(aws, desired);
    expect(current.size).toBe(desired.length);
    for (const d of desired) {
      const c = current.get(d.key) as CurrentResource;
      expect(driverFor(d.type).diff(d, c), d.key).toStrictEqual([]);
      if (d.type === "iam.role") continue;
      const rehashed = { ...d, hash: "0000000000000000" };
      expect(
        driverFor(d.type)
          .diff(rehashed, c)
          .map((change) => change.field),
        d.key,
      ).toStrictEqual(["tags.stepline:hash"]);
    }
    const spotQueue = current.get("batch.jobQueue:stepline-nightly-spot-x86_64");
    expect(spotQueue?.properties.computeEnvironmentOrder).toStrictEqual([
      {
        order: 1,
        computeEnvironment: "arn:aws:batch:us-east-1:123456789012:compute-environment/stepline-nightly-spot-x86_64",
      },
      {
        order: 2,
        computeEnvironment:
          "arn:aws:batch:us-east-1:123456789012:compute-environment/stepline-nightly-on-demand-x86_64",
      },
    ]);
    expect(current.get("batch.computeEnvironment:stepline-nightly-spot-x86_64")?.properties).toMatchObject({
      state: "ENABLED",
      computeResources: { type: "SPOT", allocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED", minvCpus: 0 },
    });

    // A larger maxVcpus names exactly that field; UpdateComputeEnvironment goes through
    // (moto applies only `state`, so it is not read back here).
    const bigger = await desiredCompute(aws, 32);
    const spotKey = "batch.computeEnvironment:stepline-nightly-spot-x86_64";
    const spot = bigger.find((d) => d.key === spotKey) as DesiredResource;
    const spotChanges = computeEnvironmentDriver.diff(spot, current.get(spotKey) as CurrentResource);
    expect(spotChanges).toStrictEqual([{ field: "computeResources.maxvCpus", from: 16, to: 32 }]);
    await computeEnvironmentDriver.update(ctx, spot, current.get(spotKey) as CurrentResource, spotChanges);

    // A queue's priority is updated in place and read back.
    const queueKey = "batch.jobQueue:stepline-nightly-on-demand-x86_64";
    const queue = desired.find((d) => d.key === queueKey) as DesiredResource;
    const reprioritised = desiredOf("batch.jobQueue", queue.name, { ...queue.properties, priority: 5 });
    const queueChanges = jobQueueDriver.diff(reprioritised, current.get(queueKey) as CurrentResource);
    expect(queueChanges).toStrictEqual([{ field: "priority", from: 1, to: 5 }]);
    await jobQueueDriver.update(ctx, reprioritised, current.get(queueKey) as CurrentResource, queueChanges);
    const requeued = await jobQueueDriver.read(aws, reprioritised);
    expect(requeued?.properties.priority).toBe(5);
    expect(jobQueueDriver.diff(reprioritised, requeued as CurrentResource)).toStrictEqual([]);

    // Everything is listed as owned by the pipeline, nothing by another.
    const owned = [
      ...(await iamRoleDriver.listOwned(aws, PIPELINE)),
      ...(await instanceProfileDriver.listOwned(aws, PIPELINE)),
      ...(await computeEnvironmentDriver.listOwned(aws, PIPELINE)),
      ...(await jobQueueDriver.listOwned(aws, PIPELINE)),
    ];
    expect(owned.map((o) => o.key).sort()).toStrictEqual(desired.map((d) => d.key).sort());
    expect(await computeEnvironmentDriver.listOwned(aws, "other")).toStrictEqual([]);

    // Destroy: queues, then environments, then profile and role.
    for (const c of destroyOrder(owned)) await driverFor(c.type).delete(ctx, c);
    expect(await readAll(aws, desired)).toStrictEqual(new Map());
    const batch = await aws.client("batch");
    const { DescribeComputeEnvironmentsCommand, DescribeJobQueuesCommand } = await aws.sdk("batch");
    expect((await batch.send(new DescribeComputeEnvironmentsCommand({}))).computeEnvironments).toStrictEqual([]);
    expect((await batch.send(new DescribeJobQueuesCommand({}))).jobQueues).toStrictEqual([]);
  });

  it("checks that a referenced queue exists: SL_DEPLOY_MISSING_RESOURCE names it and the fix", async () => {
    const aws = motoAws(moto);
    const model = testPipeline([step], { name: PIPELINE });
    const specs = batchIntegration
      .resources(step, integrationContext(model))
      .filter((r) => r.type === "batch.jobQueue");
    expect(specs.map((s) => [s.name, s.managed])).toStrictEqual([
      ["stepline-spot-x86_64", false],
      ["stepline-on-demand-x86_64", false],
    ]);
    const desired = specs.map((s) => ({
      ...desiredOf("batch.jobQueue", s.name, s.properties, false),
      usedBy: s.usedBy,
    }));
    const current = new Map<string, CurrentResource | undefined>();
    for (const d of desired) current.set(d.key, await jobQueueDriver.read(aws, d));
    const plan = buildPlan({
      pipeline: PIPELINE,
      region: TARGET.region,
      desired,
      current,
      owned: [],
      diff: (d, c) => jobQueueDriver.diff(d, c),
    });
    expect(plan.problems.map((p) => p.code)).toStrictEqual([
      "SL_DEPLOY_MISSING_RESOURCE",
      "SL_DEPLOY_MISSING_RESOURCE",
    ]);
    expect(plan.problems[0]?.message).toContain("job queue 'stepline-on-demand-x86_64' (used by step 'train')");
    expect(plan.problems[0]?.fix).toContain("deploy.compute");
  });
});
