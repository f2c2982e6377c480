import {
  contentHash,
  type DesiredResource,
  type IntegrationContext,
  type JsonValue,
  type PipelineModel,
  resourceKey,
} from "@stepline/core";
import { type ApplyContext, type AwsContext, awsContext } from "../../packages/runners/src/deploy/index.js";
import { type MotoSetup, startMoto } from "../helpers/moto.js";

/**
 * A moto server for the Batch and Glue driver tests: executor off (deploy
 * never runs executions), AWS-managed IAM policies loaded when asked (the
 * container instance role attaches AmazonEC2ContainerServiceforEC2Role),
 * state wiped between tests with POST /moto-api/reset.
 */
export async function startDeployMoto(options: { managedPolicies?: boolean } = {}): Promise<MotoSetup> {
  // moto reads this when it starts (and on every reset, which then takes longer): only where needed.
  if (options.managedPolicies) process.env.MOTO_IAM_LOAD_MANAGED_POLICIES = "true";
  else delete process.env.MOTO_IAM_LOAD_MANAGED_POLICIES;
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const moto = await startMoto();
  if (moto.available)
    await post(moto.endpoint, "/moto-api/config", { stepfunctions: { execute_state_machine: false } });
  return moto;
}

async function post(endpoint: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${endpoint}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`moto ${path}: HTTP ${response.status}`);
}

/** Wipes every resource (between tests). */
export function resetMoto(moto: MotoSetup): Promise<void> {
  return post(moto.endpoint, "/moto-api/reset");
}

export const REGION = "us-east-1";
export const TARGET = { partition: "aws", region: REGION, accountId: "123456789012" } as const;

/** An AWS context on moto: one attempt per call (moto's 500s are not worth retrying), no waiting. */
export function motoAws(moto: MotoSetup): AwsContext {
  return awsContext({
    region: REGION,
    endpoint: moto.endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    sleep: async () => {},
  });
}

/** The apply context drivers get, for one pipeline. */
export function applyContext(
  aws: AwsContext,
  pipeline: string,
  desired: readonly DesiredResource[] = [],
): ApplyContext {
  return {
    aws,
    pipeline,
    desired: new Map(desired.map((d) => [d.key, d])),
    outputs: new Map(),
    retryWhileRoleNotReady: (_what, fn) => fn(),
  };
}

/** A desired resource with its key and hash, as core's desiredResources builds them. */
export function desiredOf(
  type: DesiredResource["type"],
  name: string,
  properties: { readonly [key: string]: JsonValue },
  managed = true,
): DesiredResource {
  return {
    key: resourceKey(type, name),
    type,
    name,
    managed,
    properties,
    dependsOn: [],
    hash: contentHash(properties),
  };
}

/** The integration context of a pipeline model. */
export function integrationContext(pipeline: PipelineModel): IntegrationContext {
  return { pipeline, defaults: pipeline.defaults };
}
