import type { CompiledPipeline, CurrentResource, DesiredResource, PipelineModel, Plan } from "@stepline/core";
import type { AwsContext, AwsIdentity, ResourceDriver } from "@stepline/runners/deploy";
import { guarded } from "./connect.js";

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
  const { driverFor } = await import("@stepline/runners/deploy");
  const concurrency = options.concurrency ?? 6;
  const unpinned = core.desiredResources(compiled, model, identity);
  core.checkDesired(unpinned);
  // Referenced resources too (queues, Glue jobs, Lambda functions): a missing one is a plan problem.
  const reads = await mapLimit(unpinned, concurrency, (d) =>
    guarded(aws, `reading ${core.typeWords(d.type)} '${d.name}'`, () => driverFor(d.type).read(aws, d)),
  );
  const current = new Map(unpinned.map((d, i) => [d.key, reads[i]]));
  // Job definitions that keep their revision: the state machine pins it.
  const revisions = new Map<string, string>();
  for (const d of unpinned) {
    const have = current.get(d.key);
    if (d.type !== "batch.jobDefinition" || !d.managed || have?.arn === undefined) continue;
    const changes = driverFor(d.type).diff(d, have);
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
    diff: (d, c) => driverFor(d.type).diff(d, c),
  });
  return { plan, desired, identity, revisions };
}
