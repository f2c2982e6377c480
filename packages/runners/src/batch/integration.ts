import type { BatchStepModel, Integration } from "@stepline/core";
import { batchIam } from "./iam.js";
import { batchResources } from "./resources.js";
import { batchTask } from "./task.js";
import { validateBatch } from "./validate.js";

/** AWS Batch steps: Docker jobs submitted with `batch:submitJob.sync`, Spot first. */
export const batchIntegration: Integration<BatchStepModel> = {
  kind: "batch",
  validate: validateBatch,
  task: batchTask,
  iam: batchIam,
  resources: batchResources,
};
