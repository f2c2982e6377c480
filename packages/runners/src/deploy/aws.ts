import type { BatchClient } from "@aws-sdk/client-batch";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { GlueClient } from "@aws-sdk/client-glue";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { SchedulerClient } from "@aws-sdk/client-scheduler";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { STSClient } from "@aws-sdk/client-sts";
import type { DeployTarget } from "@stepline/core";
import { awsError } from "./errors.js";

/**
 * AWS access for plan, deploy and destroy: one client per service and
 * region, all with the same credentials, endpoint and retry settings; each
 * SDK module is imported on first use (CLI start-up does not pay for it).
 * Every call is counted (reads vs. changes) and may go through a hook, which
 * is how tests make the Nth call fail.
 */

/** The SDK module of each service. */
export interface SdkModules {
  batch(): Promise<typeof import("@aws-sdk/client-batch")>;
  ec2(): Promise<typeof import("@aws-sdk/client-ec2")>;
  events(): Promise<typeof import("@aws-sdk/client-eventbridge")>;
  glue(): Promise<typeof import("@aws-sdk/client-glue")>;
  iam(): Promise<typeof import("@aws-sdk/client-iam")>;
  lambda(): Promise<typeof import("@aws-sdk/client-lambda")>;
  logs(): Promise<typeof import("@aws-sdk/client-cloudwatch-logs")>;
  scheduler(): Promise<typeof import("@aws-sdk/client-scheduler")>;
  sfn(): Promise<typeof import("@aws-sdk/client-sfn")>;
  sts(): Promise<typeof import("@aws-sdk/client-sts")>;
}

/**
 * Bundled (esbuild turns the SDK's CommonJS into a lazily loaded chunk), a
 * dynamic import may give the exports under `default` only.
 */
function interop<T>(load: () => Promise<T>): () => Promise<T> {
  return async () => {
    const module = (await load()) as T & { default?: T };
    return module.default !== undefined && typeof module.default === "object"
      ? { ...module.default, ...module }
      : module;
  };
}

/** The SDK module of each service, loaded lazily. */
export const sdkModules: SdkModules = {
  batch: interop(() => import("@aws-sdk/client-batch")),
  ec2: interop(() => import("@aws-sdk/client-ec2")),
  events: interop(() => import("@aws-sdk/client-eventbridge")),
  glue: interop(() => import("@aws-sdk/client-glue")),
  iam: interop(() => import("@aws-sdk/client-iam")),
  lambda: interop(() => import("@aws-sdk/client-lambda")),
  logs: interop(() => import("@aws-sdk/client-cloudwatch-logs")),
  scheduler: interop(() => import("@aws-sdk/client-scheduler")),
  sfn: interop(() => import("@aws-sdk/client-sfn")),
  sts: interop(() => import("@aws-sdk/client-sts")),
};

export type ServiceName = keyof SdkModules;
export type SdkModule<K extends ServiceName> = Awaited<ReturnType<SdkModules[K]>>;

/** The client class of each service. */
export interface ServiceClients {
  batch: BatchClient;
  ec2: EC2Client;
  events: EventBridgeClient;
  glue: GlueClient;
  iam: IAMClient;
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  scheduler: SchedulerClient;
  sfn: SFNClient;
  sts: STSClient;
}

const CLIENT_CLASS: { readonly [K in ServiceName]: string } = {
  batch: "BatchClient",
  ec2: "EC2Client",
  events: "EventBridgeClient",
  glue: "GlueClient",
  iam: "IAMClient",
  lambda: "LambdaClient",
  logs: "CloudWatchLogsClient",
  scheduler: "SchedulerClient",
  sfn: "SFNClient",
  sts: "STSClient",
};

/** One AWS API call, as the hook and the counter see it. */
export interface AwsCall {
  readonly service: ServiceName;
  /** e.g. `CreateRole`. */
  readonly operation: string;
  /** False for Describe/Get/List calls. */
  readonly mutating: boolean;
  /** 1-based position among all calls of this context. */
  readonly index: number;
  readonly region: string;
}

/** Runs around every call; throwing from `before` fails the call unsent, from `after` fails it once AWS did it. */
export interface CallHook {
  before?(call: AwsCall): void | Promise<void>;
  after?(call: AwsCall): void | Promise<void>;
}

/** Connection settings. */
export interface AwsOptions {
  /** Required (validated): from --region, AWS_REGION or AWS_DEFAULT_REGION. */
  readonly region: string;
  /** Profile of ~/.aws/config and ~/.aws/credentials (`fromIni`). */
  readonly profile?: string;
  /** Every call goes there (an emulator); also AWS_ENDPOINT_URL. */
  readonly endpoint?: string;
  /** SDK attempts per call (throttling, 5xx). @default 3 */
  readonly maxAttempts?: number;
  /** Static credentials instead of the default provider chain (tests). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly hook?: CallHook;
  /** Waits between retries (tests pass a fast one). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Counts calls per operation, split into reads and changes. */
export class CallCounter {
  reads = 0;
  mutations = 0;
  readonly operations = new Map<string, number>();

