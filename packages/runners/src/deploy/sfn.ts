import type { DescribeStateMachineOutput, LoggingConfiguration } from "@aws-sdk/client-sfn";
import {
  type CurrentResource,
  type DesiredResource,
  type FieldChange,
  internalError,
  type JsonValue,
  LIVE_ALIAS,
  ownedBy,
  pinnedRevisions,
  resourceKey,
  stateMachineArn,
  stateMachineConfigHash,
  TAG_HASH,
  TAG_PIPELINE,
} from "@stepline/core";
import type { AwsContext } from "./aws.js";
import { inactiveRevisions, KEPT_REVISIONS } from "./batch/job-definition.js";
import {
  type ApplyContext,
  type DriverOutput,
  fieldsOnly,
  hashThenFields,
  type ResourceDriver,
  withoutHash,
} from "./driver.js";
import { isError, unlessMissing } from "./errors.js";

/**
 * The state machine (`{ name, type, definition, roleArn, loggingConfiguration?,
 * tags }`) and its `live` alias (`{ stateMachine, stateMachineArn,
 * stateMachineConfig }`). Every create or update of the state machine
 * publishes a version; the alias then moves to it. The alias's description
 * records which configuration it points at (`stepline: config <hash>`), so a
 * plan knows whether it is current without listing versions (which moto
 * cannot do).
 */

/** The fields that make a version (a tag change publishes nothing). */
const VERSIONED = ["definition", "roleArn", "loggingConfiguration", "type"] as const;

const ALIAS_DESCRIPTION = /^stepline: config ([0-9a-f]+)/;

async function smArn(aws: AwsContext, name: string): Promise<string> {
  return stateMachineArn(name, await aws.identity());
}

function normaliseLogging(logging: LoggingConfiguration | undefined): JsonValue | undefined {
  if (logging === undefined || logging.level === undefined || logging.level === "OFF") return undefined;
  return {
    level: logging.level,
    includeExecutionData: logging.includeExecutionData ?? false,
    destinations: (logging.destinations ?? []).map((d) => ({
      cloudWatchLogsLogGroup: { logGroupArn: d.cloudWatchLogsLogGroup?.logGroupArn ?? "" },
    })),
  };
}

function parseDefinition(text: string | undefined): JsonValue {
  try {
    return JSON.parse(text ?? "null") as JsonValue;
  } catch {
    return text ?? null;
  }
}

async function describe(aws: AwsContext, arn: string): Promise<DescribeStateMachineOutput | undefined> {
  const sfn = await aws.client("sfn");
  const { DescribeStateMachineCommand } = await aws.sdk("sfn");
  return unlessMissing(
    () => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })),
    "StateMachineDoesNotExist",
  );
}

