import type { StateMachineJson } from "../asl/types.js";
import type { IamStatement } from "../compile/integration.js";
import type { Manifest } from "../compile/result.js";
import { problem, SteplineError } from "../errors/problem.js";
import type { PipelineModel } from "../model/pipeline.js";
import type { JsonValue } from "../model/value.js";
import { batchRoleResources } from "./batch-roles.js";
import { computeResources } from "./compute.js";
import {
  contentHash,
  type DeployResourceType,
  type DeployTarget,
  type DesiredResource,
  LIVE_ALIAS,
  resolveArnTemplates,
  resourceKey,
  stateMachineRoleName,
  TAG_PIPELINE,
} from "./contract.js";
import { resource, role, userRoleArn } from "./role.js";

export { ROLE_POLICY_NAME, userRoleArn } from "./role.js";

/** The types a manifest's `resources` may carry. */
const MANIFEST_TYPES = new Set<string>(["batch.jobDefinition", "batch.jobQueue", "glue.job", "lambda.function"]);

/** Step Functions logs under `/aws/vendedlogs/` so its log delivery does not grow the account's resource policy. */
export function logGroupName(pipeline: string): string {
  return `/aws/vendedlogs/states/stepline-${pipeline}`;
}

/** What the state machine role needs to deliver logs (AWS requires `*` for these actions). */
export const LOG_DELIVERY_STATEMENT: IamStatement = {
  Sid: "StateMachineLogDelivery",
  Effect: "Allow",
  Action: [
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
  ],
  Resource: ["*"],
};

/** Role the Glue jobs stepline creates run as (IAM role names: ≤ 64 characters). */
export function glueRoleName(pipeline: string): string {
  return `stepline-${pipeline}`.slice(0, 59).concat("-glue");
}

/** `s3://bucket/key` → the object's ARN (what the Glue role reads). */
function s3ObjectArn(location: string, partition: string): string | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  return match ? `arn:${partition}:s3:::${match[1]}/${match[2]}` : undefined;
}

/** The compiled pipeline, as `compile` returns it (or as read back from `dist/`). */
export interface CompiledPipeline {
  readonly stateMachine: StateMachineJson;
  readonly manifest: Manifest;
}

/** `arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME` */
export function stateMachineArn(name: string, target: DeployTarget): string {
  return `arn:${target.partition}:states:${target.region}:${target.accountId}:stateMachine:${name}`;
}

/** Tags on everything stepline creates for a pipeline: the pipeline's own, plus `stepline:pipeline`. */
export function pipelineTags(manifest: Manifest): Record<string, string> {
  return { ...manifest.tags, [TAG_PIPELINE]: manifest.pipeline };
}

/**
 * The role of the Glue jobs stepline creates, least privilege: read the
 * jobs' scripts, write Glue's logs and metrics. What a job reads and writes
 * (its data) is the user's to grant. Undefined when the pipeline creates no
 * Glue job.
 */
function glueRole(manifest: Manifest, tags: Record<string, string>, target: DeployTarget): DesiredResource | undefined {
  const jobs = manifest.resources.filter((r) => r.type === "glue.job" && r.managed);
  if (jobs.length === 0) return undefined;
  const scripts = jobs
    .map((j) => (j.properties.Command as { ScriptLocation?: string } | undefined)?.ScriptLocation)
    .flatMap((l) => (l === undefined ? [] : [s3ObjectArn(l, target.partition)]))
    .flatMap((arn) => (arn === undefined ? [] : [arn]));
  const logs = `arn:${target.partition}:logs:${target.region}:${target.accountId}:log-group:/aws-glue/*`;
  const statements: IamStatement[] = [
    ...(scripts.length === 0
      ? []
      : [
          {
            Sid: "ReadJobScripts",
            Effect: "Allow" as const,
            Action: ["s3:GetObject"],
            Resource: [...new Set(scripts)].sort(),
          },
        ]),
    {
      Sid: "WriteJobLogs",
      Effect: "Allow",
      Action: ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [logs, `${logs}:*`],
    },
    { Sid: "WriteJobMetrics", Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: ["*"] },
  ];
  return role(
    glueRoleName(manifest.pipeline),
    "glue.amazonaws.com",
    statements,
    `stepline: runs the Glue jobs of pipeline ${manifest.pipeline}`,
    tags,
    target,
  );
}

