import type { Integration, LambdaStepModel } from "@stepline/core";
import { lambdaIam } from "./iam.js";
import { lambdaResources } from "./resources.js";
import { lambdaTask } from "./task.js";
import { validateLambda } from "./validate.js";

/** AWS Lambda steps: light work invoked with `lambda:invoke`. */
export const lambdaIntegration: Integration<LambdaStepModel> = {
  kind: "lambda",
  validate: validateLambda,
  task: lambdaTask,
  iam: lambdaIam,
  resources: lambdaResources,
};
