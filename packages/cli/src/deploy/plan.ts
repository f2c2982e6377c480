import type { CompiledPipeline, CurrentResource, DesiredResource, PipelineModel, Plan } from "@stepline/core";
import type { AwsContext, AwsIdentity, ResourceDriver } from "@stepline/runners/deploy";

/** Options of {@link readPlan}. */
export interface PlanOptions {
  /** Driver calls in flight at once while reading. @default 6 */
  readonly concurrency?: number;
}

/** A plan with what it was built from, ready for {@link applyPlan}. */
export interface DeployPlan {
  readonly plan: Plan;
  readonly desired: readonly DesiredResource[];
  readonly identity: AwsIdentity;
  /** Referenced resources stepline cannot check (no driver), by key. */
  readonly unchecked: readonly string[];
  /** Job definition name → the revision ARN the state machine pins (those that stay as they are). */
  readonly revisions: ReadonlyMap<string, string>;
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** Wraps a driver call so its SDK errors become stepline problems naming what was being done. */
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

/** Everything tagged for the pipeline, from every driver (per service, by name convention and tags). */
export async function readOwned(aws: AwsContext, pipeline: string, concurrency = 6): Promise<CurrentResource[]> {
  const { allDrivers } = await import("@stepline/runners/deploy");
  const lists = await mapLimit(allDrivers(), concurrency, (driver: ResourceDriver) =>
    guarded(aws, `listing the ${driver.type} resources of ${pipeline}`, () => driver.listOwned(aws, pipeline)),
  );
  const byKey = new Map<string, CurrentResource>();
  for (const list of lists) for (const r of list) byKey.set(r.key, r);
  return [...byKey.values()];
}

/**
 * Reads what the pipeline wants and what is there (Describe/Get/List calls
 * only) and compares them. The plan's problems (a referenced queue that
 * does not exist, a name taken by a resource stepline does not own) make it
 * impossible to apply.
 */
export async function readPlan(
  aws: AwsContext,
  identity: AwsIdentity,
  compiled: CompiledPipeline,
  model: PipelineModel,
  options: PlanOptions = {},
): Promise<DeployPlan> {
  const core = await import("@stepline/core");
  const { findDriver } = await import("@stepline/runners/deploy");
  const concurrency = options.concurrency ?? 6;
  const unpinned = core.desiredResources(compiled, model, identity);
  core.checkDesired(unpinned);
  const unchecked: string[] = [];
  const reads = await mapLimit(unpinned, concurrency, async (d) => {
    const driver = findDriver(d.type);
    if (driver === undefined) {
      if (d.managed) throw core.internalError(`no deploy driver for ${d.key}`);
      // Referenced, and stepline has no client for it (Lambda): assumed to exist.
      unchecked.push(d.key);
      return { key: d.key, type: d.type, name: d.name, properties: {}, tags: {} } satisfies CurrentResource;
    }
    return guarded(aws, `reading ${core.typeWords(d.type)} '${d.name}'`, () => driver.read(aws, d));
  });
  const current = new Map(unpinned.map((d, i) => [d.key, reads[i]]));
  // Job definitions that keep their revision: the state machine pins it.
  const revisions = new Map<string, string>();
  for (const d of unpinned) {
    const have = current.get(d.key);
    if (d.type !== "batch.jobDefinition" || !d.managed || have?.arn === undefined) continue;
    const changes = findDriver(d.type)?.diff(d, have) ?? [];
    if (changes.every((c) => c.field === "tags" || c.field.startsWith("tags."))) revisions.set(d.name, have.arn);
  }
  const desired = core.pinJobDefinitions(unpinned, revisions);
  const owned = await readOwned(aws, compiled.manifest.pipeline, concurrency);
  const plan = core.buildPlan({
    pipeline: compiled.manifest.pipeline,
    region: aws.region,
    desired,
    current,
    owned,
    diff: (d, c) => findDriver(d.type)?.diff(d, c) ?? [],
  });
  return { plan, desired, identity, unchecked: unchecked.sort(), revisions };
}
