import { describe, expect, it } from "vitest";
import { compile } from "../compile/compile.js";
import { isSteplineError } from "../errors/problem.js";
import { testIntegrations } from "../testing/integrations.js";
import { testPipeline, testStep } from "../testing/model.js";
import type { CurrentResource, DeployTarget, DesiredResource } from "./contract.js";
import { contentHash, TAG_HASH, TAG_PIPELINE } from "./contract.js";
import { desiredResources, logGroupName } from "./desired.js";
import { diffProperties } from "./diff.js";
import { applyOrder, destroyOrder } from "./order.js";
import { NEW_REVISION, pinJobDefinitions, pinnedRevisions } from "./pin.js";
import { buildPlan, pendingActions } from "./plan.js";

const target: DeployTarget = { partition: "aws", region: "eu-west-1", accountId: "111122223333" };

function desiredOf(overrides: Parameters<typeof testPipeline>[1] = {}): DesiredResource[] {
  const model = testPipeline([testStep("a"), testStep("b", ["a"])], { name: "p", tags: { team: "t" }, ...overrides });
  return desiredResources(compile(model, { integrations: testIntegrations }), model, target);
}

const keys = (resources: readonly { key: string }[]) => resources.map((r) => r.key);

describe("desiredResources", () => {
  it("a role, the state machine and its live alias, with resolved ARNs and the pipeline's tags", () => {
    const desired = desiredOf();
    expect(keys(desired)).toEqual(["iam.role:stepline-p-sfn", "sfn.stateMachine:p", "sfn.alias:live"]);
    const machine = desired.find((d) => d.type === "sfn.stateMachine");
    expect(machine?.properties).toMatchObject({
      name: "p",
      type: "STANDARD",
      roleArn: "arn:aws:iam::111122223333:role/stepline-p-sfn",
      tags: { team: "t", [TAG_PIPELINE]: "p" },
    });
    expect(machine?.dependsOn).toEqual(["iam.role:stepline-p-sfn"]);
    expect(machine?.hash).toBe(contentHash(machine?.properties));
    const role = desired.find((d) => d.type === "iam.role");
    expect(JSON.stringify(role?.properties)).not.toContain("${AWS::");
    expect(role?.properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Principal: { Service: "states.amazonaws.com" },
          Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
        },
      ],
    });
  });

  it("logging adds the log group and the log delivery permissions", () => {
    const desired = desiredOf({ deploy: { logging: { level: "ALL" } } });
    const group = desired.find((d) => d.type === "logs.logGroup");
    expect(group?.name).toBe(logGroupName("p"));
    expect(group?.properties.retentionInDays).toBe(30);
    const policy = JSON.stringify(desired.find((d) => d.type === "iam.role")?.properties.Policies);
    expect(policy).toContain("logs:CreateLogDelivery");
    const machine = desired.find((d) => d.type === "sfn.stateMachine");
    expect(machine?.properties.loggingConfiguration).toEqual({
      level: "ALL",
      includeExecutionData: false,
      destinations: [
        {
          cloudWatchLogsLogGroup: {
            logGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/vendedlogs/states/stepline-p:*",
          },
        },
      ],
    });
    expect(machine?.dependsOn).toContain(group?.key);
  });

  it("a schedule: its role, and the schedule starting the live alias", () => {
    const desired = desiredOf({ schedule: { expression: "rate(1 hour)" } });
    const schedule = desired.find((d) => d.type === "scheduler.schedule");
    expect(schedule?.properties.Target).toMatchObject({
      Arn: "arn:aws:states:eu-west-1:111122223333:stateMachine:p:live",
      RoleArn: "arn:aws:iam::111122223333:role/stepline-p-schedule",
    });
    expect(schedule?.dependsOn).toEqual(["iam.role:stepline-p-schedule", "sfn.alias:live"]);
    const rule = desiredOf({ schedule: { expression: "rate(1 hour)", target: "rule" } }).find(
      (d) => d.type === "events.rule",
    );
    expect(rule?.properties).toMatchObject({ Name: "stepline-p", Tags: { [TAG_PIPELINE]: "p" } });
  });

  it("roles the user gives replace the ones stepline would create", () => {
    const desired = desiredOf({
      schedule: { expression: "rate(1 hour)" },
      deploy: { roles: { stateMachine: "my-sfn-role", schedule: "arn:aws:iam::111122223333:role/sched" } },
    });
    expect(desired.filter((d) => d.type === "iam.role")).toEqual([]);
    expect(desired.find((d) => d.type === "sfn.stateMachine")?.properties.roleArn).toBe(
      "arn:aws:iam::111122223333:role/my-sfn-role",
    );
    expect(
      (desired.find((d) => d.type === "scheduler.schedule")?.properties.Target as { RoleArn: string } | undefined)
        ?.RoleArn,
    ).toBe("arn:aws:iam::111122223333:role/sched");
  });

  it("refuses a role of another account or partition, with the fix", () => {
    for (const [arn, code] of [
      ["arn:aws:iam::999999999999:role/x", "SL_DEPLOY_ROLE_FOREIGN"],
      ["arn:aws-us-gov:iam::111122223333:role/x", "SL_DEPLOY_ROLE_FOREIGN"],
      ["arn:aws:s3:::bucket", "SL_DEPLOY_ROLE_INVALID"],
    ] as const) {
      try {
        desiredOf({ deploy: { roles: { stateMachine: arn } } });
        expect.unreachable();
      } catch (error) {
        expect(isSteplineError(error) && error.code).toBe(code);
      }
    }
  });
});

