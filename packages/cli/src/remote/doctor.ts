import type { DeployTarget, IamStatement, Manifest, PipelineModel } from "@stepline/core";
import type { AwsContext } from "@stepline/runners/deploy";
import { guarded } from "../deploy/connect.js";
import { evaluate, type PolicyDocument, parsePolicy, trusts } from "./policy.js";

/** One line of `stepline doctor`. */
export interface Check {
  readonly name: string;
  /** `skip`: nothing to check, or it cannot be checked here. */
  readonly status: "ok" | "fail" | "skip";
  readonly detail: string;
  readonly fix?: string;
}

const ok = (name: string, detail: string): Check => ({ name, status: "ok", detail });
const skip = (name: string, detail: string): Check => ({ name, status: "skip", detail });
const fail = (name: string, detail: string, fix: string): Check => ({ name, status: "fail", detail, fix });

/** A role the user passed: exists, trusts the service, and its policies allow every statement. */
export async function checkRole(
  aws: AwsContext,
  label: string,
  field: string,
  value: string,
  service: string,
  statements: readonly IamStatement[],
  target: DeployTarget,
): Promise<Check[]> {
  const { userRoleArn, resolveArnTemplates, isSteplineError } = await import("@stepline/core");
  let arn: string;
  try {
    arn = userRoleArn(value, field, target);
  } catch (error) {
    if (!isSteplineError(error)) throw error;
    const p = error.problems[0];
    return [fail(label, p?.message ?? error.message, p?.fix ?? "")];
  }
  const roleName = arn.slice(arn.lastIndexOf("/") + 1);
  const iam = await aws.client("iam");
  const sdk = await aws.sdk("iam");
  const { isError } = await import("@stepline/runners/deploy");
  const role = await guarded(aws, `reading role ${roleName}`, () =>
    iam.send(new sdk.GetRoleCommand({ RoleName: roleName })).catch((error: unknown) => {
      if (isError(error, "NoSuchEntityException")) return undefined;
      throw error;
    }),
  );
  if (role?.Role === undefined) {
    return [
      fail(
        label,
        `role ${roleName} (${field}) does not exist in account ${target.accountId}`,
        `create it, fix ${field}, or leave ${field} out so \`stepline deploy\` creates a least-privilege role`,
      ),
    ];
  }
  const checks: Check[] = [ok(label, `${arn} exists`)];
  const trust = parsePolicy(role.Role.AssumeRolePolicyDocument);
  checks.push(
    trusts(trust, service)
      ? ok(`${label} trust`, `${service} may assume it`)
      : fail(
          `${label} trust`,
          `the trust policy of ${roleName} does not let ${service} assume it`,
          `set its trust policy to: ${JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
          })}`,
        ),
  );
  const resolved = resolveArnTemplates(
    statements.map((s) => ({ Action: [...s.Action], Resource: [...s.Resource] })),
    target,
  ) as { Action: string[]; Resource: string[] }[];
  const missing = await missingPermissions(aws, arn, roleName, resolved);
  if (missing.kind === "unknown") {
    checks.push(skip(`${label} permissions`, missing.reason));
  } else if (missing.pairs.length === 0) {
    const actions = new Set(resolved.flatMap((s) => s.Action)).size;
    checks.push(
      ok(
        `${label} permissions`,
        `allows all ${actions} action${actions === 1 ? "" : "s"} the pipeline needs (${missing.how})${missing.conditional ? "; some through Allow statements with conditions, not evaluated" : ""}`,
      ),
    );
  } else {
    const byResource = new Map<string, Set<string>>();
    for (const [action, resource] of missing.pairs) {
      byResource.set(resource, (byResource.get(resource) ?? new Set()).add(action));
    }
    // Group resources needing the same actions into one statement.
    const grouped = new Map<string, string[]>();
    for (const [resource, actions] of byResource) {
      const key = [...actions].sort().join(",");
      grouped.set(key, [...(grouped.get(key) ?? []), resource]);
    }
    const statement = [...grouped.entries()].map(([actions, resources]) => ({
      Effect: "Allow",
      Action: actions.split(","),
      Resource: resources.sort(),
    }));
    const shown = missing.pairs
      .slice(0, 6)
      .map(([a, r]) => `${a} on ${r}`)
      .join("; ");
    checks.push(
      fail(
        `${label} permissions`,
        `${roleName} lacks ${missing.pairs.length} permission${missing.pairs.length === 1 ? "" : "s"}: ${shown}${missing.pairs.length > 6 ? "; …" : ""} (${missing.how})`,
        `add to ${roleName} a policy with: ${JSON.stringify({ Version: "2012-10-17", Statement: statement })}`,
      ),
    );
  }
  return checks;
}

