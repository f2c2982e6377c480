import { GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { type DesiredResource, resourceKey } from "@stepline/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { awsContext } from "./aws.js";
import { lambdaFunctionDriver, readFunction } from "./lambda.js";
import { allDrivers } from "./registry.js";

const lambda = mockClient(LambdaClient);
beforeEach(() => lambda.reset());

const aws = () => awsContext({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
const notFound = Object.assign(new Error("Function not found"), { name: "ResourceNotFoundException" });
const ARN = "arn:aws:lambda:eu-west-1:123456789012:function:notify";

function referenced(name: string): DesiredResource {
  return {
    key: resourceKey("lambda.function", name),
    type: "lambda.function",
    name,
    managed: false,
    properties: { FunctionName: name },
    dependsOn: [],
    hash: "h",
    usedBy: ["notify"],
  };
}

/** The input and the region of each GetFunction call. */
async function calls(): Promise<[unknown, string][]> {
  return Promise.all(
    lambda.commandCalls(GetFunctionCommand).map(async (c) => {
      const client = c.thisValue as LambdaClient;
      return [c.args[0].input, await client.config.region()] as [unknown, string];
    }),
  );
}

describe("lambda.function (referenced only)", () => {
  it("reads a function by name in the deploy's region", async () => {
    lambda.on(GetFunctionCommand).resolves({ Configuration: { FunctionName: "notify", FunctionArn: ARN } });
    const current = await lambdaFunctionDriver.read(aws(), referenced("notify"));
    expect(current).toStrictEqual({
      key: "lambda.function:notify",
      type: "lambda.function",
      name: "notify",
      arn: ARN,
      properties: { FunctionName: "notify" },
      tags: {},
    });
    expect(await calls()).toStrictEqual([[{ FunctionName: "notify" }, "us-east-1"]]);
    expect(lambdaFunctionDriver.diff(referenced("notify"), current as NonNullable<typeof current>)).toStrictEqual([]);
  });

  it("asks the region an ARN names, with its qualifier apart ($LATEST always exists)", async () => {
    lambda.on(GetFunctionCommand).resolves({ Configuration: { FunctionArn: ARN } });
    await readFunction(aws(), `${ARN}:live`);
    await readFunction(aws(), "123456789012:function:notify:$LATEST");
    expect(await calls()).toStrictEqual([
      [{ FunctionName: ARN, Qualifier: "live" }, "eu-west-1"],
      [{ FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:notify" }, "us-east-1"],
    ]);
  });

  it("a missing function reads as undefined; other errors pass through", async () => {
    lambda.on(GetFunctionCommand).rejectsOnce(notFound).rejectsOnce(new Error("boom"));
    expect(await lambdaFunctionDriver.read(aws(), referenced("gone"))).toBeUndefined();
    await expect(lambdaFunctionDriver.read(aws(), referenced("gone"))).rejects.toThrow("boom");
  });

  it("owns nothing and never changes a function", async () => {
    expect(allDrivers().map((d) => d.type)).toContain("lambda.function");
    expect(await lambdaFunctionDriver.listOwned(aws(), "p")).toStrictEqual([]);
    const ctx = {
      aws: aws(),
      pipeline: "p",
      desired: new Map(),
      outputs: new Map(),
      retryWhileRoleNotReady: <T>(_what: string, fn: () => Promise<T>) => fn(),
    };
    expect(() => lambdaFunctionDriver.create(ctx, referenced("notify"))).toThrow(/only referenced/);
    expect(lambda.calls()).toHaveLength(0);
  });
});
