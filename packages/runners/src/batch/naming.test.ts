import { type BatchStepModel, type IntegrationContext, testPipeline } from "@stepline/core";
import { describe, expect, it } from "vitest";
import { batchIntegration } from "./integration.js";
import { fallbackJobQueue, primaryJobQueue } from "./naming.js";

const step: BatchStepModel = {
  kind: "batch",
  name: "train",
  after: [],
  image: "img",
  command: [],
  vcpus: 1,
  memoryMiB: 2048,
  environment: {},
  secrets: {},
  architecture: "arm64",
  capacity: "spot-then-on-demand",
  tags: {},
};

function context(compute: boolean, defaults: IntegrationContext["defaults"] = {}): IntegrationContext {
  const pipeline = testPipeline([step], {
    name: "nightly",
    defaults,
    ...(compute ? { deploy: { compute: { subnets: ["subnet-1"], securityGroups: ["sg-1"] } } } : {}),
  });
  return { pipeline, defaults };
}

describe("job queues with and without deploy.compute", () => {
  it("references the shared default queues without deploy.compute", () => {
    const ctx = context(false);
    expect([primaryJobQueue(step, ctx), fallbackJobQueue(step, ctx)]).toStrictEqual([
      "stepline-spot-arm64",
      "stepline-on-demand-arm64",
    ]);
    const queues = batchIntegration.resources(step, ctx).filter((r) => r.type === "batch.jobQueue");
    expect(queues.map((q) => q.managed)).toStrictEqual([false, false]);
  });

  it("uses the pipeline's own managed queues with deploy.compute", () => {
    const ctx = context(true);
    const queues = batchIntegration.resources(step, ctx).filter((r) => r.type === "batch.jobQueue");
    expect(queues.map((q) => [q.name, q.managed, q.properties.capacity])).toStrictEqual([
      ["stepline-nightly-spot-arm64", true, "spot"],
      ["stepline-nightly-on-demand-arm64", true, "on-demand"],
    ]);
    // The Task state submits to the same queue.
    expect(batchIntegration.task(step, ctx).parameters.JobQueue).toBe("stepline-nightly-spot-arm64");
  });

  it("keeps queues the step or the pipeline names as references, even with deploy.compute", () => {
    const ctx = context(true, { onDemandJobQueue: "shared-od" });
    const queues = batchIntegration
      .resources({ ...step, jobQueue: "my-spot" }, ctx)
      .filter((r) => r.type === "batch.jobQueue");
    expect(queues.map((q) => [q.name, q.managed])).toStrictEqual([
      ["my-spot", false],
      ["shared-od", false],
    ]);
  });
});