type Missing =
  | { kind: "known"; pairs: [string, string][]; how: string; conditional: boolean }
  | { kind: "unknown"; reason: string };

/**
 * The action/resource pairs the role is not allowed: by
 * iam:SimulatePrincipalPolicy when it answers, else by reading the role's
 * inline and attached policies.
 */
async function missingPermissions(
  aws: AwsContext,
  arn: string,
  roleName: string,
  statements: readonly { Action: string[]; Resource: string[] }[],
): Promise<Missing> {
  const simulated = await simulate(aws, arn, statements).catch(() => undefined);
  if (simulated !== undefined)
    return { kind: "known", pairs: simulated, how: "iam:SimulatePrincipalPolicy", conditional: false };
  let documents: PolicyDocument[];
  try {
    documents = await rolePolicies(aws, roleName);
  } catch (error) {
    return { kind: "unknown", reason: `cannot read the policies of ${roleName}: ${(error as Error).message}` };
  }
  const pairs: [string, string][] = [];
  let conditional = false;
  for (const s of statements) {
    for (const action of s.Action) {
      for (const resource of s.Resource) {
        const e = evaluate(documents, action, resource);
        if (e.decision !== "allowed") pairs.push([action, resource]);
        conditional ||= e.conditional;
      }
    }
  }
  return { kind: "known", pairs, how: "read from the role's policies", conditional };
}

async function simulate(
  aws: AwsContext,
  arn: string,
  statements: readonly { Action: string[]; Resource: string[] }[],
): Promise<[string, string][]> {
  const iam = await aws.client("iam");
  const { SimulatePrincipalPolicyCommand } = await aws.sdk("iam");
  const pairs: [string, string][] = [];
  for (const s of statements) {
    let marker: string | undefined;
    do {
      const page = await iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: arn,
          ActionNames: s.Action,
          ResourceArns: s.Resource,
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      );
      for (const r of page.EvaluationResults ?? []) {
        const action = r.EvalActionName ?? "";
        const specific = r.ResourceSpecificResults ?? [];
        if (specific.length > 0) {
          for (const x of specific) {
            if (x.EvalResourceDecision !== "allowed") pairs.push([action, x.EvalResourceName ?? ""]);
          }
        } else if (r.EvalDecision !== "allowed") {
          pairs.push([action, r.EvalResourceName ?? "*"]);
        }
      }
      marker = page.IsTruncated === true ? page.Marker : undefined;
    } while (marker !== undefined);
  }
  return pairs;
}

