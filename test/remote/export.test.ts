import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cloudFormationTemplate, type PipelineModel } from "@stepline/core";
import { describe, expect, it } from "vitest";
import nightlyEtl from "../../examples/nightly-etl/pipeline.js";
import partitionFanout from "../../examples/partition-fanout/pipeline.js";
import spotTraining from "../../examples/spot-training/pipeline.js";
import { stackFrame, stepline } from "../cli/run.js";
import { expectValidAsl } from "../helpers/asl.js";
import { compileExample } from "../helpers/examples.js";

/**
 * `stepline export cloudformation` for every example. cfn-lint cannot be
 * installed here (no PyPI), so every property is checked against an explicit
 * allow-list per resource type, taken from the CloudFormation resource
 * reference (top-level properties, plus the nested shapes stepline writes).
 */
const ALLOWED: Record<string, readonly string[]> = {
  "AWS::StepFunctions::StateMachine": [
    "Definition",
    "DefinitionS3Location",
    "DefinitionString",
    "DefinitionSubstitutions",
    "EncryptionConfiguration",
    "LoggingConfiguration",
    "RoleArn",
    "StateMachineName",
    "StateMachineType",
    "Tags",
    "TracingConfiguration",
  ],
  "AWS::StepFunctions::StateMachineVersion": ["Description", "StateMachineArn", "StateMachineRevisionId"],
  "AWS::StepFunctions::StateMachineAlias": ["DeploymentPreference", "Description", "Name", "RoutingConfiguration"],
  "AWS::IAM::Role": [
    "AssumeRolePolicyDocument",
    "Description",
    "ManagedPolicyArns",
    "MaxSessionDuration",
    "Path",
    "PermissionsBoundary",
    "Policies",
    "RoleName",
    "Tags",
  ],
  "AWS::Logs::LogGroup": [
    "DataProtectionPolicy",
    "KmsKeyId",
    "LogGroupClass",
    "LogGroupName",
    "RetentionInDays",
    "Tags",
  ],
  "AWS::Batch::JobDefinition": [
    "ContainerProperties",
    "EcsProperties",
    "EksProperties",
    "JobDefinitionName",
    "NodeProperties",
    "Parameters",
    "PlatformCapabilities",
    "PropagateTags",
    "RetryStrategy",
    "SchedulingPriority",
    "Tags",
    "Timeout",
    "Type",
  ],
  "AWS::Glue::Job": [
    "AllocatedCapacity",
    "Command",
    "Connections",
    "DefaultArguments",
    "Description",
    "ExecutionClass",
    "ExecutionProperty",
    "GlueVersion",
    "JobMode",
    "LogUri",
    "MaintenanceWindow",
    "MaxCapacity",
    "MaxRetries",
    "Name",
    "NonOverridableArguments",
    "NotificationProperty",
    "NumberOfWorkers",
    "Role",
    "SecurityConfiguration",
    "Tags",
    "Timeout",
    "WorkerType",
  ],
  "AWS::Scheduler::Schedule": [
    "Description",
    "EndDate",
    "FlexibleTimeWindow",
    "GroupName",
    "KmsKeyArn",
    "Name",
    "ScheduleExpression",
    "ScheduleExpressionTimezone",
    "StartDate",
    "State",
    "Target",
  ],
  "AWS::IAM::InstanceProfile": ["InstanceProfileName", "Path", "Roles"],
  "AWS::Batch::ComputeEnvironment": [
    "ComputeEnvironmentName",
    "ComputeResources",
    "Context",
    "EksConfiguration",
    "ReplaceComputeEnvironment",
    "ServiceRole",
    "State",
    "Tags",
    "Type",
    "UnmanagedvCpus",
    "UpdatePolicy",
  ],
  "AWS::Batch::JobQueue": [
    "ComputeEnvironmentOrder",
    "JobQueueName",
    "JobQueueType",
    "JobStateTimeLimitActions",
    "Priority",
    "SchedulingPolicyArn",
    "State",
    "Tags",
  ],
  "AWS::Events::Rule": [
    "Description",
    "EventBusName",
    "EventPattern",
    "Name",
    "RoleArn",
    "ScheduleExpression",
    "State",
    "Targets",
  ],
};

