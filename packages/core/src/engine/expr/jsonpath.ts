import { JSONPath } from "jsonpath-plus";
import { jsonForMessage, StatesError } from "./errors.js";
import { type ParsedPath, type PathSegment, parsePath } from "./path-parse.js";
import type { ExprScope } from "./scope.js";

/** Marks a definite path that matched nothing (distinct from a JSON null). */
export const MISSING: unique symbol = Symbol("missing");

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Evaluates a path: `$…` on `data`, `$$…` on the context, `$var…` on a variable. A definite path
 * that matches nothing throws States.Runtime naming the path and `field`, as AWS does;
 * indefinite paths (wildcards, filters, deep scan, slices, unions) return an array, possibly empty.
 * Values are returned by reference, never cloned: callers must not mutate them.
 */
export function readPath(path: string, data: unknown, scope: ExprScope, field: string): unknown {
  if (path === "$") return data;
  const parsed = parsePath(path);
  const value = lookup(parsed, data, scope);
  if (value === MISSING) {
    if (parsed.root === "variable" && !scope.variables.has(parsed.variable)) {
      throw new StatesError(
        "States.Runtime",
        `The JSONPath '${path}' specified for the field '${field}' references the variable '$${parsed.variable}', which is not defined here`,
      );
    }
    throw new StatesError(
      "States.Runtime",
      `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${jsonForMessage(
        rootOf(parsed, data, scope),
      )}'`,
    );
  }
  return value;
}

/** Like readPath, but returns MISSING instead of throwing when a definite path matches nothing. */
export function tryReadPath(path: string, data: unknown, scope: ExprScope): unknown {
  if (path === "$") return data;
  return lookup(parsePath(path), data, scope);
}

function rootOf(parsed: ParsedPath, data: unknown, scope: ExprScope): unknown {
  if (parsed.root === "data") return data;
  if (parsed.root === "context") return scope.context;
  return scope.variables.has(parsed.variable) ? scope.variables.get(parsed.variable) : MISSING;
}

function lookup(parsed: ParsedPath, data: unknown, scope: ExprScope): unknown {
  const root = rootOf(parsed, data, scope);
  if (root === MISSING) return MISSING;
  let value: unknown;
  if (parsed.segments !== undefined) {
    value = walk(root, parsed.segments);
  } else {
    value = queryIndefinite(parsed, root);
  }
  if (!parsed.length || value === MISSING) return value;
  return lengthOf(value);
}

/** Wildcards, filters, deep scan, slices, unions: delegated to jsonpath-plus; always an array. */
function queryIndefinite(parsed: ParsedPath, root: unknown): unknown[] {
  if (root === null || root === undefined) return [];
  let result: unknown;
  try {
    result = JSONPath({ path: parsed.rebased, json: root as object, wrap: true });
  } catch (error) {
    throw new StatesError(
      "States.Runtime",
      `Invalid JSONPath '${parsed.source}': ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return Array.isArray(result) ? result : [];
}

/** Follows definite steps; MISSING as soon as one does not exist. */
export function walk(root: unknown, segments: readonly PathSegment[]): unknown {
  let value = root;
  for (const segment of segments) {
    if (typeof segment === "number") {
      if (!Array.isArray(value)) return MISSING;
      const index = segment < 0 ? value.length + segment : segment;
      if (index < 0 || index >= value.length) return MISSING;
      value = value[index];
    } else {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return MISSING;
      if (!hasOwn.call(value, segment)) return MISSING;
      value = (value as Record<string, unknown>)[segment];
    }
  }
  return value;
}

/** Jayway's `length()`: the size of an array, string or object. */
function lengthOf(value: unknown): unknown {
  if (Array.isArray(value) || typeof value === "string") return value.length;
  if (value !== null && typeof value === "object") return Object.keys(value).length;
  return MISSING;
}
