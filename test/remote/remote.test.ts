import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateStateMachineCommand, DeleteStateMachineCommand, SFNClient } from "@aws-sdk/client-sfn";
import { sdkModules as awsSdk } from "@stepline/runners/deploy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Run, stackFrame, stepline } from "../cli/run.js";
import { motoAws, seedFunctions } from "../deploy/aws.js";
import { type MotoSetup, startMoto } from "../helpers/moto.js";

/**
 * `stepline start / executions / status / logs / doctor` as a user runs them
 * (the built CLI, a separate process) against a moto server on a free
 * loopback port. moto runs one execution at a time per region and fails a
 * second execution of one state machine (fixed in moto 5.2.3): every test
 * works in a region of its own and starts one execution at most.
 */

let moto: MotoSetup;
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };

beforeAll(async () => {
  moto = await startMoto({ config: { batch: { use_docker: false } } });
});
afterAll(async () => {
  await moto?.stop();
});

function env(region: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PROFILE: "",
  };
}

function cli(args: readonly string[], region: string): Run {
  const run = stepline(["--no-color", ...args], env(region));
  expect(run.stderr, run.stderr).not.toContain(stackFrame);
  return run;
}

const role = "arn:aws:iam::123456789012:role/stepline-remote-demo-sfn";

/**
 * Pass, an inline Map over the input's items, a Parallel of two branches,
 * and a Batch task that fails on moto ('JobName' casing), is retried once
 * and caught, then a Succeed state.
 */
const demo = {
  StartAt: "prepare",
  States: {
    prepare: { Type: "Pass", Next: "per-item" },
    "per-item": {
      Type: "Map",
      ItemsPath: "$.items",
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "handle-item",
        States: { "handle-item": { Type: "Pass", End: true } },
      },
      ResultPath: "$.handled",
      Next: "both",
    },
    both: {
      Type: "Parallel",
      Branches: [
        { StartAt: "left", States: { left: { Type: "Pass", End: true } } },
        { StartAt: "right", States: { right: { Type: "Pass", End: true } } },
      ],
      ResultPath: "$.both",
      Next: "extract",
    },
    extract: {
      Type: "Task",
      Resource: "arn:aws:states:::batch:submitJob",
      Parameters: { JobName: "extract", JobQueue: "q", JobDefinition: "jd" },
      Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 1, IntervalSeconds: 1 }],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.extractError", Next: "done" }],
      Next: "done",
    },
    done: { Type: "Succeed" },
  },
};

