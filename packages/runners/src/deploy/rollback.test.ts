import { BatchClient, DescribeJobDefinitionsCommand } from "@aws-sdk/client-batch";
import {
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  SFNClient,
  UpdateStateMachineAliasCommand,
} from "@aws-sdk/client-sfn";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { isSteplineError, stateMachineConfigHash } from "@stepline/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { awsContext } from "./aws.js";
import { rollbackAlias } from "./sfn.js";

/** `stepline rollback` against mocked clients: it only moves the alias to a version whose job definitions can run. */

const sfn = mockClient(SFNClient);
const batch = mockClient(BatchClient);
const sts = mockClient(STSClient);

const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:p";
const REVISION = (n: number) => `arn:aws:batch:us-east-1:123456789012:job-definition/p-train:${n}`;
const definition = (revision: number) =>
  JSON.stringify({
    StartAt: "train",
    States: {
      train: {
        Type: "Task",
        Resource: "arn:aws:states:::batch:submitJob.sync",
        Parameters: { JobName: "train", JobQueue: "q", JobDefinition: REVISION(revision) },
        End: true,
      },
    },
  });

beforeEach(() => {
  sfn.reset();
  batch.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/u" });
  sfn.on(DescribeStateMachineAliasCommand).resolves({
    description: "stepline: config abc",
    routingConfiguration: [{ stateMachineVersionArn: `${MACHINE}:2`, weight: 100 }],
  });
  sfn.on(DescribeStateMachineCommand, { stateMachineArn: `${MACHINE}:2` }).resolves({ definition: definition(2) });
  sfn.on(DescribeStateMachineCommand, { stateMachineArn: `${MACHINE}:1` }).resolves({ definition: definition(1) });
  sfn.on(UpdateStateMachineAliasCommand).resolves({});
});

const aws = () => awsContext({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });

describe("rollbackAlias", () => {
  it("moves live to the previous version when its job definition revisions are ACTIVE", async () => {
    batch.on(DescribeJobDefinitionsCommand).resolves({
      jobDefinitions: [{ jobDefinitionArn: REVISION(1), status: "ACTIVE" } as never],
    });
    expect(await rollbackAlias(aws(), "p")).toStrictEqual({
      aliasArn: `${MACHINE}:live`,
      from: `${MACHINE}:2`,
      to: `${MACHINE}:1`,
    });
    expect(batch.commandCalls(DescribeJobDefinitionsCommand)[0]?.args[0].input).toStrictEqual({
      jobDefinitions: [REVISION(1)],
    });
    expect(sfn.commandCalls(UpdateStateMachineAliasCommand)[0]?.args[0].input.routingConfiguration).toStrictEqual([
      { stateMachineVersionArn: `${MACHINE}:1`, weight: 100 },
    ]);
    // The alias records the config of the version it now points at: a plan shows it behind the code.
    const hash = stateMachineConfigHash({ definition: JSON.parse(definition(1)), roleArn: "" });
    expect(sfn.commandCalls(UpdateStateMachineAliasCommand)[0]?.args[0].input.description).toBe(
      `stepline: config ${hash} (rollback to version 1, was 2)`,
    );
  });

  it("refuses (exit 2), leaving live where it is, when a revision is no longer ACTIVE", async () => {
    batch.on(DescribeJobDefinitionsCommand).resolves({
      jobDefinitions: [{ jobDefinitionArn: REVISION(1), status: "INACTIVE" } as never],
    });
    const error = await rollbackAlias(aws(), "p").catch((e: unknown) => e);
    if (!isSteplineError(error)) throw error;
    expect(error.kind).toBe("user");
    expect(error.problems[0]?.code).toBe("SL_ROLLBACK_REVISION_INACTIVE");
    expect(error.problems[0]?.message).toContain("p-train:1");
    expect(error.problems[0]?.message).toContain("stays on version 2");
    expect(error.problems[0]?.fix).toContain("stepline deploy");
    expect(sfn.commandCalls(UpdateStateMachineAliasCommand)).toHaveLength(0);
  });
});
