import { leafRef, target } from "./private/refs.js";
import type { Ref } from "./ref.js";

/** References to the caught error, for the payload of an `onFailure` handler step. */
export interface FailureRefs {
  /** The error name, e.g. `States.TaskFailed` or `States.Timeout`. */
  readonly Error: Ref<string>;
  /** The cause: a message, or for Batch and Glue the failed job's description as JSON text. */
  readonly Cause: Ref<string>;
}

/**
 * The error that made the run fail, usable only inside a failure handler:
 * `onFailure: { handler: lambda("notify", { payload: { error: failure.Error } }) }`.
 */
export const failure: FailureRefs = Object.freeze({
  Error: leafRef<string>(target("error", ["Error"])),
  Cause: leafRef<string>(target("error", ["Cause"])),
});
