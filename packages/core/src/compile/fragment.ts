import type { CatcherJson, StateJson } from "../asl/types.js";
import { internalError } from "../errors/problem.js";

/**
 * A piece of a state machine under construction: its entry state, its states
 * in render order, and the open ends that still need a `Next` (a state's own
 * transition, or a Catch that continues with whatever follows).
 */
export type OpenEnd =
  | { readonly type: "state"; readonly state: StateJson }
  /** A Choice whose Default goes to whatever follows. */
  | { readonly type: "default"; readonly state: StateJson }
  | { readonly type: "catch"; readonly catcher: CatcherJson; readonly owner: string };

export interface Fragment {
  readonly start: string;
  readonly states: readonly (readonly [string, StateJson])[];
  readonly ends: readonly OpenEnd[];
}

/** A fragment of one state whose only end is itself. */
export function single(name: string, state: StateJson): Fragment {
  return { start: name, states: [[name, state]], ends: [{ type: "state", state }] };
}

function connect(ends: readonly OpenEnd[], next: string): void {
  for (const end of ends) {
    if (end.type === "state") {
      delete end.state.End;
      end.state.Next = next;
    } else if (end.type === "default") end.state.Default = next;
    else end.catcher.Next = next;
  }
}

/** Runs fragments one after the other. */
export function chain(fragments: readonly Fragment[]): Fragment {
  const [first, ...rest] = fragments;
  if (!first) throw internalError("chain() needs at least one fragment");
  let ends = first.ends;
  const states = [...first.states];
  for (const fragment of rest) {
    connect(ends, fragment.start);
    states.push(...fragment.states);
    ends = fragment.ends;
  }
  return { start: first.start, states, ends };
}

/**
 * Closes a fragment into a complete state list: open state ends get
 * `End: true`; Catch ends that continue go to a Pass that ends.
 */
export function close(
  fragment: Fragment,
  passState: (owner: string) => StateJson,
): {
  startAt: string;
  states: Record<string, StateJson>;
} {
  const states: Record<string, StateJson> = {};
  for (const [name, state] of fragment.states) states[name] = state;
  for (const end of fragment.ends) {
    if (end.type === "state") {
      delete end.state.Next;
      end.state.End = true;
    } else if (end.type === "default") {
      const name = "Succeed";
      states[name] ??= { Type: "Succeed" };
      end.state.Default = name;
    } else {
      const name = `${end.owner}.Continue`;
      if (!states[name]) {
        const pass = passState(end.owner);
        pass.End = true;
        states[name] = pass;
      }
      end.catcher.Next = name;
    }
  }
  return { startAt: fragment.start, states };
}