describe.skipIf(process.env.STEPLINE_SKIP_MOTO === "1")("stepline start, executions, status and logs on moto", () => {
  const region = "us-east-2";
  let executionArn = "";

  beforeAll(async () => {
    if (!moto.available) return;
    const sfn = new SFNClient({ region, endpoint: moto.endpoint, credentials });
    await sfn.send(
      new CreateStateMachineCommand({ name: "remote-demo", definition: JSON.stringify(demo), roleArn: role }),
    );
  });

  afterAll(async () => {
    if (!moto.available) return;
    const sfn = new SFNClient({ region, endpoint: moto.endpoint, credentials });
    await sfn.send(
      new DeleteStateMachineCommand({
        stateMachineArn: "arn:aws:states:us-east-2:123456789012:stateMachine:remote-demo",
      }),
    );
  });

  it("starts the state machine with --latest, waits and prints the per-step table", (t) => {
    if (!moto.available) t.skip();
    const run = cli(
      [
        "start",
        "remote-demo",
        "--latest",
        "--input",
        '{"items":[1,2,3]}',
        "--name",
        "run-1",
        "--wait",
        "--poll-ms",
        "200",
      ],
      region,
    );
    expect(run.status, run.stderr + run.stdout).toBe(0);
    executionArn = "arn:aws:states:us-east-2:123456789012:execution:remote-demo:run-1";
    expect(run.stderr).toContain(`started ${executionArn}`);
    expect(run.stdout).toContain("status     SUCCEEDED");
    const table = run.stdout.slice(run.stdout.indexOf("STEP"));
    const row = (step: string) => table.split("\n").find((l) => l.startsWith(`${step} `)) ?? "";
    expect(row("prepare")).toMatch(/^prepare\s+Pass\s+succeeded\s+1\s+1\s/);
    expect(row("per-item")).toMatch(/^per-item\s+Map \(3 items\)\s+succeeded\s+1\s+1\s/);
    expect(row("handle-item")).toMatch(/^handle-item\s+Pass\s+3 succeeded\s+3\s+3\s/);
    expect(row("both")).toMatch(/^both\s+Parallel\s+succeeded\s+1\s+1\s/);
    expect(row("left")).toMatch(/^left\s+Pass\s+succeeded/);
    // Retried once (two attempts), then caught.
    expect(row("extract")).toMatch(/^extract\s+Task\s+caught\s+1\s+2\s.*States\.Runtime/);
    expect(row("done")).toMatch(/^done\s+Succeed\s+succeeded/);
  });

  it("lists the executions", (t) => {
    if (!moto.available || executionArn === "") t.skip();
    const run = cli(["executions", "remote-demo"], region);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^NAME\s+STATUS\s+STARTED\s+DURATION\n/);
    expect(run.stdout).toMatch(/\nrun-1\s+SUCCEEDED\s+\d{4}-\d\d-\d\d /);
    expect(run.stdout).toContain("stepline status arn:aws:states:us-east-2:123456789012:execution:remote-demo:<NAME>");
    const json = cli(["executions", "remote-demo", "--json", "--status", "SUCCEEDED", "-n", "5"], region);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ name: "run-1", executionArn, status: "SUCCEEDED" }),
    ]);
    const none = cli(["executions", "remote-demo", "--status", "FAILED"], region);
    expect(none.stdout).toContain("no FAILED executions of remote-demo");
  });

  it("shows an execution's status as JSON, by ARN and by pipeline (its latest)", (t) => {
    if (!moto.available || executionArn === "") t.skip();
    const byArn = cli(["status", executionArn, "--json"], "eu-west-1");
    expect(byArn.status, byArn.stderr).toBe(0);
    const parsed = JSON.parse(byArn.stdout);
    expect(parsed.execution).toMatchObject({
      executionArn,
      name: "run-1",
      status: "SUCCEEDED",
      input: { items: [1, 2, 3] },
      error: null,
    });
    const steps = Object.fromEntries((parsed.steps as { step: string }[]).map((s) => [s.step, s])) as Record<
      string,
      Record<string, unknown>
    >;
    // In the order the states were first entered (the two branches of `both` in either order).
    const order = Object.keys(steps);
    expect(order.slice(0, 4)).toEqual(["prepare", "per-item", "handle-item", "both"]);
    expect(order.slice(4, 6).sort()).toEqual(["left", "right"]);
    expect(order.slice(6)).toEqual(["extract", "done"]);
    expect(steps["handle-item"]).toMatchObject({ runs: 3, attempts: 3, statuses: { succeeded: 3 } });
    expect(steps["per-item"]).toMatchObject({ type: "Map", iterations: 3 });
    expect(steps.extract).toMatchObject({ status: "caught", attempts: 2, error: "States.Runtime" });
    // The region comes from the ARN (the environment said eu-west-1); a pipeline name means its latest execution.
    const latest = cli(["status", "remote-demo"], region);
    expect(latest.status, latest.stderr).toBe(0);
    expect(latest.stdout).toContain(`execution  ${executionArn}`);
  });

  it("logs: says which steps have no Batch logs", (t) => {
    if (!moto.available || executionArn === "") t.skip();
    // moto's submitJob failed before a job existed: the step has attempts but no job.
    const extract = cli(["logs", executionArn, "extract"], region);
    expect(extract.status, extract.stderr).toBe(0);
    expect(extract.stdout).toContain("== extract (attempt 1) ==");
    expect(extract.stdout).toContain("== extract (attempt 2) ==");
    expect(extract.stdout).toContain("(no logs: the history names no Batch job for this attempt");
    const pass = cli(["logs", executionArn, "prepare"], region);
    expect(pass.status).toBe(2);
    expect(pass.stderr).toContain("SL_REMOTE_NO_BATCH_JOB");
    expect(pass.stderr).toContain("Step 'prepare' ran no Batch job (it is a Pass state)");
    const unknown = cli(["logs", "--remote", "remote-demo", "nope"], region);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("SL_REMOTE_UNKNOWN_STEP");
    expect(unknown.stderr).toContain("Steps with Batch jobs: extract.");
  });

  it("refuses the live alias on moto with a fix, and a pipeline that is not deployed", (t) => {
    if (!moto.available) t.skip();
    const alias = cli(["start", "remote-demo", "--name", "never"], region);
    expect(alias.status).toBe(2);
    expect(alias.stderr).toContain("SL_REMOTE_NO_ALIAS");
    expect(alias.stderr).toContain("--latest");
    const missing = cli(["start", "not-deployed", "--latest"], region);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("SL_REMOTE_NOT_DEPLOYED");
    expect(missing.stderr).toContain(`Pipeline 'not-deployed' is not deployed in ${region} (account 123456789012)`);
    const executions = cli(["executions", "not-deployed"], region);
    expect(executions.status).toBe(2);
    expect(executions.stderr).toContain("SL_REMOTE_NOT_DEPLOYED");
    const noExecution = cli(["status", "arn:aws:states:us-east-2:123456789012:execution:remote-demo:nope"], region);
    expect(noExecution.status).toBe(2);
    expect(noExecution.stderr).toContain("SL_REMOTE_NO_EXECUTION");
  });
});

