import type { StateMachineJson } from "../asl/types.js";
import type { IamStatement, ResourceSpec } from "../compile/integration.js";
import type { Manifest } from "../compile/result.js";
import type { ScheduleTarget } from "../compile/schedule-target.js";
import type { PipelineModel } from "../model/pipeline.js";
import type { JsonValue } from "../model/value.js";
import {
  type BatchRole,
  batchExecutionStatements,
  batchRoleDescription,
  batchRoles,
  ECS_TASKS_SERVICE,
} from "./batch-roles.js";
import { computeTemplate, INSTANCE_PROFILE_ID, INSTANCE_ROLE_ID } from "./cloudformation-compute.js";
import { type CloudFormationResource, logicalId, pascal, sub, subAll, tagList } from "./cloudformation-values.js";
import { LIVE_ALIAS, stateMachineRoleName, TAG_PIPELINE } from "./contract.js";

export { type CloudFormationResource, logicalId, sub, subAll } from "./cloudformation-values.js";

import { LOG_DELIVERY_STATEMENT, logGroupName, ROLE_POLICY_NAME } from "./desired.js";
import { trustPolicy } from "./role.js";

/**
 * `stepline export cloudformation`: the resources `stepline deploy` creates,
 * as one CloudFormation template (JSON), for teams that deploy through
 * infrastructure as code. Pure: the same pipeline gives the same text.
 *
 * ARN templates of the manifest (`${AWS::Partition}`, `${AWS::Region}`,
 * `${AWS::AccountId}`) become `Fn::Sub`. Referenced resources (job queues,
 * Lambda functions, unmanaged Glue jobs) are already named in the definition
 * and policies; the template lists them under `Metadata`. Managed compute
 * (`deploy.compute`) becomes the same compute environments, job queues and
 * instance role deploy creates. The roles have fixed names, as deploy gives
 * them: create the stack with CAPABILITY_NAMED_IAM.
 */
export interface CloudFormationTemplate {
  readonly AWSTemplateFormatVersion: "2010-09-09";
  readonly Description: string;
  readonly Metadata: { readonly [key: string]: JsonValue };
  readonly Parameters?: { readonly [logicalId: string]: JsonValue };
  readonly Resources: { readonly [logicalId: string]: CloudFormationResource };
  readonly Outputs: { readonly [logicalId: string]: JsonValue };
}

/** Logical ids of the fixed resources. */
export const CFN_IDS = {
  stateMachine: "StateMachine",
  version: "StateMachineVersion",
  alias: "LiveAlias",
  role: "StateMachineRole",
  logGroup: "StateMachineLogGroup",
  scheduleRole: "ScheduleRole",
  schedule: "Schedule",
  rule: "ScheduleRule",
  glueRoleParameter: "GlueJobRoleArn",
  batchExecutionRole: "BatchExecutionRole",
  batchJobRole: "BatchJobRole",
  batchInstanceRole: INSTANCE_ROLE_ID,
  batchInstanceProfile: INSTANCE_PROFILE_ID,
} as const;

function trust(service: string): JsonValue {
  return trustPolicy(service, { Ref: "AWS::AccountId" });
}

function policy(statements: readonly IamStatement[]): JsonValue {
  return {
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      ...(s.Sid === undefined ? {} : { Sid: s.Sid }),
      Effect: s.Effect,
      Action: [...s.Action],
      Resource: s.Resource.map(sub),
    })),
  };
}

/** The role ARNs of the managed job definitions' `ContainerProperties` (as deploy sets them). */
type ContainerRoles = { readonly ExecutionRoleArn?: JsonValue; readonly JobRoleArn?: JsonValue };

function jobDefinition(resource: ResourceSpec, roles: ContainerRoles): CloudFormationResource {
  // `architecture` is a hint for deploy's compute, not an API field.
  const { architecture: _architecture, ...api } = resource.properties;
  const properties = subAll(pascal(api)) as Record<string, JsonValue>;
  const container = (properties.ContainerProperties ?? {}) as Record<string, JsonValue>;
  return {
    Type: "AWS::Batch::JobDefinition",
    Properties:
      Object.keys(roles).length === 0 ? properties : { ...properties, ContainerProperties: { ...container, ...roles } },
  };
}

/** A role passed by name or ARN, as deploy reads it (a name is a role of the stack's account). */
function passedRole(value: string): JsonValue {
  return sub(value.startsWith("arn:") ? value : `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${value}`);
}

/**
 * The Batch roles stepline creates (added to `resources`) or the ones passed,
 * as the ARNs the job definitions carry.
 */
