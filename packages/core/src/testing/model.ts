import type { LambdaStepModel, PipelineModel, StepModel } from "../model/pipeline.js";

/** A pipeline model built from plain steps, for tests. */
export function testPipeline(steps: readonly StepModel[], overrides: Partial<PipelineModel> = {}): PipelineModel {
  return {
    kind: "stepline.pipeline",
    version: 1,
    name: "test",
    tags: {},
    input: { schema: { type: "object" }, defaults: {}, required: [], types: {} },
    defaults: {},
    steps,
    ...overrides,
  };
}

/** A Lambda step with explicit dependencies, for tests. */
export function testStep(
  name: string,
  after: readonly string[] = [],
  extra: Partial<LambdaStepModel> = {},
): LambdaStepModel {
  return { kind: "lambda", name, after, functionName: name, payload: {}, ...extra };
}