function current(d: DesiredResource, hash = d.hash, properties = d.properties): CurrentResource {
  return { key: d.key, type: d.type, name: d.name, properties, tags: { [TAG_PIPELINE]: "p", [TAG_HASH]: hash } };
}

describe("buildPlan", () => {
  const queue: DesiredResource = {
    key: "batch.jobQueue:q",
    type: "batch.jobQueue",
    name: "q",
    managed: false,
    properties: { jobQueueName: "q" },
    dependsOn: [],
    hash: "q",
    usedBy: ["a", "b"],
  };
  const desired = [queue, ...desiredOf()];
  const machine = desired.find((d) => d.type === "sfn.stateMachine") as DesiredResource;
  const diff = (d: DesiredResource, c: CurrentResource) =>
    c.tags[TAG_HASH] === d.hash ? [] : diffProperties(d.properties, c.properties);

  it("creates what is missing, in dependency order; a missing reference is a problem with its steps", () => {
    const plan = buildPlan({ pipeline: "p", region: "eu-west-1", desired, current: new Map(), owned: [], diff });
    expect(pendingActions(plan).map((a) => `${a.kind} ${a.key}`)).toEqual([
      "create iam.role:stepline-p-sfn",
      "create sfn.stateMachine:p",
      "create sfn.alias:live",
    ]);
    expect(plan.problems.map((p) => [p.code, p.message])).toEqual([
      ["SL_DEPLOY_MISSING_RESOURCE", "job queue 'q' (used by steps 'a', 'b') does not exist in eu-west-1"],
    ]);
  });

  it("a missing Lambda function given by ARN is looked for in its own region, with the fix", () => {
    const fn: DesiredResource = {
      ...queue,
      key: "lambda.function:arn:aws:lambda:us-west-2:123456789012:function:f",
      type: "lambda.function",
      name: "arn:aws:lambda:us-west-2:123456789012:function:f",
      properties: { FunctionName: "arn:aws:lambda:us-west-2:123456789012:function:f" },
      usedBy: ["notify"],
    };
    const plan = buildPlan({ pipeline: "p", region: "eu-west-1", desired: [fn], current: new Map(), owned: [], diff });
    expect(plan.problems.map((p) => [p.code, p.message])).toEqual([
      [
        "SL_DEPLOY_MISSING_RESOURCE",
        "Lambda function 'arn:aws:lambda:us-west-2:123456789012:function:f' (used by step 'notify') does not exist in us-west-2",
      ],
    ]);
    expect(plan.problems[0]?.fix).toContain("functionName");
    expect(plan.actions).toEqual([]);
  });

  it("unchanged, updated with the changed fields, orphans deleted, foreign resources refused", () => {
    const changed = { ...machine.properties, roleArn: "arn:aws:iam::111122223333:role/old" };
    const all = new Map(desired.map((d) => [d.key, current(d)]));
    all.set(machine.key, current(machine, "old", changed));
    const orphan: CurrentResource = {
      key: "iam.role:stepline-p-schedule",
      type: "iam.role",
      name: "stepline-p-schedule",
      properties: {},
      tags: { [TAG_PIPELINE]: "p" },
    };
    const plan = buildPlan({ pipeline: "p", region: "eu-west-1", desired, current: all, owned: [orphan], diff });
    expect(plan.actions.map((a) => `${a.kind} ${a.key}`)).toEqual([
      "update sfn.stateMachine:p",
      "delete iam.role:stepline-p-schedule",
      "unchanged iam.role:stepline-p-sfn",
      "referenced batch.jobQueue:q",
      "unchanged sfn.alias:live",
    ]);
    expect(plan.actions[0]?.changes).toEqual([
      {
        field: "roleArn",
        from: "arn:aws:iam::111122223333:role/old",
        to: "arn:aws:iam::111122223333:role/stepline-p-sfn",
      },
    ]);
    const role = desired.find((d) => d.type === "iam.role") as DesiredResource;
    all.set(role.key, { ...current(role), tags: { [TAG_PIPELINE]: "someone-else" } });
    const refused = buildPlan({ pipeline: "p", region: "eu-west-1", desired, current: all, owned: [], diff });
    expect(refused.problems.map((p) => p.code)).toEqual(["SL_DEPLOY_NOT_OWNED"]);
    expect(refused.problems[0]?.message).toContain("belongs to pipeline 'someone-else'");
  });
});

