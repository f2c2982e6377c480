import {
  BatchClient,
  type ComputeEnvironmentDetail,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DeleteComputeEnvironmentCommand,
  DeleteJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  type JobQueueDetail,
  TagResourceCommand,
  UpdateComputeEnvironmentCommand,
  UpdateJobQueueCommand,
} from "@aws-sdk/client-batch";
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  DeleteInstanceProfileCommand,
  GetInstanceProfileCommand,
  IAMClient,
  RemoveRoleFromInstanceProfileCommand,
  TagInstanceProfileCommand,
} from "@aws-sdk/client-iam";
import {
  computeResources,
  type DesiredResource,
  isSteplineError,
  type ResourceSpec,
  TAG_HASH,
  testPipeline,
} from "@stepline/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { awsContext } from "../aws.js";
import type { ApplyContext } from "../driver.js";
import { computeEnvironmentDriver } from "./compute-environment.js";
import { instanceProfileDriver } from "./instance-profile.js";
import { jobQueueDriver } from "./job-queue.js";

const batch = mockClient(BatchClient);
const iam = mockClient(IAMClient);
let sleeps = 0;
beforeEach(() => {
  batch.reset();
  iam.reset();
  sleeps = 0;
});

const aws = () =>
  awsContext({
    region: "eu-west-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    sleep: async () => {
      sleeps++;
    },
  });
const ctx = (): ApplyContext => ({
  aws: aws(),
  pipeline: "etl",
  desired: new Map(),
  outputs: new Map(),
  retryWhileRoleNotReady: (_what, fn) => fn(),
});

const target = { partition: "aws", region: "eu-west-1", accountId: "111122223333" };
const queueSpec: ResourceSpec = {
  type: "batch.jobQueue",
  name: "stepline-etl-spot-x86_64",
  usedBy: ["a"],
  managed: true,
  properties: { jobQueueName: "stepline-etl-spot-x86_64", capacity: "spot", architecture: "x86_64" },
};

/** The compute core derives for one x86_64 Spot queue. */
function derived(compute: { maxVcpus?: number; serviceRole?: string } = {}): Map<string, DesiredResource> {
  const model = testPipeline([], {
    name: "etl",
    deploy: { compute: { subnets: ["subnet-b", "subnet-a"], securityGroups: ["sg-1"], ...compute } },
  });
  return new Map(computeResources(model, { resources: [queueSpec] }, target).map((d) => [d.key, d]));
}
const spotKey = "batch.computeEnvironment:stepline-etl-spot-x86_64";
const queueKey = "batch.jobQueue:stepline-etl-spot-x86_64";
const profileKey = "iam.instanceProfile:stepline-etl-batch-ec2";
const get = (map: Map<string, DesiredResource>, key: string): DesiredResource => {
  const d = map.get(key);
  if (d === undefined) throw new Error(`no ${key}`);
  return d;
};

const CE_ARN = "arn:aws:batch:eu-west-1:111122223333:compute-environment/stepline-etl-spot-x86_64";
const Q_ARN = "arn:aws:batch:eu-west-1:111122223333:job-queue/stepline-etl-spot-x86_64";

/** What AWS returns for the desired environment: its own additions included, lists in another order. */
function environment(d: DesiredResource, extra: Partial<ComputeEnvironmentDetail> = {}): ComputeEnvironmentDetail {
  const p = d.properties as unknown as ComputeEnvironmentDetail & { computeResources: { instanceTypes: string[] } };
  return {
    ...p,
    computeEnvironmentArn: CE_ARN,
    status: "VALID",
    statusReason: "ok",
    ecsClusterArn: "arn:aws:ecs:eu-west-1:111122223333:cluster/x",
    serviceRole: "arn:aws:iam::111122223333:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch",
    computeResources: {
      ...p.computeResources,
      instanceTypes: [...p.computeResources.instanceTypes].reverse(),
      subnets: ["subnet-a", "subnet-b"],
      desiredvCpus: 0,
      ec2Configuration: [{ imageType: "ECS_AL2" }],
    },
    tags: { ...(p.tags ?? {}), [TAG_HASH]: d.hash },
    ...extra,
  } as ComputeEnvironmentDetail;
}