/** Nested shapes: property path → allowed keys. */
const NESTED: Record<string, readonly string[]> = {
  "AWS::Batch::JobDefinition.ContainerProperties": [
    "Command",
    "Environment",
    "ExecutionRoleArn",
    "Image",
    "InstanceType",
    "JobRoleArn",
    "LinuxParameters",
    "LogConfiguration",
    "MountPoints",
    "Privileged",
    "ReadonlyRootFilesystem",
    "ResourceRequirements",
    "RuntimePlatform",
    "Secrets",
    "Ulimits",
    "User",
    "Volumes",
  ],
  "AWS::Batch::JobDefinition.RetryStrategy": ["Attempts", "EvaluateOnExit"],
  "AWS::Batch::JobDefinition.Timeout": ["AttemptDurationSeconds"],
  "AWS::Glue::Job.Command": ["Name", "PythonVersion", "Runtime", "ScriptLocation"],
  "AWS::Scheduler::Schedule.Target": [
    "Arn",
    "DeadLetterConfig",
    "EcsParameters",
    "EventBridgeParameters",
    "Input",
    "KinesisParameters",
    "RetryPolicy",
    "RoleArn",
    "SageMakerPipelineParameters",
    "SqsParameters",
  ],
  "AWS::Scheduler::Schedule.FlexibleTimeWindow": ["MaximumWindowInMinutes", "Mode"],
  "AWS::Batch::ComputeEnvironment.ComputeResources": [
    "AllocationStrategy",
    "BidPercentage",
    "DesiredvCpus",
    "Ec2Configuration",
    "Ec2KeyPair",
    "ImageId",
    "InstanceRole",
    "InstanceTypes",
    "LaunchTemplate",
    "MaxvCpus",
    "MinvCpus",
    "PlacementGroup",
    "SecurityGroupIds",
    "SpotIamFleetRole",
    "Subnets",
    "Tags",
    "Type",
    "UpdateToLatestImageVersion",
  ],
};

const examples: [string, PipelineModel][] = [
  ["nightly-etl", nightlyEtl],
  ["partition-fanout", partitionFanout],
  ["spot-training", spotTraining],
];

type Template = ReturnType<typeof cloudFormationTemplate>;

function expectKnownProperties(template: Template): void {
  for (const [id, resource] of Object.entries(template.Resources)) {
    expect(/^[A-Za-z0-9]+$/.test(id), id).toBe(true);
    const allowed = ALLOWED[resource.Type];
    expect(allowed, `${id}: ${resource.Type}`).toBeDefined();
    for (const key of Object.keys(resource.Properties)) expect(allowed, `${id}.${key}`).toContain(key);
    for (const [path, keys] of Object.entries(NESTED)) {
      const [type, property] = path.split(".") as [string, string];
      const value = resource.Type === type ? resource.Properties[property] : undefined;
      if (value === undefined) continue;
      for (const key of Object.keys(value as object)) expect(keys, `${id}.${property}.${key}`).toContain(key);
    }
  }
}

/** Every `Ref` / `Fn::GetAtt` names a resource, a parameter or a pseudo parameter. */
function expectResolvableReferences(template: Template): void {
  const ids = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters ?? {})]);
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") {
      const o = value as Record<string, unknown>;
      if (typeof o.Ref === "string" && !o.Ref.startsWith("AWS::")) expect(ids).toContain(o.Ref);
      if (Array.isArray(o["Fn::GetAtt"])) expect(ids).toContain(o["Fn::GetAtt"][0]);
      Object.values(o).forEach(walk);
    }
  };
  walk(template.Resources);
  walk(template.Outputs);
  for (const resource of Object.values(template.Resources)) {
    for (const dep of resource.DependsOn ?? []) expect(ids).toContain(dep);
  }
}

