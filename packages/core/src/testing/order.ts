import type { StateJson, StateMachineJson } from "../asl/types.js";

/**
 * Reads ordering guarantees off a compiled state machine, for tests: for
 * every Task state, the Task states that have certainly finished before it
 * starts. It follows the ASL structure itself (Next chains, Parallel
 * branches, Map bodies, Choice branches), not the pipeline model, so a test
 * can prove the compiler kept every dependency.
 */

export interface OrderFacts {
  /** Task state name → Task states that always finished before it starts. */
  readonly before: ReadonlyMap<string, ReadonlySet<string>>;
  /** How many times each Task state name occurs in the definition. */
  readonly occurrences: ReadonlyMap<string, number>;
}

interface Walk {
  readonly before: Map<string, Set<string>>;
  readonly occurrences: Map<string, number>;
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a].filter((x) => b.has(x)));
}

function tasksIn(states: Record<string, StateJson>, out = new Set<string>()): Set<string> {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === "Task") out.add(name);
    for (const branch of (state.Branches as { States: Record<string, StateJson> }[] | undefined) ?? [])
      tasksIn(branch.States, out);
    const processor = state.ItemProcessor as { States: Record<string, StateJson> } | undefined;
    if (processor) tasksIn(processor.States, out);
  }
  return out;
}

/**
 * Walks one state list from `startAt` with `done` finished before it; returns
 * what has certainly finished when the list ends (on every path).
 */
function walkStates(
  states: Record<string, StateJson>,
  startAt: string,
  done: ReadonlySet<string>,
  walk: Walk,
): Set<string> {
  // Dataflow over the state graph: a state's "done" set is the intersection over its predecessors.
  const incoming = new Map<string, Set<string>>();
  const order: string[] = [];
  const visited = new Set<string>();
  const visit = (name: string) => {
    if (visited.has(name)) return;
    visited.add(name);
    const state = states[name];
    if (!state) return;
    for (const next of successors(state)) visit(next);
    order.unshift(name);
  };
  visit(startAt);
  incoming.set(startAt, new Set(done));
  let finished: Set<string> | undefined;
  for (const name of order) {
    const state = states[name] as StateJson;
    const at = incoming.get(name) ?? new Set<string>();
    let after = at;
    if (state.Type === "Task") {
      walk.occurrences.set(name, (walk.occurrences.get(name) ?? 0) + 1);
      walk.before.set(name, new Set(at));
      after = new Set([...at, name]);
    } else if (state.Type === "Parallel") {
      after = new Set(at);
      for (const branch of state.Branches as { StartAt: string; States: Record<string, StateJson> }[]) {
        for (const task of walkStates(branch.States, branch.StartAt, at, walk)) after.add(task);
      }
    } else if (state.Type === "Map") {
      const processor = state.ItemProcessor as { StartAt: string; States: Record<string, StateJson> };
      walkStates(processor.States, processor.StartAt, at, walk);
      after = new Set([...at, ...tasksIn(processor.States)]);
    }
    // A Catch leaves a state before it finished: its targets only get what was done on entry.
    for (const catcher of (state.Catch as { Next: string }[] | undefined) ?? []) merge(incoming, catcher.Next, at);
    for (const next of normalSuccessors(state)) merge(incoming, next, after);
    if (state.End === true || state.Type === "Succeed") finished = finished ? intersect(finished, after) : after;
  }
  return finished ?? new Set(done);
}

function merge(incoming: Map<string, Set<string>>, name: string, set: ReadonlySet<string>): void {
  const existing = incoming.get(name);
  incoming.set(name, existing ? intersect(existing, set) : new Set(set));
}

function normalSuccessors(state: StateJson): string[] {
  const out: string[] = [];
  if (typeof state.Next === "string") out.push(state.Next);
  if (state.Type === "Choice") {
    for (const choice of (state.Choices as { Next: string }[]) ?? []) out.push(choice.Next);
    if (typeof state.Default === "string") out.push(state.Default);
  }
  return out;
}

function successors(state: StateJson): string[] {
  return [...normalSuccessors(state), ...((state.Catch as { Next: string }[] | undefined) ?? []).map((c) => c.Next)];
}

/** Ordering facts of a compiled state machine. */
export function orderFacts(machine: StateMachineJson): OrderFacts {
  const walk: Walk = { before: new Map(), occurrences: new Map() };
  walkStates(machine.States, machine.StartAt, new Set(), walk);
  return walk;
}
