import type { GlueStepModel, PipelineModel } from "@stepline/core";
import { awsName } from "../private/names.js";

/** The name of the Glue job stepline creates for a step: `<pipeline>-<step>`, at most 255 characters. */
export function glueJobName(pipeline: Pick<PipelineModel, "name">, step: Pick<GlueStepModel, "name">): string {
  return awsName([pipeline.name, step.name], 255);
}

/** The Glue job a step runs: the existing one it names, or the managed one. */
export function stepGlueJob(step: GlueStepModel, pipeline: Pick<PipelineModel, "name">): string {
  return step.jobName ?? glueJobName(pipeline, step);
}
