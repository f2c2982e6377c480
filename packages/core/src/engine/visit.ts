import type { StateJson } from "../asl/types.js";
import type { Nondeterminism } from "./expr/index.js";
import type { Scope } from "./runtime.js";

/** One entry into a state: what every state kind works with. */
export interface StateVisit {
  readonly scope: Scope;
  readonly name: string;
  readonly state: StateJson;
  /** The raw state input. */
  readonly input: unknown;
  /** Stable identity: scope path + state name + visit number, e.g. `Fan#0/1/Work#2`. */
  readonly key: string;
  readonly enteredTime: string;
  readonly jsonata: boolean;
  /** The raw input as JSON, when history events are kept (made once for them). */
  readonly inputJson: string | undefined;
  /** Journaled UUID/random source for this visit. */
  nd(): Nondeterminism;
  /** The context object (`$$`) at this point. */
  context(retryCount?: number, token?: string): Record<string, unknown>;
  /** `$$.Map.Item` for ItemSelector evaluation. */
  contextWithItem(index: number, value: unknown): Record<string, unknown>;
}

/** How a state ends: its output, where to go next (`undefined` = end) and the variables it assigns. */
export interface StepResult {
  readonly output: unknown;
  readonly next: string | undefined;
  readonly assign?: Record<string, unknown> | undefined;
  /** `output` as JSON, when the state made it anyway (a task result passed on as it is). */
  readonly outputJson?: string | undefined;
}

export function makeVisit(
  scope: Scope,
  name: string,
  state: StateJson,
  input: unknown,
  key: string,
  jsonata: boolean,
  inputJson?: string,
): StateVisit {
  return new Visit(scope, name, state, input, key, jsonata, inputJson);
}

/** A class, not a literal of closures: one is made per state entered. */
class Visit implements StateVisit {
  readonly enteredTime: string;
  #nd: Nondeterminism | undefined;
  #base: Record<string, unknown> | undefined;

  constructor(
    readonly scope: Scope,
    readonly name: string,
    readonly state: StateJson,
    readonly input: unknown,
    readonly key: string,
    readonly jsonata: boolean,
    readonly inputJson: string | undefined,
  ) {
    this.enteredTime = scope.rt.timestamp();
  }

  nd(): Nondeterminism {
    this.#nd ??= this.scope.rt.nondeterminism(this.key);
    return this.#nd;
  }

  context(retryCount = 0, token?: string): Record<string, unknown> {
    if (retryCount !== 0 || token !== undefined) return this.#build(retryCount, token);
    this.#base ??= this.#build(0);
    return this.#base;
  }

  contextWithItem(index: number, value: unknown): Record<string, unknown> {
    return this.#build(0, undefined, { Index: index, Value: value });
  }

  #build(retryCount: number, token?: string, item?: { Index: number; Value: unknown }): Record<string, unknown> {
    const { scope } = this;
    const ctx: Record<string, unknown> = {
      Execution: scope.execution,
      State: { EnteredTime: this.enteredTime, Name: this.name, RetryCount: retryCount },
      StateMachine: scope.rt.stateMachine,
    };
    if (token !== undefined) ctx.Task = { Token: token };
    const mapItem = item ?? scope.mapItem;
    if (mapItem) ctx.Map = { Item: mapItem };
    return ctx;
  }
}

/** Where a state goes after it: `Next`, or the end. */
export function nextOf(state: StateJson): string | undefined {
  return state.End === true ? undefined : state.Next;
}