describe("diff, order and pinning", () => {
  it("names changed fields by path; empty lists and objects equal absent ones", () => {
    expect(
      diffProperties(
        { a: { b: 1, c: [1, 2] }, d: [], e: {}, definition: { x: 1 } },
        { a: { b: 2, c: [1, 2] }, definition: { x: 2 } },
        { opaque: ["definition"] },
      ),
    ).toEqual([
      { field: "a.b", from: 2, to: 1 },
      { field: "definition", from: { x: 2 }, to: { x: 1 } },
    ]);
  });

  it("apply order puts dependencies first; destroy reverses it", () => {
    const desired = desiredOf({ schedule: { expression: "rate(1 hour)" } });
    expect(keys(applyOrder(desired))).toEqual([
      "iam.role:stepline-p-schedule",
      "iam.role:stepline-p-sfn",
      "sfn.stateMachine:p",
      "sfn.alias:live",
      "scheduler.schedule:stepline-p",
    ]);
    expect(keys(destroyOrder(desired))[0]).toBe("scheduler.schedule:stepline-p");
  });

  it("pins the state machine's job definitions to revisions, and re-hashes the machine and its alias", () => {
    const machine: DesiredResource = {
      key: "sfn.stateMachine:p",
      type: "sfn.stateMachine",
      name: "p",
      managed: true,
      properties: {
        definition: {
          States: { a: { Parameters: { JobDefinition: "jd-a" } }, b: { Parameters: { JobDefinition: "jd-b" } } },
        },
        roleArn: "r",
      },
      dependsOn: [],
      hash: "h",
    };
    const jd = (name: string): DesiredResource => ({
      key: `batch.jobDefinition:${name}`,
      type: "batch.jobDefinition",
      name,
      managed: true,
      properties: {},
      dependsOn: [],
      hash: "x",
    });
    const alias: DesiredResource = {
      key: "sfn.alias:live",
      type: "sfn.alias",
      name: "live",
      managed: true,
      properties: { stateMachine: "p", stateMachineConfig: "old" },
      dependsOn: [],
      hash: "y",
    };
    const pinned = pinJobDefinitions([jd("jd-a"), jd("jd-b"), machine, alias], new Map([["jd-a", "arn:jd-a:3"]]));
    const states = (pinned[2]?.properties.definition as { States: Record<string, { Parameters: unknown }> } | undefined)
      ?.States;
    expect(states?.a?.Parameters).toEqual({ JobDefinition: "arn:jd-a:3" });
    expect(states?.b?.Parameters).toEqual({ JobDefinition: `jd-b${NEW_REVISION}` });
    expect(pinned[2]?.hash).toBe(contentHash(pinned[2]?.properties));
    expect(pinned[3]?.properties.stateMachineConfig).not.toBe("old");
    // A placeholder is pinned once the revision is known.
    const again = pinJobDefinitions(
      pinned,
      new Map([
        ["jd-a", "arn:jd-a:3"],
        ["jd-b", "arn:jd-b:1"],
      ]),
    );
    expect(JSON.stringify(again[2]?.properties.definition)).toContain('"arn:jd-b:1"');
  });

  it("lists the job definition revisions a definition submits to (what a rollback needs ACTIVE)", () => {
    const arn = (n: number) => `arn:aws:batch:eu-west-1:123456789012:job-definition/p-train:${n}`;
    const definition = {
      States: {
        a: { Parameters: { JobDefinition: arn(3) } },
        m: {
          ItemProcessor: {
            States: { b: { Arguments: { JobDefinition: arn(3) } }, c: { Parameters: { JobDefinition: arn(1) } } },
          },
        },
        byName: { Parameters: { JobDefinition: "users-own-definition" } },
        unpinned: { Parameters: { JobDefinition: "arn:aws:batch:eu-west-1:123456789012:job-definition/x" } },
      },
    };
    expect(pinnedRevisions(definition)).toStrictEqual([arn(1), arn(3)]);
    expect(pinnedRevisions(null)).toStrictEqual([]);
  });
});
