import type { IntegrationContext, LambdaStepModel, PipelineModel } from "@stepline/core";
import { describe, expect, test } from "vitest";
import { functionArn, parseFunctionName } from "./function-name.js";
import { lambdaIntegration } from "./integration.js";

const pipeline: PipelineModel = {
  kind: "stepline.pipeline",
  version: 1,
  name: "nightly",
  tags: {},
  input: { schema: {}, defaults: {}, required: [], types: {} },
  defaults: {},
  steps: [],
};
const ctx: IntegrationContext = { pipeline, defaults: {} };
const arn = "arn:aws:lambda:eu-west-1:123456789012:function:notify";
const notify: LambdaStepModel = {
  kind: "lambda",
  name: "notify",
  after: [],
  functionName: arn,
  payload: {
    run: { $ref: { source: "context", path: ["Execution", "Name"] } },
    rows: { $ref: { source: "step", step: "load", path: ["ExitCode"] } },
  },
};

describe("lambda: a function by ARN", () => {
  test("task", () => {
    expect(lambdaIntegration.task(notify, ctx)).toStrictEqual({
      resource: "arn:aws:states:::lambda:invoke",
      parameters: { FunctionName: arn, Payload: notify.payload },
      resultFields: { Payload: "Payload", StatusCode: "StatusCode" },
      serviceRetries: [
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
      ],
      summary: `Lambda function ${arn}`,
    });
  });

  test("iam and resources", () => {
    expect(lambdaIntegration.iam(notify, ctx)).toStrictEqual([
      { Sid: "LambdaInvokeFunctions", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [arn, `${arn}:*`] },
    ]);
    expect(lambdaIntegration.resources(notify, ctx)).toStrictEqual([
      { type: "lambda.function", name: arn, usedBy: ["notify"], managed: false, properties: { FunctionName: arn } },
    ]);
  });

  test("iam for a name with an alias uses placeholders and drops the alias", () => {
    const [statement] = lambdaIntegration.iam({ ...notify, functionName: "notify:prod" }, ctx);
    const base = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:notify";
    expect(statement?.Resource).toStrictEqual([base, `${base}:*`]);
  });
});

describe("lambda function names", () => {
  test.each([
    ["notify", { name: "notify" }],
    ["notify:prod", { name: "notify", qualifier: "prod" }],
    ["notify:$LATEST", { name: "notify", qualifier: "$LATEST" }],
    ["123456789012:function:notify:3", { account: "123456789012", name: "notify", qualifier: "3" }],
    [
      `${arn}:live`,
      { partition: "aws", region: "eu-west-1", account: "123456789012", name: "notify", qualifier: "live" },
    ],
    [
      "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f",
      { partition: "aws-us-gov", region: "us-gov-west-1", account: "123456789012", name: "f" },
    ],
  ])("%s", (value, expected) => {
    expect(parseFunctionName(value)).toStrictEqual(expected);
  });

  test("a partial ARN keeps its account", () => {
    const reference = parseFunctionName("123456789012:function:notify");
    expect(reference && functionArn(reference)).toBe(
      "arn:${AWS::Partition}:lambda:${AWS::Region}:123456789012:function:notify",
    );
  });

  test.each(["", "my function", "a:b:c", "arn:aws:lambda:eu-west-1:123:function:f", "x".repeat(65)])(
    "rejects %j",
    (value) => {
      expect(parseFunctionName(value)).toBeUndefined();
    },
  );
});

describe("lambda validation", () => {
  test("a valid step has no problem", () => {
    expect(lambdaIntegration.validate({ ...notify, timeoutSeconds: 900 }, ctx)).toStrictEqual([]);
  });

  test("SL_LAMBDA_TIMEOUT over 15 minutes, suggesting Batch", () => {
    const problems = lambdaIntegration.validate({ ...notify, timeoutSeconds: 901 }, ctx);
    expect(problems.map((p) => p.code)).toStrictEqual(["SL_LAMBDA_TIMEOUT"]);
    expect(problems[0]).toMatchObject({ step: "notify", field: "timeoutSeconds" });
    expect(problems[0]?.fix).toContain("Batch");
  });

  test("SL_LAMBDA_FUNCTION_NAME on a malformed name", () => {
    const problems = lambdaIntegration.validate({ ...notify, functionName: "notify me" }, ctx);
    expect(problems.map((p) => p.code)).toStrictEqual(["SL_LAMBDA_FUNCTION_NAME"]);
    expect(problems[0]).toMatchObject({ step: "notify", field: "functionName" });
    expect(problems[0]?.message).toContain("'notify me'");
  });
});
