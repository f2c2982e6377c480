import { type DesiredResource, type GlueStepModel, testPipeline } from "@stepline/core";
import { glueIntegration } from "@stepline/runners";
import { driverFor } from "@stepline/runners/deploy";
import { describe, expect, it } from "vitest";
import { useMoto } from "../helpers/moto-hooks.js";
import { applyContext, desiredOf, integrationContext, motoAws, resetMoto, startDeployMoto } from "./setup.js";

const moto = useMoto(() => startDeployMoto(), resetMoto);

const PIPELINE = "nightly";
const glueJobDriver = driverFor("glue.job");
const ROLE = "arn:aws:iam::123456789012:role/glue-jobs";

const step: GlueStepModel = {
  kind: "glue",
  name: "features",
  after: [],
  scriptLocation: "s3://code/features.py",
  jobType: "spark",
  workerType: "G.2X",
  numberOfWorkers: 4,
  arguments: { "--mode": "full", "--date": { $ref: { source: "input", path: ["date"] } } },
  executionClass: "FLEX",
  timeoutMinutes: 60,
  connections: [],
};

/** The job the Glue integration renders, with the role deploy gives it. */
function desiredJob(): DesiredResource {
  const model = testPipeline([step], { name: PIPELINE, tags: { team: "data" } });
  const [spec] = glueIntegration.resources(step, integrationContext(model));
  if (spec === undefined) throw new Error("no Glue job rendered");
  return desiredOf("glue.job", spec.name, { ...spec.properties, Role: ROLE });
}

describe("glue.job on moto", () => {
  it("creates, reads back unchanged, lists as owned, deletes", async () => {
    const aws = motoAws(moto);
    const ctx = applyContext(aws, PIPELINE);
    const job = desiredJob();
    expect(job.properties).toMatchObject({
      Name: "nightly-features",
      Command: { Name: "glueetl", ScriptLocation: "s3://code/features.py", PythonVersion: "3" },
      WorkerType: "G.2X",
      NumberOfWorkers: 4,
      ExecutionClass: "FLEX",
      DefaultArguments: { "--mode": "full" },
    });

    expect(await glueJobDriver.read(aws, job)).toBeUndefined();
    const out = await glueJobDriver.create(ctx, job);
    expect(out?.arn).toBe("arn:aws:glue:us-east-1:123456789012:job/nightly-features");

    const current = await glueJobDriver.read(aws, job);
    expect(current?.tags).toStrictEqual({ "stepline:hash": job.hash, "stepline:pipeline": PIPELINE, team: "data" });
    expect(glueJobDriver.diff(job, current as NonNullable<typeof current>)).toStrictEqual([]);
    const rehashed = { ...job, hash: "0000000000000000" };
    expect(glueJobDriver.diff(rehashed, current as NonNullable<typeof current>).map((c) => c.field)).toStrictEqual([
      "tags.stepline:hash",
    ]);
    // A changed field is named (the update itself is covered with a mocked client: moto lacks UpdateJob).
    const bigger = desiredOf("glue.job", job.name, { ...job.properties, NumberOfWorkers: 8 });
    expect(glueJobDriver.diff(bigger, current as NonNullable<typeof current>)).toStrictEqual([
      { field: "NumberOfWorkers", from: 4, to: 8 },
    ]);

    const owned = await glueJobDriver.listOwned(aws, PIPELINE);
    expect(owned.map((o) => o.key)).toStrictEqual([job.key]);
    expect(await glueJobDriver.listOwned(aws, "other")).toStrictEqual([]);

    await glueJobDriver.delete(ctx, current as NonNullable<typeof current>);
    expect(await glueJobDriver.read(aws, job)).toBeUndefined();
    // moto keeps a deleted job's tags, but the job is no longer listed.
    expect(await glueJobDriver.listOwned(aws, PIPELINE)).toStrictEqual([]);
  });

  it("checks that a referenced job exists", async () => {
    const aws = motoAws(moto);
    const referenced = desiredOf("glue.job", "legacy-etl", { Name: "legacy-etl" }, false);
    expect(await glueJobDriver.read(aws, referenced)).toBeUndefined();
    const glue = await aws.client("glue");
    const { CreateJobCommand } = await aws.sdk("glue");
    await glue.send(
      new CreateJobCommand({
        Name: "legacy-etl",
        Role: ROLE,
        Command: { Name: "glueetl", ScriptLocation: "s3://x/y.py" },
      }),
    );
    expect(await glueJobDriver.read(aws, referenced)).toMatchObject({ key: "glue.job:legacy-etl", tags: {} });
  });
});