async function tagsOf(aws: AwsContext, arn: string): Promise<Record<string, string>> {
  const sfn = await aws.client("sfn");
  const { ListTagsForResourceCommand } = await aws.sdk("sfn");
  const out: Record<string, string> = {};
  for (const t of (await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? []) {
    if (t.key !== undefined) out[t.key] = t.value ?? "";
  }
  return out;
}

/** The versioned fields of a description, normalised like desired properties. */
function config(machine: DescribeStateMachineOutput): Record<string, JsonValue> {
  const logging = normaliseLogging(machine.loggingConfiguration);
  return {
    type: machine.type ?? "STANDARD",
    definition: parseDefinition(machine.definition),
    roleArn: machine.roleArn ?? "",
    ...(logging === undefined ? {} : { loggingConfiguration: logging }),
  };
}

/** How long a deploy waits for a state machine being deleted (a destroy just before) to be gone. */
const DELETING_WAIT_MS = 90_000;

async function readMachine(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined> {
  const arn = await smArn(aws, desired.name);
  let machine = await describe(aws, arn);
  // DeleteStateMachine finishes in the background; until then the name cannot be created again.
  for (const deadline = Date.now() + DELETING_WAIT_MS; machine?.status === "DELETING"; ) {
    if (Date.now() > deadline) {
      const { SteplineError } = await import("@stepline/core");
      throw SteplineError.of(
        "SL_DEPLOY_TIMEOUT",
        `state machine '${desired.name}' is still being deleted after ${DELETING_WAIT_MS / 1000} s`,
        "wait for the earlier `stepline destroy` to finish, then deploy again",
        { field: desired.key },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    machine = await describe(aws, arn);
  }
  if (machine === undefined) return undefined;
  const tags = await tagsOf(aws, arn);
  return {
    key: desired.key,
    type: desired.type,
    name: desired.name,
    arn,
    properties: { name: machine.name ?? desired.name, ...config(machine), tags: withoutHash(tags) },
    tags,
  };
}

async function listMachines(aws: AwsContext, pipeline: string): Promise<CurrentResource[]> {
  const sfn = await aws.client("sfn");
  const { ListStateMachinesCommand } = await aws.sdk("sfn");
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ ...(nextToken ? { nextToken } : {}) }));
    const hit = page.stateMachines?.find((m) => m.name === pipeline);
    if (hit?.stateMachineArn) {
      const tags = await tagsOf(aws, hit.stateMachineArn);
      if (!ownedBy(tags, pipeline)) return [];
      return [
        {
          key: resourceKey("sfn.stateMachine", pipeline),
          type: "sfn.stateMachine",
          name: pipeline,
          arn: hit.stateMachineArn,
          properties: { name: pipeline },
          tags,
        },
      ];
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return [];
}

function loggingInput(properties: DesiredResource["properties"]): LoggingConfiguration {
  // Turning logging off is an explicit OFF on update.
  return (properties.loggingConfiguration as LoggingConfiguration | undefined) ?? { level: "OFF" };
}

function versionDescription(desired: DesiredResource): string {
  return `stepline deploy of ${desired.name} (${desired.hash})`;
}

async function createMachine(ctx: ApplyContext, desired: DesiredResource): Promise<DriverOutput> {
  const p = desired.properties;
  const sfn = await ctx.aws.client("sfn");
  const sdk = await ctx.aws.sdk("sfn");
  const tags = Object.entries((p.tags ?? {}) as Record<string, string>).map(([key, value]) => ({ key, value }));
  const created = await ctx.retryWhileRoleNotReady("creating the state machine", () =>
    sfn.send(
      new sdk.CreateStateMachineCommand({
        name: desired.name,
        definition: JSON.stringify(p.definition),
        roleArn: p.roleArn as string,
        type: "STANDARD",
        ...(p.loggingConfiguration === undefined ? {} : { loggingConfiguration: loggingInput(p) }),
        tags,
        publish: true,
        versionDescription: versionDescription(desired),
      }),
    ),
  );
  const arn = created.stateMachineArn ?? (await smArn(ctx.aws, desired.name));
  await sfn.send(new sdk.TagResourceCommand({ resourceArn: arn, tags: [{ key: TAG_HASH, value: desired.hash }] }));
  return {
    stateMachineArn: arn,
    ...(created.stateMachineVersionArn ? { versionArn: created.stateMachineVersionArn } : {}),
  };
}

/** Sends the whole configuration with `publish: true`: the version ARN of exactly that configuration. */
async function publish(ctx: ApplyContext, desired: DesiredResource, arn: string): Promise<string | undefined> {
  const p = desired.properties;
  const sfn = await ctx.aws.client("sfn");
  const { UpdateStateMachineCommand } = await ctx.aws.sdk("sfn");
  const updated = await ctx.retryWhileRoleNotReady("updating the state machine", () =>
    sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: arn,
        definition: JSON.stringify(p.definition),
        roleArn: p.roleArn as string,
        loggingConfiguration: loggingInput(p),
        publish: true,
        versionDescription: versionDescription(desired),
      }),
    ),
  );
  return updated.stateMachineVersionArn;
}

async function updateMachine(
  ctx: ApplyContext,
  desired: DesiredResource,
  current: CurrentResource,
  changes: readonly FieldChange[],
): Promise<DriverOutput> {
  const sfn = await ctx.aws.client("sfn");
  const sdk = await ctx.aws.sdk("sfn");
  const arn = current.arn ?? (await smArn(ctx.aws, desired.name));
  let versionArn: string | undefined;
  if (changes.some((c) => VERSIONED.some((f) => c.field === f || c.field.startsWith(`${f}.`)))) {
    versionArn = await publish(ctx, desired, arn);
  }
  const want = (desired.properties.tags ?? {}) as Record<string, string>;
  const have = withoutHash(current.tags);
  const remove = Object.keys(have).filter((k) => !(k in want));
  if (remove.length > 0) await sfn.send(new sdk.UntagResourceCommand({ resourceArn: arn, tagKeys: remove }));
  const set = Object.entries({ ...want, [TAG_HASH]: desired.hash })
    .filter(([k, v]) => current.tags[k] !== v)
    .map(([key, value]) => ({ key, value }));
  if (set.length > 0) await sfn.send(new sdk.TagResourceCommand({ resourceArn: arn, tags: set }));
  return { stateMachineArn: arn, ...(versionArn === undefined ? {} : { versionArn }) };
}

async function removeMachine(ctx: ApplyContext, current: CurrentResource): Promise<void> {
  const sfn = await ctx.aws.client("sfn");
  const { DeleteStateMachineCommand } = await ctx.aws.sdk("sfn");
  // Deletes its versions and aliases too.
  await sfn.send(
    new DeleteStateMachineCommand({ stateMachineArn: current.arn ?? (await smArn(ctx.aws, current.name)) }),
  );
}

