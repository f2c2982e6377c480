import { describe, expect, it } from "vitest";
import type { StateMachineJson } from "../asl/types.js";
import type { Manifest } from "../compile/result.js";
import { compileSchedule } from "../compile/schedule-target.js";
import type { PipelineModel } from "../model/pipeline.js";
import { testPipeline } from "../testing/model.js";
import { cloudFormationTemplate, logicalId, sub } from "./cloudformation.js";

const definition = {
  StartAt: "run",
  States: {
    run: {
      Type: "Task",
      Resource: "arn:aws:states:::batch:submitJob.sync",
      Parameters: {
        JobQueue: "arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-queue/q",
        "Note.$": "States.Format('${literal} {}', $.x)",
      },
      End: true,
    },
  },
} as unknown as StateMachineJson;

function manifest(extra: Partial<Manifest> = {}): Manifest {
  return {
    pipeline: "tiny",
    tags: { team: "t" },
    queryLanguage: "JSONPath",
    input: { schema: {}, defaults: {}, required: [], types: {} },
    resources: [
      {
        type: "batch.jobDefinition",
        name: "tiny-run",
        usedBy: ["run"],
        managed: true,
        properties: {
          jobDefinitionName: "tiny-run",
          type: "container",
          containerProperties: { image: "busybox", command: [] },
          tags: { "stepline:pipeline": "tiny" },
          parameters: { someKey: "v" },
          architecture: "arm64",
        },
      },
      { type: "batch.jobQueue", name: "q", usedBy: ["run"], managed: false, properties: { jobQueueName: "q" } },
    ],
    iam: {
      stateMachineRole: {
        statements: [
          {
            Sid: "Submit",
            Effect: "Allow",
            Action: ["batch:SubmitJob"],
            Resource: ["arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-queue/q"],
          },
        ],
      },
    },
    report: {} as Manifest["report"],
    ...extra,
  };
}

const model = (extra: Partial<PipelineModel> = {}): PipelineModel => ({ ...testPipeline([]), name: "tiny", ...extra });

