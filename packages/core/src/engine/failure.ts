import { StatesError } from "./expr/index.js";
import { TaskFailure } from "./types.js";

/** An ASL error as a state sees it: `{ Error, Cause }`. */
export interface Failure {
  readonly error: string;
  readonly cause: string;
}

/** Errors neither `States.ALL` nor any other ErrorEquals catches or retries. */
const UNCATCHABLE = new Set(["States.Runtime", "States.DataLimitExceeded"]);

/**
 * Stops the whole run (abort, execution timeout) or a subtree (a sibling
 * branch failed): never retried nor caught.
 */
export class Halt extends Error {
  override readonly name = "Halt";
  constructor(
    readonly status: "ABORTED" | "TIMED_OUT" | "CANCELLED",
    readonly failure: Failure,
  ) {
    super(`${failure.error}: ${failure.cause}`);
  }
}

export function fail(error: string, cause: string): StatesError {
  return new StatesError(error, cause);
}

/** Turns anything a state or a handler threw into an ASL error. */
export function toFailure(thrown: unknown): Failure {
  if (thrown instanceof StatesError) return { error: thrown.error, cause: thrown.cause };
  if (thrown instanceof TaskFailure) return { error: thrown.error, cause: thrown.cause };
  if (thrown instanceof Error) {
    const named = thrown as Error & { error?: unknown; cause?: unknown };
    // Duck-typed TaskFailure / StatesError from another copy of the module.
    if (typeof named.error === "string") {
      return { error: named.error, cause: typeof named.cause === "string" ? named.cause : thrown.message };
    }
    return { error: thrown.name || "Error", cause: thrown.message };
  }
  return { error: "Error", cause: typeof thrown === "string" ? thrown : (JSON.stringify(thrown) ?? String(thrown)) };
}

/** Whether a Retry/Catch `ErrorEquals` list matches `error` (AWS rules). */
export function matchesError(errorEquals: readonly string[], error: string): boolean {
  if (UNCATCHABLE.has(error)) return false;
  for (const name of errorEquals) {
    if (name === error || name === "States.ALL") return true;
    if (name === "States.TaskFailed" && error !== "States.Timeout") return true;
  }
  return false;
}
