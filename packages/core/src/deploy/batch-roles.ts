import type { IamStatement, ResourceSpec } from "../compile/integration.js";
import type { Manifest } from "../compile/result.js";
import { problem, SteplineError } from "../errors/problem.js";
import type { PipelineModel } from "../model/pipeline.js";
import type { JsonValue } from "../model/value.js";
import type { DeployTarget, DesiredResource } from "./contract.js";
import { role, roleArnOf, userRoleArn } from "./role.js";

/**
 * The Batch job role and execution role (ECS task roles) of the job
 * definitions stepline registers: created and owned by stepline with
 * `deploy.batchRoles: true`, or passed as `deploy.roles.batchJob` /
 * `deploy.roles.batchExecution`. Shared by deploy (desired.ts) and the
 * CloudFormation export, so both give the same roles and permissions.
 */

/** The service Batch's containers (ECS tasks) assume their roles through. */
export const ECS_TASKS_SERVICE = "ecs-tasks.amazonaws.com";

/** Where Batch's default `awslogs` configuration writes a job's output. */
export const BATCH_JOB_LOG_GROUP = "/aws/batch/job";

/** The execution role stepline creates (IAM role names: ≤ 64 characters). */
export function batchExecutionRoleName(pipeline: string): string {
  return `stepline-${pipeline}`.slice(0, 53).concat("-batch-exec");
}

/** The job role stepline creates (IAM role names: ≤ 64 characters). */
export function batchJobRoleName(pipeline: string): string {
  return `stepline-${pipeline}`.slice(0, 54).concat("-batch-job");
}

/** A role of the job definitions: one stepline creates (by name), or the user's (name or ARN, as written). */
export type BatchRole = { readonly create: string } | { readonly user: string };

export interface BatchRoles {
  /** The managed job definitions, which get the roles. */
  readonly jobDefinitions: readonly ResourceSpec[];
  /** Pulls the image, reads the secrets, writes the logs (`executionRoleArn`). */
  readonly execution?: BatchRole;
  /** What the job's code runs as (`jobRoleArn`). */
  readonly job?: BatchRole;
}

type Container = { readonly image?: JsonValue; readonly secrets?: JsonValue };
type Secret = { readonly name: string; readonly valueFrom: string };

function containerOf(definition: ResourceSpec): Container {
  return (definition.properties.containerProperties ?? {}) as Container;
}

function secretsOf(definition: ResourceSpec): readonly Secret[] {
  const secrets = containerOf(definition).secrets;
  return Array.isArray(secrets) ? (secrets as unknown as readonly Secret[]) : [];
}

/**
 * Which roles the pipeline's managed job definitions run with. A job
 * definition that reads secrets cannot run without an execution role
 * (the container agent fetches them before the job starts): that is refused
 * here, before anything is created.
 */
export function batchRoles(model: PipelineModel, manifest: Manifest): BatchRoles {
  const jobDefinitions = manifest.resources.filter((r) => r.type === "batch.jobDefinition" && r.managed);
  if (jobDefinitions.length === 0) return { jobDefinitions };
  const deploy = model.deploy;
  const create = deploy?.batchRoles === true;
  const pick = (user: string | undefined, name: string): BatchRole | undefined =>
    user !== undefined ? { user } : create ? { create: name } : undefined;
  const execution = pick(deploy?.roles?.batchExecution, batchExecutionRoleName(manifest.pipeline));
  const job = pick(deploy?.roles?.batchJob, batchJobRoleName(manifest.pipeline));
  if (execution === undefined) {
    const steps = jobDefinitions.filter((d) => secretsOf(d).length > 0).flatMap((d) => d.usedBy);
    if (steps.length > 0) {
      const list = [...new Set(steps)].sort();
      throw new SteplineError(
        list.map((step) =>
          problem(
            "SL_DEPLOY_BATCH_EXECUTION_ROLE",
            `step '${step}' reads secrets, but its job definition has no execution role to fetch them with: Batch would fail the job before it starts (steps with secrets: ${list.join(", ")})`,
            "set deploy.batchRoles: true so stepline creates an execution role that may read exactly these secrets, or pass your own with deploy.roles.batchExecution (a role trusted by ecs-tasks.amazonaws.com)",
            { step, field: "secrets" },
          ),
        ),
      );
    }
  }
  return {
    jobDefinitions,
    ...(execution === undefined ? {} : { execution }),
    ...(job === undefined ? {} : { job }),
  };
}

/** `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repository>[:tag][@digest]` */
const ECR_IMAGE =
  /^(\d{12}|\$\{AWS::AccountId\})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+|\$\{AWS::Region\})\.amazonaws\.com(?:\.cn)?\/([^@]+?)(?::[\w][\w.-]{0,127})?(?:@[\w:+.-]+)?$/;

