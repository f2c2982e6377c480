import type { JsonValue } from "../model/value.js";

/** Values of a CloudFormation template: `Fn::Sub` for ARN templates, logical ids, tags, property names. */

export interface CloudFormationResource {
  readonly Type: string;
  readonly DependsOn?: readonly string[];
  readonly Properties: { readonly [key: string]: JsonValue };
}

const PSEUDO = /\$\{AWS::(Partition|Region|AccountId|URLSuffix|StackName|StackId)\}/;

/** A string with ARN templates as `Fn::Sub` (every other `${` escaped as `${!`); other strings unchanged. */
export function sub(text: string): JsonValue {
  if (!PSEUDO.test(text)) return text;
  return { "Fn::Sub": text.replace(/\$\{(?!AWS::(Partition|Region|AccountId|URLSuffix|StackName|StackId)\})/g, "${!") };
}

/** {@link sub} on every string of a value. */
export function subAll(value: JsonValue): JsonValue {
  if (typeof value === "string") return sub(value);
  if (Array.isArray(value)) return value.map(subAll);
  if (value !== null && typeof value === "object") {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = subAll(v as JsonValue);
    return out;
  }
  return value;
}

/** `JobDefinition` + `extract-orders` → `JobDefinitionExtractOrders` (logical ids are alphanumeric). */
export function logicalId(prefix: string, name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  return `${prefix}${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("")}`.slice(0, 255);
}

export function tagList(tags: Readonly<Record<string, string>>): JsonValue {
  return Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([Key, Value]) => ({ Key, Value }));
}

/** Keys whose values are maps of user keys (never PascalCased). */
const MAP_KEYS = new Set(["tags", "parameters", "options"]);

/** RegisterJobDefinition's camelCase shape → CloudFormation's PascalCase properties. */
export function pascal(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(pascal);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k.charAt(0).toUpperCase() + k.slice(1)] = MAP_KEYS.has(k) ? (v as JsonValue) : pascal(v as JsonValue);
  }
  return out;
}
