import type { StateJson, StateMachineJson } from "../asl/types.js";

/**
 * Stable key order for every state, as reviewers read ASL: what the state is,
 * what it reads, what it does, what it keeps, how it fails, where it goes.
 */
const STATE_KEYS = [
  "Type",
  "Comment",
  "QueryLanguage",
  "Resource",
  "InputPath",
  "Parameters",
  "Arguments",
  "ItemsPath",
  "Items",
  "ItemSelector",
  "ItemReader",
  "ItemBatcher",
  "MaxConcurrency",
  "ToleratedFailureCount",
  "ToleratedFailurePercentage",
  "ItemProcessor",
  "Label",
  "ResultWriter",
  "Branches",
  "Choices",
  "Default",
  "Seconds",
  "SecondsPath",
  "Timestamp",
  "TimestampPath",
  "Result",
  "ResultSelector",
  "ResultPath",
  "OutputPath",
  "Output",
  "Assign",
  "Error",
  "ErrorPath",
  "Cause",
  "CausePath",
  "TimeoutSeconds",
  "TimeoutSecondsPath",
  "HeartbeatSeconds",
  "HeartbeatSecondsPath",
  "Retry",
  "Catch",
  "Next",
  "End",
];
const RANK = new Map(STATE_KEYS.map((key, i) => [key, i]));

function normaliseStates(states: Record<string, StateJson>): Record<string, StateJson> {
  const out: Record<string, StateJson> = {};
  for (const [name, state] of Object.entries(states)) out[name] = normaliseState(state);
  return out;
}

function inOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    if ((RANK.get(keys[i - 1] as string) ?? 999) > (RANK.get(keys[i] as string) ?? 999)) return false;
  }
  return true;
}

function normaliseState(state: StateJson): StateJson {
  const present = Object.keys(state);
  // Most states are built in order already: keep them, only nested state lists need a look.
  if (inOrder(present) && state.Branches === undefined && state.ItemProcessor === undefined) {
    return present.some((key) => state[key] === undefined) ? withoutUndefined(state) : state;
  }
  const keys = present.sort((a, b) => (RANK.get(a) ?? 999) - (RANK.get(b) ?? 999) || (a < b ? -1 : 1));
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = state[key];
    if (value === undefined) continue;
    if (key === "Branches") {
      out[key] = (value as { StartAt: string; States: Record<string, StateJson> }[]).map((branch) => ({
        StartAt: branch.StartAt,
        States: normaliseStates(branch.States),
      }));
    } else if (key === "ItemProcessor") {
      const processor = value as { ProcessorConfig?: unknown; StartAt: string; States: Record<string, StateJson> };
      out[key] = {
        ...(processor.ProcessorConfig !== undefined ? { ProcessorConfig: processor.ProcessorConfig } : {}),
        StartAt: processor.StartAt,
        States: normaliseStates(processor.States),
      };
    } else out[key] = value;
  }
  return out as StateJson;
}

function withoutUndefined(state: StateJson): StateJson {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) if (value !== undefined) out[key] = value;
  return out as StateJson;
}

/** A copy of the machine with every state's keys in the stable order. */
export function normaliseMachine(machine: StateMachineJson): StateMachineJson {
  return {
    ...(machine.Comment !== undefined ? { Comment: machine.Comment } : {}),
    ...(machine.QueryLanguage !== undefined ? { QueryLanguage: machine.QueryLanguage } : {}),
    StartAt: machine.StartAt,
    States: normaliseStates(machine.States),
    ...(machine.TimeoutSeconds !== undefined ? { TimeoutSeconds: machine.TimeoutSeconds } : {}),
  };
}