function batchRoleArns(
  model: PipelineModel,
  manifest: Manifest,
  tags: Readonly<Record<string, string>>,
  resources: Record<string, CloudFormationResource>,
): ContainerRoles {
  const choice = batchRoles(model, manifest);
  const arnOf = (which: "execution" | "job", chosen: BatchRole | undefined, id: string): JsonValue | undefined => {
    if (chosen === undefined) return undefined;
    if ("user" in chosen) return passedRole(chosen.user);
    const statements = which === "execution" ? batchExecutionStatements(choice.jobDefinitions) : [];
    resources[id] = {
      Type: "AWS::IAM::Role",
      Properties: {
        RoleName: chosen.create,
        Path: "/",
        Description: batchRoleDescription(which, manifest.pipeline),
        AssumeRolePolicyDocument: trust(ECS_TASKS_SERVICE),
        ...(statements.length === 0
          ? {}
          : { Policies: [{ PolicyName: ROLE_POLICY_NAME, PolicyDocument: policy(statements) }] }),
        Tags: tagList(tags),
      },
    };
    return { "Fn::GetAtt": [id, "Arn"] };
  };
  const execution = arnOf("execution", choice.execution, CFN_IDS.batchExecutionRole);
  const job = arnOf("job", choice.job, CFN_IDS.batchJobRole);
  return {
    ...(execution === undefined ? {} : { ExecutionRoleArn: execution }),
    ...(job === undefined ? {} : { JobRoleArn: job }),
  };
}

function glueJob(resource: ResourceSpec): CloudFormationResource {
  const properties = resource.properties;
  return {
    Type: "AWS::Glue::Job",
    Properties: subAll({
      ...properties,
      Role: properties.Role ?? { Ref: CFN_IDS.glueRoleParameter },
    }) as Record<string, JsonValue>,
  };
}

function scheduleResources(
  target: ScheduleTarget,
  roleArn: JsonValue,
  aliasArn: JsonValue,
): { [logicalId: string]: CloudFormationResource } {
  if (target.kind === "scheduler") {
    const { ActionAfterCompletion: _after, ...input } = target.createSchedule;
    return {
      [CFN_IDS.schedule]: {
        Type: "AWS::Scheduler::Schedule",
        DependsOn: [CFN_IDS.alias],
        Properties: {
          ...(subAll(input as unknown as JsonValue) as Record<string, JsonValue>),
          Target: {
            ...(subAll(input.Target as unknown as JsonValue) as Record<string, JsonValue>),
            Arn: aliasArn,
            RoleArn: roleArn,
          },
        },
      },
    };
  }
  const rule = target.putRule;
  return {
    [CFN_IDS.rule]: {
      Type: "AWS::Events::Rule",
      DependsOn: [CFN_IDS.alias],
      Properties: {
        Name: rule.Name,
        Description: rule.Description,
        ScheduleExpression: rule.ScheduleExpression,
        State: rule.State,
        Targets: target.putTargets.Targets.map((t) => ({
          ...(subAll(t as unknown as JsonValue) as Record<string, JsonValue>),
          Arn: aliasArn,
          RoleArn: roleArn,
        })),
      },
    },
  };
}

function referenced(resources: readonly ResourceSpec[]): JsonValue {
  const out: Record<string, JsonValue> = {};
  for (const r of resources) {
    if (r.managed) continue;
    out[r.type] = [...((out[r.type] as string[] | undefined) ?? []), r.name].sort();
  }
  return out;
}

