import { type IntegrationContext, type LambdaStepModel, type Problem, problem } from "@stepline/core";
import { parseFunctionName } from "./function-name.js";

/** Lambda's hard limit on one invocation. */
export const MAX_LAMBDA_SECONDS = 900;

/** A Lambda step's timeout and function name. */
export function validateLambda(step: LambdaStepModel, _ctx: IntegrationContext): Problem[] {
  const problems: Problem[] = [];
  if (step.timeoutSeconds !== undefined && step.timeoutSeconds > MAX_LAMBDA_SECONDS) {
    problems.push(
      problem(
        "SL_LAMBDA_TIMEOUT",
        `timeoutSeconds is ${step.timeoutSeconds}; a Lambda invocation stops after ${MAX_LAMBDA_SECONDS} seconds (15 minutes).`,
        `Set timeoutSeconds to ${MAX_LAMBDA_SECONDS} or less, or make the step a Batch step (batch()) for long-running work.`,
        { step: step.name, field: "timeoutSeconds" },
      ),
    );
  }
  if (parseFunctionName(step.functionName) === undefined) {
    problems.push(
      problem(
        "SL_LAMBDA_FUNCTION_NAME",
        `functionName '${step.functionName}' is not a Lambda function name or ARN.`,
        "Use a function name (letters, digits, '-', '_', up to 64), optionally with ':alias' or ':version', or an ARN 'arn:aws:lambda:<region>:<account>:function:<name>'.",
        { step: step.name, field: "functionName" },
      ),
    );
  }
  return problems;
}
