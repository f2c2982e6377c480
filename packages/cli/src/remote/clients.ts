import type { AwsContext, AwsIdentity, SdkModule, ServiceClients, ServiceName } from "@stepline/runners/deploy";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { type AwsFlags, awsFlags, connect as connectDeploy } from "../deploy/connect.js";

export type { AwsFlags, AwsIdentity };

/**
 * AWS access of the commands that read and start executions, on the same
 * connection as deploy (`../deploy/connect.ts`: region, profile, endpoint,
 * `SL_AWS_*` errors, lazily loaded SDK).
 */
export interface Aws {
  /** The resolved connection settings (region always set). */
  readonly flags: AwsFlags & { readonly region: string };
  /** The SDK module of a service, for its command classes. */
  sdk<K extends ServiceName>(name: K): Promise<SdkModule<K>>;
  sfn(): Promise<ServiceClients["sfn"]>;
  logs(): Promise<ServiceClients["logs"]>;
  iam(): Promise<ServiceClients["iam"]>;
  batch(): Promise<ServiceClients["batch"]>;
  glue(): Promise<ServiceClients["glue"]>;
  /** Account, partition, region and caller (STS GetCallerIdentity, asked once on connecting). */
  identity(): Promise<AwsIdentity>;
  /** Runs AWS calls; `doing` completes "… while <doing>" when an SDK error becomes an `SL_AWS_*` problem. */
  call<T>(doing: string, fn: () => Promise<T>): Promise<T>;
}

/** Adds `--region`, `--profile`, `--endpoint-url` to a command. */
export function awsOptions(command: Command): Command {
  return awsFlags(command);
}

export async function connect(flags: AwsFlags, ctx: CommandContext): Promise<Aws> {
  const { aws, identity } = await connectDeploy(flags, ctx.io.env);
  return remoteAws(aws, identity);
}

function remoteAws(aws: AwsContext, identity: AwsIdentity): Aws {
  const where = {
    region: aws.region,
    ...(aws.options.profile === undefined ? {} : { profile: aws.options.profile }),
    ...(aws.options.endpoint === undefined ? {} : { endpoint: aws.options.endpoint }),
  };
  return {
    flags: {
      region: aws.region,
      ...(where.profile === undefined ? {} : { profile: where.profile }),
      ...(where.endpoint === undefined ? {} : { endpointUrl: where.endpoint }),
    },
    sdk: (name) => aws.sdk(name),
    sfn: () => aws.client("sfn"),
    logs: () => aws.client("logs"),
    iam: () => aws.client("iam"),
    batch: () => aws.client("batch"),
    glue: () => aws.client("glue"),
    identity: async () => identity,
    call: async (doing, fn) => {
      try {
        return await fn();
      } catch (error) {
        const { awsError } = await import("@stepline/runners/deploy");
        throw await awsError(error, doing, where);
      }
    },
  };
}

/** The SDK error name (`StateMachineDoesNotExist`, …), for callers that handle expected errors. */
export function errorName(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? "";
}