/**
 * Everything a pipeline wants on AWS, in AWS API terms, with ARN templates
 * resolved for the target: the resources of the manifest (managed ones
 * created, the others only checked to exist), compute when asked, the roles
 * stepline owns, the log group, the state machine, its `live` alias and the
 * schedule. Pure.
 */
export function desiredResources(
  result: CompiledPipeline,
  model: PipelineModel,
  target: DeployTarget,
): DesiredResource[] {
  const { manifest } = result;
  const pipeline = manifest.pipeline;
  const tags = pipelineTags(manifest);
  const out: DesiredResource[] = [];

  const compute = computeResources(model, manifest, target);
  const computeKeys = new Set(compute.map((r) => r.key));
  out.push(...compute);
  const jobRole = glueRole(manifest, tags, target);
  if (jobRole !== undefined) out.push(jobRole);
  // Refuses a job definition with secrets but no execution role (SL_DEPLOY_BATCH_EXECUTION_ROLE).
  const batch = batchRoleResources(model, manifest, tags, target);
  out.push(...batch.roles);
  const batchRoleKeys = batch.roles.map((r) => r.key);
  for (const spec of manifest.resources) {
    if (!MANIFEST_TYPES.has(spec.type)) continue;
    const type = spec.type as DeployResourceType;
    if (computeKeys.has(resourceKey(type, spec.name))) continue;
    const properties = resolveArnTemplates(spec.properties, target);
    const glueJob = type === "glue.job" && spec.managed && jobRole !== undefined;
    const jobDefinition = type === "batch.jobDefinition" && spec.managed;
    let dependsOn: readonly string[] = [];
    let wanted = properties;
    if (glueJob) {
      wanted = { ...properties, Role: `arn:${target.partition}:iam::${target.accountId}:role/${jobRole.name}` };
      dependsOn = [jobRole.key];
    } else if (jobDefinition && Object.keys(batch.containerProperties).length > 0) {
      const container = (properties.containerProperties ?? {}) as { readonly [key: string]: JsonValue };
      wanted = { ...properties, containerProperties: { ...container, ...batch.containerProperties } };
      dependsOn = batchRoleKeys;
    }
    out.push(resource(type, spec.name, wanted, { managed: spec.managed, usedBy: spec.usedBy, dependsOn }));
  }

  const roles = model.deploy?.roles;
  let smRoleArn: string;
  const smDepends = out.map((r) => r.key);
  const logging = model.deploy?.logging;
  let loggingConfiguration: JsonValue | undefined;
  if (logging !== undefined) {
    const group = resource("logs.logGroup", logGroupName(pipeline), {
      logGroupName: logGroupName(pipeline),
      retentionInDays: logging.retentionDays ?? 30,
      tags,
    });
    out.push(group);
    smDepends.push(group.key);
    loggingConfiguration = {
      level: logging.level,
      includeExecutionData: logging.includeExecutionData ?? false,
      destinations: [
        {
          cloudWatchLogsLogGroup: {
            logGroupArn: `arn:${target.partition}:logs:${target.region}:${target.accountId}:log-group:${logGroupName(pipeline)}:*`,
          },
        },
      ],
    };
  }
  if (roles?.stateMachine !== undefined) {
    smRoleArn = userRoleArn(roles.stateMachine, "deploy.roles.stateMachine", target);
  } else {
    const name = stateMachineRoleName(pipeline);
    const statements = [
      ...manifest.iam.stateMachineRole.statements,
      ...(logging === undefined ? [] : [LOG_DELIVERY_STATEMENT]),
    ];
    const smRole = role(
      name,
      "states.amazonaws.com",
      statements,
      `stepline: runs the state machine of pipeline ${pipeline}`,
      tags,
      target,
    );
    out.push(smRole);
    smDepends.push(smRole.key);
    smRoleArn = `arn:${target.partition}:iam::${target.accountId}:role/${name}`;
  }

  const definition = resolveArnTemplates(result.stateMachine as unknown as JsonValue, target);
  const stateMachine = resource(
    "sfn.stateMachine",
    pipeline,
    {
      name: pipeline,
      type: "STANDARD",
      definition,
      roleArn: smRoleArn,
      ...(loggingConfiguration === undefined ? {} : { loggingConfiguration }),
      tags,
    },
    { dependsOn: smDepends },
  );
  out.push(stateMachine);
  const alias = liveAlias(stateMachine, target);
  out.push(alias);

  const schedule = manifest.schedule;
  if (schedule !== undefined) {
    const scheduleDepends = [alias.key];
    let scheduleRoleArn: string;
    if (roles?.schedule !== undefined) {
      scheduleRoleArn = userRoleArn(roles.schedule, "deploy.roles.schedule", target);
    } else {
      const scheduleRole = role(
        schedule.role.name,
        schedule.role.trustedService,
        schedule.role.statements,
        `stepline: starts runs of pipeline ${pipeline} on its schedule`,
        tags,
        target,
      );
      out.push(scheduleRole);
      scheduleDepends.push(scheduleRole.key);
      scheduleRoleArn = `arn:${target.partition}:iam::${target.accountId}:role/${schedule.role.name}`;
    }
    const compiled = schedule.target;
    if (compiled.kind === "scheduler") {
      const input = resolveArnTemplates(compiled.createSchedule as unknown as JsonValue, target) as {
        readonly [key: string]: JsonValue;
      };
      const targetInput = input.Target as { readonly [key: string]: JsonValue };
      out.push(
        resource(
          "scheduler.schedule",
          compiled.createSchedule.Name,
          { ...input, Target: { ...targetInput, RoleArn: scheduleRoleArn } },
          { dependsOn: scheduleDepends },
        ),
      );
    } else {
      const rule = resolveArnTemplates(compiled.putRule as unknown as JsonValue, target) as {
        readonly [key: string]: JsonValue;
      };
      const targets = resolveArnTemplates(compiled.putTargets.Targets as unknown as JsonValue, target) as readonly {
        readonly [key: string]: JsonValue;
      }[];
      out.push(
        resource(
          "events.rule",
          compiled.putRule.Name,
          { ...rule, Tags: tags, Targets: targets.map((t) => ({ ...t, RoleArn: scheduleRoleArn })) },
          { dependsOn: scheduleDepends },
        ),
      );
    }
  }
  return out;
}

