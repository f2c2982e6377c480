import {
  execute,
  type HandlerRegistration,
  type StateMachineJson,
  TaskFailure,
  type TaskHandlerContext,
  virtualClock,
} from "@stepline/core";
import { mismatch, type RunNames } from "./match.js";
import type { Behaviour, Case, MotoExpected } from "./types.js";

/** One run's outcome in the shape of a case's expectation. */
export interface Outcome {
  readonly status: string;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

/** Handlers built from a case's behaviours: per state name, a queue (the last behaviour repeats). */
export function handlersOf(c: Case): HandlerRegistration[] {
  const queues = new Map<string, { readonly list: readonly Behaviour[]; next: number }>();
  for (const [state, list] of Object.entries(c.handlers ?? {})) queues.set(state, { list, next: 0 });
  const handler = async (input: unknown, context: TaskHandlerContext): Promise<unknown> => {
    const queue = queues.get(context.stateName);
    if (!queue || queue.list.length === 0)
      throw new Error(`case ${c.name}: no behaviour for Task state '${context.stateName}'`);
    const behaviour = queue.list[Math.min(queue.next, queue.list.length - 1)] as Behaviour;
    queue.next++;
    if ("return" in behaviour) return structuredClone(behaviour.return);
    if ("throw" in behaviour) throw new TaskFailure(behaviour.throw.error, behaviour.throw.cause ?? "");
    if ("echo" in behaviour) return input;
    return new Promise<never>((_, reject) => {
      const abort = (): void => reject(context.signal.reason ?? new Error("aborted"));
      if (context.signal.aborted) abort();
      else context.signal.addEventListener("abort", abort, { once: true });
    });
  };
  return [{ resource: "*", handler }];
}

const START = Date.parse("2024-01-02T03:04:05.000Z");

/** Runs a case on stepline's engine (virtual clock). */
export async function runOnEngine(c: Case, names: RunNames): Promise<{ outcome: Outcome; elapsedSeconds: number }> {
  const result = await execute({
    definition: structuredClone(c.definition) as unknown as StateMachineJson,
    input: structuredClone(c.input),
    handlers: handlersOf(c),
    clock: virtualClock(START),
    executionName: names.executionName,
    stateMachineName: names.stateMachineName,
  });
  const outcome: Outcome = {
    status: result.status,
    ...("output" in result ? { output: result.output } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
  };
  return { outcome, elapsedSeconds: (Date.parse(result.stopTime) - Date.parse(result.startTime)) / 1000 };
}

/** Why an outcome does not meet an expectation, or undefined when it does. */
export function disagreement(outcome: Outcome, expected: MotoExpected, names: RunNames): string | undefined {
  const seen = JSON.stringify(outcome);
  if (outcome.status !== expected.status) return `status ${outcome.status} instead of ${expected.status}: ${seen}`;
  if (expected.status === "REJECTED") return undefined;
  if (expected.status === "SUCCEEDED") {
    const m = mismatch(outcome.output, expected.output, names);
    return m ? `output ${m}` : undefined;
  }
  if (outcome.error !== expected.error)
    return `error ${JSON.stringify(outcome.error)} instead of ${JSON.stringify(expected.error)}: ${seen}`;
  if (expected.cause !== undefined && outcome.cause !== expected.cause) {
    return `cause ${JSON.stringify(outcome.cause)} instead of ${JSON.stringify(expected.cause)}`;
  }
  return undefined;
}
