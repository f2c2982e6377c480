import type { JsonValue } from "../model/value.js";
import { canonicalJson, type FieldChange } from "./contract.js";

/** Options of {@link diffProperties}. */
export interface DiffOptions {
  /** Paths compared as one value (e.g. `definition`): a change names the path, not what is inside. */
  readonly opaque?: readonly string[];
  /** Deepest path reported; deeper differences are reported at this depth. @default 3 */
  readonly maxDepth?: number;
}

type JsonObject = { readonly [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The fields that differ between two property sets, as dotted paths in
 * sorted order. Objects are walked key by key; arrays and opaque paths are
 * compared whole (canonical JSON: key order does not matter).
 */
export function diffProperties(desired: JsonObject, current: JsonObject, options: DiffOptions = {}): FieldChange[] {
  const opaque = new Set(options.opaque ?? []);
  const maxDepth = options.maxDepth ?? 3;
  const changes: FieldChange[] = [];
  const walk = (want: JsonValue | undefined, have: JsonValue | undefined, path: string, depth: number): void => {
    if (canonicalJson(want) === canonicalJson(have)) return;
    if (isObject(want) && isObject(have) && !opaque.has(path) && depth < maxDepth) {
      const keys = [...new Set([...Object.keys(want), ...Object.keys(have)])].sort();
      for (const key of keys) walk(want[key], have[key], path === "" ? key : `${path}.${key}`, depth + 1);
      return;
    }
    changes.push({
      field: path === "" ? "(all)" : path,
      ...(have === undefined ? {} : { from: have }),
      ...(want === undefined ? {} : { to: want }),
    });
  };
  walk(desired, current, "", 0);
  return changes;
}