/**
 * The hash of what makes a state machine version (definition, role,
 * logging): the `live` alias records it, so a plan knows whether the alias
 * points at a version of exactly the desired configuration.
 */
export function stateMachineConfigHash(properties: { readonly [key: string]: JsonValue }): string {
  return contentHash({
    definition: properties.definition ?? null,
    roleArn: properties.roleArn ?? null,
    ...(properties.loggingConfiguration === undefined ? {} : { loggingConfiguration: properties.loggingConfiguration }),
  });
}

/** The `live` alias of a desired state machine. */
export function liveAlias(stateMachine: DesiredResource, target: DeployTarget): DesiredResource {
  return resource(
    "sfn.alias",
    LIVE_ALIAS,
    {
      stateMachine: stateMachine.name,
      stateMachineArn: stateMachineArn(stateMachine.name, target),
      stateMachineConfig: stateMachineConfigHash(stateMachine.properties),
    },
    { dependsOn: [stateMachine.key] },
  );
}

/** Problems of a desired set that no AWS call is needed to find (duplicate keys). */
export function checkDesired(resources: readonly DesiredResource[]): void {
  const seen = new Set<string>();
  for (const r of resources) {
    if (seen.has(r.key)) {
      throw new SteplineError([
        problem(
          "SL_DEPLOY_DUPLICATE_RESOURCE",
          `two resources of the pipeline are both named ${r.key}`,
          "rename one of the steps or jobs that produce them",
          { field: r.key },
        ),
      ]);
    }
    seen.add(r.key);
  }
}
