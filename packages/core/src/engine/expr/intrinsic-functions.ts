import { jsonForMessage, StatesError } from "./errors.js";
import { HASH_ALGORITHMS, hashHex, JavaRandom } from "./private/crypto.js";
import { deepEqual } from "./private/equal.js";
import type { Nondeterminism } from "./scope.js";

/** An evaluated argument; `raw` keeps a literal format string's placeholder split. */
export interface IntrinsicArg {
  readonly value: unknown;
  readonly formatParts?: readonly string[];
}

type Impl = (args: readonly IntrinsicArg[], nd: Nondeterminism) => unknown;

/** AWS caps States.ArrayRange at 1,000 items. */
export const MAX_RANGE_ITEMS = 1000;
/** AWS caps Base64Encode/Base64Decode/Hash input at 10,000 characters. */
export const MAX_ENCODE_CHARS = 10000;

function failure(name: string, message: string): never {
  throw new StatesError("States.IntrinsicFailure", `Invalid arguments in ${name}: ${message}`);
}

function arity(name: string, args: readonly IntrinsicArg[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    failure(name, `expected ${expected} argument(s), got ${args.length}`);
  }
}

function at(args: readonly IntrinsicArg[], i: number): unknown {
  return args[i]?.value;
}

function array(name: string, value: unknown, what = "the first argument"): readonly unknown[] {
  if (!Array.isArray(value)) failure(name, `${what} must be an array, got ${jsonForMessage(value)}`);
  return value;
}

function string(name: string, value: unknown, what: string): string {
  if (typeof value !== "string") failure(name, `${what} must be a string, got ${jsonForMessage(value)}`);
  return value;
}

/** A number rounded to the nearest integer (AWS rounds non-integers; Java's Math.round). */
function integer(name: string, value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    failure(name, `${what} must be a number, got ${jsonForMessage(value)}`);
  }
  return Math.round(value);
}

function limited(name: string, value: string): string {
  if (value.length > MAX_ENCODE_CHARS) {
    failure(name, `the input is ${value.length} characters long, the limit is ${MAX_ENCODE_CHARS}`);
  }
  return value;
}

