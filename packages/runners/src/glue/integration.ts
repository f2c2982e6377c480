import type { GlueStepModel, Integration } from "@stepline/core";
import { glueIam } from "./iam.js";
import { glueResources } from "./resources.js";
import { glueTask } from "./task.js";
import { validateGlue } from "./validate.js";

/** AWS Glue steps: Spark, Python-shell and Ray job runs with `glue:startJobRun.sync`. */
export const glueIntegration: Integration<GlueStepModel> = {
  kind: "glue",
  validate: validateGlue,
  task: glueTask,
  iam: glueIam,
  resources: glueResources,
};