describe("stepline doctor on moto", () => {
  const region = "ap-southeast-2";
  const file = "test/fixtures/remote/doctor.ts";

  beforeAll(async () => {
    if (!moto.available) return;
    const iamSdk = await awsSdk.iam();
    const iam = new iamSdk.IAMClient({ region, endpoint: moto.endpoint, credentials });
    const trust = (service: string) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
      });
    const policy = (actions: string[], resource = "arn:aws:glue:*:123456789012:job/doctor-*") =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          // Wildcards in actions and resources, as people write them.
          { Effect: "Allow", Action: actions, Resource: resource },
          { Effect: "Allow", Action: "lambda:Invoke*", Resource: "*" },
        ],
      });
    const roles: [string, string, string[], string?][] = [
      ["doctor-good-role", "states.amazonaws.com", ["glue:StartJobRun", "glue:Get*", "glue:BatchStopJobRun"]],
      [
        "doctor-missing-permission",
        "states.amazonaws.com",
        ["glue:StartJobRun", "glue:GetJobRun", "glue:BatchStopJobRun"],
      ],
      ["doctor-untrusted-role", "lambda.amazonaws.com", ["glue:*"]],
      // Batch roles: the execution role may pull images and write logs, but not read the secret.
      ["doctor-batch-exec", "ecs-tasks.amazonaws.com", ["ecr:*", "logs:*"], "*"],
      ["doctor-batch-job", "lambda.amazonaws.com", ["s3:GetObject"]],
    ];
    for (const [name, service, actions, resource] of roles) {
      await iam.send(new iamSdk.CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust(service) }));
      await iam.send(
        new iamSdk.PutRolePolicyCommand({
          RoleName: name,
          PolicyName: "pipeline",
          PolicyDocument: policy(actions, resource),
        }),
      );
    }
    const glueSdk = await awsSdk.glue();
    const glue = new glueSdk.GlueClient({ region, endpoint: moto.endpoint, credentials });
    await glue.send(
      new glueSdk.CreateJobCommand({
        Name: "doctor-existing-job",
        Role: "arn:aws:iam::123456789012:role/glue",
        Command: { Name: "glueetl", ScriptLocation: "s3://b/x.py" },
      }),
    );
    await seedFunctions(motoAws(moto.endpoint, region), ["doctor-notify"]);
  });

  it("passes with a role that trusts Step Functions and allows every action (wildcards)", (t) => {
    if (!moto.available) t.skip();
    const run = cli(["doctor", file, "--pipeline", "good", "--region", region], "us-east-1");
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("✓ credentials: arn:aws:sts::123456789012:");
    expect(run.stdout).toContain(`✓ region: ${region}`);
    expect(run.stdout).toContain("✓ state machine role: arn:aws:iam::123456789012:role/doctor-good-role exists");
    expect(run.stdout).toContain("✓ state machine role trust: states.amazonaws.com may assume it");
    expect(run.stdout).toContain("✓ state machine role permissions: allows all 5 actions the pipeline needs");
    expect(run.stdout).toContain("✓ Glue job doctor-existing-job: exists");
    expect(run.stdout).toContain(
      `✓ Lambda function doctor-notify: exists (arn:aws:lambda:${region}:123456789012:function:doctor-notify)`,
    );
    expect(run.stdout).toContain("all checks passed");
  });

  it("checks the Batch roles a pipeline passes: trust, and what the execution role must allow", (t) => {
    if (!moto.available) t.skip();
    const run = cli(["doctor", file, "--pipeline", "batchRoles", "--region", region, "--json"], "us-east-1");
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const checks = JSON.parse(run.stdout).checks as { name: string; status: string; detail: string }[];
    const named = (prefix: string) => checks.filter((c) => c.name.startsWith(prefix));
    expect(named("Batch execution role").find((c) => c.name.endsWith("permissions"))).toMatchObject({
      status: "fail",
    });
    expect(named("Batch execution role").find((c) => c.name.endsWith("permissions"))?.detail).toMatch(
      /^doctor-batch-exec lacks 2 permissions: secretsmanager:GetSecretValue on arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:doctor-db/,
    );
    expect(named("Batch execution role").find((c) => c.name.endsWith("trust"))).toMatchObject({ status: "ok" });
    expect(named("Batch job role").find((c) => c.name.endsWith("trust"))).toMatchObject({ status: "fail" });
  });

  it("fails with the missing permission and the statement to add", (t) => {
    if (!moto.available) t.skip();
    const run = cli(["doctor", file, "--pipeline", "missing", "--region", region, "--json"], "us-east-1");
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(false);
    const permissions = report.checks.find((c: { name: string }) => c.name === "state machine role permissions");
    expect(permissions).toMatchObject({ status: "fail" });
    expect(permissions.detail).toContain(
      `doctor-missing-permission lacks 1 permission: glue:GetJobRuns on arn:aws:glue:${region}:123456789012:job/doctor-existing-job`,
    );
    expect(JSON.parse(permissions.fix.slice(permissions.fix.indexOf("{")))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["glue:GetJobRuns"],
          Resource: [`arn:aws:glue:${region}:123456789012:job/doctor-existing-job`],
        },
      ],
    });
  });

  it("fails a role that does not trust Step Functions, and a role of another account", (t) => {
    if (!moto.available) t.skip();
    const untrusted = cli(["doctor", file, "--pipeline", "untrusted", "--region", region], "us-east-1");
    expect(untrusted.status).toBe(1);
    expect(untrusted.stdout).toContain(
      "✗ state machine role trust: the trust policy of doctor-untrusted-role does not let states.amazonaws.com assume it",
    );
    expect(untrusted.stdout).toContain("1 check failed");
    const foreign = cli(["doctor", file, "--pipeline", "foreign", "--region", region], "us-east-1");
    expect(foreign.status).toBe(1);
    expect(foreign.stdout).toContain("✗ state machine role: deploy.roles.stateMachine");
    expect(foreign.stdout).toContain("belongs to account 999999999999");
  });

  it("fails a Lambda function that does not exist, naming its steps and the fix", async (t) => {
    if (!moto.available) t.skip();
    const aws = motoAws(moto.endpoint, region);
    const lambda = await aws.client("lambda");
    const { DeleteFunctionCommand } = await aws.sdk("lambda");
    await lambda.send(new DeleteFunctionCommand({ FunctionName: "doctor-notify" }));
    const run = cli(["doctor", file, "--pipeline", "good", "--region", region, "--json"], "us-east-1");
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const checks = JSON.parse(run.stdout).checks as { name: string; status: string }[];
    expect(checks.filter((c) => c.status === "fail")).toEqual([
      {
        name: "Lambda function doctor-notify",
        status: "fail",
        detail: "does not exist (used by 'notify')",
        fix: expect.stringContaining("functionName"),
      },
    ]);
  });
});

