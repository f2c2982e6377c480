import { type BatchStepModel, type DesiredResource, type PipelineModel, testPipeline } from "@stepline/core";
import { batchIntegration } from "@stepline/runners";
import { driverFor, KEPT_REVISIONS } from "@stepline/runners/deploy";
import { describe, expect, it } from "vitest";
import { useMoto } from "../helpers/moto-hooks.js";
import { applyContext, desiredOf, integrationContext, motoAws, resetMoto, startDeployMoto } from "./setup.js";

const moto = useMoto(() => startDeployMoto(), resetMoto);

const PIPELINE = "nightly";
const jobDefinitionDriver = driverFor("batch.jobDefinition");

function step(image: string): BatchStepModel {
  return {
    kind: "batch",
    name: "train",
    after: [],
    image,
    command: ["python", "train.py"],
    vcpus: 2,
    memoryMiB: 4096,
    environment: { MODE: "full" },
    secrets: {},
    architecture: "arm64",
    capacity: "spot",
    tags: {},
    attemptTimeoutSeconds: 3600,
  };
}

/** The job definition the Batch integration renders for the step, as deploy wants it. */
function desiredFor(image: string): DesiredResource {
  const model: PipelineModel = testPipeline([step(image)], { name: PIPELINE, tags: { team: "ml" } });
  const spec = batchIntegration
    .resources(step(image), integrationContext(model))
    .find((r) => r.type === "batch.jobDefinition");
  if (spec === undefined) throw new Error("no job definition rendered");
  return desiredOf("batch.jobDefinition", spec.name, spec.properties);
}

async function activeRevisions(aws: ReturnType<typeof motoAws>, name: string): Promise<number[]> {
  const batch = await aws.client("batch");
  const { DescribeJobDefinitionsCommand } = await aws.sdk("batch");
  const out = await batch.send(new DescribeJobDefinitionsCommand({ jobDefinitionName: name, status: "ACTIVE" }));
  return (out.jobDefinitions ?? []).map((d) => d.revision ?? 0).sort();
}

describe("batch.jobDefinition on moto", () => {
  it("registers, reuses, revises, and deregisters", async () => {
    const aws = motoAws(moto);
    const ctx = applyContext(aws, PIPELINE);
    const v1 = desiredFor("registry.example/train:1");
    expect(v1.name).toBe("nightly-train");
    // The retry strategy retries Spot reclaims only.
    expect(v1.properties.retryStrategy).toStrictEqual({
      attempts: 3,
      evaluateOnExit: [
        { onStatusReason: "Host EC2*", action: "RETRY" },
        { onReason: "*", action: "EXIT" },
      ],
    });

    expect(await jobDefinitionDriver.read(aws, v1)).toBeUndefined();
    const created = await jobDefinitionDriver.create(ctx, v1);
    expect(created?.arn).toMatch(/job-definition\/nightly-train:1$/);

    const current = await jobDefinitionDriver.read(aws, v1);
    expect(current?.tags).toStrictEqual({ "stepline:hash": v1.hash, "stepline:pipeline": PIPELINE, team: "ml" });
    expect(jobDefinitionDriver.diff(v1, current as NonNullable<typeof current>)).toStrictEqual([]);
    // Even without the hash, the normalised fields match (moto lower-cases the evaluateOnExit actions).
    const rehashed = { ...v1, hash: "0000000000000000" };
    expect(
      jobDefinitionDriver.diff(rehashed, current as NonNullable<typeof current>).map((c) => c.field),
    ).toStrictEqual(["tags.stepline:hash"]);

    const v2 = desiredFor("registry.example/train:2");
    const changes = jobDefinitionDriver.diff(v2, current as NonNullable<typeof current>);
    expect(changes).toStrictEqual([
      { field: "containerProperties.image", from: "registry.example/train:1", to: "registry.example/train:2" },
    ]);
    const updated = await jobDefinitionDriver.update(ctx, v2, current as NonNullable<typeof current>, changes);
    expect(updated?.arn).toMatch(/:2$/);
    // Revision 1 stays ACTIVE: a rollback to the previous state machine version submits to it.
    expect(await activeRevisions(aws, v2.name)).toStrictEqual([1, 2]);

    const after = await jobDefinitionDriver.read(aws, v2);
    expect(after?.state?.revision).toBe(2);
    expect(jobDefinitionDriver.diff(v2, after as NonNullable<typeof after>)).toStrictEqual([]);

    const owned = await jobDefinitionDriver.listOwned(aws, PIPELINE);
    expect(owned.map((o) => [o.key, o.arn])).toStrictEqual([[v2.key, after?.arn]]);
    expect(await jobDefinitionDriver.listOwned(aws, "other")).toStrictEqual([]);

    await jobDefinitionDriver.delete(ctx, after as NonNullable<typeof after>);
    expect(await activeRevisions(aws, v2.name)).toStrictEqual([]);
    expect(await jobDefinitionDriver.read(aws, v2)).toBeUndefined();
    expect(await jobDefinitionDriver.listOwned(aws, PIPELINE)).toStrictEqual([]);
  });

  it("finishes an interrupted update: same content, older revision still active", async () => {
    const aws = motoAws(moto);
    const ctx = applyContext(aws, PIPELINE);
    const v1 = desiredFor("registry.example/train:1");
    await jobDefinitionDriver.create(ctx, v1);
    // A revision registered with the same content but no hash tag yet (the run stopped there).
    const batch = await aws.client("batch");
    const { RegisterJobDefinitionCommand } = await aws.sdk("batch");
    const input = { ...v1.properties, architecture: undefined } as never;
    await batch.send(new RegisterJobDefinitionCommand(input));
    const current = await jobDefinitionDriver.read(aws, v1);
    expect(current?.state?.revision).toBe(2);
    const changes = jobDefinitionDriver.diff(v1, current as NonNullable<typeof current>);
    expect(changes.map((c) => c.field)).toStrictEqual(["tags.stepline:hash"]);
    await jobDefinitionDriver.update(ctx, v1, current as NonNullable<typeof current>, changes);
    expect(await activeRevisions(aws, v1.name)).toStrictEqual([1, 2]);
    const after = await jobDefinitionDriver.read(aws, v1);
    expect(jobDefinitionDriver.diff(v1, after as NonNullable<typeof after>)).toStrictEqual([]);
  });

  it(`keeps the newest ${KEPT_REVISIONS} owned revisions ACTIVE, deregisters older ones; delete deregisters all`, async () => {
    const aws = motoAws(moto);
    const ctx = applyContext(aws, PIPELINE);
    let last: Awaited<ReturnType<typeof jobDefinitionDriver.read>>;
    for (let image = 1; image <= KEPT_REVISIONS + 2; image++) {
      const want = desiredFor(`registry.example/train:${image}`);
      const current = await jobDefinitionDriver.read(aws, want);
      if (current === undefined) await jobDefinitionDriver.create(ctx, want);
      else await jobDefinitionDriver.update(ctx, want, current, jobDefinitionDriver.diff(want, current));
      last = await jobDefinitionDriver.read(aws, want);
    }
    expect(await activeRevisions(aws, "nightly-train")).toStrictEqual([3, 4, 5, 6, 7]);
    await jobDefinitionDriver.delete(ctx, last as NonNullable<typeof last>);
    expect(await activeRevisions(aws, "nightly-train")).toStrictEqual([]);
  });
});
