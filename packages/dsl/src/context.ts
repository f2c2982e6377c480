import { leafRef, target } from "./private/refs.js";
import type { Ref } from "./ref.js";

/** References to the execution context of a run. */
export interface ContextRefs {
  /** The execution's name (unique per state machine). */
  readonly executionName: Ref<string>;
  /** When the execution started, an ISO 8601 timestamp. */
  readonly executionStartTime: Ref<string>;
  readonly stateMachineName: Ref<string>;
}

/** The execution context references handed to `steps`. */
export function contextRefs(): ContextRefs {
  return Object.freeze({
    executionName: leafRef<string>(target("context", ["Execution", "Name"])),
    executionStartTime: leafRef<string>(target("context", ["Execution", "StartTime"])),
    stateMachineName: leafRef<string>(target("context", ["StateMachine", "Name"])),
  });
}