describe("cloudFormationTemplate", () => {
  it("Fn::Sub for ARN templates; other `${` escaped", () => {
    expect(sub("arn:${AWS::Partition}:x ${literal}")).toEqual({ "Fn::Sub": "arn:${AWS::Partition}:x ${!literal}" });
    expect(sub("plain ${literal}")).toBe("plain ${literal}");
    expect(logicalId("JobDefinition", "tiny-run_2.x")).toBe("JobDefinitionTinyRun2X");
  });

  it("state machine, version, live alias, role with the manifest's statements, job definition", () => {
    const t = cloudFormationTemplate(definition, manifest(), model());
    expect(Object.keys(t.Resources)).toEqual([
      "JobDefinitionTinyRun",
      "LiveAlias",
      "StateMachine",
      "StateMachineRole",
      "StateMachineVersion",
    ]);
    const sm = t.Resources.StateMachine;
    expect(sm?.DependsOn).toEqual(["JobDefinitionTinyRun"]);
    const text = (sm?.Properties.DefinitionString as { "Fn::Sub": string } | undefined)?.["Fn::Sub"];
    expect(text).toContain('"arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-queue/q"');
    expect(text).toContain("States.Format('${!literal} {}', $.x)");
    expect(sm?.Properties.RoleArn).toEqual({ "Fn::GetAtt": ["StateMachineRole", "Arn"] });
    expect(sm?.Properties.Tags).toEqual([
      { Key: "stepline:pipeline", Value: "tiny" },
      { Key: "team", Value: "t" },
    ]);
    expect(t.Resources.StateMachineRole?.Properties.Policies).toEqual([
      {
        PolicyName: "stepline",
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Submit",
              Effect: "Allow",
              Action: ["batch:SubmitJob"],
              Resource: [{ "Fn::Sub": "arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-queue/q" }],
            },
          ],
        },
      },
    ]);
    expect(t.Resources.JobDefinitionTinyRun?.Properties).toEqual({
      JobDefinitionName: "tiny-run",
      Type: "container",
      ContainerProperties: { Image: "busybox", Command: [] },
      // Map-valued fields keep their keys; `architecture` is not an API field.
      Tags: { "stepline:pipeline": "tiny" },
      Parameters: { someKey: "v" },
    });
    expect(t.Resources.StateMachineVersion?.Properties.StateMachineRevisionId).toEqual({
      "Fn::GetAtt": ["StateMachine", "StateMachineRevisionId"],
    });
    expect(t.Resources.LiveAlias?.Properties.RoutingConfiguration).toEqual([
      { StateMachineVersionArn: { Ref: "StateMachineVersion" }, Weight: 100 },
    ]);
    expect(t.Metadata["stepline:referenced"]).toEqual({ "batch.jobQueue": ["q"] });
  });

  it("passed roles replace the created ones; logging adds the log group; a rule schedule targets the alias", () => {
    const schedule = compileSchedule("tiny", { expression: "rate(1 hour)", target: "rule" });
    const t = cloudFormationTemplate(
      definition,
      manifest({ schedule }),
      model({
        deploy: {
          roles: {
            stateMachine: "arn:aws:iam::123456789012:role/mine",
            schedule: "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/starter",
          },
          logging: { level: "ERROR" },
        },
      }),
    );
    expect(t.Resources.StateMachineRole).toBeUndefined();
    expect(t.Resources.ScheduleRole).toBeUndefined();
    expect(t.Resources.StateMachine?.Properties.RoleArn).toBe("arn:aws:iam::123456789012:role/mine");
    expect(t.Resources.StateMachineLogGroup?.Properties).toMatchObject({
      LogGroupName: "/aws/vendedlogs/states/stepline-tiny",
      RetentionInDays: 30,
    });
    expect(t.Resources.StateMachine?.Properties.LoggingConfiguration).toEqual({
      Level: "ERROR",
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { "Fn::GetAtt": ["StateMachineLogGroup", "Arn"] } } }],
    });
    const rule = t.Resources.ScheduleRule;
    expect(rule?.Type).toBe("AWS::Events::Rule");
    expect(rule?.DependsOn).toEqual(["LiveAlias"]);
    expect(rule?.Properties.Targets).toEqual([
      {
        Id: "stepline-start",
        Arn: { Ref: "LiveAlias" },
        RoleArn: { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/starter" },
        Input: "{}",
      },
    ]);
  });

  it("managed compute: instance role and profile, Spot and on-demand environments, queues in deploy's order", () => {
    const spot = "stepline-tiny-spot-x86_64";
    const onDemand = "stepline-tiny-on-demand-x86_64";
    const queue = (name: string, capacity: string) => ({
      type: "batch.jobQueue" as const,
      name,
      usedBy: ["run"],
      managed: true,
      properties: { jobQueueName: name, capacity, architecture: "x86_64" },
    });
    const compute = { subnets: ["subnet-a"], securityGroups: ["sg-1"], maxVcpus: 64 };
    const t = cloudFormationTemplate(
      definition,
      manifest({ resources: [queue(spot, "spot"), queue(onDemand, "on-demand")] }),
      model({ tags: { team: "t" }, deploy: { compute } }),
    );
    expect(Object.keys(t.Resources).filter((id) => !id.startsWith("StateMachine") && id !== "LiveAlias")).toEqual([
      "BatchInstanceProfile",
      "BatchInstanceRole",
      "ComputeEnvironmentOnDemandX8664",
      "ComputeEnvironmentSpotX8664",
      "JobQueueOnDemandX8664",
      "JobQueueSpotX8664",
    ]);
    expect(t.Resources.BatchInstanceRole?.Properties).toEqual({
      RoleName: "stepline-tiny-batch-ec2",
      Path: "/",
      Description: "stepline: Batch container instances of pipeline tiny",
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      },
      ManagedPolicyArns: [
        { "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role" },
      ],
      Tags: [
        { Key: "stepline:pipeline", Value: "tiny" },
        { Key: "team", Value: "t" },
      ],
    });
    expect(t.Resources.BatchInstanceProfile?.Properties).toEqual({
      InstanceProfileName: "stepline-tiny-batch-ec2",
      Path: "/",
      Roles: [{ Ref: "BatchInstanceRole" }],
    });
    const tags = { "stepline:pipeline": "tiny", team: "t" };
    expect(t.Resources.ComputeEnvironmentSpotX8664).toEqual({
      Type: "AWS::Batch::ComputeEnvironment",
      Properties: {
        ComputeEnvironmentName: spot,
        Type: "MANAGED",
        State: "ENABLED",
        ComputeResources: {
          Type: "SPOT",
          AllocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED",
          MinvCpus: 0,
          MaxvCpus: 64,
          InstanceTypes: ["c6i", "m6i", "r6i", "c6a", "m6a", "r6a", "c5", "m5", "r5"],
          Subnets: ["subnet-a"],
          SecurityGroupIds: ["sg-1"],
          InstanceRole: { "Fn::GetAtt": ["BatchInstanceProfile", "Arn"] },
          Tags: tags,
        },
        Tags: tags,
      },
    });
    expect(t.Resources.ComputeEnvironmentOnDemandX8664?.Properties.ComputeResources).toMatchObject({
      Type: "EC2",
      AllocationStrategy: "BEST_FIT_PROGRESSIVE",
    });
    // The Spot queue tries Spot first, then on-demand; the on-demand queue holds on-demand only.
    expect(t.Resources.JobQueueSpotX8664).toEqual({
      Type: "AWS::Batch::JobQueue",
      Properties: {
        JobQueueName: spot,
        State: "ENABLED",
        Priority: 1,
        ComputeEnvironmentOrder: [
          { Order: 1, ComputeEnvironment: { Ref: "ComputeEnvironmentSpotX8664" } },
          { Order: 2, ComputeEnvironment: { Ref: "ComputeEnvironmentOnDemandX8664" } },
        ],
        Tags: tags,
      },
    });
    expect(t.Resources.JobQueueOnDemandX8664?.Properties.ComputeEnvironmentOrder).toEqual([
      { Order: 1, ComputeEnvironment: { Ref: "ComputeEnvironmentOnDemandX8664" } },
    ]);
    expect(t.Resources.StateMachine?.DependsOn).toEqual(["JobQueueOnDemandX8664", "JobQueueSpotX8664"]);
    expect(t.Metadata["stepline:referenced"]).toEqual({});

    // A configured instance profile is passed by ARN, and no role or profile is created.
    const passed = cloudFormationTemplate(
      definition,
      manifest({ resources: [queue(spot, "spot"), queue(onDemand, "on-demand")] }),
      model({ deploy: { compute: { ...compute, instanceProfile: "my-profile" } } }),
    );
    expect(passed.Resources.BatchInstanceRole).toBeUndefined();
    expect(passed.Resources.BatchInstanceProfile).toBeUndefined();
    expect(passed.Resources.ComputeEnvironmentSpotX8664?.Properties.ComputeResources).toMatchObject({
      InstanceRole: { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:instance-profile/my-profile" },
    });
  });

  it("is deterministic", () => {
    const a = JSON.stringify(cloudFormationTemplate(definition, manifest(), model()));
    expect(JSON.stringify(cloudFormationTemplate(definition, manifest(), model()))).toBe(a);
  });
});
