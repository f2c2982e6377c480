import type { AwsContext } from "@stepline/runners/deploy";
import { ACCOUNT } from "./aws.js";

/**
 * Everything a deploy leaves in the account, normalised so that two
 * deploys that converged to the same state compare equal: no dates, no
 * version numbers (a re-run may publish one more), but every revision of
 * every job definition (a re-run must not register duplicates).
 */
export async function deployedState(aws: AwsContext, pipeline: string): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  const iam = await aws.client("iam");
  const iamSdk = await aws.sdk("iam");
  for (const r of (await iam.send(new iamSdk.ListRolesCommand({}))).Roles ?? []) {
    const name = r.RoleName ?? "";
    if (!name.startsWith("stepline-")) continue;
    const role = (await iam.send(new iamSdk.GetRoleCommand({ RoleName: name }))).Role;
    const policies: Record<string, unknown> = {};
    for (const p of (await iam.send(new iamSdk.ListRolePoliciesCommand({ RoleName: name }))).PolicyNames ?? []) {
      const doc = (await iam.send(new iamSdk.GetRolePolicyCommand({ RoleName: name, PolicyName: p }))).PolicyDocument;
      policies[p] = JSON.parse(decodeURIComponent(doc ?? "null"));
    }
    const attached = (await iam.send(new iamSdk.ListAttachedRolePoliciesCommand({ RoleName: name }))).AttachedPolicies;
    state[`role ${name}`] = {
      trust: JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? "null")),
      description: role?.Description,
      policies,
      attached: (attached ?? []).map((a) => a.PolicyArn).sort(),
      tags: Object.fromEntries((role?.Tags ?? []).map((t) => [t.Key, t.Value])),
    };
  }
  const batch = await aws.client("batch");
  const batchSdk = await aws.sdk("batch");
  for (const status of ["ACTIVE", "INACTIVE"] as const) {
    for (const d of (await batch.send(new batchSdk.DescribeJobDefinitionsCommand({ status }))).jobDefinitions ?? []) {
      if (d.status !== status || !d.jobDefinitionName?.startsWith(pipeline)) continue;
      state[`job definition ${d.jobDefinitionArn} ${status}`] = {
        container: d.containerProperties,
        retry: d.retryStrategy,
        tags: d.tags,
      };
    }
  }
  const glue = await aws.client("glue");
  const glueSdk = await aws.sdk("glue");
  for (const name of (await glue.send(new glueSdk.ListJobsCommand({}))).JobNames ?? []) {
    if (!name.startsWith(pipeline)) continue;
    const {
      CreatedOn: _c,
      LastModifiedOn: _m,
      ...job
    } = (await glue.send(new glueSdk.GetJobCommand({ JobName: name }))).Job ?? {};
    const arn = `arn:aws:glue:${aws.region}:${ACCOUNT}:job/${name}`;
    state[`glue job ${name}`] = { job, tags: (await glue.send(new glueSdk.GetTagsCommand({ ResourceArn: arn }))).Tags };
  }
  const sfn = await aws.client("sfn");
  const sfnSdk = await aws.sdk("sfn");
  for (const m of (await sfn.send(new sfnSdk.ListStateMachinesCommand({}))).stateMachines ?? []) {
    const arn = m.stateMachineArn ?? "";
    const d = await sfn.send(new sfnSdk.DescribeStateMachineCommand({ stateMachineArn: arn }));
    const tags = (await sfn.send(new sfnSdk.ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? [];
    const alias = await sfn.send(new sfnSdk.DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` }));
    const routes = alias.routingConfiguration ?? [];
    const version = await sfn.send(
      new sfnSdk.DescribeStateMachineCommand({ stateMachineArn: routes[0]?.stateMachineVersionArn ?? "" }),
    );
    state[`state machine ${m.name}`] = {
      definition: JSON.parse(d.definition ?? "null"),
      roleArn: d.roleArn,
      logging: d.loggingConfiguration,
      tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
      alias: {
        description: alias.description,
        routes: routes.length,
        weight: routes[0]?.weight,
        // The alias points at a version of exactly the current configuration.
        current: version.definition === d.definition && version.roleArn === d.roleArn,
      },
    };
  }
  const scheduler = await aws.client("scheduler");
  const schedulerSdk = await aws.sdk("scheduler");
  for (const s of (await scheduler.send(new schedulerSdk.ListSchedulesCommand({}))).Schedules ?? []) {
    const {
      CreationDate: _c,
      LastModificationDate: _m,
      $metadata: _x,
      ...schedule
    } = await scheduler.send(new schedulerSdk.GetScheduleCommand({ Name: s.Name, GroupName: s.GroupName }));
    state[`schedule ${s.GroupName}/${s.Name}`] = schedule;
  }
  return state;
}
