import { describe, expect, it } from "vitest";
import type { ResourceSpec } from "../compile/integration.js";
import { isSteplineError } from "../errors/problem.js";
import type { BatchStepModel, DeployModel, PipelineModel } from "../model/pipeline.js";
import { testPipeline } from "../testing/model.js";
import { computeResources, INSTANCE_FAMILIES, instanceRoleName, managedComputeName } from "./compute.js";
import { contentHash, type DeployTarget } from "./contract.js";

const target: DeployTarget = { partition: "aws", region: "eu-west-1", accountId: "111122223333" };
const compute: NonNullable<DeployModel["compute"]> = { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"] };

function batchStep(name: string, extra: Partial<BatchStepModel> = {}): BatchStepModel {
  return {
    kind: "batch",
    name,
    after: [],
    image: "busybox",
    command: [],
    vcpus: 1,
    memoryMiB: 2048,
    environment: {},
    secrets: {},
    architecture: "x86_64",
    capacity: "spot",
    tags: {},
    ...extra,
  };
}

function queue(name: string, capacity: "spot" | "on-demand", architecture: string, usedBy: string[]): ResourceSpec {
  return {
    type: "batch.jobQueue",
    name,
    usedBy,
    managed: true,
    properties: { jobQueueName: name, capacity, architecture },
  };
}

function model(steps: BatchStepModel[], deploy: DeployModel | null = { compute }): PipelineModel {
  return testPipeline(steps, { name: "etl", tags: { team: "data" }, ...(deploy ? { deploy } : {}) });
}

describe("managedComputeName", () => {
  it("is per pipeline, capacity and architecture", () => {
    expect(managedComputeName("etl", "spot", "x86_64")).toBe("stepline-etl-spot-x86_64");
    expect(managedComputeName("etl", "on-demand", "arm64")).toBe("stepline-etl-on-demand-arm64");
  });
});

describe("instanceRoleName", () => {
  it("keeps short names and clips long ones with a hash", () => {
    expect(instanceRoleName("etl")).toBe("stepline-etl-batch-ec2");
    const long = instanceRoleName("a".repeat(80));
    expect(long.length).toBe(64);
    expect(long.endsWith("-batch-ec2")).toBe(true);
    expect(instanceRoleName(`${"a".repeat(79)}b`)).not.toBe(long);
  });
});

describe("computeResources", () => {
  it("is empty without deploy.compute", () => {
    const steps = [batchStep("a")];
    const manifest = { resources: [queue("stepline-spot-x86_64", "spot", "x86_64", ["a"])] };
    expect(computeResources(model(steps, null), manifest, target)).toEqual([]);
  });

  it("derives role, profile, Spot and on-demand environments and queues for one architecture", () => {
    const steps = [batchStep("a", { capacity: "spot-then-on-demand" })];
    const manifest = {
      resources: [
        queue("stepline-etl-spot-x86_64", "spot", "x86_64", ["a"]),
        queue("stepline-etl-on-demand-x86_64", "on-demand", "x86_64", ["a"]),
      ],
    };
    const out = computeResources(model(steps), manifest, target);
    expect(out.map((r) => r.key)).toStrictEqual([
      "iam.role:stepline-etl-batch-ec2",
      "iam.instanceProfile:stepline-etl-batch-ec2",
      "batch.computeEnvironment:stepline-etl-spot-x86_64",
      "batch.computeEnvironment:stepline-etl-on-demand-x86_64",
      "batch.jobQueue:stepline-etl-spot-x86_64",
      "batch.jobQueue:stepline-etl-on-demand-x86_64",
    ]);
    for (const r of out) {
      expect(r.managed).toBe(true);
      expect(r.hash).toBe(contentHash(r.properties));
    }
    const [role, profile, spot, onDemand, spotQueue, onDemandQueue] = out;
    expect(role?.properties.ManagedPolicyArns).toStrictEqual([
      "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
    ]);
    expect(profile?.properties).toMatchObject({
      InstanceProfileName: "stepline-etl-batch-ec2",
      Roles: ["stepline-etl-batch-ec2"],
    });
    expect(profile?.dependsOn).toStrictEqual(["iam.role:stepline-etl-batch-ec2"]);
    expect(spot?.properties).toStrictEqual({
      computeEnvironmentName: "stepline-etl-spot-x86_64",
      type: "MANAGED",
      state: "ENABLED",
      computeResources: {
        type: "SPOT",
        allocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED",
        minvCpus: 0,
        maxvCpus: 256,
        instanceTypes: ["c6i", "m6i", "r6i", "c6a", "m6a", "r6a", "c5", "m5", "r5"],
        subnets: ["subnet-a", "subnet-b"],
        securityGroupIds: ["sg-1"],
        instanceRole: "arn:aws:iam::111122223333:instance-profile/stepline-etl-batch-ec2",
        tags: { "stepline:pipeline": "etl", team: "data" },
      },
      tags: { "stepline:pipeline": "etl", team: "data" },
    });
    expect(spot?.dependsOn).toStrictEqual(["iam.instanceProfile:stepline-etl-batch-ec2"]);
    expect(onDemand?.properties.computeResources).toMatchObject({
      type: "EC2",
      allocationStrategy: "BEST_FIT_PROGRESSIVE",
      minvCpus: 0,
    });
    expect(spotQueue?.properties).toStrictEqual({
      jobQueueName: "stepline-etl-spot-x86_64",
      state: "ENABLED",
      priority: 1,
      computeEnvironmentOrder: [
        {
          order: 1,
          computeEnvironment: "arn:aws:batch:eu-west-1:111122223333:compute-environment/stepline-etl-spot-x86_64",
        },
        {
          order: 2,
          computeEnvironment: "arn:aws:batch:eu-west-1:111122223333:compute-environment/stepline-etl-on-demand-x86_64",
        },
      ],
      tags: { "stepline:pipeline": "etl", team: "data" },
    });
    expect(spotQueue?.dependsOn).toStrictEqual([
      "batch.computeEnvironment:stepline-etl-on-demand-x86_64",
      "batch.computeEnvironment:stepline-etl-spot-x86_64",
    ]);
    expect(spotQueue?.usedBy).toStrictEqual(["a"]);
    expect(onDemandQueue?.properties.computeEnvironmentOrder).toStrictEqual([
      {
        order: 1,
        computeEnvironment: "arn:aws:batch:eu-west-1:111122223333:compute-environment/stepline-etl-on-demand-x86_64",
      },
    ]);
  });

  it("uses Graviton families for arm64, adds GPU families when a step asks, and honours the configuration", () => {
    const steps = [batchStep("gpu", { architecture: "arm64", gpus: 1 }), batchStep("cpu")];
    const manifest = {
      resources: [
        queue("stepline-etl-spot-arm64", "spot", "arm64", ["gpu"]),
        queue("stepline-etl-spot-x86_64", "spot", "x86_64", ["cpu"]),
      ],
    };
    const deploy: DeployModel = {
      compute: {
        ...compute,
        maxVcpus: 64,
        instanceProfile: "my-profile",
        serviceRole: "arn:aws:iam::111122223333:role/batch",
      },
    };
    const out = computeResources(model(steps, deploy), manifest, target);
    expect(out.some((r) => r.type.startsWith("iam."))).toBe(false);
    const arm = out.find((r) => r.key === "batch.computeEnvironment:stepline-etl-spot-arm64");
    expect(arm?.properties.computeResources).toMatchObject({
      instanceTypes: ["c7g", "m7g", "r7g", "c6g", "m6g", "r6g", "g5g"],
      maxvCpus: 64,
      instanceRole: "arn:aws:iam::111122223333:instance-profile/my-profile",
    });
    expect(arm?.properties.serviceRole).toBe("arn:aws:iam::111122223333:role/batch");
    expect(arm?.dependsOn).toStrictEqual([]);
    const x86 = out.find((r) => r.key === "batch.computeEnvironment:stepline-etl-spot-x86_64");
    expect(x86?.properties.computeResources).toMatchObject({ instanceTypes: INSTANCE_FAMILIES.x86_64 });
    // Both capacities exist per architecture, even when only the Spot queue is used (it falls back on-demand).
    expect(out.filter((r) => r.type === "batch.computeEnvironment")).toHaveLength(4);
  });

  it("collects configuration problems with the fix", () => {
    const steps = [batchStep("big", { vcpus: 96 })];
    const manifest = { resources: [queue("stepline-etl-spot-x86_64", "spot", "x86_64", ["big"])] };
    const deploy: DeployModel = { compute: { subnets: [], securityGroups: [], maxVcpus: 64 } };
    let error: unknown;
    try {
      computeResources(model(steps, deploy), manifest, target);
    } catch (e) {
      error = e;
    }
    expect(isSteplineError(error)).toBe(true);
    if (!isSteplineError(error)) return;
    expect(error.problems.map((p) => p.code)).toStrictEqual([
      "SL_DEPLOY_COMPUTE_CONFIG",
      "SL_DEPLOY_COMPUTE_CONFIG",
      "SL_DEPLOY_COMPUTE_TOO_SMALL",
    ]);
    expect(error.problems[2]?.fix).toContain("at least 96");
  });

  it("leaves referenced queues alone", () => {
    const steps = [batchStep("a", { jobQueue: "shared" })];
    const manifest = {
      resources: [{ ...queue("shared", "spot", "x86_64", ["a"]), managed: false }],
    };
    expect(computeResources(model(steps), manifest, target)).toEqual([]);
  });
});
