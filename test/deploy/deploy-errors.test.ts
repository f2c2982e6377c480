import { describe, expect, it } from "vitest";
import { stackFrame } from "../cli/run.js";
import { startMoto } from "../helpers/moto.js";
import { useMoto } from "../helpers/moto-hooks.js";
import {
  EXAMPLE_FUNCTIONS,
  EXAMPLE_GLUE_JOBS,
  EXAMPLE_QUEUES,
  fakeCredentials,
  motoAws,
  seedReferences,
  taggedLeft,
} from "./aws.js";
import { cli, onMoto } from "./cli.js";

/** Bad input to plan and deploy: each a clear `SL_…` message, no stack trace, exit 2, nothing created. */

const moto = useMoto(() => startMoto({ executor: false }));

function expectUserError(r: { status: number | null; stdout: string; stderr: string }, code: string): void {
  if (r.status !== 2) throw new Error(`exit ${r.status} (expected 2):\n${r.stdout}\n${r.stderr}`);
  expect(r.stderr).toContain(code);
  expect(r.stderr).toContain("fix:");
  expect(r.stderr).not.toContain(stackFrame);
}

describe("deploy: bad input", () => {
  it("a state machine role of another account", async () => {
    const r = onMoto(moto.endpoint, ["deploy", "test/deploy/fixtures/foreign-role.ts", "--yes"]);
    expectUserError(r, "SL_DEPLOY_ROLE_FOREIGN");
    expect(r.stderr).toContain("account 999999999999");
    expect(r.stderr).toContain("account 123456789012");
    expect(await taggedLeft(motoAws(moto.endpoint))).toEqual([]);
  });

  it("Batch steps with secrets but no execution role: refused before anything is created", async () => {
    for (const command of ["plan", "deploy"]) {
      const args =
        command === "deploy"
          ? ["deploy", "test/deploy/fixtures/secrets-no-role.ts", "--yes"]
          : [command, "test/deploy/fixtures/secrets-no-role.ts"];
      const r = onMoto(moto.endpoint, args);
      expectUserError(r, "SL_DEPLOY_BATCH_EXECUTION_ROLE");
      expect(r.stderr).toContain("step 'extract' reads secrets");
      expect(r.stderr).toContain("step 'load' reads secrets");
      expect(r.stderr).toContain("deploy.batchRoles: true");
      expect(r.stderr).toContain("deploy.roles.batchExecution");
    }
    expect(await taggedLeft(motoAws(moto.endpoint))).toEqual([]);
  });

  it("a state machine role of another partition", () => {
    const r = onMoto(moto.endpoint, ["plan", "test/deploy/fixtures/foreign-role.ts"], {
      STEPLINE_FIXTURE_ROLE: "arn:aws-cn:iam::123456789012:role/in-china",
    });
    expectUserError(r, "SL_DEPLOY_ROLE_FOREIGN");
    expect(r.stderr).toContain("partition 'aws-cn'");
  });

  it("a job queue that does not exist", async () => {
    // Everything but the queues the example submits to.
    await seedReferences(motoAws(moto.endpoint), ["unrelated"], EXAMPLE_GLUE_JOBS, EXAMPLE_FUNCTIONS);
    const r = onMoto(moto.endpoint, ["deploy", "examples/partition-fanout/pipeline.ts", "--yes"]);
    expectUserError(r, "SL_DEPLOY_MISSING_RESOURCE");
    expect(r.stderr).toContain(
      "job queue 'analytics-spot' (used by step 'compact-partition') does not exist in us-east-1",
    );
    expect(r.stderr).toContain("deploy.compute");
    expect(await taggedLeft(motoAws(moto.endpoint))).toEqual([]);
  });

  it("a Lambda function that does not exist, by name and by ARN in another region", async () => {
    // Every reference but one function of each example.
    const functions = EXAMPLE_FUNCTIONS.filter(
      (f) => f !== "glue-catalog-refresh" && !f.endsWith(":model-registry-register"),
    );
    await seedReferences(motoAws(moto.endpoint), EXAMPLE_QUEUES, EXAMPLE_GLUE_JOBS, functions);
    const r = onMoto(moto.endpoint, ["deploy", "examples/partition-fanout/pipeline.ts", "--yes"]);
    expectUserError(r, "SL_DEPLOY_MISSING_RESOURCE");
    expect(r.stderr).toContain(
      "Lambda function 'glue-catalog-refresh' (used by step 'refresh-catalog') does not exist in us-east-1",
    );
    expect(r.stderr).toContain("functionName");
    expect(r.stderr).not.toContain("clickstream-list-partitions");
    expect(await taggedLeft(motoAws(moto.endpoint))).toEqual([]);
    const arn = onMoto(moto.endpoint, ["plan", "examples/spot-training/pipeline.ts"]);
    expectUserError(arn, "SL_DEPLOY_MISSING_RESOURCE");
    expect(arn.stderr).toContain(
      "Lambda function 'arn:aws:lambda:us-west-2:123456789012:function:model-registry-register' (used by step 'register-model') does not exist in us-west-2",
    );
  });

  it("no credentials", () => {
    const r = cli(["plan", "examples/partition-fanout/pipeline.ts"], {
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: moto.endpoint,
    });
    expectUserError(r, "SL_AWS_NO_CREDENTIALS");
    expect(r.stderr).toContain("AWS_ACCESS_KEY_ID");
  });

  it("an unknown region, and none at all", () => {
    const env = {
      AWS_ACCESS_KEY_ID: fakeCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: fakeCredentials.secretAccessKey,
      AWS_ENDPOINT_URL: moto.endpoint,
    };
    const mars = cli(["plan", "examples/partition-fanout/pipeline.ts", "--region", "mars-1"], env);
    expectUserError(mars, "SL_AWS_BAD_REGION");
    expect(mars.stderr).toContain("'mars-1' is not an AWS region");
    const none = cli(["deploy", "examples/partition-fanout/pipeline.ts", "--yes"], env);
    expectUserError(none, "SL_AWS_NO_REGION");
    expect(none.stderr).toContain("--region");
  });

  it("an endpoint that is not a URL", () => {
    const r = onMoto(moto.endpoint, ["plan", "examples/partition-fanout/pipeline.ts", "--endpoint-url", "localhost"]);
    expectUserError(r, "SL_AWS_BAD_ENDPOINT");
  });

  it("referenced queues and functions that exist: plan goes on", async () => {
    await seedReferences(motoAws(moto.endpoint), EXAMPLE_QUEUES, EXAMPLE_GLUE_JOBS, EXAMPLE_FUNCTIONS);
    const r = onMoto(moto.endpoint, ["plan", "examples/partition-fanout/pipeline.ts"]);
    expect(r.status).toBe(3);
  });
});
