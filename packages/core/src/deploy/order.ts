import { internalError } from "../errors/problem.js";
import type { DeployResourceType } from "./contract.js";

/**
 * Apply order by type: roles, compute, queues, job definitions, Glue jobs,
 * log group, state machine (and its version), alias, schedule. Destroy and
 * deletions of resources no longer wanted go the other way (schedule first).
 */
export const APPLY_RANK: Readonly<Record<DeployResourceType, number>> = {
  "iam.role": 0,
  "iam.instanceProfile": 1,
  "batch.computeEnvironment": 2,
  "batch.jobQueue": 3,
  "batch.jobDefinition": 4,
  "glue.job": 5,
  "lambda.function": 5,
  "logs.logGroup": 6,
  "sfn.stateMachine": 7,
  "sfn.alias": 8,
  "scheduler.schedule": 9,
  "events.rule": 9,
};

interface Orderable {
  readonly key: string;
  readonly type: DeployResourceType;
  readonly dependsOn?: readonly string[];
}

/**
 * Dependencies first (`dependsOn` edges between the given items), ties broken
 * by {@link APPLY_RANK} then key, so the order is deterministic.
 */
export function applyOrder<T extends Orderable>(items: readonly T[]): T[] {
  const byKey = new Map(items.map((item) => [item.key, item]));
  const rank = (item: T) => APPLY_RANK[item.type];
  const sorted = [...items].sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out: T[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (item: T, path: readonly string[]): void => {
    const seen = state.get(item.key);
    if (seen === "done") return;
    if (seen === "visiting")
      throw internalError(`deploy resources depend on each other: ${[...path, item.key].join(" => ")}`);
    state.set(item.key, "visiting");
    for (const dep of item.dependsOn ?? []) {
      const target = byKey.get(dep);
      if (target) visit(target, [...path, item.key]);
    }
    state.set(item.key, "done");
    out.push(item);
  };
  for (const item of sorted) visit(item, []);
  return out;
}

/** The reverse of {@link applyOrder}: what depends on a resource goes before it. */
export function destroyOrder<T extends Orderable>(items: readonly T[]): T[] {
  return applyOrder(items).reverse();
}