describe("batch.computeEnvironment driver", () => {
  it("reads AWS's answer as no change (sets, defaults, service-linked role)", async () => {
    const d = get(derived(), spotKey);
    batch.on(DescribeComputeEnvironmentsCommand).resolves({ computeEnvironments: [environment(d)] });
    const current = await computeEnvironmentDriver.read(aws(), d);
    if (current === undefined) throw new Error("not read");
    expect(computeEnvironmentDriver.diff(d, current)).toStrictEqual([]);
    expect(computeEnvironmentDriver.diff({ ...d, hash: "x" }, current).map((c) => c.field)).toStrictEqual([
      "tags.stepline:hash",
    ]);
  });

  it("treats one being deleted as absent", async () => {
    const d = get(derived(), spotKey);
    batch
      .on(DescribeComputeEnvironmentsCommand)
      .resolves({ computeEnvironments: [environment(d, { status: "DELETING" })] });
    expect(await computeEnvironmentDriver.read(aws(), d)).toBeUndefined();
  });

  it("creates, waits until VALID, then tags the hash", async () => {
    const d = get(derived(), spotKey);
    batch
      .on(DescribeComputeEnvironmentsCommand)
      .resolvesOnce({ computeEnvironments: [] })
      .resolvesOnce({ computeEnvironments: [environment(d, { status: "CREATING" })] })
      .resolves({ computeEnvironments: [environment(d)] });
    batch.on(CreateComputeEnvironmentCommand).resolves({ computeEnvironmentArn: CE_ARN });
    batch.on(TagResourceCommand).resolves({});
    expect(await computeEnvironmentDriver.create(ctx(), d)).toStrictEqual({ arn: CE_ARN });
    const input = batch.commandCalls(CreateComputeEnvironmentCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      computeEnvironmentName: "stepline-etl-spot-x86_64",
      type: "MANAGED",
      state: "ENABLED",
      computeResources: { type: "SPOT", allocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED", minvCpus: 0 },
      tags: { "stepline:pipeline": "etl" },
    });
    expect(input).not.toHaveProperty("serviceRole");
    expect(sleeps).toBe(1);
    expect(batch.commandCalls(TagResourceCommand)[0]?.args[0].input).toStrictEqual({
      resourceArn: CE_ARN,
      tags: { [TAG_HASH]: d.hash },
    });
  });

  it("retries while a profile made in this run is not visible yet, and only then", async () => {
    const d = get(derived(), spotKey);
    const notYet = Object.assign(new Error("could not find instanceRole arn:aws:iam::1:instance-profile/x"), {
      name: "ClientException",
    });
    batch.on(DescribeComputeEnvironmentsCommand).resolves({ computeEnvironments: [environment(d)] });
    batch.on(TagResourceCommand).resolves({});
    batch.on(CreateComputeEnvironmentCommand).rejectsOnce(notYet).resolves({ computeEnvironmentArn: CE_ARN });
    const fresh = ctx();
    fresh.outputs.set(profileKey, { arn: "p" });
    await computeEnvironmentDriver.create(fresh, d);
    expect(batch.commandCalls(CreateComputeEnvironmentCommand)).toHaveLength(2);

    batch.on(CreateComputeEnvironmentCommand).rejects(notYet);
    const error = await computeEnvironmentDriver.create(ctx(), d).catch((e: unknown) => e);
    expect(error).toBe(notYet);
    expect(batch.commandCalls(CreateComputeEnvironmentCommand)).toHaveLength(3);
  });

  it("stops waiting after a bound (SL_DEPLOY_TIMEOUT) and reports INVALID with AWS's reason", async () => {
    const d = get(derived(), spotKey);
    batch.on(CreateComputeEnvironmentCommand).resolves({ computeEnvironmentArn: CE_ARN });
    batch
      .on(DescribeComputeEnvironmentsCommand)
      .resolves({ computeEnvironments: [environment(d, { status: "CREATING" })] });
    const timeout = await computeEnvironmentDriver.create(ctx(), d).catch((e: unknown) => e);
    expect(isSteplineError(timeout) && timeout.code).toBe("SL_DEPLOY_TIMEOUT");
    expect(isSteplineError(timeout) && timeout.kind).toBe("failure");
    expect(sleeps).toBe(180);

    batch.on(DescribeComputeEnvironmentsCommand).resolves({
      computeEnvironments: [environment(d, { status: "INVALID", statusReason: "subnet-a does not exist" })],
    });
    const invalid = await computeEnvironmentDriver.create(ctx(), d).catch((e: unknown) => e);
    expect(isSteplineError(invalid) && invalid.message).toContain("subnet-a does not exist");
  });

  it("updates maxvCpus in place, and only that", async () => {
    const before = get(derived(), spotKey);
    const after = get(derived({ maxVcpus: 512 }), spotKey);
    batch.on(DescribeComputeEnvironmentsCommand).resolves({ computeEnvironments: [environment(before)] });
    batch.on(UpdateComputeEnvironmentCommand).resolves({});
    batch.on(TagResourceCommand).resolves({});
    const current = await computeEnvironmentDriver.read(aws(), after);
    if (current === undefined) throw new Error("not read");
    const changes = computeEnvironmentDriver.diff(after, current);
    expect(changes).toStrictEqual([{ field: "computeResources.maxvCpus", from: 256, to: 512 }]);
    await computeEnvironmentDriver.update(ctx(), after, current, changes);
    expect(batch.commandCalls(UpdateComputeEnvironmentCommand)[0]?.args[0].input).toStrictEqual({
      computeEnvironment: "stepline-etl-spot-x86_64",
      computeResources: { maxvCpus: 512 },
    });
  });

  it("refuses an infrastructure update AWS would refuse (own service role)", async () => {
    const d = get(derived({ serviceRole: "batch-svc" }), spotKey);
    const changed = {
      ...d,
      hash: "new",
      properties: {
        ...d.properties,
        computeResources: { ...(d.properties.computeResources as object), instanceTypes: ["optimal"] },
      },
    };
    batch.on(DescribeComputeEnvironmentsCommand).resolves({
      computeEnvironments: [environment(d, { serviceRole: "arn:aws:iam::111122223333:role/batch-svc" })],
    });
    const current = await computeEnvironmentDriver.read(aws(), changed);
    if (current === undefined) throw new Error("not read");
    const changes = computeEnvironmentDriver.diff(changed, current);
    expect(changes.map((c) => c.field)).toStrictEqual(["computeResources.instanceTypes"]);
    const error = await computeEnvironmentDriver.update(ctx(), changed, current, changes).catch((e: unknown) => e);
    expect(isSteplineError(error) && error.code).toBe("SL_DEPLOY_UPDATE_UNSUPPORTED");
    expect(batch.commandCalls(UpdateComputeEnvironmentCommand)).toHaveLength(0);
  });

  it("deletes: disable, wait, delete, wait until gone", async () => {
    const d = get(derived(), spotKey);
    batch
      .on(DescribeComputeEnvironmentsCommand)
      .resolvesOnce({ computeEnvironments: [environment(d)] })
      .resolvesOnce({ computeEnvironments: [environment(d, { state: "DISABLED", status: "UPDATING" })] })
      .resolvesOnce({ computeEnvironments: [environment(d, { state: "DISABLED" })] })
      .resolvesOnce({ computeEnvironments: [environment(d, { state: "DISABLED", status: "DELETING" })] })
      .resolves({ computeEnvironments: [] });
    batch.on(UpdateComputeEnvironmentCommand).resolves({});
    batch.on(DeleteComputeEnvironmentCommand).resolves({});
    await computeEnvironmentDriver.delete(ctx(), {
      key: spotKey,
      type: d.type,
      name: d.name,
      properties: {},
      tags: {},
    });
    expect(batch.commandCalls(UpdateComputeEnvironmentCommand)[0]?.args[0].input).toStrictEqual({
      computeEnvironment: d.name,
      state: "DISABLED",
    });
    expect(batch.commandCalls(DeleteComputeEnvironmentCommand)).toHaveLength(1);
    expect(sleeps).toBe(2);
  });
});

