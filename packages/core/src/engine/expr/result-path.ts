import { jsonForMessage, StatesError } from "./errors.js";
import { parseReferencePath } from "./path-parse.js";

/**
 * ResultPath: `null` discards the result (returns the input), `undefined` or `"$"` replaces the
 * input with the result, a reference path such as `$.a.b` sets the result there, creating missing
 * objects. Throws States.ResultPathMatchFailure when it can't (the input or an intermediate value
 * is not an object, e.g. a string or an array). Never mutates `input`: the objects on the path are
 * copied (shallowly), everything else is shared.
 */
export function applyResultPath(input: unknown, result: unknown, resultPath: string | null | undefined): unknown {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === "$") return result;
  const segments = parseReferencePath(resultPath);
  const set = (node: unknown, depth: number): unknown => {
    if (depth === segments.length) return result;
    const segment = segments[depth];
    if (typeof segment === "number") {
      // An index may replace an existing element of an array; it can't create one.
      if (!Array.isArray(node)) return mismatch(resultPath, input);
      const index = segment < 0 ? node.length + segment : segment;
      if (index < 0 || index >= node.length) return mismatch(resultPath, input);
      const copy = node.slice();
      copy[index] = set(node[index], depth + 1);
      return copy;
    }
    if (node === undefined) node = {};
    if (node === null || typeof node !== "object" || Array.isArray(node)) return mismatch(resultPath, input);
    const record = node as Record<string, unknown>;
    const child = Object.hasOwn(record, segment as string) ? record[segment as string] : undefined;
    return { ...record, [segment as string]: set(child, depth + 1) };
  };
  return set(input, 0);
}

function mismatch(resultPath: string, input: unknown): never {
  throw new StatesError(
    "States.ResultPathMatchFailure",
    `Unable to apply ReferencePath ${resultPath} to input ${jsonForMessage(input)}`,
  );
}
