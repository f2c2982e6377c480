import { cases as choice } from "./cases/choice.js";
import { cases as context } from "./cases/context.js";
import { cases as errors } from "./cases/errors.js";
import { cases as flow } from "./cases/flow.js";
import { cases as intrinsics } from "./cases/intrinsics.js";
import { cases as io } from "./cases/io.js";
import { cases as jsonata } from "./cases/jsonata.js";
import { cases as map } from "./cases/map.js";
import { cases as parallel } from "./cases/parallel.js";
import { cases as variables } from "./cases/variables.js";
import type { Case } from "./types.js";

/** Every case of the fidelity suite. */
export const allCases: readonly Case[] = [
  ...io,
  ...context,
  ...intrinsics,
  ...choice,
  ...flow,
  ...map,
  ...parallel,
  ...errors,
  ...jsonata,
  ...variables,
];

function walk(value: unknown, visit: (key: string, value: unknown) => boolean): boolean {
  if (Array.isArray(value)) return value.some((v) => walk(v, visit));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => visit(k, v) || walk(v, visit));
  }
  return false;
}

/** Whether the definition has a Task state (moto cannot emulate arbitrary task behaviours). */
export function hasTask(c: Case): boolean {
  return walk(c.definition, (k, v) => k === "Type" && v === "Task");
}

/** Whether the definition uses JSONata (machine or state level). */
export function usesJsonata(c: Case): boolean {
  return walk(c.definition, (k, v) => k === "QueryLanguage" && v === "JSONata");
}

/** Whether the definition assigns or reads workflow variables. */
export function usesVariables(c: Case): boolean {
  return walk(c.definition, (k, v) => {
    if (k === "Assign") return true;
    // A JSONPath reference to a variable: "$name…" (not "$.", "$$", "$[" or "$").
    return typeof v === "string" && k.endsWith(".$") && /(^|[(,\s])\$[A-Za-z_]/.test(v);
  });
}