export const stateMachineDriver: ResourceDriver = {
  type: "sfn.stateMachine",
  read: readMachine,
  listOwned: listMachines,
  diff: (desired, current) => hashThenFields(desired, current, { opaque: ["definition"], maxDepth: 2 }),
  create: createMachine,
  update: updateMachine,
  delete: removeMachine,
};

// ---- the `live` alias ----

interface AliasState {
  readonly arn: string;
  readonly description?: string;
  readonly versionArn?: string;
}

async function describeAlias(aws: AwsContext, machineArn: string): Promise<AliasState | undefined> {
  const sfn = await aws.client("sfn");
  const { DescribeStateMachineAliasCommand } = await aws.sdk("sfn");
  const arn = `${machineArn}:${LIVE_ALIAS}`;
  try {
    const alias = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: arn }));
    const versionArn = alias.routingConfiguration?.[0]?.stateMachineVersionArn;
    return {
      arn,
      ...(alias.description === undefined ? {} : { description: alias.description }),
      ...(versionArn === undefined ? {} : { versionArn }),
    };
  } catch (error) {
    // moto: ResourceNotFound; AWS: ResourceNotFound(Exception); a missing machine: StateMachineDoesNotExist.
    if (isError(error, "ResourceNotFound", "ResourceNotFoundException", "StateMachineDoesNotExist")) return undefined;
    throw error;
  }
}

function aliasResource(machine: string, machineArn: string, alias: AliasState): CurrentResource {
  const match = ALIAS_DESCRIPTION.exec(alias.description ?? "");
  return {
    key: resourceKey("sfn.alias", LIVE_ALIAS),
    type: "sfn.alias",
    name: LIVE_ALIAS,
    arn: alias.arn,
    properties: {
      stateMachine: machine,
      stateMachineArn: machineArn,
      stateMachineConfig: match?.[1] ?? `(${alias.description ?? "no description"})`,
    },
    // Aliases carry no tags: stepline's are the ones it described (on its own state machine).
    tags: alias.description?.startsWith("stepline") ? { [TAG_PIPELINE]: machine } : {},
    state: { versionArn: alias.versionArn ?? null },
  };
}

async function readAlias(aws: AwsContext, desired: DesiredResource): Promise<CurrentResource | undefined> {
  const machine = desired.properties.stateMachine as string;
  const machineArn = desired.properties.stateMachineArn as string;
  const alias = await describeAlias(aws, machineArn);
  return alias === undefined ? undefined : aliasResource(machine, machineArn, alias);
}

async function listAliases(aws: AwsContext, pipeline: string): Promise<CurrentResource[]> {
  const [machine] = await listMachines(aws, pipeline);
  if (machine?.arn === undefined) return [];
  const alias = await describeAlias(aws, machine.arn);
  return alias === undefined ? [] : [aliasResource(pipeline, machine.arn, alias)];
}

/** The version the alias should point at: the one this run published, or a fresh one of the desired configuration. */
async function targetVersion(ctx: ApplyContext, desired: DesiredResource): Promise<string> {
  const machineKey = resourceKey("sfn.stateMachine", desired.properties.stateMachine as string);
  const published = ctx.outputs.get(machineKey)?.versionArn;
  if (published !== undefined) return published;
  const machine = ctx.desired.get(machineKey);
  if (machine === undefined) throw internalError(`the alias needs the state machine ${machineKey} in the plan`);
  const version = await publish(ctx, machine, desired.properties.stateMachineArn as string);
  if (version === undefined) throw internalError("UpdateStateMachine with publish returned no version ARN");
  return version;
}

const aliasDescription = (desired: DesiredResource) =>
  `stepline: config ${desired.properties.stateMachineConfig as string}`;

async function createAlias(ctx: ApplyContext, desired: DesiredResource): Promise<DriverOutput> {
  const sfn = await ctx.aws.client("sfn");
  const { CreateStateMachineAliasCommand } = await ctx.aws.sdk("sfn");
  const versionArn = await targetVersion(ctx, desired);
  const created = await sfn.send(
    new CreateStateMachineAliasCommand({
      name: LIVE_ALIAS,
      description: aliasDescription(desired),
      routingConfiguration: [{ stateMachineVersionArn: versionArn, weight: 100 }],
    }),
  );
  return { aliasArn: created.stateMachineAliasArn ?? "", versionArn };
}

