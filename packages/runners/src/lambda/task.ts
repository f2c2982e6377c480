import type { IntegrationContext, LambdaStepModel, RetrierJson, TaskSpec } from "@stepline/core";

/** Step Functions' optimized Lambda integration (request-response). */
export const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";

/** Lambda's transient invoke errors, as Step Functions names them. */
export const LAMBDA_SERVICE_RETRIES: readonly RetrierJson[] = [
  {
    ErrorEquals: [
      "Lambda.ServiceException",
      "Lambda.AWSLambdaException",
      "Lambda.SdkClientException",
      "Lambda.TooManyRequestsException",
    ],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: "FULL",
  },
];

/** The Task spec of a Lambda step: invoke with the payload, keep its Payload and StatusCode. */
export function lambdaTask(step: LambdaStepModel, _ctx: IntegrationContext): TaskSpec {
  return {
    resource: LAMBDA_INVOKE,
    parameters: { FunctionName: step.functionName, Payload: step.payload },
    resultFields: { Payload: "Payload", StatusCode: "StatusCode" },
    serviceRetries: LAMBDA_SERVICE_RETRIES.map((retrier) => ({ ...retrier, ErrorEquals: [...retrier.ErrorEquals] })),
    summary: `Lambda function ${step.functionName}`,
  };
}
