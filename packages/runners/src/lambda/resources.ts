import type { IntegrationContext, LambdaStepModel, ResourceSpec } from "@stepline/core";

/** The function a step invokes, as given (with its alias or version); checked to exist, not created. */
export function lambdaResources(step: LambdaStepModel, _ctx: IntegrationContext): ResourceSpec[] {
  return [
    {
      type: "lambda.function",
      name: step.functionName,
      usedBy: [step.name],
      managed: false,
      properties: { FunctionName: step.functionName },
    },
  ];
}
