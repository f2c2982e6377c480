import { pinnedRevisions } from "@stepline/core";
import { describe, expect, it } from "vitest";
import { startMoto } from "../helpers/moto.js";
import { useMoto } from "../helpers/moto-hooks.js";
import {
  ACCOUNT,
  EXAMPLE_FUNCTIONS,
  EXAMPLE_GLUE_JOBS,
  EXAMPLE_QUEUES,
  motoAws,
  REGION,
  seedReferences,
  taggedLeft,
} from "./aws.js";
import { editedCopy, onMoto, parsed } from "./cli.js";

/**
 * `stepline plan / deploy / destroy / rollback` as users run them (the built
 * bin, one process per command) against moto with its executor off (deploy
 * calls behave closer to AWS there; see test/helpers/moto.ts).
 */

const EXAMPLES = ["nightly-etl", "partition-fanout", "spot-training"] as const;
const NAMES: Record<string, string> = {
  "nightly-etl": "nightly-sales-etl",
  "partition-fanout": "clickstream-compaction",
  "spot-training": "demand-forecast-training",
};

interface PlanJson {
  changes: number;
  actions: { action: string; type: string; name: string; changes?: { field: string }[] }[];
  calls: { reads: number; mutations: number };
}

const moto = useMoto(
  () => startMoto({ executor: false }),
  async (m) => {
    await m.reset();
    await seedReferences(motoAws(m.endpoint), EXAMPLE_QUEUES, EXAMPLE_GLUE_JOBS, EXAMPLE_FUNCTIONS);
  },
);

const run = (...args: string[]) => onMoto(moto.endpoint, args);