async function updateAlias(
  ctx: ApplyContext,
  desired: DesiredResource,
  current: CurrentResource,
): Promise<DriverOutput> {
  const sfn = await ctx.aws.client("sfn");
  const { UpdateStateMachineAliasCommand } = await ctx.aws.sdk("sfn");
  const versionArn = await targetVersion(ctx, desired);
  const arn = current.arn ?? `${desired.properties.stateMachineArn as string}:${LIVE_ALIAS}`;
  await sfn.send(
    new UpdateStateMachineAliasCommand({
      stateMachineAliasArn: arn,
      description: aliasDescription(desired),
      routingConfiguration: [{ stateMachineVersionArn: versionArn, weight: 100 }],
    }),
  );
  return { aliasArn: arn, versionArn };
}

async function removeAlias(ctx: ApplyContext, current: CurrentResource): Promise<void> {
  if (current.arn === undefined) return;
  const sfn = await ctx.aws.client("sfn");
  const { DeleteStateMachineAliasCommand } = await ctx.aws.sdk("sfn");
  const arn = current.arn;
  await unlessMissing(
    () => sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: arn })),
    "ResourceNotFound",
    "ResourceNotFoundException",
    "StateMachineDoesNotExist",
  );
}

export const aliasDriver: ResourceDriver = {
  type: "sfn.alias",
  read: readAlias,
  listOwned: listAliases,
  diff: (desired, current) => fieldsOnly(desired, current),
  create: createAlias,
  update: updateAlias,
  delete: removeAlias,
};

// ---- rollback ----

/** The result of {@link rollbackAlias}. */
export interface Rollback {
  readonly aliasArn: string;
  readonly from: string;
  readonly to: string;
}

const versionNumber = (arn: string): number => Number(arn.slice(arn.lastIndexOf(":") + 1));

/**
 * Moves the `live` alias back to the newest earlier version whose
 * configuration differs from the current one (found by describing
 * `…:N-1`, `…:N-2`, … since moto cannot list versions). Throws
 * `SL_ROLLBACK_*` when there is nothing to go back to, or when that version
 * submits to a job definition revision that is no longer ACTIVE (it would
 * fail at its first Batch step); the alias then stays where it is.
 */
export async function rollbackAlias(aws: AwsContext, pipeline: string): Promise<Rollback> {
  const { SteplineError } = await import("@stepline/core");
  const machineArn = await smArn(aws, pipeline);
  const alias = await describeAlias(aws, machineArn);
  if (alias?.versionArn === undefined || !alias.description?.startsWith("stepline")) {
    throw SteplineError.of(
      "SL_ROLLBACK_NOT_DEPLOYED",
      `pipeline '${pipeline}' has no live alias in ${aws.region}: it was never deployed there`,
      "run `stepline deploy` first (check --region and the credentials' account)",
    );
  }
  const current = await describe(aws, alias.versionArn);
  const currentConfig = current === undefined ? undefined : JSON.stringify(config(current));
  for (let n = versionNumber(alias.versionArn) - 1; n >= 1; n--) {
    const arn = `${machineArn}:${n}`;
    const version = await describe(aws, arn);
    if (version === undefined || JSON.stringify(config(version)) === currentConfig) continue;
    const inactive = await inactiveRevisions(aws, pinnedRevisions(parseDefinition(version.definition)));
    if (inactive.length > 0) {
      const names = inactive.map((a) => a.slice(a.lastIndexOf("/") + 1));
      throw SteplineError.of(
        "SL_ROLLBACK_REVISION_INACTIVE",
        `version ${n} of '${pipeline}' submits to job definition revision${names.length === 1 ? "" : "s"} ${names.join(", ")}, no longer ACTIVE in AWS Batch: its runs would fail, so the live alias stays on version ${versionNumber(alias.versionArn)}`,
        `deploy the earlier pipeline code with \`stepline deploy\` instead (it registers the job definitions again); stepline keeps the newest ${KEPT_REVISIONS} revisions of each job definition, so rollback reaches back at most ${KEPT_REVISIONS} changes of a job`,
        { field: `sfn.alias:${LIVE_ALIAS}` },
      );
    }
    const sfn = await aws.client("sfn");
    const { UpdateStateMachineAliasCommand } = await aws.sdk("sfn");
    await sfn.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn: alias.arn,
        // The config hash of the version it now points at: a plan then shows the alias as behind
        // the pipeline's code, and the next deploy moves it forward again.
        description: `stepline: config ${stateMachineConfigHash(config(version))} (rollback to version ${n}, was ${versionNumber(alias.versionArn)})`,
        routingConfiguration: [{ stateMachineVersionArn: arn, weight: 100 }],
      }),
    );
    return { aliasArn: alias.arn, from: alias.versionArn, to: arn };
  }
  throw SteplineError.of(
    "SL_ROLLBACK_NO_PREVIOUS",
    `the live alias of '${pipeline}' is on version ${versionNumber(alias.versionArn)} and no earlier version differs from it`,
    "there is nothing to roll back to; deploy a fixed pipeline instead",
  );
}
