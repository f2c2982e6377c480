import type { BatchStepModel, PipelineModel } from "@stepline/core";
import { sortedRecord } from "../private/records.js";

/** Tags every Batch job of a step carries: pipeline tags, step tags, then stepline's own. */
export function jobTags(pipeline: PipelineModel, step: BatchStepModel): Record<string, string> {
  return sortedRecord({
    ...pipeline.tags,
    ...step.tags,
    "stepline:pipeline": pipeline.name,
    "stepline:step": step.name,
  });
}

/** Tags of the resources stepline creates for a pipeline. */
export function resourceTags(pipeline: PipelineModel): Record<string, string> {
  return sortedRecord({ ...pipeline.tags, "stepline:pipeline": pipeline.name });
}
