import { StatesError } from "./errors.js";

/** One step of a definite path: a property name or an array index (negative counts from the end). */
export type PathSegment = string | number;

/** A JSONPath split into its root and, when it is definite, its steps. */
export interface ParsedPath {
  readonly source: string;
  /** `$` → the data, `$$` → the context object, `$name` → a workflow variable. */
  readonly root: "data" | "context" | "variable";
  /** The variable name when root is "variable". */
  readonly variable: string;
  /** The steps of a definite path; undefined for an indefinite one (wildcard, filter, slice…). */
  readonly segments: readonly PathSegment[] | undefined;
  /** The path rebased on its own root (`$…`), handed to jsonpath-plus for indefinite paths. */
  readonly rebased: string;
  /** A trailing Jayway `.length()`. */
  readonly length: boolean;
}

const cache = new Map<string, ParsedPath>();
const VARIABLE = /^\$([A-Za-z_][A-Za-z0-9_]*)/;

/** Parses (and caches) a JSONPath; throws States.Runtime when it does not start with `$`. */
export function parsePath(path: string): ParsedPath {
  let parsed = cache.get(path);
  if (parsed === undefined) {
    parsed = parseUncached(path);
    cache.set(path, parsed);
  }
  return parsed;
}

function parseUncached(source: string): ParsedPath {
  let root: ParsedPath["root"];
  let variable = "";
  let rest: string;
  if (source.startsWith("$$")) {
    root = "context";
    rest = source.slice(2);
  } else if (source.startsWith("$")) {
    const match = VARIABLE.exec(source);
    if (match?.[1] !== undefined) {
      root = "variable";
      variable = match[1];
      rest = source.slice(match[0].length);
    } else {
      root = "data";
      rest = source.slice(1);
    }
  } else {
    throw new StatesError("States.Runtime", `Invalid JSONPath '${source}': a path must start with '$'.`);
  }
  let length = false;
  if (rest.endsWith(".length()")) {
    length = true;
    rest = rest.slice(0, -".length()".length);
  }
  return { source, root, variable, segments: parseSegments(rest), rebased: `$${rest}`, length };
}

/** Steps of a definite path (`.a`, `['a']`, `["a"]`, `[0]`, `[-1]`), or undefined when indefinite. */
function parseSegments(rest: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < rest.length) {
    const c = rest[i];
    if (c === ".") {
      if (rest[i + 1] === "." || rest[i + 1] === "[") return undefined;
      let j = i + 1;
      while (j < rest.length && rest[j] !== "." && rest[j] !== "[") j++;
      const name = rest.slice(i + 1, j);
      if (name === "" || /[*()?,@:\]'"]/.test(name)) return undefined;
      segments.push(name);
      i = j;
    } else if (c === "[") {
      const q = rest[i + 1];
      if (q === "'" || q === '"') {
        let j = i + 2;
        let name = "";
        while (j < rest.length && rest[j] !== q) {
          if (rest[j] === "\\" && j + 1 < rest.length) j++;
          name += rest[j];
          j++;
        }
        if (rest[j] !== q || rest[j + 1] !== "]") return undefined;
        segments.push(name);
        i = j + 2;
      } else {
        const close = rest.indexOf("]", i);
        if (close < 0) return undefined;
        const inner = rest.slice(i + 1, close).trim();
        if (!/^-?\d+$/.test(inner)) return undefined;
        segments.push(Number(inner));
        i = close + 1;
      }
    } else {
      return undefined;
    }
  }
  return segments;
}

/**
 * Parses a reference path (ResultPath): `$`, or `$` followed by `.name`, `['name']` or `[index]`
 * steps. Throws States.Runtime for anything else (wildcards, filters, `$$`, variables).
 */
export function parseReferencePath(path: string): readonly PathSegment[] {
  const parsed = parsePath(path);
  if (parsed.root !== "data" || parsed.segments === undefined || parsed.length) {
    throw new StatesError(
      "States.Runtime",
      `Invalid reference path '${path}': ResultPath must be '$' or a path to a single node such as '$.result'.`,
    );
  }
  return parsed.segments;
}