function queue(d: DesiredResource, extra: Partial<JobQueueDetail> = {}): JobQueueDetail {
  const p = d.properties as unknown as JobQueueDetail;
  return {
    ...p,
    jobQueueArn: Q_ARN,
    status: "VALID",
    computeEnvironmentOrder: [...(p.computeEnvironmentOrder ?? [])].reverse(),
    jobStateTimeLimitActions: [],
    tags: { ...(p.tags ?? {}), [TAG_HASH]: d.hash },
    ...extra,
  } as JobQueueDetail;
}

describe("batch.jobQueue driver", () => {
  it("creates Spot before on-demand, waits, tags; reads back as no change", async () => {
    const d = get(derived(), queueKey);
    batch
      .on(DescribeJobQueuesCommand)
      .resolvesOnce({ jobQueues: [] })
      .resolves({ jobQueues: [queue(d)] });
    batch.on(CreateJobQueueCommand).resolves({ jobQueueArn: Q_ARN });
    batch.on(TagResourceCommand).resolves({});
    await jobQueueDriver.create(ctx(), d);
    expect(batch.commandCalls(CreateJobQueueCommand)[0]?.args[0].input).toStrictEqual({
      jobQueueName: "stepline-etl-spot-x86_64",
      state: "ENABLED",
      priority: 1,
      computeEnvironmentOrder: [
        { order: 1, computeEnvironment: CE_ARN },
        {
          order: 2,
          computeEnvironment: "arn:aws:batch:eu-west-1:111122223333:compute-environment/stepline-etl-on-demand-x86_64",
        },
      ],
      tags: { "stepline:pipeline": "etl" },
    });
    const current = await jobQueueDriver.read(aws(), d);
    if (current === undefined) throw new Error("not read");
    expect(jobQueueDriver.diff(d, current)).toStrictEqual([]);
  });

  it("updates only what changed, with compute environment ARNs", async () => {
    const d = get(derived(), queueKey);
    batch.on(DescribeJobQueuesCommand).resolves({ jobQueues: [queue(d, { state: "DISABLED", priority: 3 })] });
    batch.on(UpdateJobQueueCommand).resolves({});
    batch.on(TagResourceCommand).resolves({});
    const current = await jobQueueDriver.read(aws(), d);
    if (current === undefined) throw new Error("not read");
    const changes = jobQueueDriver.diff({ ...d, hash: "new" }, current);
    expect(changes.map((c) => c.field)).toStrictEqual(["priority", "state"]);
    await jobQueueDriver.update(ctx(), { ...d, hash: "new" }, current, changes);
    expect(batch.commandCalls(UpdateJobQueueCommand)[0]?.args[0].input).toStrictEqual({
      jobQueue: "stepline-etl-spot-x86_64",
      state: "ENABLED",
      priority: 1,
    });
    expect(batch.commandCalls(TagResourceCommand)[0]?.args[0].input.tags).toStrictEqual({ [TAG_HASH]: "new" });
  });

  it("reads a referenced queue by ARN", async () => {
    batch.on(DescribeJobQueuesCommand).resolves({
      jobQueues: [
        {
          jobQueueName: "shared",
          jobQueueArn: Q_ARN,
          status: "VALID",
          state: "ENABLED",
          priority: 1,
          computeEnvironmentOrder: [],
        },
      ],
    });
    const referenced: DesiredResource = {
      key: `batch.jobQueue:${Q_ARN}`,
      type: "batch.jobQueue",
      name: Q_ARN,
      managed: false,
      properties: { jobQueueName: Q_ARN },
      dependsOn: [],
      hash: "h",
    };
    expect(await jobQueueDriver.read(aws(), referenced)).toMatchObject({ key: referenced.key, arn: Q_ARN });
  });

  it("deletes: disable, wait, delete, wait until gone", async () => {
    const d = get(derived(), queueKey);
    batch
      .on(DescribeJobQueuesCommand)
      .resolvesOnce({ jobQueues: [queue(d)] })
      .resolvesOnce({ jobQueues: [queue(d, { state: "DISABLED" })] })
      .resolvesOnce({ jobQueues: [queue(d, { state: "DISABLED", status: "DELETING" })] })
      .resolves({ jobQueues: [queue(d, { status: "DELETED" })] });
    batch.on(UpdateJobQueueCommand).resolves({});
    batch.on(DeleteJobQueueCommand).resolves({});
    await jobQueueDriver.delete(ctx(), { key: queueKey, type: d.type, name: d.name, properties: {}, tags: {} });
    expect(batch.commandCalls(UpdateJobQueueCommand)[0]?.args[0].input).toStrictEqual({
      jobQueue: d.name,
      state: "DISABLED",
    });
    expect(batch.commandCalls(DeleteJobQueueCommand)).toHaveLength(1);
    expect(sleeps).toBe(1);
  });
});

