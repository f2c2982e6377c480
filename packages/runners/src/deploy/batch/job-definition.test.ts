import {
  BatchClient,
  DeregisterJobDefinitionCommand,
  DescribeJobDefinitionsCommand,
  type JobDefinition,
  RegisterJobDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-batch";
import { contentHash, type DesiredResource, type JsonValue, resourceKey } from "@stepline/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { awsContext } from "../aws.js";
import type { ApplyContext } from "../driver.js";
import { inactiveRevisions, jobDefinitionDriver, KEPT_REVISIONS, normaliseJobDefinition } from "./job-definition.js";

const batch = mockClient(BatchClient);
beforeEach(() => batch.reset());

const aws = () => awsContext({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
const ctx = (): ApplyContext => ({
  aws: aws(),
  pipeline: "p",
  desired: new Map(),
  outputs: new Map(),
  retryWhileRoleNotReady: (_what, fn) => fn(),
});

const NAME = "p-train";
const ARN = (revision: number) => `arn:aws:batch:us-east-1:123456789012:job-definition/${NAME}:${revision}`;

function properties(image: string): { [key: string]: JsonValue } {
  return {
    jobDefinitionName: NAME,
    type: "container",
    platformCapabilities: ["EC2"],
    containerProperties: {
      image,
      command: ["run"],
      resourceRequirements: [
        { type: "VCPU", value: "1" },
        { type: "MEMORY", value: "2048" },
      ],
    },
    retryStrategy: {
      attempts: 3,
      evaluateOnExit: [
        { onStatusReason: "Host EC2*", action: "RETRY" },
        { onReason: "*", action: "EXIT" },
      ],
    },
    tags: { "stepline:pipeline": "p" },
    propagateTags: true,
    architecture: "x86_64",
  };
}

function desired(image = "img:1"): DesiredResource {
  const p = properties(image);
  return {
    key: resourceKey("batch.jobDefinition", NAME),
    type: "batch.jobDefinition",
    name: NAME,
    managed: true,
    properties: p,
    dependsOn: [],
    hash: contentHash(p),
  };
}

/** What Batch (here: moto) returns for a registered revision. */
function described(revision: number, image: string, tags: Record<string, string>): JobDefinition {
  const { architecture: _hint, tags: _tags, containerProperties, retryStrategy: _retry, ...rest } = properties(image);
  return {
    ...(rest as object),
    jobDefinitionName: NAME,
    jobDefinitionArn: ARN(revision),
    revision,
    status: "ACTIVE",
    containerProperties: {
      ...(containerProperties as object),
      volumes: [],
      environment: [],
      mountPoints: [],
      ulimits: [],
      secrets: [],
      logConfiguration: { logDriver: "awslogs" },
    },
    retryStrategy: {
      attempts: 3,
      evaluateOnExit: [
        { onStatusReason: "Host EC2*", action: "retry" },
        { onReason: "*", action: "exit" },
      ],
    },
    tags,
  } as unknown as JobDefinition;
}

const owned = (hash: string) => ({ "stepline:pipeline": "p", "stepline:hash": hash });

describe("normaliseJobDefinition", () => {
  it("drops AWS's empty lists and moto's default log driver, upper-cases actions, strips the hash tag", () => {
    const d = desired();
    const out = normaliseJobDefinition(described(1, "img:1", owned(d.hash)));
    const { architecture: _hint, ...expected } = d.properties;
    expect(out).toStrictEqual(expected);
  });
});

describe("batch.jobDefinition driver", () => {
  it("reads the newest ACTIVE revision, across pages", async () => {
    batch
      .on(DescribeJobDefinitionsCommand)
      .resolvesOnce({ jobDefinitions: [described(1, "img:0", owned("x"))], nextToken: "t" })
      .resolvesOnce({ jobDefinitions: [described(2, "img:1", owned("y"))] });
    const current = await jobDefinitionDriver.read(aws(), desired());
    expect(current).toMatchObject({ arn: ARN(2), state: { revision: 2 }, tags: owned("y") });
    const calls = batch.commandCalls(DescribeJobDefinitionsCommand).map((c) => c.args[0].input);
    expect(calls).toStrictEqual([
      { status: "ACTIVE", jobDefinitionName: NAME },
      { status: "ACTIVE", jobDefinitionName: NAME, nextToken: "t" },
    ]);
  });

  it("reads nothing when no revision is ACTIVE", async () => {
    batch.on(DescribeJobDefinitionsCommand).resolves({ jobDefinitions: [] });
    expect(await jobDefinitionDriver.read(aws(), desired())).toBeUndefined();
  });

  it("diffs: equal hash is no change; otherwise the changed fields by name", async () => {
    const d = desired();
    batch.on(DescribeJobDefinitionsCommand).resolves({ jobDefinitions: [described(1, "img:1", owned(d.hash))] });
    const current = await jobDefinitionDriver.read(aws(), d);
    if (current === undefined) throw new Error("not read");
    expect(jobDefinitionDriver.diff(d, current)).toStrictEqual([]);
    expect(jobDefinitionDriver.diff(desired("img:2"), current)).toStrictEqual([
      { field: "containerProperties.image", from: "img:1", to: "img:2" },
    ]);
    expect(jobDefinitionDriver.diff({ ...d, hash: "other" }, current)).toStrictEqual([
      { field: "tags.stepline:hash", from: d.hash, to: "other" },
    ]);
  });

  it("creates: registers without the hint, keeps the newest owned revisions for rollback, then tags the hash", async () => {
    expect(KEPT_REVISIONS).toBe(5);
    const d = desired();
    batch.on(RegisterJobDefinitionCommand).resolves({ jobDefinitionArn: ARN(8), revision: 8, jobDefinitionName: NAME });
    batch.on(DescribeJobDefinitionsCommand).resolves({
      jobDefinitions: [
        described(1, "img:0", { "stepline:pipeline": "someone-else" }),
        ...[2, 3, 4, 5, 6, 7].map((n) => described(n, `img:${n}`, owned(`h${n}`))),
        described(8, "img:1", { "stepline:pipeline": "p" }),
      ],
    });
    batch.on(DeregisterJobDefinitionCommand).resolves({});
    batch.on(TagResourceCommand).resolves({});
    expect(await jobDefinitionDriver.create(ctx(), d)).toStrictEqual({ arn: ARN(8), revision: "8" });
    const input = batch.commandCalls(RegisterJobDefinitionCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty("architecture");
    expect(input).toMatchObject({ jobDefinitionName: NAME, tags: { "stepline:pipeline": "p" }, propagateTags: true });
    expect(input?.tags).not.toHaveProperty("stepline:hash");
    // 8 (the new one) and 7…4 stay for rollback; 3 and 2 go, oldest first; 1 is not the pipeline's.
    expect(batch.commandCalls(DeregisterJobDefinitionCommand).map((c) => c.args[0].input)).toStrictEqual([
      { jobDefinition: ARN(2) },
      { jobDefinition: ARN(3) },
    ]);
    expect(batch.commandCalls(TagResourceCommand).map((c) => c.args[0].input)).toStrictEqual([
      { resourceArn: ARN(8), tags: { "stepline:hash": d.hash } },
    ]);
  });

  it("updates a changed image with a new revision", async () => {
    const before = desired("img:1");
    const after = desired("img:2");
    batch.on(DescribeJobDefinitionsCommand).resolves({ jobDefinitions: [described(1, "img:1", owned(before.hash))] });
    batch.on(RegisterJobDefinitionCommand).resolves({ jobDefinitionArn: ARN(2), revision: 2 });
    batch.on(DeregisterJobDefinitionCommand).resolves({});
    batch.on(TagResourceCommand).resolves({});
    const current = await jobDefinitionDriver.read(aws(), before);
    if (current === undefined) throw new Error("not read");
    const changes = jobDefinitionDriver.diff(after, current);
    await jobDefinitionDriver.update(ctx(), after, current, changes);
    expect(batch.commandCalls(RegisterJobDefinitionCommand)[0]?.args[0].input.containerProperties?.image).toBe("img:2");
    // Revision 1 stays ACTIVE: the previous state machine version (a rollback) submits to it.
    expect(batch.commandCalls(DeregisterJobDefinitionCommand)).toHaveLength(0);
  });

  it("updates tags only on the same revision (no new revision)", async () => {
    const d = desired();
    batch.on(DescribeJobDefinitionsCommand).resolves({
      jobDefinitions: [described(1, "img:1", { ...owned("stale"), gone: "x" })],
    });
    batch.on(TagResourceCommand).resolves({});
    batch.on(UntagResourceCommand).resolves({});
    const current = await jobDefinitionDriver.read(aws(), d);
    if (current === undefined) throw new Error("not read");
    const changes = jobDefinitionDriver.diff(d, current);
    expect(changes.map((c) => c.field)).toStrictEqual(["tags.gone"]);
    expect(await jobDefinitionDriver.update(ctx(), d, current, changes)).toStrictEqual({ arn: ARN(1), revision: "1" });
    expect(batch.commandCalls(RegisterJobDefinitionCommand)).toHaveLength(0);
    expect(batch.commandCalls(TagResourceCommand)[0]?.args[0].input).toStrictEqual({
      resourceArn: ARN(1),
      tags: { "stepline:hash": d.hash },
    });
    expect(batch.commandCalls(UntagResourceCommand)[0]?.args[0].input).toStrictEqual({
      resourceArn: ARN(1),
      tagKeys: ["gone"],
    });
  });

  it("deletes by deregistering every ACTIVE revision the pipeline owns", async () => {
    batch.on(DescribeJobDefinitionsCommand).resolves({
      jobDefinitions: [described(1, "img:0", owned("a")), described(2, "img:1", owned("b"))],
    });
    batch.on(DeregisterJobDefinitionCommand).resolves({});
    const current = await jobDefinitionDriver.read(aws(), desired());
    if (current === undefined) throw new Error("not read");
    await jobDefinitionDriver.delete(ctx(), current);
    expect(batch.commandCalls(DeregisterJobDefinitionCommand).map((c) => c.args[0].input.jobDefinition)).toStrictEqual([
      ARN(1),
      ARN(2),
    ]);
  });

  it("lists the newest owned revision of each name", async () => {
    const other = { ...described(1, "img:0", { "stepline:pipeline": "q" }), jobDefinitionName: "q-x" };
    batch.on(DescribeJobDefinitionsCommand).resolves({
      jobDefinitions: [described(1, "img:0", owned("a")), described(2, "img:1", owned("b")), other],
    });
    const owned2 = await jobDefinitionDriver.listOwned(aws(), "p");
    expect(owned2.map((c) => [c.key, c.arn])).toStrictEqual([[`batch.jobDefinition:${NAME}`, ARN(2)]]);
    expect(batch.commandCalls(DescribeJobDefinitionsCommand)[0]?.args[0].input).toStrictEqual({ status: "ACTIVE" });
  });

  it("names the revisions Batch can no longer run (INACTIVE or unknown), asking by ARN", async () => {
    batch.on(DescribeJobDefinitionsCommand).resolves({
      jobDefinitions: [described(1, "img:1", owned("a")), { ...described(2, "img:2", owned("b")), status: "INACTIVE" }],
    });
    expect(await inactiveRevisions(aws(), [ARN(1), ARN(2), ARN(3)])).toStrictEqual([ARN(2), ARN(3)]);
    expect(batch.commandCalls(DescribeJobDefinitionsCommand)[0]?.args[0].input).toStrictEqual({
      jobDefinitions: [ARN(1), ARN(2), ARN(3)],
    });
    expect(await inactiveRevisions(aws(), [])).toStrictEqual([]);
  });
});
