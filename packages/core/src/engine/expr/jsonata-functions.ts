import { jsonForMessage, StatesError } from "./errors.js";
import { HASH_ALGORITHMS, hashHex, JavaRandom } from "./private/crypto.js";
import type { Nondeterminism } from "./scope.js";

/** Thrown inside AWS's extra functions; reported as States.QueryEvaluationError. */
function fail(fn: string, message: string): never {
  throw new StatesError("States.QueryEvaluationError", `${fn}: ${message}`);
}

function partition(array: unknown, size: unknown): unknown[][] {
  if (!Array.isArray(array)) fail("$partition", `the first argument must be an array, got ${jsonForMessage(array)}`);
  if (typeof size !== "number" || !Number.isInteger(size) || size <= 0) {
    fail("$partition", `the chunk size must be a positive integer, got ${jsonForMessage(size)}`);
  }
  const chunks: unknown[][] = [];
  for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
  return chunks;
}

/** `$range(0, 10, 2)` → `[0, 2, 4, 6, 8, 10]` (end inclusive; a negative step counts down). */
function range(start: unknown, end: unknown, step: unknown = 1): number[] {
  for (const [v, what] of [
    [start, "start"],
    [end, "end"],
    [step, "step"],
  ] as const) {
    if (typeof v !== "number" || !Number.isFinite(v))
      fail("$range", `the ${what} must be a number, got ${jsonForMessage(v)}`);
  }
  const [a, b, s] = [start as number, end as number, step as number];
  if (s === 0) fail("$range", "the step must not be 0");
  const count = Math.max(0, Math.floor((b - a) / s) + 1);
  return Array.from({ length: count }, (_, i) => a + i * s);
}

function hash(value: unknown, algorithm: unknown): string {
  if (typeof value !== "string") fail("$hash", `the value must be a string, got ${jsonForMessage(value)}`);
  const digest = typeof algorithm === "string" ? hashHex(value, algorithm) : undefined;
  if (digest === undefined) {
    fail("$hash", `the algorithm must be one of ${HASH_ALGORITHMS.join(", ")}, got ${jsonForMessage(algorithm)}`);
  }
  return digest;
}

function parse(text: unknown): unknown {
  if (typeof text !== "string") fail("$parse", `the argument must be a string, got ${jsonForMessage(text)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fail("$parse", `the argument is not valid JSON: ${jsonForMessage(text)}`);
  }
}

const byNondeterminism = new WeakMap<Nondeterminism, Readonly<Record<string, unknown>>>();

/** AWS's extra JSONata functions, bound as `$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse` (and `$eval` refused). */
export function awsFunctions(nd: Nondeterminism): Readonly<Record<string, unknown>> {
  let fns = byNondeterminism.get(nd);
  if (fns === undefined) {
    fns = {
      partition,
      range,
      hash,
      parse,
      random: (seed?: unknown): number => {
        if (seed === undefined) return nd.random();
        if (typeof seed !== "number" || !Number.isFinite(seed)) {
          fail("$random", `the seed must be a number, got ${jsonForMessage(seed)}`);
        }
        return new JavaRandom(seed).nextDouble();
      },
      uuid: (): string => nd.uuid(),
      // Step Functions does not offer $eval; its documentation points to $parse.
      eval: (): never => fail("$eval", "not supported in Step Functions: use $parse(jsonString)"),
    };
    byNondeterminism.set(nd, fns);
  }
  return fns;
}