async function rolePolicies(aws: AwsContext, roleName: string): Promise<PolicyDocument[]> {
  const iam = await aws.client("iam");
  const sdk = await aws.sdk("iam");
  const documents: PolicyDocument[] = [];
  const inline = await iam.send(new sdk.ListRolePoliciesCommand({ RoleName: roleName }));
  for (const name of inline.PolicyNames ?? []) {
    const p = await iam.send(new sdk.GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    documents.push(parsePolicy(p.PolicyDocument));
  }
  const attached = await iam.send(new sdk.ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  for (const a of attached.AttachedPolicies ?? []) {
    if (a.PolicyArn === undefined) continue;
    const p = await iam.send(new sdk.GetPolicyCommand({ PolicyArn: a.PolicyArn }));
    const version = p.Policy?.DefaultVersionId;
    if (version === undefined) continue;
    const v = await iam.send(new sdk.GetPolicyVersionCommand({ PolicyArn: a.PolicyArn, VersionId: version }));
    documents.push(parsePolicy(v.PolicyVersion?.Document));
  }
  return documents;
}

/** Job queues, Glue jobs and Lambda functions the pipeline references (not created by deploy) exist and are usable. */
export async function checkReferenced(aws: AwsContext, manifest: Manifest, model: PipelineModel): Promise<Check[]> {
  const checks: Check[] = [];
  const queues = manifest.resources.filter((r) => r.type === "batch.jobQueue" && !r.managed).map((r) => r.name);
  if (queues.length > 0 && model.deploy?.compute !== undefined) {
    checks.push(skip("job queues", `${queues.join(", ")}: created by \`stepline deploy\` (deploy.compute)`));
  } else if (queues.length > 0) {
    const batch = await aws.client("batch");
    const { DescribeJobQueuesCommand } = await aws.sdk("batch");
    const found = await guarded(aws, "describing the job queues", () =>
      batch.send(new DescribeJobQueuesCommand({ jobQueues: queues })),
    );
    for (const name of queues) {
      const q = (found.jobQueues ?? []).find((x) => x.jobQueueName === name || x.jobQueueArn === name);
      if (q === undefined) {
        checks.push(
          fail(
            `job queue ${name}`,
            "does not exist",
            "create it (or let stepline manage compute with `deploy.compute`), or point the step's `jobQueue` at an existing queue",
          ),
        );
      } else if (q.state !== "ENABLED" || (q.status !== undefined && q.status !== "VALID")) {
        checks.push(
          fail(
            `job queue ${name}`,
            `is ${q.state ?? "?"} / ${q.status ?? "?"}${q.statusReason ? ` (${q.statusReason})` : ""}`,
            "enable it and fix its compute environments",
          ),
        );
      } else {
        checks.push(ok(`job queue ${name}`, "exists and is enabled"));
      }
    }
  }
  const glueJobs = manifest.resources.filter((r) => r.type === "glue.job" && !r.managed).map((r) => r.name);
  if (glueJobs.length > 0) {
    const glue = await aws.client("glue");
    const { GetJobCommand } = await aws.sdk("glue");
    const { isError } = await import("@stepline/runners/deploy");
    for (const name of glueJobs) {
      const job = await guarded(aws, `reading Glue job ${name}`, () =>
        glue.send(new GetJobCommand({ JobName: name })).catch((error: unknown) => {
          if (isError(error, "EntityNotFoundException")) return undefined;
          throw error;
        }),
      );
      checks.push(
        job?.Job === undefined
          ? fail(
              `Glue job ${name}`,
              "does not exist",
              "create the job, or give the step a `scriptLocation` so stepline creates it",
            )
          : ok(`Glue job ${name}`, "exists"),
      );
    }
  }
  const functions = manifest.resources.filter((r) => r.type === "lambda.function");
  if (functions.length > 0) {
    const { readFunction } = await import("@stepline/runners/deploy");
    for (const { name, usedBy } of functions) {
      // The same GetFunction as plan and deploy (in the region an ARN names).
      const found = await guarded(aws, `reading Lambda function ${name}`, () => readFunction(aws, name));
      const steps = usedBy.length === 0 ? "" : ` (used by ${usedBy.map((s) => `'${s}'`).join(", ")})`;
      checks.push(
        found === undefined
          ? fail(
              `Lambda function ${name}`,
              `does not exist${steps}`,
              "deploy the function first (stepline only invokes it), or fix the step's `functionName`",
            )
          : found.State === "Failed" || found.State === "Inactive"
            ? fail(
                `Lambda function ${name}`,
                `is ${found.State}${found.StateReason ? ` (${found.StateReason})` : ""}`,
                "fix or redeploy the function; Lambda refuses to invoke it until it is Active",
              )
            : ok(`Lambda function ${name}`, `exists${found.FunctionArn ? ` (${found.FunctionArn})` : ""}`),
      );
    }
  }
  return checks;
}
