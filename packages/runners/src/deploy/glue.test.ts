import {
  CreateJobCommand,
  DeleteJobCommand,
  GetJobCommand,
  GetTagsCommand,
  GlueClient,
  type Job,
  ListJobsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateJobCommand,
} from "@aws-sdk/client-glue";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { contentHash, type DesiredResource, isSteplineError, type JsonValue, TAG_HASH } from "@stepline/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { awsContext } from "./aws.js";
import type { ApplyContext } from "./driver.js";
import { glueDrivers, glueJobDriver } from "./glue.js";

const glue = mockClient(GlueClient);
const sts = mockClient(STSClient);
beforeEach(() => {
  glue.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/u" });
});

const aws = () => awsContext({ region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
const ctx = (): ApplyContext => ({
  aws: aws(),
  pipeline: "etl",
  desired: new Map(),
  outputs: new Map(),
  retryWhileRoleNotReady: (_what, fn) => fn(),
});

const NAME = "etl-features";
const ARN = `arn:aws:glue:eu-west-1:111122223333:job/${NAME}`;
const TAGS = { "stepline:pipeline": "etl", team: "data" };

function desired(overrides: { [key: string]: JsonValue } = {}): DesiredResource {
  const properties: { [key: string]: JsonValue } = {
    Name: NAME,
    Role: "arn:aws:iam::111122223333:role/glue",
    Command: { Name: "glueetl", ScriptLocation: "s3://code/features.py", PythonVersion: "3" },
    GlueVersion: "5.0",
    WorkerType: "G.1X",
    NumberOfWorkers: 2,
    ExecutionClass: "STANDARD",
    Connections: { Connections: ["b", "a"] },
    DefaultArguments: { "--mode": "full" },
    Tags: TAGS,
    ...overrides,
  };
  return {
    key: `glue.job:${NAME}`,
    type: "glue.job",
    name: NAME,
    managed: true,
    properties,
    dependsOn: [],
    hash: contentHash(properties),
  };
}

/** GetJob's answer: Glue's own additions included. */
function job(d: DesiredResource, extra: Partial<Job> = {}): Job {
  const { Tags: _tags, ...fields } = d.properties;
  return {
    ...(fields as unknown as Job),
    Connections: { Connections: ["a", "b"] },
    MaxCapacity: 2,
    AllocatedCapacity: 2,
    MaxRetries: 0,
    Timeout: 2880,
    ExecutionProperty: { MaxConcurrentRuns: 1 },
    CreatedOn: new Date(),
    LastModifiedOn: new Date(),
    ...extra,
  };
}

async function readBack(d: DesiredResource, tags: Record<string, string>, extra: Partial<Job> = {}) {
  glue.on(GetJobCommand).resolves({ Job: job(d, extra) });
  glue.on(GetTagsCommand).resolves({ Tags: tags });
  const current = await glueJobDriver.read(aws(), d);
  if (current === undefined) throw new Error("not read");
  return current;
}

describe("glue.job driver", () => {
  it("is the only Glue driver", () => {
    expect(glueDrivers.map((d) => d.type)).toStrictEqual(["glue.job"]);
  });

  it("reads GetJob + GetTags as no change (Glue's defaults ignored, connections as a set)", async () => {
    const d = desired();
    const current = await readBack(d, { ...TAGS, [TAG_HASH]: d.hash });
    expect(current.arn).toBe(ARN);
    expect(glueJobDriver.diff(d, current)).toStrictEqual([]);
    expect(glueJobDriver.diff({ ...d, hash: "x" }, current).map((c) => c.field)).toStrictEqual(["tags.stepline:hash"]);
    expect(glue.commandCalls(GetTagsCommand)[0]?.args[0].input).toStrictEqual({ ResourceArn: ARN });
  });

  it("reads nothing when the job is missing; a referenced job needs no tags", async () => {
    glue
      .on(GetJobCommand)
      .rejectsOnce(Object.assign(new Error("Job nope not found."), { name: "EntityNotFoundException" }));
    expect(await glueJobDriver.read(aws(), desired())).toBeUndefined();
    glue.on(GetJobCommand).resolves({ Job: { Name: "legacy" } });
    const referenced = { ...desired(), key: "glue.job:legacy", name: "legacy", managed: false };
    expect(await glueJobDriver.read(aws(), referenced)).toMatchObject({ key: "glue.job:legacy", tags: {} });
    expect(glue.commandCalls(GetTagsCommand)).toHaveLength(0);
  });

  it("creates the job with its tags and hash in one call", async () => {
    const d = desired();
    glue.on(CreateJobCommand).resolves({ Name: NAME });
    expect(await glueJobDriver.create(ctx(), d)).toStrictEqual({ arn: ARN });
    expect(glue.commandCalls(CreateJobCommand)[0]?.args[0].input).toStrictEqual({
      ...d.properties,
      Tags: { ...TAGS, [TAG_HASH]: d.hash },
    });
  });

  it("refuses a job without a role (SL_DEPLOY_GLUE_ROLE)", async () => {
    const { Role: _role, ...rest } = desired().properties;
    const d = { ...desired(), properties: rest };
    const error = await glueJobDriver.create(ctx(), d).catch((e: unknown) => e);
    expect(isSteplineError(error) && error.code).toBe("SL_DEPLOY_GLUE_ROLE");
    expect(glue.commandCalls(CreateJobCommand)).toHaveLength(0);
  });

  it("updates changed fields with UpdateJob (the whole definition), then the hash tag", async () => {
    const before = desired();
    const after = desired({ NumberOfWorkers: 10, ExecutionClass: "FLEX" });
    const current = await readBack(before, { ...TAGS, [TAG_HASH]: before.hash });
    const changes = glueJobDriver.diff(after, current);
    expect(changes).toStrictEqual([
      { field: "ExecutionClass", from: "STANDARD", to: "FLEX" },
      { field: "NumberOfWorkers", from: 2, to: 10 },
    ]);
    glue.on(UpdateJobCommand).resolves({ JobName: NAME });
    glue.on(TagResourceCommand).resolves({});
    await glueJobDriver.update(ctx(), after, current, changes);
    const { Name: _name, Tags: _tags, ...fields } = after.properties;
    expect(glue.commandCalls(UpdateJobCommand)[0]?.args[0].input).toStrictEqual({ JobName: NAME, JobUpdate: fields });
    expect(glue.commandCalls(TagResourceCommand)[0]?.args[0].input).toStrictEqual({
      ResourceArn: ARN,
      TagsToAdd: { [TAG_HASH]: after.hash },
    });
    expect(glue.commandCalls(UntagResourceCommand)).toHaveLength(0);
  });

  it("updates a dropped field too (the hash differs, the compared fields do not)", async () => {
    const before = desired({ Timeout: 60 });
    const after = desired();
    // Read as deploy reads it: in the shape of the new desired job (no Timeout).
    glue.on(GetJobCommand).resolves({ Job: job(before) });
    glue.on(GetTagsCommand).resolves({ Tags: { ...TAGS, [TAG_HASH]: before.hash } });
    const current = await glueJobDriver.read(aws(), after);
    if (current === undefined) throw new Error("not read");
    const changes = glueJobDriver.diff(after, current);
    expect(changes.map((c) => c.field)).toStrictEqual(["tags.stepline:hash"]);
    glue.on(UpdateJobCommand).resolves({ JobName: NAME });
    glue.on(TagResourceCommand).resolves({});
    await glueJobDriver.update(ctx(), after, current, changes);
    expect(glue.commandCalls(UpdateJobCommand)[0]?.args[0].input.JobUpdate).not.toHaveProperty("Timeout");
  });

  it("changes only tags when only tags differ", async () => {
    const before = desired();
    const after = desired({ Tags: { "stepline:pipeline": "etl", owner: "me" } });
    const current = await readBack(before, { ...TAGS, [TAG_HASH]: before.hash });
    const changes = glueJobDriver.diff(after, current);
    expect(changes.map((c) => c.field)).toStrictEqual(["Tags.owner", "Tags.team"]);
    glue.on(TagResourceCommand).resolves({});
    glue.on(UntagResourceCommand).resolves({});
    await glueJobDriver.update(ctx(), after, current, changes);
    expect(glue.commandCalls(UpdateJobCommand)).toHaveLength(0);
    expect(glue.commandCalls(TagResourceCommand)[0]?.args[0].input.TagsToAdd).toStrictEqual({
      owner: "me",
      [TAG_HASH]: after.hash,
    });
    expect(glue.commandCalls(UntagResourceCommand)[0]?.args[0].input.TagsToRemove).toStrictEqual(["team"]);
  });

  it("lists the jobs tagged for the pipeline, across pages", async () => {
    glue
      .on(ListJobsCommand)
      .resolvesOnce({ JobNames: [NAME], NextToken: "t" })
      .resolvesOnce({ JobNames: [] });
    glue.on(GetJobCommand).resolves({ Job: job(desired()) });
    glue.on(GetTagsCommand).resolves({ Tags: TAGS });
    const owned = await glueJobDriver.listOwned(aws(), "etl");
    expect(owned.map((o) => o.key)).toStrictEqual([`glue.job:${NAME}`]);
    expect(glue.commandCalls(ListJobsCommand).map((c) => c.args[0].input)).toStrictEqual([
      { Tags: { "stepline:pipeline": "etl" } },
      { Tags: { "stepline:pipeline": "etl" }, NextToken: "t" },
    ]);
  });

  it("deletes the job", async () => {
    glue.on(DeleteJobCommand).resolves({ JobName: NAME });
    await glueJobDriver.delete(ctx(), {
      key: `glue.job:${NAME}`,
      type: "glue.job",
      name: NAME,
      properties: {},
      tags: {},
    });
    expect(glue.commandCalls(DeleteJobCommand)[0]?.args[0].input).toStrictEqual({ JobName: NAME });
  });
});
