import type { IamStatement, IntegrationContext, LambdaStepModel } from "@stepline/core";
import { functionArn, parseFunctionName } from "./function-name.js";

/** Invoke the function, any of its versions and aliases (`<arn>:*`). */
export function lambdaIam(step: LambdaStepModel, _ctx: IntegrationContext): IamStatement[] {
  const reference = parseFunctionName(step.functionName);
  // An invalid name is reported by validate; the statement still names what was given.
  const arn = reference ? functionArn(reference) : step.functionName;
  return [
    {
      Sid: "LambdaInvokeFunctions",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: [arn, `${arn}:*`],
    },
  ];
}
