import type { IamStatement } from "../compile/integration.js";
import { SteplineError } from "../errors/problem.js";
import type { JsonValue } from "../model/value.js";
import {
  contentHash,
  type DeployResourceType,
  type DeployTarget,
  type DesiredResource,
  resolveArnTemplates,
  resourceKey,
} from "./contract.js";

/** Name of the inline policy stepline puts on the roles it owns. */
export const ROLE_POLICY_NAME = "stepline";

/** A desired resource: its key, sorted dependencies and content hash. */
export function resource(
  type: DeployResourceType,
  name: string,
  properties: { readonly [key: string]: JsonValue },
  options: { managed?: boolean; dependsOn?: readonly string[]; usedBy?: readonly string[] } = {},
): DesiredResource {
  return {
    key: resourceKey(type, name),
    type,
    name,
    managed: options.managed ?? true,
    properties,
    dependsOn: [...new Set(options.dependsOn ?? [])].sort(),
    hash: contentHash(properties),
    ...(options.usedBy === undefined ? {} : { usedBy: options.usedBy }),
  };
}

/**
 * A role's trust policy: `service` may assume it, for resources of `account` only
 * (confused deputy). `account` is the account id, or CloudFormation's `{ Ref: "AWS::AccountId" }`.
 */
export function trustPolicy(service: string, account: JsonValue): JsonValue {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        // Only this account's resources (state machines, schedules, jobs) may assume it (confused deputy).
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
    ],
  };
}

function policyDocument(statements: readonly IamStatement[], target: DeployTarget): JsonValue {
  const plain = statements.map((s) => ({ ...s, Action: [...s.Action], Resource: [...s.Resource] }));
  return resolveArnTemplates({ Version: "2012-10-17", Statement: plain } as JsonValue, target);
}

/**
 * A role stepline owns, trusted by `service` of the deploy's account, with
 * `statements` as its inline policy {@link ROLE_POLICY_NAME} (none when there
 * are no statements: IAM refuses an empty policy).
 */
export function role(
  name: string,
  service: string,
  statements: readonly IamStatement[],
  description: string,
  tags: Record<string, string>,
  target: DeployTarget,
  managedPolicyArns?: readonly string[],
): DesiredResource {
  return resource("iam.role", name, {
    RoleName: name,
    Path: "/",
    Description: description,
    AssumeRolePolicyDocument: trustPolicy(service, target.accountId),
    Policies: statements.length === 0 ? {} : { [ROLE_POLICY_NAME]: policyDocument(statements, target) },
    ...(managedPolicyArns === undefined ? {} : { ManagedPolicyArns: [...managedPolicyArns].sort() }),
    Tags: tags,
  });
}

/** The ARN of a role of the deploy's account. */
export function roleArnOf(name: string, target: DeployTarget): string {
  return `arn:${target.partition}:iam::${target.accountId}:role/${name}`;
}

/**
 * A role the user passes (name or ARN) as an ARN of the deploy's account;
 * a role of another account or partition cannot be passed to Step Functions
 * or Scheduler, so it is refused before anything is created.
 */
export function userRoleArn(value: string, field: string, target: DeployTarget): string {
  if (!value.startsWith("arn:")) {
    if (!/^[\w+=,.@/-]{1,64}$/.test(value)) {
      throw SteplineError.of(
        "SL_DEPLOY_ROLE_INVALID",
        `${field} '${value}' is neither a role name nor a role ARN`,
        `give the role's ARN, e.g. arn:${target.partition}:iam::${target.accountId}:role/my-role`,
        { field },
      );
    }
    return `arn:${target.partition}:iam::${target.accountId}:role/${value}`;
  }
  const match = /^arn:([\w-]+):iam::(\d{12}):role\/[\w+=,.@/-]+$/.exec(value);
  if (!match) {
    throw SteplineError.of(
      "SL_DEPLOY_ROLE_INVALID",
      `${field} '${value}' is not an IAM role ARN`,
      `write it like arn:${target.partition}:iam::${target.accountId}:role/my-role`,
      { field },
    );
  }
  const [, partition, account] = match;
  if (partition !== target.partition || account !== target.accountId) {
    throw SteplineError.of(
      "SL_DEPLOY_ROLE_FOREIGN",
      `${field} '${value}' belongs to ${partition !== target.partition ? `partition '${partition}'` : `account ${account}`}, but this deploy goes to account ${target.accountId} in partition '${target.partition}' (${target.region}): AWS only passes roles of the same account`,
      `use a role of account ${target.accountId}, deploy with credentials of account ${account} instead, or leave ${field} out so stepline creates a least-privilege role`,
      { field },
    );
  }
  return value;
}