describe("AWS connection errors", () => {
  it("no credentials: SL_AWS_NO_CREDENTIALS, exit 2, no stack", () => {
    const home = mkdtempSync(join(tmpdir(), "stepline-nocreds-"));
    try {
      const run = stepline(["executions", "some-pipeline", "--region", "us-east-1"], {
        AWS_ACCESS_KEY_ID: "",
        AWS_SECRET_ACCESS_KEY: "",
        AWS_SESSION_TOKEN: "",
        AWS_PROFILE: "",
        AWS_ENDPOINT_URL: "http://127.0.0.1:9",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONFIG_FILE: join(home, "config"),
        AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
        HOME: home,
      });
      expect(run.stderr).not.toContain(stackFrame);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("SL_AWS_NO_CREDENTIALS");
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("a region that is not one: SL_AWS_BAD_REGION, exit 2", () => {
    const run = stepline(["status", "some-pipeline", "--region", "mars"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_AWS_BAD_REGION");
    expect(run.stderr).not.toContain(stackFrame);
  });

  it("an endpoint that does not answer: SL_AWS_UNREACHABLE, exit 2", () => {
    const run = stepline(["executions", "p", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"], {
      AWS_ACCESS_KEY_ID: "x",
      AWS_SECRET_ACCESS_KEY: "y",
      AWS_MAX_ATTEMPTS: "1",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_AWS_UNREACHABLE");
    expect(run.stderr).toContain("http://127.0.0.1:9");
  });
});