/** The template for a compiled pipeline. */
export function cloudFormationTemplate(
  stateMachine: StateMachineJson,
  manifest: Manifest,
  model: PipelineModel,
): CloudFormationTemplate {
  const pipeline = manifest.pipeline;
  const tags = { ...manifest.tags, [TAG_PIPELINE]: pipeline };
  const roles = model.deploy?.roles;
  const logging = model.deploy?.logging;
  const resources: Record<string, CloudFormationResource> = {};
  const parameters: Record<string, JsonValue> = {};

  const roleArn: JsonValue =
    roles?.stateMachine === undefined ? { "Fn::GetAtt": [CFN_IDS.role, "Arn"] } : sub(roles.stateMachine);
  if (roles?.stateMachine === undefined) {
    const statements = [
      ...manifest.iam.stateMachineRole.statements,
      ...(logging === undefined ? [] : [LOG_DELIVERY_STATEMENT]),
    ];
    resources[CFN_IDS.role] = {
      Type: "AWS::IAM::Role",
      Properties: {
        RoleName: stateMachineRoleName(pipeline),
        Path: "/",
        Description: `stepline: the role the ${pipeline} state machine runs as`,
        AssumeRolePolicyDocument: trust("states.amazonaws.com"),
        Policies: [{ PolicyName: ROLE_POLICY_NAME, PolicyDocument: policy(statements) }],
        Tags: tagList(tags),
      },
    };
  }
  if (logging !== undefined) {
    resources[CFN_IDS.logGroup] = {
      Type: "AWS::Logs::LogGroup",
      Properties: {
        LogGroupName: logGroupName(pipeline),
        RetentionInDays: logging.retentionDays ?? 30,
        Tags: tagList(tags),
      },
    };
  }

  const containerRoles = batchRoleArns(model, manifest, tags, resources);
  for (const r of manifest.resources) {
    if (!r.managed) continue;
    if (r.type === "batch.jobDefinition")
      resources[logicalId("JobDefinition", r.name)] = jobDefinition(r, containerRoles);
    if (r.type === "glue.job") {
      resources[logicalId("GlueJob", r.name)] = glueJob(r);
      if (r.properties.Role === undefined) {
        parameters[CFN_IDS.glueRoleParameter] = {
          Type: "String",
          Description: "ARN of the role the Glue jobs run as (needs glue service access and the scripts' S3 data).",
          AllowedPattern: "^arn:[a-z-]+:iam::\\d{12}:role/.+$",
        };
      }
    }
  }
  const queues = computeTemplate(model, manifest, resources);
  const jobs = [
    ...Object.keys(resources).filter((id) => id.startsWith("JobDefinition") || id.startsWith("GlueJob")),
    ...queues,
  ].sort();

  const definition = JSON.stringify(stateMachine, null, 2);
  resources[CFN_IDS.stateMachine] = {
    Type: "AWS::StepFunctions::StateMachine",
    ...(jobs.length > 0 ? { DependsOn: jobs } : {}),
    Properties: {
      StateMachineName: pipeline,
      StateMachineType: "STANDARD",
      DefinitionString: sub(definition),
      RoleArn: roleArn,
      ...(logging === undefined
        ? {}
        : {
            LoggingConfiguration: {
              Level: logging.level,
              IncludeExecutionData: logging.includeExecutionData ?? false,
              Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { "Fn::GetAtt": [CFN_IDS.logGroup, "Arn"] } } }],
            },
          }),
      Tags: tagList(tags),
    },
  };
  // StateMachineRevisionId changes with every update: CloudFormation then publishes a new version.
  resources[CFN_IDS.version] = {
    Type: "AWS::StepFunctions::StateMachineVersion",
    Properties: {
      StateMachineArn: { Ref: CFN_IDS.stateMachine },
      StateMachineRevisionId: { "Fn::GetAtt": [CFN_IDS.stateMachine, "StateMachineRevisionId"] },
      Description: `stepline: ${pipeline}`,
    },
  };
  resources[CFN_IDS.alias] = {
    Type: "AWS::StepFunctions::StateMachineAlias",
    Properties: {
      Name: LIVE_ALIAS,
      Description: "stepline: the version schedules and `stepline start` run",
      RoutingConfiguration: [{ StateMachineVersionArn: { Ref: CFN_IDS.version }, Weight: 100 }],
    },
  };

  const schedule = manifest.schedule;
  if (schedule !== undefined) {
    const scheduleRoleArn: JsonValue =
      roles?.schedule === undefined ? { "Fn::GetAtt": [CFN_IDS.scheduleRole, "Arn"] } : sub(roles.schedule);
    if (roles?.schedule === undefined) {
      resources[CFN_IDS.scheduleRole] = {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: schedule.role.name,
          Path: "/",
          Description: `stepline: the role the schedule of ${pipeline} assumes to start runs`,
          AssumeRolePolicyDocument: trust(schedule.role.trustedService),
          Policies: [{ PolicyName: ROLE_POLICY_NAME, PolicyDocument: policy(schedule.role.statements) }],
          Tags: tagList(tags),
        },
      };
    }
    Object.assign(resources, scheduleResources(schedule.target, scheduleRoleArn, { Ref: CFN_IDS.alias }));
  }

  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `stepline pipeline ${pipeline}${manifest.description ? `: ${manifest.description}` : ""}`.slice(
      0,
      1024,
    ),
    Metadata: {
      "stepline:pipeline": pipeline,
      "stepline:referenced": referenced(manifest.resources),
    },
    ...(Object.keys(parameters).length > 0 ? { Parameters: parameters } : {}),
    Resources: sortKeys(resources),
    Outputs: {
      StateMachineArn: { Description: "the state machine", Value: { Ref: CFN_IDS.stateMachine } },
      LiveAliasArn: {
        Description: "the `live` alias that schedules and `stepline start` run",
        Value: { Ref: CFN_IDS.alias },
      },
    },
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