/** States.Format's rendering of a value: strings as is, other scalars as JSON, AWS's Java-style maps. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(", ")}}`;
  }
  return value === undefined ? "null" : JSON.stringify(value);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const FUNCTIONS: Readonly<Record<string, Impl>> = {
  "States.Format": (args) => {
    const name = "States.Format";
    if (args.length < 1) failure(name, "expected a format string");
    const first = args[0];
    const template = string(name, first?.value, "the format string");
    const parts = first?.formatParts ?? template.split("{}");
    if (parts.length - 1 !== args.length - 1) {
      failure(
        name,
        `the format string has ${parts.length - 1} placeholder(s) '{}' but ${args.length - 1} value(s) were given`,
      );
    }
    let out = parts[0] ?? "";
    for (let i = 1; i < parts.length; i++) out += formatValue(at(args, i)) + (parts[i] ?? "");
    return out;
  },
  "States.StringToJson": (args) => {
    const name = "States.StringToJson";
    arity(name, args, 1);
    const text = string(name, at(args, 0), "the argument");
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return failure(name, `the argument is not valid JSON: ${jsonForMessage(text)}`);
    }
  },
  "States.JsonToString": (args) => {
    arity("States.JsonToString", args, 1);
    return jsonForMessage(at(args, 0));
  },
  "States.Array": (args) => args.map((a) => a.value),
  "States.ArrayPartition": (args) => {
    const name = "States.ArrayPartition";
    arity(name, args, 2);
    const items = array(name, at(args, 0));
    const size = at(args, 1);
    if (typeof size !== "number" || !Number.isInteger(size) || size <= 0) {
      failure(name, `the chunk size must be a positive integer, got ${jsonForMessage(size)}`);
    }
    const chunks: unknown[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
  },
  "States.ArrayContains": (args) => {
    const name = "States.ArrayContains";
    arity(name, args, 2);
    const needle = at(args, 1);
    return array(name, at(args, 0)).some((item) => deepEqual(item, needle));
  },
  "States.ArrayRange": (args) => {
    const name = "States.ArrayRange";
    arity(name, args, 3);
    const start = integer(name, at(args, 0), "the start");
    const end = integer(name, at(args, 1), "the end");
    const step = integer(name, at(args, 2), "the step");
    if (step === 0) failure(name, "the step must not be 0");
    const count = Math.max(0, Math.floor((end - start) / step) + 1);
    if (count > MAX_RANGE_ITEMS) failure(name, `the range has ${count} items, the limit is ${MAX_RANGE_ITEMS}`);
    return Array.from({ length: count }, (_, i) => start + i * step);
  },
  "States.ArrayGetItem": (args) => {
    const name = "States.ArrayGetItem";
    arity(name, args, 2);
    const items = array(name, at(args, 0));
    const index = at(args, 1);
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0) {
      failure(name, `the index must be a non-negative integer, got ${jsonForMessage(index)}`);
    }
    if (index >= items.length) failure(name, `the index ${index} is out of bounds for an array of ${items.length}`);
    return items[index];
  },
  "States.ArrayLength": (args) => {
    arity("States.ArrayLength", args, 1);
    return array("States.ArrayLength", at(args, 0), "the argument").length;
  },
  "States.ArrayUnique": (args) => {
    arity("States.ArrayUnique", args, 1);
    const unique: unknown[] = [];
    for (const item of array("States.ArrayUnique", at(args, 0), "the argument")) {
      if (!unique.some((u) => deepEqual(u, item))) unique.push(item);
    }
    return unique;
  },
  "States.Base64Encode": (args) => {
    const name = "States.Base64Encode";
    arity(name, args, 1);
    return Buffer.from(limited(name, string(name, at(args, 0), "the argument")), "utf8").toString("base64");
  },
  "States.Base64Decode": (args) => {
    const name = "States.Base64Decode";
    arity(name, args, 1);
    const encoded = limited(name, string(name, at(args, 0), "the argument"));
    if (!BASE64.test(encoded)) failure(name, `the argument is not valid base64: ${jsonForMessage(encoded)}`);
    return Buffer.from(encoded, "base64").toString("utf8");
  },
  "States.Hash": (args) => {
    const name = "States.Hash";
    arity(name, args, 2);
    const data = limited(name, string(name, at(args, 0), "the data"));
    const algorithm = string(name, at(args, 1), "the algorithm");
    const digest = hashHex(data, algorithm);
    if (digest === undefined) {
      failure(name, `the algorithm must be one of ${HASH_ALGORITHMS.join(", ")}, got ${jsonForMessage(algorithm)}`);
    }
    return digest;
  },
  "States.JsonMerge": (args) => {
    const name = "States.JsonMerge";
    arity(name, args, 3);
    const [a, b, deep] = [at(args, 0), at(args, 1), at(args, 2)];
    for (const [v, what] of [
      [a, "the first argument"],
      [b, "the second argument"],
    ] as const) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) {
        failure(name, `${what} must be a JSON object, got ${jsonForMessage(v)}`);
      }
    }
    if (typeof deep !== "boolean") failure(name, `the third argument must be a boolean, got ${jsonForMessage(deep)}`);
    if (deep) failure(name, "deep merging is not supported: set the third argument to false (shallow merge)");
    return { ...(a as object), ...(b as object) };
  },
  "States.MathRandom": (args, nd) => {
    const name = "States.MathRandom";
    arity(name, args, 2, 3);
    const start = integer(name, at(args, 0), "the start");
    const end = integer(name, at(args, 1), "the end");
    if (end <= start) failure(name, `the end (${end}) must be greater than the start (${start})`);
    if (args.length === 3) {
      const seed = integer(name, at(args, 2), "the seed");
      return start + new JavaRandom(seed).nextInt(end - start);
    }
    return start + Math.floor(nd.random() * (end - start));
  },
  "States.MathAdd": (args) => {
    const name = "States.MathAdd";
    arity(name, args, 2);
    return integer(name, at(args, 0), "the first argument") + integer(name, at(args, 1), "the second argument");
  },
  "States.StringSplit": (args) => {
    const name = "States.StringSplit";
    arity(name, args, 2);
    const text = string(name, at(args, 0), "the first argument");
    const delimiters = string(name, at(args, 1), "the delimiter");
    // Every character of the second argument is a delimiter; empty pieces are dropped (AWS's example).
    const out: string[] = [];
    let piece = "";
    for (const ch of text) {
      if (delimiters.includes(ch)) {
        if (piece !== "") out.push(piece);
        piece = "";
      } else piece += ch;
    }
    if (piece !== "") out.push(piece);
    return out;
  },
  "States.UUID": (args, nd) => {
    arity("States.UUID", args, 0);
    return nd.uuid();
  },
};

/** Runs one intrinsic on evaluated arguments. */
export function callIntrinsic(name: string, args: readonly IntrinsicArg[], nd: Nondeterminism): unknown {
  const impl = FUNCTIONS[name];
  if (impl === undefined) {
    throw new StatesError("States.IntrinsicFailure", `Unknown intrinsic function '${name}'.`);
  }
  return impl(args, nd);
}
