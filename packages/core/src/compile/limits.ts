import type { StateJson, StateMachineJson } from "../asl/types.js";
import { type Problem, problem, warning } from "../errors/problem.js";
import type { MapStepModel } from "../model/pipeline.js";

/**
 * Step Functions limits checked on the compiled definition: its size, and the
 * history events an inline fan-out adds to its parent execution.
 */

export const MAX_DEFINITION_BYTES = 1_048_576;
export const MAX_HISTORY_EVENTS = 25_000;

/** Size of the definition as AWS counts it: UTF-8 bytes of the JSON text. */
export function definitionBytes(machine: StateMachineJson): number {
  return jsonBytes(machine);
}

/**
 * UTF-8 length of `JSON.stringify(value)`, computed by walking the value instead of
 * building the (up to megabytes long) string.
 */
export function jsonBytes(value: unknown): number {
  if (value === null) return 4;
  switch (typeof value) {
    case "string":
      return stringBytes(value);
    case "number":
      return Number.isFinite(value) ? String(value).length : 4;
    case "boolean":
      return value ? 4 : 5;
    case "object": {
      if (Array.isArray(value)) {
        let bytes = 2 + Math.max(0, value.length - 1);
        for (const item of value) bytes += item === undefined || typeof item === "function" ? 4 : jsonBytes(item);
        return bytes;
      }
      let bytes = 2;
      let count = 0;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined || typeof item === "function") continue;
        bytes += stringBytes(key) + 1 + jsonBytes(item);
        count++;
      }
      return bytes + Math.max(0, count - 1);
    }
    default:
      return 0;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\u007f-\uffff]/;

/** Bytes of a string as JSON text: quotes, escapes and UTF-8. */
function stringBytes(text: string): number {
  if (!NEEDS_ESCAPE.test(text)) return text.length + 2;
  return utf8Length(JSON.stringify(text));
}

/** UTF-8 length of a string, without encoding it. */
export function utf8Length(text: string): number {
  // Definitions are nearly always ASCII: one regular-expression scan settles it.
  if (!/[\u0080-\uffff]/.test(text)) return text.length;
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 UTF-16 units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

export function checkDefinitionSize(bytes: number, steps: number): Problem[] {
  if (bytes <= MAX_DEFINITION_BYTES) return [];
  return [
    problem(
      "SL_DEFINITION_TOO_LARGE",
      `the compiled state machine is ${bytes.toLocaleString("en-US")} bytes for ${steps} steps; Step Functions accepts at most 1,048,576 (1 MB)`,
      "split the pipeline into several pipelines, or turn repeated steps into one fan-out over a list",
    ),
  ];
}

/**
 * History events one pass through a list of states adds, without retries:
 * entered/exited for every state, plus scheduled/started/submitted/succeeded
 * for tasks, and the nested states of Parallel and inline Map states.
 */
export function eventsOf(states: Record<string, StateJson>, maps: ReadonlyMap<string, MapStepModel>): number {
  let total = 0;
  for (const [name, state] of Object.entries(states)) {
    switch (state.Type) {
      case "Task":
        total += 6;
        break;
      case "Parallel": {
        const branches = (state.Branches as { States: Record<string, StateJson> }[]) ?? [];
        total += 4 + branches.reduce((sum, branch) => sum + eventsOf(branch.States, maps), 0);
        break;
      }
      case "Map": {
        const processor = state.ItemProcessor as {
          ProcessorConfig?: { Mode?: string };
          States: Record<string, StateJson>;
        };
        const distributed = processor.ProcessorConfig?.Mode === "DISTRIBUTED";
        const items = maps.get(name)?.maxItems ?? 1;
        // Children of a distributed Map run as their own executions.
        total += distributed ? 6 : 4 + items * (2 + eventsOf(processor.States, maps));
        break;
      }
      default:
        total += 2;
    }
  }
  return total;
}

/** The per-execution history limit for inline fan-outs with a declared `maxItems`. */
export function checkHistory(machine: StateMachineJson, maps: ReadonlyMap<string, MapStepModel>): Problem[] {
  const problems: Problem[] = [];
  const walk = (states: Record<string, StateJson>, perRun: number): void => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === "Parallel") {
        for (const branch of state.Branches as { States: Record<string, StateJson> }[]) walk(branch.States, perRun);
      }
      if (state.Type !== "Map") continue;
      const processor = state.ItemProcessor as {
        ProcessorConfig?: { Mode?: string };
        States: Record<string, StateJson>;
      };
      const step = maps.get(name);
      if (processor.ProcessorConfig?.Mode === "DISTRIBUTED") {
        walk(processor.States, 1);
        continue;
      }
      const perItem = 2 + eventsOf(processor.States, maps);
      if (step?.maxItems === undefined) {
        problems.push(
          warning(
            "SL_FANOUT_UNBOUNDED",
            `inline fan-out '${name}' declares no maxItems; each item adds about ${perItem} history events to the run, which stops at ${MAX_HISTORY_EVENTS.toLocaleString("en-US")} (about ${Math.floor(MAX_HISTORY_EVENTS / perItem / perRun).toLocaleString("en-US")} items)`,
            "declare maxItems so stepline can check the limit, or use mode: 'distributed' for long lists",
            { step: name, field: "maxItems" },
          ),
        );
        continue;
      }
      const events = perRun * step.maxItems * perItem;
      if (events > MAX_HISTORY_EVENTS) {
        problems.push(
          problem(
            "SL_FANOUT_HISTORY",
            `inline fan-out '${name}' over up to ${step.maxItems.toLocaleString("en-US")} items writes about ${events.toLocaleString("en-US")} history events (${perItem} per item, before retries); an execution stops at ${MAX_HISTORY_EVENTS.toLocaleString("en-US")}`,
            `use mode: 'distributed' (each item becomes a child execution), or keep maxItems at or below ${Math.floor(MAX_HISTORY_EVENTS / perItem / perRun).toLocaleString("en-US")}`,
            { step: name, field: "maxItems" },
          ),
        );
      }
      walk(processor.States, perRun * step.maxItems);
    }
  };
  walk(machine.States, 1);
  return problems;
}

/** Step Functions' limit on state names. */
export const MAX_STATE_NAME = 80;

/**
 * State names stepline derives from a step (`<step>.Continue`, `<step>.ItemDone`, …) can
 * exceed 80 characters when the step's own name does not: name the step and how short it must be.
 */
export function checkStateNames(machine: StateMachineJson): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const walk = (states: Record<string, StateJson>): void => {
    for (const [name, state] of Object.entries(states)) {
      for (const branch of (state.Branches as { States: Record<string, StateJson> }[] | undefined) ?? [])
        walk(branch.States);
      const processor = state.ItemProcessor as { States: Record<string, StateJson> } | undefined;
      if (processor) walk(processor.States);
      if (name.length <= MAX_STATE_NAME || seen.has(name)) continue;
      seen.add(name);
      // Step names hold no '.': what precedes the first one is the step.
      const step = name.split(".")[0] as string;
      const room = MAX_STATE_NAME - (name.length - step.length);
      problems.push(
        problem(
          "SL_NAME_TOO_LONG",
          `state '${name}', derived from step '${step}', is ${name.length} characters long; Step Functions allows at most ${MAX_STATE_NAME}`,
          `shorten the step name to ${room} characters or fewer`,
          { step, field: "name" },
        ),
      );
    }
  };
  walk(machine.States);
  return problems;
}