/** The job definition revisions the version behind a state machine's `live` alias submits to, as Batch describes them. */
async function liveJobDefinitions(aws: ReturnType<typeof motoAws>, machine: string) {
  const sfn = await aws.client("sfn");
  const sfnSdk = await aws.sdk("sfn");
  const alias = await sfn.send(
    new sfnSdk.DescribeStateMachineAliasCommand({
      stateMachineAliasArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${machine}:live`,
    }),
  );
  const version = await sfn.send(
    new sfnSdk.DescribeStateMachineCommand({
      stateMachineArn: alias.routingConfiguration?.[0]?.stateMachineVersionArn ?? "",
    }),
  );
  const arns = pinnedRevisions(JSON.parse(version.definition ?? "null"));
  const batch = await aws.client("batch");
  const { DescribeJobDefinitionsCommand } = await aws.sdk("batch");
  return (await batch.send(new DescribeJobDefinitionsCommand({ jobDefinitions: arns }))).jobDefinitions ?? [];
}
const ok = (r: { status: number | null; stdout: string; stderr: string }, code = 0) => {
  if (r.status !== code) throw new Error(`exit ${r.status} (expected ${code}):\n${r.stdout}\n${r.stderr}`);
};

describe("stepline deploy on moto", () => {
  it("deploys every example; a second plan has nothing to do and changes nothing", () => {
    for (const example of EXAMPLES) {
      const file = `examples/${example}/pipeline.ts`;
      const first = run("plan", file, "--json");
      ok(first, 3);
      expect(parsed<PlanJson>(first).calls.mutations).toBe(0);
      const deployed = run("deploy", file, "--yes");
      ok(deployed);
      expect(deployed.stdout).toContain(`deployed ${NAMES[example]}: live → version 1`);
      const again = run("plan", file);
      ok(again);
      expect(again.stdout).toContain("nothing to do");
      const json = parsed<PlanJson>(run("plan", file, "--json"));
      expect(json.changes).toBe(0);
      expect(json.calls.mutations).toBe(0);
      expect(json.actions.every((a) => a.action === "unchanged" || a.action === "referenced")).toBe(true);
      // The Lambda functions the steps invoke were looked up (GetFunction), not assumed.
      const functions = json.actions.filter((a) => a.type === "lambda.function");
      expect(functions.length).toBeGreaterThan(0);
      expect(functions.every((a) => a.action === "referenced")).toBe(true);
      const redeploy = run("deploy", file);
      ok(redeploy);
      expect(redeploy.stdout).toContain("nothing to do");
    }
  });

  it("one changed image: plan names that job definition and the state machine; deploy; rollback", async () => {
    const file = "examples/spot-training/pipeline.ts";
    ok(run("deploy", file, "--yes"));
    const edited = editedCopy(
      file,
      'forecast-train:2.4.0-arm64",\n      command: [\n        "python",\n        "train.py"',
      'forecast-train:2.5.0-arm64",\n      command: [\n        "python",\n        "train.py"',
    );
    try {
      const plan = run("plan", edited.path, "--json");
      ok(plan, 3);
      const pending = parsed<PlanJson>(plan).actions.filter(
        (a) => a.action !== "unchanged" && a.action !== "referenced",
      );
      expect(pending.map((a) => `${a.action} ${a.type} ${a.name}`)).toEqual([
        "update batch.jobDefinition demand-forecast-training-train",
        "update sfn.stateMachine demand-forecast-training",
        "update sfn.alias live",
      ]);
      expect(pending[0]?.changes?.map((c) => c.field)).toContain("containerProperties.image");
      expect(pending[1]?.changes?.map((c) => c.field)).toEqual(["definition"]);
      const human = run("plan", edited.path);
      expect(human.stdout).toContain("~ update     batch.jobDefinition  demand-forecast-training-train");
      expect(human.stdout).toContain("containerProperties.image");

      const deployed = run("deploy", edited.path, "--yes");
      ok(deployed);
      expect(deployed.stdout).toContain("live → version 2");
      ok(run("plan", edited.path));

      const rolled = run("rollback", edited.path, "--json");
      ok(rolled);
      expect(parsed<{ from: string; to: string }>(rolled)).toMatchObject({
        from: expect.stringMatching(/:demand-forecast-training:2$/),
        to: expect.stringMatching(/:demand-forecast-training:1$/),
      });
      // What live runs now submits to a revision Batch can still run, with the old image.
      const live = await liveJobDefinitions(motoAws(moto.endpoint), "demand-forecast-training");
      const train = live.filter((d) => d.jobDefinitionName === "demand-forecast-training-train");
      expect(train.map((d) => [d.jobDefinitionArn, d.status, d.containerProperties?.image])).toEqual([
        [
          `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/demand-forecast-training-train:1`,
          "ACTIVE",
          expect.stringMatching(/forecast-train:2\.4\.0-arm64$/),
        ],
      ]);
      // The code as written differs from what is live again: only the alias moves back.
      const after = parsed<PlanJson>(run("plan", edited.path, "--json"));
      expect(after.actions.filter((a) => a.action === "update").map((a) => a.type)).toEqual(["sfn.alias"]);
      ok(run("deploy", edited.path, "--yes"));
      ok(run("plan", edited.path));
    } finally {
      edited.cleanup();
    }
  });

  it("rollback refuses, leaving live alone, when the previous version's job definition revision is INACTIVE", async () => {
    const file = "examples/spot-training/pipeline.ts";
    ok(run("deploy", file, "--yes"));
    const edited = editedCopy(file, 'forecast-train:2.4.0-arm64"', 'forecast-train:2.5.0-arm64"');
    try {
      ok(run("deploy", edited.path, "--yes"));
      // Revision 1 went away (deregistered by hand, or aged out of the revisions deploy keeps).
      const aws = motoAws(moto.endpoint);
      const batch = await aws.client("batch");
      const { DeregisterJobDefinitionCommand } = await aws.sdk("batch");
      const revision1 = `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/demand-forecast-training-train:1`;
      await batch.send(new DeregisterJobDefinitionCommand({ jobDefinition: revision1 }));
      const refused = run("rollback", edited.path);
      ok(refused, 2);
      expect(refused.stderr).toContain("SL_ROLLBACK_REVISION_INACTIVE");
      expect(refused.stderr).toContain("demand-forecast-training-train:1");
      expect(refused.stderr).toContain("stepline deploy");
      expect(refused.stderr).not.toContain("    at ");
      const sfn = await aws.client("sfn");
      const { DescribeStateMachineAliasCommand } = await aws.sdk("sfn");
      const alias = await sfn.send(
        new DescribeStateMachineAliasCommand({
          stateMachineAliasArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:demand-forecast-training:live`,
        }),
      );
      expect(alias.routingConfiguration?.[0]?.stateMachineVersionArn).toMatch(/:demand-forecast-training:2$/);
    } finally {
      edited.cleanup();
    }
  });

  it("destroy removes exactly what the pipeline owns and leaves nothing tagged behind", async () => {
    for (const example of EXAMPLES) ok(run("deploy", `examples/${example}/pipeline.ts`, "--yes"));
    ok(run("deploy", "test/deploy/fixtures/logged-rule.ts", "--yes"));
    const aws = motoAws(moto.endpoint);
    expect((await taggedLeft(aws)).length).toBeGreaterThan(20);

    const one = run("destroy", "examples/spot-training/pipeline.ts", "--yes");
    ok(one);
    expect(one.stdout).toContain("destroyed demand-forecast-training");
    const left = await taggedLeft(aws);
    expect(left.filter((r) => r.includes("demand-forecast-training"))).toEqual([]);
    // The other pipelines are untouched.
    ok(run("plan", "examples/nightly-etl/pipeline.ts"));

    for (const example of ["nightly-etl", "partition-fanout"])
      ok(run("destroy", `examples/${example}/pipeline.ts`, "--yes"));
    ok(run("destroy", "test/deploy/fixtures/logged-rule.ts", "--yes"));
    expect(await taggedLeft(aws)).toEqual([]);
    // The referenced queues and Glue jobs were never stepline's: still there.
    const batch = await aws.client("batch");
    const { DescribeJobQueuesCommand } = await aws.sdk("batch");
    const queues = (await batch.send(new DescribeJobQueuesCommand({}))).jobQueues ?? [];
    expect(queues.map((q) => q.jobQueueName).sort()).toEqual([...EXAMPLE_QUEUES].sort());
    const again = run("destroy", "examples/nightly-etl/pipeline.ts", "--yes");
    ok(again);
    expect(again.stdout).toContain("nothing to destroy");
  });

  it("deploy.batchRoles: execution and job roles trusted by ECS tasks, on every job definition; destroy removes them", async () => {
    const file = "examples/nightly-etl/pipeline.ts";
    ok(run("deploy", file, "--yes"));
    const aws = motoAws(moto.endpoint);
    const iam = await aws.client("iam");
    const iamSdk = await aws.sdk("iam");
    const exec = "stepline-nightly-sales-etl-batch-exec";
    const job = "stepline-nightly-sales-etl-batch-job";
    for (const name of [exec, job]) {
      const role = (await iam.send(new iamSdk.GetRoleCommand({ RoleName: name }))).Role;
      expect(JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? "null"))).toMatchObject({
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
          },
        ],
      });
      expect(role?.Tags).toContainEqual({ Key: "stepline:pipeline", Value: "nightly-sales-etl" });
    }
    // The job role has no permissions of its own; the execution role exactly what the job definitions need.
    expect((await iam.send(new iamSdk.ListRolePoliciesCommand({ RoleName: job }))).PolicyNames).toEqual([]);
    const policy = await iam.send(new iamSdk.GetRolePolicyCommand({ RoleName: exec, PolicyName: "stepline" }));
    const statements = JSON.parse(decodeURIComponent(policy.PolicyDocument ?? "null")).Statement as {
      Sid: string;
      Action: string[];
      Resource: string[];
    }[];
    expect(statements.map((st) => [st.Sid, st.Action, st.Resource])).toEqual([
      ["PullImagesToken", ["ecr:GetAuthorizationToken"], ["*"]],
      [
        "PullImages",
        ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        ["arn:aws:ecr:eu-west-1:123456789012:repository/sales-etl"],
      ],
      [
        "WriteJobLogs",
        ["logs:CreateLogStream", "logs:PutLogEvents"],
        [
          `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/batch/job`,
          `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/batch/job:*`,
        ],
      ],
      [
        "ReadSecrets",
        ["secretsmanager:GetSecretValue"],
        [
          "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-db-readonly",
          "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-db-readonly-??????",
        ],
      ],
      [
        "ReadParameters",
        ["ssm:GetParameters"],
        ["arn:aws:ssm:eu-west-1:123456789012:parameter/warehouse/loader-password"],
      ],
    ]);
    const live = await liveJobDefinitions(aws, "nightly-sales-etl");
    expect(live.map((d) => d.jobDefinitionName).sort()).toEqual([
      "nightly-sales-etl-extract-customers",
      "nightly-sales-etl-extract-orders",
      "nightly-sales-etl-load-warehouse",
    ]);
    for (const d of live) {
      expect(d.containerProperties, d.jobDefinitionName).toMatchObject({
        executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${exec}`,
        jobRoleArn: `arn:aws:iam::${ACCOUNT}:role/${job}`,
      });
    }
    ok(run("plan", file));

    ok(run("destroy", file, "--yes"));
    for (const name of [exec, job]) {
      await expect(iam.send(new iamSdk.GetRoleCommand({ RoleName: name }))).rejects.toThrow();
    }
    expect(await taggedLeft(aws)).toEqual([]);
  });

  it("logging and a legacy rule schedule: log group, delivery permissions, rule and target", async () => {
    const file = "test/deploy/fixtures/logged-rule.ts";
    ok(run("deploy", file, "--yes"));
    ok(run("plan", file));
    const aws = motoAws(moto.endpoint);
    const logs = await aws.client("logs");
    const logsSdk = await aws.sdk("logs");
    const groups = (
      await logs.send(new logsSdk.DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/vendedlogs/states/" }))
    ).logGroups;
    expect(groups?.map((g) => [g.logGroupName, g.retentionInDays])).toEqual([
      ["/aws/vendedlogs/states/stepline-deploy-fixture-logged", 7],
    ]);
    const sfn = await aws.client("sfn");
    const sfnSdk = await aws.sdk("sfn");
    const machine = await sfn.send(
      new sfnSdk.DescribeStateMachineCommand({
        stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:deploy-fixture-logged`,
      }),
    );
    expect(machine.loggingConfiguration?.level).toBe("ERROR");
    const iam = await aws.client("iam");
    const iamSdk = await aws.sdk("iam");
    const policy = await iam.send(
      new iamSdk.GetRolePolicyCommand({ RoleName: "stepline-deploy-fixture-logged-sfn", PolicyName: "stepline" }),
    );
    expect(decodeURIComponent(policy.PolicyDocument ?? "")).toContain("logs:CreateLogDelivery");
    const events = await aws.client("events");
    const eventsSdk = await aws.sdk("events");
    const targets = await events.send(
      new eventsSdk.ListTargetsByRuleCommand({ Rule: "stepline-deploy-fixture-logged" }),
    );
    expect(targets.Targets?.map((t) => [t.Id, t.Arn, t.RoleArn])).toEqual([
      [
        "stepline-start",
        `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:deploy-fixture-logged:live`,
        `arn:aws:iam::${ACCOUNT}:role/stepline-deploy-fixture-logged-schedule`,
      ],
    ]);
    // Turning logging off is an update of the state machine, its role and the log group's removal.
    const edited = editedCopy(file, '  deploy: { logging: { level: "ERROR", retentionDays: 7 } },\n', "");
    try {
      const plan = parsed<PlanJson>(run("plan", edited.path, "--json"));
      expect(
        plan.actions
          .filter((a) => a.action !== "unchanged" && a.action !== "referenced")
          .map((a) => `${a.action} ${a.type}`),
      ).toEqual(["update iam.role", "update sfn.stateMachine", "update sfn.alias", "delete logs.logGroup"]);
      ok(run("deploy", edited.path, "--yes"));
      ok(run("plan", edited.path));
    } finally {
      edited.cleanup();
    }
  });

  it("an execution of the deployed state machine starts and reports its status", async () => {
    ok(run("deploy", "examples/partition-fanout/pipeline.ts", "--yes"));
    const aws = motoAws(moto.endpoint);
    const sfn = await aws.client("sfn");
    const { StartExecutionCommand, DescribeExecutionCommand } = await aws.sdk("sfn");
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:clickstream-compaction`,
        name: "deploy-e2e-1",
        input: JSON.stringify({ date: "2026-03-01" }),
      }),
    );
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    // moto's executor is off in these tests: the execution stays RUNNING.
    expect(described).toMatchObject({ status: "RUNNING", name: "deploy-e2e-1" });
  });

  it("refuses to deploy without --yes when there is no terminal to ask on", () => {
    const r = run("deploy", "examples/partition-fanout/pipeline.ts");
    ok(r, 2);
    expect(r.stderr).toContain("SL_DEPLOY_CONFIRM");
    expect(r.stderr).toContain("--yes");
    expect(r.stderr).not.toContain("    at ");
    ok(run("plan", "examples/partition-fanout/pipeline.ts"), 3);
  });
});
