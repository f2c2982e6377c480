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

/** Empty lists and objects mean what an absent field means to AWS (and Describe calls drop or add them). */
function pruned(value: JsonValue | undefined): JsonValue | undefined {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => pruned(v) ?? null);
  if (!isObject(value)) return value;
  const out: Record<string, JsonValue> = {};
  for (const [key, v] of Object.entries(value)) {
    const p = pruned(v);
    if (p !== undefined) out[key] = p;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * The fields that differ between two property sets, as dotted paths in
 * sorted order. Objects are walked key by key; arrays and opaque paths are
 * compared whole (canonical JSON: key order does not matter); an empty list
 * or object equals an absent field.
 */
export function diffProperties(desired: JsonObject, current: JsonObject, options: DiffOptions = {}): FieldChange[] {
  const opaque = new Set(options.opaque ?? []);
  const maxDepth = options.maxDepth ?? 3;
  const changes: FieldChange[] = [];
  const walk = (want: JsonValue | undefined, have: JsonValue | undefined, path: string, depth: number): void => {
    if (canonicalJson(pruned(want)) === canonicalJson(pruned(have))) return;
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