  record(call: AwsCall): void {
    if (call.mutating) this.mutations++;
    else this.reads++;
    const key = `${call.service}:${call.operation}`;
    this.operations.set(key, (this.operations.get(key) ?? 0) + 1);
  }

  get total(): number {
    return this.reads + this.mutations;
  }

  /** `{ "iam:CreateRole": 2, … }`, sorted by key. */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.operations].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}

/** Who is deploying, and where. */
export interface AwsIdentity extends DeployTarget {
  /** The caller's ARN. */
  readonly arn: string;
}

export interface AwsContext {
  readonly options: AwsOptions;
  readonly region: string;
  readonly calls: CallCounter;
  /** The client of a service (in another region when given: IAM is global, Lambda ARNs name theirs). */
  client<K extends ServiceName>(service: K, region?: string): Promise<ServiceClients[K]>;
  /** The SDK module of a service, for its command classes. */
  sdk<K extends ServiceName>(service: K): Promise<SdkModule<K>>;
  /** STS GetCallerIdentity, once. */
  identity(): Promise<AwsIdentity>;
  sleep(ms: number): Promise<void>;
}

const READ = /^(Describe|Get|List|BatchGet|Search)/;

/** Region names of the partitions stepline knows, e.g. `us-east-1`, `cn-north-1`, `us-gov-west-1`. */
const REGION = /^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|eusc)-[a-z]+(-[a-z]+)*-\d{1,2}$/;

/** The partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("eusc-")) return "aws-eusc";
  return "aws";
}

/** Throws `SL_AWS_NO_REGION` / `SL_AWS_BAD_REGION` unless the region looks like one of AWS's. */
export async function checkRegion(region: string | undefined): Promise<string> {
  const { SteplineError } = await import("@stepline/core");
  if (region === undefined || region === "") {
    throw SteplineError.of(
      "SL_AWS_NO_REGION",
      "No AWS region is set.",
      "Give --region (e.g. --region us-east-1), set AWS_REGION, or set `region` in the profile of ~/.aws/config.",
    );
  }
  if (!REGION.test(region)) {
    throw SteplineError.of(
      "SL_AWS_BAD_REGION",
      `'${region}' is not an AWS region.`,
      "Give a region such as us-east-1 or eu-west-3 with --region or AWS_REGION (`aws ec2 describe-regions` lists them).",
      { field: "--region" },
    );
  }
  return region;
}

/** Builds the AWS context; the region must have been checked with {@link checkRegion}. */
export function awsContext(options: AwsOptions): AwsContext {
  const calls = new CallCounter();
  const clients = new Map<string, Promise<unknown>>();
  let identity: Promise<AwsIdentity> | undefined;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const context: AwsContext = {
    options,
    region: options.region,
    calls,
    sleep,
    sdk: (service) => sdkModules[service]() as never,
    client: (service, region = options.region) => {
      const key = `${service}@${region}`;
      let client = clients.get(key);
      if (client === undefined) {
        client = makeClient(service, region, options, calls);
        clients.set(key, client);
      }
      return client as never;
    },
    identity: () => {
      identity ??= (async () => {
        const sts = await context.client("sts");
        const { GetCallerIdentityCommand } = await context.sdk("sts");
        let who: { Account?: string | undefined; Arn?: string | undefined };
        try {
          who = await sts.send(new GetCallerIdentityCommand({}));
        } catch (error) {
          throw await awsError(error, "reading the caller identity (STS GetCallerIdentity)", options);
        }
        const arn = who.Arn ?? "";
        return {
          accountId: who.Account ?? "",
          partition: arn.split(":")[1] || partitionOf(options.region),
          region: options.region,
          arn,
        };
      })();
      return identity;
    },
  };
  return context;
}

interface MiddlewareStack {
  add(
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: "initialize"; name: string },
  ): void;
}

async function makeClient(
  service: ServiceName,
  region: string,
  options: AwsOptions,
  calls: CallCounter,
): Promise<unknown> {
  const module = (await sdkModules[service]()) as unknown as Record<string, new (config: object) => unknown>;
  const Client = module[CLIENT_CLASS[service]];
  if (Client === undefined) {
    const { SteplineError } = await import("@stepline/core");
    throw SteplineError.of(
      "SL_AWS_SDK_MISSING",
      `the AWS SDK package for ${service} has no ${CLIENT_CLASS[service]}: the installation is incomplete`,
      "reinstall stepline's dependencies (`pnpm install`), which pin the @aws-sdk/client-* versions it needs",
    );
  }
  const client = new Client({
    region,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  }) as { middlewareStack: MiddlewareStack };
  // Once per command (before the SDK's own retries): count it, and let tests fail it.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? "Unknown").replace(/Command$/, "");
      const call: AwsCall = {
        service,
        operation,
        mutating: !READ.test(operation),
        index: calls.total + 1,
        region,
      };
      calls.record(call);
      await options.hook?.before?.(call);
      const output = await next(args);
      await options.hook?.after?.(call);
      return output;
    },
    { step: "initialize", name: "steplineCallCounter" },
  );
  return client;
}