describe("stepline export cloudformation", () => {
  it.each(examples)("%s: known resource types, logical ids and properties", (_folder, model) => {
    const result = compileExample(model);
    const template = cloudFormationTemplate(result.stateMachine, result.manifest, model);
    expectKnownProperties(template);
    expectResolvableReferences(template);
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types).toContain("AWS::StepFunctions::StateMachine");
    expect(types).toContain("AWS::StepFunctions::StateMachineVersion");
    expect(types).toContain("AWS::StepFunctions::StateMachineAlias");
    expect(template.Resources.StateMachineRole?.Type).toBe("AWS::IAM::Role");
    expect(template.Resources.LiveAlias?.Properties.Name).toBe("live");
    // One job definition / Glue job per managed resource of the manifest, same names.
    const managed = result.manifest.resources.filter((r) => r.managed);
    const named = Object.values(template.Resources).flatMap((r) => {
      const name = r.Properties.JobDefinitionName ?? (r.Type === "AWS::Glue::Job" ? r.Properties.Name : undefined);
      return typeof name === "string" ? [name] : [];
    });
    expect(named.sort()).toEqual(managed.map((r) => r.name).sort());
    // The definition itself, once the pseudo parameters are substituted, is the compiled ASL.
    const definition = template.Resources.StateMachine?.Properties.DefinitionString;
    const text = typeof definition === "string" ? definition : (definition as { "Fn::Sub": string })["Fn::Sub"];
    const substituted = text
      .replaceAll("${AWS::Partition}", "aws")
      .replaceAll("${AWS::Region}", "eu-west-1")
      .replaceAll("${AWS::AccountId}", "123456789012")
      .replaceAll("${!", "${");
    expectValidAsl(JSON.parse(substituted));
    // A schedule, when the pipeline has one, targets the alias with its own role.
    if (result.manifest.schedule !== undefined) {
      const schedule = template.Resources.Schedule ?? template.Resources.ScheduleRule;
      expect(schedule).toBeDefined();
      expect(template.Resources.ScheduleRole?.Type).toBe("AWS::IAM::Role");
    }
  });

  it.each(examples)("%s with deploy.compute: the compute deploy would create", (_folder, example) => {
    const model: PipelineModel = {
      ...example,
      deploy: { ...example.deploy, compute: { subnets: ["subnet-a"], securityGroups: ["sg-1"] } },
    };
    const result = compileExample(model);
    const template = cloudFormationTemplate(result.stateMachine, result.manifest, model);
    expectKnownProperties(template);
    expectResolvableReferences(template);
    const queues = result.manifest.resources.filter((r) => r.type === "batch.jobQueue" && r.managed);
    const made = Object.values(template.Resources).filter((r) => r.Type === "AWS::Batch::JobQueue");
    expect(made.map((r) => r.Properties.JobQueueName).sort()).toEqual(queues.map((q) => q.name).sort());
    if (queues.length === 0) return;
    // Every queue the state machine submits to is in the stack, before the state machine.
    expect(template.Resources.StateMachine?.DependsOn).toEqual(
      expect.arrayContaining(Object.keys(template.Resources).filter((id) => id.startsWith("JobQueue"))),
    );
    for (const queue of made) {
      for (const entry of queue.Properties.ComputeEnvironmentOrder as { ComputeEnvironment: { Ref: string } }[])
        expect(template.Resources[entry.ComputeEnvironment.Ref]?.Type).toBe("AWS::Batch::ComputeEnvironment");
    }
    expect(template.Resources.BatchInstanceProfile?.Type).toBe("AWS::IAM::InstanceProfile");
  });

  it("writes the template with -o, and prints the command to deploy it", () => {
    const out = mkdtempSync(join(tmpdir(), "stepline-cfn-"));
    try {
      const file = join(out, "nested", "template.json");
      const run = stepline(["export", "cloudformation", "examples/nightly-etl/pipeline.ts", "-o", file]);
      expect(run.stderr).not.toContain(stackFrame);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain("exported nightly-sales-etl to");
      expect(run.stdout).toContain("--capabilities CAPABILITY_NAMED_IAM");
      expect(run.stdout).toContain("--parameter-overrides GlueJobRoleArn=<role ARN>");
      const template = JSON.parse(readFileSync(file, "utf8")) as Template;
      expect(Object.keys(template.Resources).sort()).toEqual([
        "BatchExecutionRole",
        "BatchJobRole",
        "GlueJobNightlySalesEtlRefreshCustomerDim",
        "GlueJobNightlySalesEtlTransformOrders",
        "JobDefinitionNightlySalesEtlExtractCustomers",
        "JobDefinitionNightlySalesEtlExtractOrders",
        "JobDefinitionNightlySalesEtlLoadWarehouse",
        "LiveAlias",
        "Schedule",
        "ScheduleRole",
        "StateMachine",
        "StateMachineRole",
        "StateMachineVersion",
      ]);
      // deploy.batchRoles: the roles deploy creates, and every job definition runs with them.
      expect(template.Resources.BatchExecutionRole?.Properties).toMatchObject({
        RoleName: "stepline-nightly-sales-etl-batch-exec",
        AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: "ecs-tasks.amazonaws.com" } }] },
      });
      expect(JSON.stringify(template.Resources.BatchExecutionRole?.Properties.Policies)).toContain(
        "arn:aws:ssm:eu-west-1:123456789012:parameter/warehouse/loader-password",
      );
      expect(template.Resources.BatchJobRole?.Properties.Policies).toBeUndefined();
      for (const [id, r] of Object.entries(template.Resources)) {
        if (r.Type !== "AWS::Batch::JobDefinition") continue;
        expect(r.Properties.ContainerProperties, id).toMatchObject({
          ExecutionRoleArn: { "Fn::GetAtt": ["BatchExecutionRole", "Arn"] },
          JobRoleArn: { "Fn::GetAtt": ["BatchJobRole", "Arn"] },
        });
      }
      // stdout without -o is the same JSON.
      const stdout = stepline(["export", "cloudformation", "examples/nightly-etl/pipeline.ts"]);
      expect(JSON.parse(stdout.stdout)).toEqual(template);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
