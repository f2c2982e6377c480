import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import { type CurrentResource, type DesiredResource, internalError } from "@stepline/core";
import { parseFunctionName } from "../lambda/function-name.js";
import { type AwsContext, partitionOf } from "./aws.js";
import type { ResourceDriver } from "./driver.js";
import { unlessMissing } from "./errors.js";

/**
 * Lambda functions steps invoke. stepline never creates, changes or deletes
 * them (they are the user's, deployed with their own tooling): plan and
 * deploy only check that each exists, and `stepline doctor` does the same.
 */

/**
 * GetFunction on a function as a step names it (`name`, `name:alias`,
 * `123456789012:function:name`, or an ARN, which may be in another region:
 * the call goes to that region). Undefined when it does not exist.
 */
export async function readFunction(aws: AwsContext, functionName: string): Promise<FunctionConfiguration | undefined> {
  const reference = parseFunctionName(functionName);
  const region = reference?.region ?? aws.region;
  const name =
    reference?.account === undefined
      ? (reference?.name ?? functionName)
      : `arn:${reference.partition ?? partitionOf(region)}:lambda:${region}:${reference.account}:function:${reference.name}`;
  // `$LATEST` exists whenever the function does (and moto cannot look it up by qualifier).
  const qualifier = reference?.qualifier === "$LATEST" ? undefined : reference?.qualifier;
  const lambda = await aws.client("lambda", region);
  const { GetFunctionCommand } = await aws.sdk("lambda");
  const out = await unlessMissing(
    () =>
      lambda.send(
        new GetFunctionCommand({ FunctionName: name, ...(qualifier === undefined ? {} : { Qualifier: qualifier }) }),
      ),
    "ResourceNotFoundException",
  );
  return out === undefined ? undefined : (out.Configuration ?? {});
}

async function read(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined> {
  const found = await readFunction(aws, desired.name);
  if (found === undefined) return undefined;
  return {
    key: desired.key,
    type: "lambda.function",
    name: desired.name,
    ...(found.FunctionArn === undefined ? {} : { arn: found.FunctionArn }),
    properties: { FunctionName: desired.name },
    tags: {},
  };
}

const referencedOnly = (): never => {
  throw internalError("stepline never creates, changes or deletes Lambda functions: they are only referenced");
};

export const lambdaFunctionDriver: ResourceDriver = {
  type: "lambda.function",
  read,
  // Nothing of Lambda's is stepline's: never an orphan to delete.
  listOwned: async () => [],
  diff: () => [],
  create: referencedOnly,
  update: referencedOnly,
  delete: referencedOnly,
};
