import type { DesiredResource, PlanAction } from "@stepline/core";
import { awsContext, sdkModules } from "@stepline/runners/deploy";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { applyActions } from "./apply.js";

/** applyActions and the drivers against mocked SDK clients (aws-sdk-client-mock): retries and minimal calls. */

const sfn = await sdkModules.sfn();
const sts = await sdkModules.sts();
const iam = await sdkModules.iam();
const sfnMock = mockClient(sfn.SFNClient);
const stsMock = mockClient(sts.STSClient);
const iamMock = mockClient(iam.IAMClient);

beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
});
afterEach(() => {
  sfnMock.reset();
  stsMock.reset();
  iamMock.reset();
});

function aws(sleeps: number[] = []) {
  stsMock
    .on(sts.GetCallerIdentityCommand)
    .resolves({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/u" });
  return awsContext({
    region: "eu-west-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

const machine: DesiredResource = {
  key: "sfn.stateMachine:p",
  type: "sfn.stateMachine",
  name: "p",
  managed: true,
  properties: {
    name: "p",
    type: "STANDARD",
    definition: { StartAt: "x" },
    roleArn: "arn:aws:iam::111122223333:role/r",
    tags: {},
  },
  dependsOn: [],
  hash: "h1",
};
const create = (d: DesiredResource): PlanAction => ({
  kind: "create",
  key: d.key,
  type: d.type,
  name: d.name,
  changes: [],
  desired: d,
});

const notAssumable = Object.assign(
  new Error(
    "Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role.",
  ),
  { name: "AccessDeniedException" },
);

describe("applyActions", () => {
  it("waits, bounded, while Step Functions cannot assume a role created moments ago", async () => {
    sfnMock
      .on(sfn.CreateStateMachineCommand)
      .rejectsOnce(notAssumable)
      .rejectsOnce(notAssumable)
      .resolves({ stateMachineArn: "arn:sm", stateMachineVersionArn: "arn:sm:1" });
    sfnMock.on(sfn.TagResourceCommand).resolves({});
    const sleeps: number[] = [];
    const report = await applyActions(aws(sleeps), "p", [create(machine)], [machine], { roleRetryDelays: [5, 10, 20] });
    expect(report.failed).toBeUndefined();
    expect(sleeps).toEqual([5, 10]);
    expect(sfnMock.commandCalls(sfn.CreateStateMachineCommand)).toHaveLength(3);
    expect(report.outputs.get(machine.key)).toEqual({ stateMachineArn: "arn:sm", versionArn: "arn:sm:1" });
  });

  it("gives up after the last delay, and reports what was done and what was not", async () => {
    sfnMock.on(sfn.CreateStateMachineCommand).rejects(notAssumable);
    const alias: DesiredResource = { ...machine, key: "sfn.alias:live", type: "sfn.alias", name: "live" };
    const report = await applyActions(aws(), "p", [create(machine), create(alias)], [machine, alias], {
      roleRetryDelays: [1, 1],
    });
    expect(sfnMock.commandCalls(sfn.CreateStateMachineCommand)).toHaveLength(3);
    expect(report.done).toEqual([]);
    expect(report.failed?.action.key).toBe(machine.key);
    expect(report.failed?.error.message).toContain("SL_AWS_ACCESS_DENIED");
    expect(report.notDone.map((a) => a.key)).toEqual(["sfn.alias:live"]);
  });

  it("other errors are not retried", async () => {
    sfnMock.on(sfn.CreateStateMachineCommand).rejects(Object.assign(new Error("bad name"), { name: "InvalidName" }));
    const report = await applyActions(aws(), "p", [create(machine)], [machine], { roleRetryDelays: [1, 1] });
    expect(sfnMock.commandCalls(sfn.CreateStateMachineCommand)).toHaveLength(1);
    expect(report.failed?.error.message).toContain("InvalidName");
  });

  it("an inline policy change puts that policy and the hash, nothing else", async () => {
    iamMock.on(iam.PutRolePolicyCommand).resolves({});
    iamMock.on(iam.TagRoleCommand).resolves({});
    const policy = (action: string) => ({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: [action], Resource: ["*"] }],
    });
    const properties = {
      RoleName: "r",
      Path: "/",
      Description: "d",
      AssumeRolePolicyDocument: { Version: "2012-10-17" },
      Policies: { stepline: policy("states:StartExecution") },
      Tags: { "stepline:pipeline": "p" },
    };
    const role: DesiredResource = {
      key: "iam.role:r",
      type: "iam.role",
      name: "r",
      managed: true,
      properties,
      dependsOn: [],
      hash: "new",
    };
    const current = {
      key: role.key,
      type: role.type,
      name: "r",
      properties: { ...properties, Policies: { stepline: policy("states:DescribeExecution") } },
      tags: { "stepline:pipeline": "p", "stepline:hash": "old" },
    };
    const { iamRoleDriver } = await import("@stepline/runners/deploy");
    const changes = iamRoleDriver.diff(role, current);
    expect(changes.map((c) => c.field)).toEqual(["Policies.stepline"]);
    const report = await applyActions(
      aws(),
      "p",
      [{ kind: "update", key: role.key, type: role.type, name: "r", changes, desired: role, current }],
      [role],
    );
    expect(report.failed).toBeUndefined();
    expect(iamMock.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name)).toEqual([
      "PutRolePolicyCommand",
      "TagRoleCommand",
    ]);
  });
});
