/** Everything an expression can see. */
export interface ExprScope {
  /** The state input (JSONPath `$`, JSONata `$states.input`). */
  readonly input: unknown;
  /** The context object (`$$` / `$states.context`). */
  readonly context: unknown;
  /** Workflow variables visible here (JSONPath `$name.path`, JSONata `$name`). */
  readonly variables: ReadonlyMap<string, unknown>;
  /** JSONata `$states.result` (Output/Assign after a Task/Parallel/Map). */
  readonly result?: unknown;
  /** JSONata `$states.errorOutput` (in a Catch). */
  readonly errorOutput?: unknown;
}

/**
 * The sources of non-determinism (States.UUID, States.MathRandom, `$uuid()`, `$random()`),
 * supplied by the interpreter so that it can journal and replay them.
 */
export interface Nondeterminism {
  uuid(): string;
  /** A float in [0, 1). */
  random(): number;
}
