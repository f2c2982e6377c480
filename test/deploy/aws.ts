import { type AwsContext, awsContext } from "@stepline/runners/deploy";

/**
 * AWS access for the deploy tests: moto's endpoint, fake credentials, one
 * attempt per call (moto answers unimplemented calls with HTTP 500, which
 * the SDK would retry).
 */
export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

export const fakeCredentials = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

/** Environment of a CLI process pointed at moto. */
export function motoEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: fakeCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: fakeCredentials.secretAccessKey,
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: endpoint,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_MAX_ATTEMPTS: "1",
  };
}

export function motoAws(endpoint: string, region = REGION): AwsContext {
  return awsContext({ region, endpoint, credentials: fakeCredentials, maxAttempts: 1, sleep: async () => {} });
}

/**
 * An empty zip archive (just its end-of-central-directory record): code
 * enough for moto's CreateFunction, which stores it without unpacking.
 */
export const EMPTY_ZIP = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

/** A role `service` may assume (moto checks that Batch's and Lambda's roles exist). */
async function createRole(aws: AwsContext, name: string, service: string): Promise<void> {
  const iam = await aws.client("iam");
  const { CreateRoleCommand } = await aws.sdk("iam");
  await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
      }),
    }),
  );
}

/**
 * Lambda functions, by name (in the context's region) or ARN (in its
 * region). moto needs an existing role and some code; it creates the
 * function without Docker (only invoking would need it).
 */
export async function seedFunctions(aws: AwsContext, functions: readonly string[]): Promise<void> {
  if (functions.length === 0) return;
  await createRole(aws, "seeded-lambda", "lambda.amazonaws.com");
  const { CreateFunctionCommand } = await aws.sdk("lambda");
  for (const fn of functions) {
    const arn = fn.startsWith("arn:") ? fn.split(":") : undefined;
    const lambda = await aws.client("lambda", arn?.[3] ?? aws.region);
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: arn?.[6] ?? fn,
        Role: `arn:aws:iam::${ACCOUNT}:role/seeded-lambda`,
        Runtime: "python3.12",
        Handler: "index.handler",
        Code: { ZipFile: EMPTY_ZIP },
      }),
    );
  }
}

/**
 * What the examples reference without creating: job queues (on an unmanaged
 * compute environment), Glue jobs, Lambda functions, and the roles those need.
 */
export async function seedReferences(
  aws: AwsContext,
  queues: readonly string[],
  glueJobs: readonly string[],
  functions: readonly string[] = [],
): Promise<void> {
  await seedFunctions(aws, functions);
  await createRole(aws, "batch-service", "batch.amazonaws.com");
  const batch = await aws.client("batch");
  const batchSdk = await aws.sdk("batch");
  const ce = await batch.send(
    new batchSdk.CreateComputeEnvironmentCommand({
      computeEnvironmentName: "seeded-unmanaged",
      type: "UNMANAGED",
      state: "ENABLED",
      serviceRole: `arn:aws:iam::${ACCOUNT}:role/batch-service`,
    }),
  );
  for (const name of queues) {
    await batch.send(
      new batchSdk.CreateJobQueueCommand({
        jobQueueName: name,
        state: "ENABLED",
        priority: 1,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce.computeEnvironmentArn ?? "" }],
      }),
    );
  }
  const glue = await aws.client("glue");
  const glueSdk = await aws.sdk("glue");
  for (const name of glueJobs) {
    await glue.send(
      new glueSdk.CreateJobCommand({
        Name: name,
        Role: `arn:aws:iam::${ACCOUNT}:role/batch-service`,
        Command: { Name: "glueetl", ScriptLocation: "s3://seeded/job.py" },
      }),
    );
  }
}

/** The referenced resources of the examples and the fixtures. */
export const EXAMPLE_QUEUES = [
  "stepline-spot-x86_64",
  "stepline-on-demand-x86_64",
  "analytics-spot",
  "ml-graviton-spot",
  "ml-graviton-on-demand",
  "fixture-queue",
] as const;
export const EXAMPLE_GLUE_JOBS = ["sessions-full-rebuild", "sessions-incremental-merge"] as const;
/** The functions the examples invoke (nightly-etl and spot-training name them by ARN, in other regions). */
export const NIGHTLY_ETL_FUNCTIONS = ["arn:aws:lambda:eu-west-1:123456789012:function:data-oncall-notify"] as const;
export const EXAMPLE_FUNCTIONS = [
  ...NIGHTLY_ETL_FUNCTIONS,
  "clickstream-list-partitions",
  "glue-catalog-refresh",
  "arn:aws:lambda:us-west-2:123456789012:function:model-registry-register",
] as const;

/** Everything in the account that carries `stepline:pipeline` (or is a stepline schedule), by type. */
export async function taggedLeft(aws: AwsContext): Promise<string[]> {
  const left: string[] = [];
  const tagged = (tags: Record<string, string | undefined> | undefined) => tags?.["stepline:pipeline"] !== undefined;
  const sfn = await aws.client("sfn");
  const sfnSdk = await aws.sdk("sfn");
  for (const m of (await sfn.send(new sfnSdk.ListStateMachinesCommand({}))).stateMachines ?? []) {
    left.push(`sfn.stateMachine:${m.name}`);
  }
  const iam = await aws.client("iam");
  const iamSdk = await aws.sdk("iam");
  for (const r of (await iam.send(new iamSdk.ListRolesCommand({}))).Roles ?? []) {
    const tags = (await iam.send(new iamSdk.ListRoleTagsCommand({ RoleName: r.RoleName }))).Tags ?? [];
    if (tags.some((t) => t.Key === "stepline:pipeline")) left.push(`iam.role:${r.RoleName}`);
  }
  const batch = await aws.client("batch");
  const batchSdk = await aws.sdk("batch");
  for (const d of (await batch.send(new batchSdk.DescribeJobDefinitionsCommand({ status: "ACTIVE" }))).jobDefinitions ??
    []) {
    if (d.status === "ACTIVE" && tagged(d.tags)) left.push(`batch.jobDefinition:${d.jobDefinitionArn}`);
  }
  const glue = await aws.client("glue");
  const glueSdk = await aws.sdk("glue");
  for (const name of (await glue.send(new glueSdk.ListJobsCommand({}))).JobNames ?? []) {
    const tags = (
      await glue.send(new glueSdk.GetTagsCommand({ ResourceArn: `arn:aws:glue:${aws.region}:${ACCOUNT}:job/${name}` }))
    ).Tags;
    if (tagged(tags)) left.push(`glue.job:${name}`);
  }
  const logs = await aws.client("logs");
  const logsSdk = await aws.sdk("logs");
  for (const g of (await logs.send(new logsSdk.DescribeLogGroupsCommand({}))).logGroups ?? []) {
    if (g.logGroupName?.includes("stepline")) left.push(`logs.logGroup:${g.logGroupName}`);
  }
  const scheduler = await aws.client("scheduler");
  const schedulerSdk = await aws.sdk("scheduler");
  for (const s of (await scheduler.send(new schedulerSdk.ListSchedulesCommand({}))).Schedules ?? []) {
    if (s.Name?.startsWith("stepline-")) left.push(`scheduler.schedule:${s.Name}`);
  }
  const events = await aws.client("events");
  const eventsSdk = await aws.sdk("events");
  for (const r of (await events.send(new eventsSdk.ListRulesCommand({}))).Rules ?? []) {
    if (r.Name?.startsWith("stepline-")) left.push(`events.rule:${r.Name}`);
  }
  return left.sort();
}
