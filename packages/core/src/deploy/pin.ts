import type { JsonValue } from "../model/value.js";
import { contentHash, type DesiredResource } from "./contract.js";
import { stateMachineConfigHash } from "./desired.js";

/**
 * The state machine names the job definitions stepline registers by name;
 * deploy pins each to the exact revision (its ARN ending in `:N`), so the
 * `live` alias switches code and configuration at once and a rollback
 * returns to the revisions the previous version ran. Revisions not
 * registered yet (plan time) read `<name>:(new revision)`.
 */
export const NEW_REVISION = ":(new revision)";

function pinValue(value: JsonValue, revisions: ReadonlyMap<string, string>, managed: ReadonlySet<string>): JsonValue {
  if (Array.isArray(value)) return value.map((v) => pinValue(v, revisions, managed));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, JsonValue> = {};
  for (const [key, v] of Object.entries(value as { readonly [key: string]: JsonValue })) {
    // A name, or a name pinned earlier to a revision still to come.
    const name = typeof v === "string" && v.endsWith(NEW_REVISION) ? v.slice(0, -NEW_REVISION.length) : v;
    out[key] =
      key === "JobDefinition" && typeof name === "string" && managed.has(name)
        ? (revisions.get(name) ?? `${name}${NEW_REVISION}`)
        : pinValue(v, revisions, managed);
  }
  return out;
}

/**
 * The desired set with the state machine's job definitions pinned to
 * `revisions` (name → revision ARN), the state machine's hash and its alias
 * recomputed. Other resources are returned as they are.
 */
export function pinJobDefinitions(
  desired: readonly DesiredResource[],
  revisions: ReadonlyMap<string, string>,
): DesiredResource[] {
  const managed = new Set(desired.filter((d) => d.type === "batch.jobDefinition" && d.managed).map((d) => d.name));
  if (managed.size === 0) return [...desired];
  const machines = new Map<string, DesiredResource>();
  const pinned = desired.map((d): DesiredResource => {
    if (d.type !== "sfn.stateMachine") return d;
    const properties = { ...d.properties, definition: pinValue(d.properties.definition ?? null, revisions, managed) };
    const machine = { ...d, properties, hash: contentHash(properties) };
    machines.set(d.name, machine);
    return machine;
  });
  return pinned.map((d): DesiredResource => {
    const machine = d.type === "sfn.alias" ? machines.get(d.properties.stateMachine as string) : undefined;
    if (machine === undefined) return d;
    const properties = { ...d.properties, stateMachineConfig: stateMachineConfigHash(machine.properties) };
    return { ...d, properties, hash: contentHash(properties) };
  });
}

/** A job definition revision ARN: `arn:…:batch:…:job-definition/<name>:<revision>`. */
const REVISION_ARN = /^arn:[\w-]+:batch:[\w-]+:\d{12}:job-definition\/[^:]+:\d+$/;

/**
 * The job definition revisions a state machine definition submits to (the
 * `JobDefinition` fields holding a revision ARN), sorted, each once: what a
 * version needs ACTIVE to run.
 */
export function pinnedRevisions(definition: JsonValue): string[] {
  const found = new Set<string>();
  const walk = (value: JsonValue): void => {
    if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value !== null && typeof value === "object") {
      for (const [key, v] of Object.entries(value as { readonly [key: string]: JsonValue })) {
        if (key === "JobDefinition" && typeof v === "string" && REVISION_ARN.test(v)) found.add(v);
        else walk(v);
      }
    }
  };
  walk(definition);
  return [...found].sort();
}