describe("iam.instanceProfile driver", () => {
  it("creates the profile, adds the role, then tags the hash", async () => {
    const d = get(derived(), profileKey);
    iam.on(CreateInstanceProfileCommand).resolves({
      InstanceProfile: {
        InstanceProfileName: d.name,
        Arn: "arn:aws:iam::111122223333:instance-profile/stepline-etl-batch-ec2",
        Path: "/",
        InstanceProfileId: "id",
        CreateDate: new Date(),
        Roles: [],
        Tags: [{ Key: "stepline:pipeline", Value: "etl" }],
      },
    });
    iam.on(AddRoleToInstanceProfileCommand).resolves({});
    iam.on(TagInstanceProfileCommand).resolves({});
    await instanceProfileDriver.create(ctx(), d);
    expect(iam.commandCalls(AddRoleToInstanceProfileCommand)[0]?.args[0].input).toStrictEqual({
      InstanceProfileName: "stepline-etl-batch-ec2",
      RoleName: "stepline-etl-batch-ec2",
    });
    expect(iam.commandCalls(TagInstanceProfileCommand)[0]?.args[0].input.Tags).toStrictEqual([
      { Key: TAG_HASH, Value: d.hash },
    ]);
  });

  it("reads nothing when missing; deletes after removing its role", async () => {
    const d = get(derived(), profileKey);
    const missing = Object.assign(new Error("not found"), { name: "NoSuchEntityException" });
    iam.on(GetInstanceProfileCommand).rejectsOnce(missing);
    expect(await instanceProfileDriver.read(aws(), d)).toBeUndefined();
    iam.on(GetInstanceProfileCommand).resolves({
      InstanceProfile: {
        InstanceProfileName: d.name,
        Arn: "arn",
        Path: "/",
        InstanceProfileId: "id",
        CreateDate: new Date(),
        Roles: [{ RoleName: d.name, Arn: "r", Path: "/", RoleId: "i", CreateDate: new Date() }],
        Tags: [
          { Key: "stepline:pipeline", Value: "etl" },
          { Key: TAG_HASH, Value: d.hash },
        ],
      },
    });
    const current = await instanceProfileDriver.read(aws(), d);
    if (current === undefined) throw new Error("not read");
    expect(instanceProfileDriver.diff(d, current)).toStrictEqual([]);
    expect(instanceProfileDriver.diff({ ...d, hash: "x" }, current).map((c) => c.field)).toStrictEqual([
      "tags.stepline:hash",
    ]);
    iam.on(RemoveRoleFromInstanceProfileCommand).resolves({});
    iam.on(DeleteInstanceProfileCommand).resolves({});
    await instanceProfileDriver.delete(ctx(), current);
    expect(iam.commandCalls(RemoveRoleFromInstanceProfileCommand)).toHaveLength(1);
    expect(iam.commandCalls(DeleteInstanceProfileCommand)).toHaveLength(1);
  });
});
