import type { AwsContext, AwsIdentity, CallHook } from "@stepline/runners/deploy";
import { type Command, Option } from "commander";
import type { Io } from "../io.js";

/** `--region`, `--profile`, `--endpoint-url` of the commands that talk to AWS. */
export interface AwsFlags {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

/** Adds the AWS connection options to a command. */
export function awsFlags(command: Command): Command {
  return command
    .addOption(new Option("--region <region>", "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's)"))
    .addOption(new Option("--profile <name>", "profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE)"))
    .addOption(
      new Option(
        "--endpoint-url <url>",
        "send every AWS call to this endpoint, e.g. an emulator (also AWS_ENDPOINT_URL)",
      ),
    );
}

/** What tests and benchmarks add to a connection. */
export interface ConnectExtras {
  readonly hook?: CallHook;
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** A connection: the AWS context and who/where it deploys to. */
export interface Connection {
  readonly aws: AwsContext;
  readonly identity: AwsIdentity;
}

/** The profile's region from ~/.aws/config, read by the SDK's own loader (imported lazily). */
async function profileRegion(profile: string | undefined, env: Io["env"]): Promise<string | undefined> {
  if (env.AWS_REGION || env.AWS_DEFAULT_REGION) return env.AWS_REGION || env.AWS_DEFAULT_REGION;
  try {
    const { sdkModules } = await import("@stepline/runners/deploy");
    const { STSClient } = await sdkModules.sts();
    const client = new STSClient({ ...(profile === undefined ? {} : { profile }) });
    const region = await client.config.region();
    client.destroy();
    return region;
  } catch {
    return undefined;
  }
}

/**
 * Resolves region (flag, AWS_REGION, AWS_DEFAULT_REGION, profile), profile
 * and endpoint (flag, AWS_ENDPOINT_URL), checks them, and asks STS who the
 * caller is. Errors are `SL_AWS_*` problems (exit 2).
 */
export async function connect(flags: AwsFlags, env: Io["env"], extras: ConnectExtras = {}): Promise<Connection> {
  // stepline pins the SDK's version: its notice about future releases needing Node 22 is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const { awsContext, checkRegion } = await import("@stepline/runners/deploy");
  const profile = flags.profile ?? (env.AWS_PROFILE || undefined);
  const endpoint = flags.endpointUrl ?? (env.AWS_ENDPOINT_URL || undefined);
  if (endpoint !== undefined && !/^https?:\/\/\S+$/.test(endpoint)) {
    const { SteplineError } = await import("@stepline/core");
    throw SteplineError.of(
      "SL_AWS_BAD_ENDPOINT",
      `'${endpoint}' is not an endpoint URL.`,
      "Give a URL such as http://127.0.0.1:5000 with --endpoint-url or AWS_ENDPOINT_URL.",
      { field: "--endpoint-url" },
    );
  }
  const region = await checkRegion(
    flags.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || (await profileRegion(profile, env))),
  );
  const aws = awsContext({
    region,
    ...(profile === undefined ? {} : { profile }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(extras.hook === undefined ? {} : { hook: extras.hook }),
    ...(extras.maxAttempts === undefined ? {} : { maxAttempts: extras.maxAttempts }),
    ...(extras.sleep === undefined ? {} : { sleep: extras.sleep }),
    ...(extras.credentials === undefined ? {} : { credentials: extras.credentials }),
  });
  return { aws, identity: await aws.identity() };
}

/**
 * Runs AWS calls; an SDK error becomes an `SL_AWS_*` problem (credentials,
 * region, access: exit 2) saying "… while <doing>". Every command that
 * talks to AWS goes through here.
 */
export async function guarded<T>(aws: AwsContext, doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const { awsError } = await import("@stepline/runners/deploy");
    throw await awsError(error, doing, {
      region: aws.region,
      ...(aws.options.profile === undefined ? {} : { profile: aws.options.profile }),
      ...(aws.options.endpoint === undefined ? {} : { endpoint: aws.options.endpoint }),
    });
  }
}
