import { describe, expect, it } from "vitest";
import type { StateMachineJson } from "../asl/types.js";
import type { ResourceSpec } from "../compile/integration.js";
import type { Manifest } from "../compile/result.js";
import { isSteplineError, type SteplineError } from "../errors/problem.js";
import type { DeployModel, PipelineModel } from "../model/pipeline.js";
import { testPipeline } from "../testing/model.js";
import { batchExecutionRoleName, batchJobRoleName, ecrRepositoryArn } from "./batch-roles.js";
import { cloudFormationTemplate } from "./cloudformation.js";
import type { DeployTarget, DesiredResource } from "./contract.js";
import { desiredResources } from "./desired.js";

const target: DeployTarget = { partition: "aws", region: "eu-west-1", accountId: "111122223333" };
const definition = { StartAt: "x", States: { x: { Type: "Succeed" } } } as unknown as StateMachineJson;

function jobDefinition(
  name: string,
  step: string,
  container: ResourceSpec["properties"],
  managed = true,
): ResourceSpec {
  return {
    type: "batch.jobDefinition",
    name,
    usedBy: [step],
    managed,
    properties: { jobDefinitionName: name, type: "container", containerProperties: { command: [], ...container } },
  };
}

/** Three managed job definitions (two ECR images, one public; secrets of both stores) and the user's own. */
const JOB_DEFINITIONS: readonly ResourceSpec[] = [
  jobDefinition("p-extract", "extract", {
    image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/sales-etl:1.8.2",
    secrets: [
      { name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-ro" },
      // A JSON key of a secret given by its full ARN.
      { name: "API_TOKEN", valueFrom: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-AbCdEf:token::" },
    ],
  }),
  jobDefinition("p-load", "load", {
    image: "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/loader@sha256:0123abcd",
    secrets: [{ name: "WAREHOUSE_PASSWORD", valueFrom: "arn:aws:ssm:eu-west-1:111122223333:parameter/warehouse/pw" }],
  }),
  jobDefinition("p-tool", "tool", { image: "busybox:1.36" }),
  jobDefinition("theirs", "legacy", { image: "x", secrets: [{ name: "S", valueFrom: "arn:aws:ssm:x" }] }, false),
];

function manifest(resources: readonly ResourceSpec[] = JOB_DEFINITIONS): Manifest {
  return {
    pipeline: "p",
    tags: { team: "t" },
    queryLanguage: "JSONPath",
    input: { schema: {}, defaults: {}, required: [], types: {} },
    resources,
    iam: { stateMachineRole: { statements: [] } },
    report: {} as Manifest["report"],
  };
}

const model = (deploy?: DeployModel): PipelineModel => ({
  ...testPipeline([]),
  name: "p",
  ...(deploy === undefined ? {} : { deploy }),
});

function desired(deploy?: DeployModel, resources?: readonly ResourceSpec[]): DesiredResource[] {
  return desiredResources({ stateMachine: definition, manifest: manifest(resources) }, model(deploy), target);
}

const byKey = (resources: readonly DesiredResource[], key: string) => resources.find((r) => r.key === key);
const container = (r: DesiredResource | undefined) => r?.properties.containerProperties as Record<string, unknown>;

function thrown(fn: () => unknown): SteplineError {
  try {
    fn();
  } catch (error) {
    if (isSteplineError(error)) return error;
    throw error;
  }
  return expect.unreachable("expected a SteplineError");
}

const EXEC = "iam.role:stepline-p-batch-exec";
const JOB = "iam.role:stepline-p-batch-job";

describe("Batch job and execution roles", () => {
  it("batchRoles: an execution role with exactly what the job definitions need, a job role without permissions", () => {
    const resources = desired({ batchRoles: true });
    const exec = byKey(resources, EXEC);
    expect(exec?.properties).toStrictEqual({
      RoleName: "stepline-p-batch-exec",
      Path: "/",
      Description: "stepline: pulls the images, reads the secrets and writes the logs of the Batch jobs of pipeline p",
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
          },
        ],
      },
      Policies: {
        stepline: {
          Version: "2012-10-17",
          Statement: [
            { Sid: "PullImagesToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] },
            {
              Sid: "PullImages",
              Effect: "Allow",
              Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
              // The image's own account and region; busybox is not an ECR image.
              Resource: [
                "arn:aws:ecr:eu-west-1:111122223333:repository/loader",
                "arn:aws:ecr:eu-west-1:123456789012:repository/team/sales-etl",
              ],
            },
            {
              Sid: "WriteJobLogs",
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
              Resource: [
                "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/batch/job",
                "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/batch/job:*",
              ],
            },
            {
              Sid: "ReadSecrets",
              Effect: "Allow",
              Action: ["secretsmanager:GetSecretValue"],
              // The secret (JSON key dropped), also with the random suffix a valueFrom may leave out.
              Resource: [
                "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-AbCdEf",
                "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-AbCdEf-??????",
                "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-ro",
                "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-ro-??????",
              ],
            },
            {
              Sid: "ReadParameters",
              Effect: "Allow",
              Action: ["ssm:GetParameters"],
              Resource: ["arn:aws:ssm:eu-west-1:111122223333:parameter/warehouse/pw"],
            },
          ],
        },
      },
      Tags: { team: "t", "stepline:pipeline": "p" },
    });
    const job = byKey(resources, JOB);
    expect(job?.properties.Policies).toStrictEqual({});
    expect(job?.properties.AssumeRolePolicyDocument).toStrictEqual(exec?.properties.AssumeRolePolicyDocument);
    expect(job?.properties.Description).toContain("attach what your jobs need");

    for (const name of ["p-extract", "p-load", "p-tool"]) {
      const d = byKey(resources, `batch.jobDefinition:${name}`);
      expect(container(d)).toMatchObject({
        executionRoleArn: "arn:aws:iam::111122223333:role/stepline-p-batch-exec",
        jobRoleArn: "arn:aws:iam::111122223333:role/stepline-p-batch-job",
      });
      expect(d?.dependsOn).toStrictEqual([EXEC, JOB]);
    }
    // The user's own job definition is only referenced: never given roles.
    const theirs = byKey(resources, "batch.jobDefinition:theirs");
    expect(container(theirs).executionRoleArn).toBeUndefined();
    expect(theirs?.dependsOn).toStrictEqual([]);
    expect(byKey(resources, "sfn.stateMachine:p")?.dependsOn).toEqual(expect.arrayContaining([EXEC, JOB]));
  });

  it("an execution role without images from ECR or secrets may only write logs", () => {
    const resources = desired({ batchRoles: true }, [JOB_DEFINITIONS[2] as ResourceSpec]);
    const policy = byKey(resources, EXEC)?.properties.Policies as { stepline: { Statement: { Sid: string }[] } };
    expect(policy.stepline.Statement.map((s) => s.Sid)).toStrictEqual(["WriteJobLogs"]);
  });

  it("no roles without managed job definitions, nor without batchRoles (and then no role ARNs)", () => {
    const roles = (r: DesiredResource[]) => r.filter((d) => d.type === "iam.role").map((d) => d.name);
    expect(roles(desired({ batchRoles: true }, [JOB_DEFINITIONS[3] as ResourceSpec]))).toStrictEqual([
      "stepline-p-sfn",
    ]);
    const plain = desired(undefined, [JOB_DEFINITIONS[2] as ResourceSpec]);
    expect(roles(plain)).toStrictEqual(["stepline-p-sfn"]);
    expect(container(byKey(plain, "batch.jobDefinition:p-tool"))).toStrictEqual({ command: [], image: "busybox:1.36" });
  });

  it("role names are clipped to IAM's 64 characters", () => {
    const long = "x".repeat(80);
    expect(batchExecutionRoleName(long)).toBe(`stepline-${"x".repeat(44)}-batch-exec`);
    expect(batchExecutionRoleName(long)).toHaveLength(64);
    expect(batchJobRoleName(long)).toHaveLength(64);
    expect(batchJobRoleName(long).endsWith("-batch-job")).toBe(true);
    expect(batchExecutionRoleName("p")).toBe("stepline-p-batch-exec");
  });

  it("ECR repository ARNs from image URIs", () => {
    expect(ecrRepositoryArn("123456789012.dkr.ecr.us-east-1.amazonaws.com/a/b/c:1.0")).toBe(
      "arn:${AWS::Partition}:ecr:us-east-1:123456789012:repository/a/b/c",
    );
    expect(ecrRepositoryArn("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/repo@sha256:ab12")).toBe(
      "arn:${AWS::Partition}:ecr:cn-north-1:123456789012:repository/repo",
    );
    expect(ecrRepositoryArn("123456789012.dkr.ecr.us-east-1.amazonaws.com/repo")).toBe(
      "arn:${AWS::Partition}:ecr:us-east-1:123456789012:repository/repo",
    );
    for (const other of ["busybox:1.36", "public.ecr.aws/docker/library/python:3.12", "ghcr.io/o/r:1"]) {
      expect(ecrRepositoryArn(other)).toBeUndefined();
    }
  });

  it("roles passed instead: none created, their ARNs on the job definitions; only the missing one created", () => {
    const passed = desired({
      batchRoles: true,
      roles: { batchExecution: "my-exec", batchJob: "arn:aws:iam::111122223333:role/my-job" },
    });
    expect(byKey(passed, EXEC)).toBeUndefined();
    expect(byKey(passed, JOB)).toBeUndefined();
    const extract = byKey(passed, "batch.jobDefinition:p-extract");
    expect(container(extract)).toMatchObject({
      executionRoleArn: "arn:aws:iam::111122223333:role/my-exec",
      jobRoleArn: "arn:aws:iam::111122223333:role/my-job",
    });
    expect(extract?.dependsOn).toStrictEqual([]);

    const execOnly = desired({ roles: { batchExecution: "arn:aws:iam::111122223333:role/my-exec" } });
    expect(byKey(execOnly, EXEC)).toBeUndefined();
    expect(container(byKey(execOnly, "batch.jobDefinition:p-load")).jobRoleArn).toBeUndefined();
    const jobCreated = desired({ batchRoles: true, roles: { batchExecution: "my-exec" } });
    expect(byKey(jobCreated, EXEC)).toBeUndefined();
    expect(byKey(jobCreated, JOB)).toBeDefined();
  });

  it("a passed role of another account or partition is refused like the other roles", () => {
    for (const [roles, field] of [
      [{ batchExecution: "arn:aws:iam::999999999999:role/x" }, "deploy.roles.batchExecution"],
      [{ batchExecution: "e", batchJob: "arn:aws-cn:iam::111122223333:role/x" }, "deploy.roles.batchJob"],
    ] as const) {
      const error = thrown(() => desired({ roles }));
      expect(error.code).toBe("SL_DEPLOY_ROLE_FOREIGN");
      expect(error.problems[0]?.field).toBe(field);
    }
  });

  it("secrets without an execution role: SL_DEPLOY_BATCH_EXECUTION_ROLE naming every such step, with the fix", () => {
    for (const deploy of [undefined, { roles: { batchJob: "my-job" } }]) {
      const error = thrown(() => desired(deploy));
      expect(error.code).toBe("SL_DEPLOY_BATCH_EXECUTION_ROLE");
      expect(error.kind).toBe("user");
      expect(error.problems.map((p) => p.step)).toStrictEqual(["extract", "load"]);
      expect(error.problems[0]?.message).toContain("steps with secrets: extract, load");
      expect(error.problems[0]?.fix).toContain("deploy.batchRoles: true");
      expect(error.problems[0]?.fix).toContain("deploy.roles.batchExecution");
    }
    // The export refuses it as deploy does.
    const cfn = thrown(() => cloudFormationTemplate(definition, manifest(), model()));
    expect(cfn.code).toBe("SL_DEPLOY_BATCH_EXECUTION_ROLE");
  });

  it("the CloudFormation export: the same roles and statements, the job definitions' role ARNs", () => {
    const t = cloudFormationTemplate(definition, manifest(), model({ batchRoles: true }));
    const exec = t.Resources.BatchExecutionRole;
    expect(exec?.Properties.RoleName).toBe("stepline-p-batch-exec");
    expect(exec?.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Principal: { Service: "ecs-tasks.amazonaws.com" } }],
    });
    const deployed = byKey(desired({ batchRoles: true }), EXEC)?.properties.Policies as {
      stepline: { Statement: unknown };
    };
    // Substituted for the deploy target, the template's statements are deploy's.
    const substituted = JSON.parse(
      JSON.stringify(exec?.Properties.Policies)
        .replace(/\{"Fn::Sub":("[^"]*")\}/g, "$1")
        .replaceAll("${AWS::Partition}", "aws")
        .replaceAll("${AWS::Region}", "eu-west-1")
        .replaceAll("${AWS::AccountId}", "111122223333"),
    );
    expect(substituted).toStrictEqual([
      { PolicyName: "stepline", PolicyDocument: { Version: "2012-10-17", Statement: deployed.stepline.Statement } },
    ]);
    expect(t.Resources.BatchJobRole?.Properties.Policies).toBeUndefined();
    expect(t.Resources.JobDefinitionPExtract?.Properties.ContainerProperties).toMatchObject({
      ExecutionRoleArn: { "Fn::GetAtt": ["BatchExecutionRole", "Arn"] },
      JobRoleArn: { "Fn::GetAtt": ["BatchJobRole", "Arn"] },
    });

    const passed = cloudFormationTemplate(
      definition,
      manifest(),
      model({ roles: { batchExecution: "my-exec", batchJob: "arn:aws:iam::111122223333:role/my-job" } }),
    );
    expect(passed.Resources.BatchExecutionRole).toBeUndefined();
    expect(passed.Resources.BatchJobRole).toBeUndefined();
    expect(passed.Resources.JobDefinitionPLoad?.Properties.ContainerProperties).toMatchObject({
      ExecutionRoleArn: { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/my-exec" },
      JobRoleArn: "arn:aws:iam::111122223333:role/my-job",
    });
  });
});