/** The ECR repository ARN of an image URI, with `${AWS::Partition}`; undefined for other registries. */
export function ecrRepositoryArn(image: string): string | undefined {
  const match = ECR_IMAGE.exec(image);
  if (!match) return undefined;
  const [, account, region, repository] = match;
  return `arn:\${AWS::Partition}:ecr:${region}:${account}:repository/${repository}`;
}

/**
 * A Secrets Manager `valueFrom` names the secret, maybe followed by
 * `:json-key:version-stage:version-id`; IAM matches the secret's full ARN,
 * which ends in `-` and six random characters that a `valueFrom` often
 * leaves out: both forms are granted.
 */
function secretArns(valueFrom: string): string[] {
  const secret = valueFrom.split(":").slice(0, 7).join(":");
  return [secret, `${secret}-??????`];
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * The execution role's permissions, least privilege, with ARN templates:
 * pull the job definitions' ECR images, write to Batch's log group, read
 * exactly the secrets and parameters the job definitions name. A secret
 * encrypted with a customer managed KMS key also needs `kms:Decrypt` on that
 * key, which stepline cannot see: attach it to the role.
 */
export function batchExecutionStatements(jobDefinitions: readonly ResourceSpec[]): IamStatement[] {
  const images = jobDefinitions.map((d) => containerOf(d).image).filter((i): i is string => typeof i === "string");
  const repositories = sorted(images.flatMap((i) => ecrRepositoryArn(i) ?? []));
  const secrets = jobDefinitions.flatMap(secretsOf).map((s) => s.valueFrom);
  const secretsManager = sorted(secrets.filter((v) => /^arn:[^:]+:secretsmanager:/.test(v)).flatMap(secretArns));
  const parameters = sorted(secrets.filter((v) => /^arn:[^:]+:ssm:/.test(v)));
  const logs = `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${BATCH_JOB_LOG_GROUP}`;
  const statements: IamStatement[] = [];
  if (repositories.length > 0) {
    statements.push(
      // GetAuthorizationToken has no resource to scope to.
      { Sid: "PullImagesToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] },
      {
        Sid: "PullImages",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: repositories,
      },
    );
  }
  statements.push({
    Sid: "WriteJobLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [logs, `${logs}:*`],
  });
  if (secretsManager.length > 0) {
    statements.push({
      Sid: "ReadSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: secretsManager,
    });
  }
  if (parameters.length > 0) {
    statements.push({ Sid: "ReadParameters", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: parameters });
  }
  return statements;
}

/** Descriptions of the roles stepline creates (shown in IAM). */
export function batchRoleDescription(which: "execution" | "job", pipeline: string): string {
  return which === "execution"
    ? `stepline: pulls the images, reads the secrets and writes the logs of the Batch jobs of pipeline ${pipeline}`
    : `stepline: what the Batch jobs of pipeline ${pipeline} run as (no permissions by default: attach what your jobs need)`;
}

/** The roles deploy creates for the job definitions, and the ARNs that go in their `containerProperties`. */
export interface BatchRoleResources {
  readonly roles: readonly DesiredResource[];
  readonly containerProperties: { readonly executionRoleArn?: string; readonly jobRoleArn?: string };
}

/** {@link batchRoles} as desired resources for a deploy target (user roles checked to be of its account). */
export function batchRoleResources(
  model: PipelineModel,
  manifest: Manifest,
  tags: Record<string, string>,
  target: DeployTarget,
): BatchRoleResources {
  const choice = batchRoles(model, manifest);
  const roles: DesiredResource[] = [];
  const arnOf = (which: "execution" | "job", field: string): string | undefined => {
    const chosen = choice[which];
    if (chosen === undefined) return undefined;
    if ("user" in chosen) return userRoleArn(chosen.user, field, target);
    const statements = which === "execution" ? batchExecutionStatements(choice.jobDefinitions) : [];
    const description = batchRoleDescription(which, manifest.pipeline);
    roles.push(role(chosen.create, ECS_TASKS_SERVICE, statements, description, tags, target));
    return roleArnOf(chosen.create, target);
  };
  const executionRoleArn = arnOf("execution", "deploy.roles.batchExecution");
  const jobRoleArn = arnOf("job", "deploy.roles.batchJob");
  return {
    roles,
    containerProperties: {
      ...(executionRoleArn === undefined ? {} : { executionRoleArn }),
      ...(jobRoleArn === undefined ? {} : { jobRoleArn }),
    },
  };
}
