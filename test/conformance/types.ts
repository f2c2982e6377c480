/**
 * The fidelity suite's case format. A case is one state machine run: its
 * definition, its input, what each Task state's handler does on each call,
 * and what AWS Step Functions gives (status and output, or error and cause).
 */

/** What a Task handler does on one call (per state name, in call order; the last one repeats). */
export type Behaviour =
  | { readonly return: unknown }
  | { readonly throw: { readonly error: string; readonly cause?: string } }
  /** Returns the effective input it was given (after InputPath/Parameters). */
  | { readonly echo: true }
  /** Never returns: waits until the engine aborts the call (TimeoutSeconds / HeartbeatSeconds). */
  | { readonly hang: true };

export type Expected =
  | { readonly status: "SUCCEEDED"; readonly output: unknown }
  | { readonly status: "FAILED" | "TIMED_OUT"; readonly error: string; readonly cause?: string };

/** moto's behaviour can also be a rejected definition (CreateStateMachine fails: its ASL parser lacks a field). */
export type MotoExpected = Expected | { readonly status: "REJECTED" };

export interface Case {
  readonly name: string;
  /** The AWS documentation page the case comes from (title and URL), or "stepline". */
  readonly source: string;
  readonly definition: Record<string, unknown>;
  readonly input: unknown;
  readonly handlers?: Readonly<Record<string, readonly Behaviour[]>>;
  /**
   * AWS's result. In `output`, the strings "<<ISO8601>>", "<<UUID>>", "<<ExecutionName>>",
   * "<<StateMachineName>>", "<<ExecutionArn>>" and "<<StateMachineArn>>" stand for values
   * that differ per run (see `match.ts`).
   */
  readonly expected: Expected;
  /** Where moto 5.2.1 differs from AWS: the reason (FACTS.md), with `motoExpected` its actual behaviour. */
  readonly motoDiffers?: string;
  /** What moto does instead (asserted, so the suite proves where moto is wrong). */
  readonly motoExpected?: MotoExpected;
  /** Engine only: virtual seconds between start and stop (retry delays, waits). */
  readonly elapsedSeconds?: number;
  /** Not run on moto although eligible: the reason (unstable behaviour there). */
  readonly motoSkip?: string;
}

// ---- small builders (keep the case files short) ----

export const DOCS = "https://docs.aws.amazon.com/step-functions/latest/dg/";

/** A definition with a single state `S` (given End: true when it needs one). */
export function single(state: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const terminal = state.Type === "Succeed" || state.Type === "Fail" || state.Type === "Choice";
  return { ...extra, StartAt: "S", States: { S: terminal || "Next" in state ? state : { ...state, End: true } } };
}

/** A definition from states in order: each non-terminal state without Next/End gets Next = the following one. */
export function chain(
  states: Record<string, Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const names = Object.keys(states);
  const out: Record<string, unknown> = {};
  names.forEach((name, i) => {
    const state = states[name] as Record<string, unknown>;
    const terminal = state.Type === "Succeed" || state.Type === "Fail" || state.Type === "Choice";
    if (terminal || "Next" in state || "End" in state) out[name] = state;
    else if (i === names.length - 1) out[name] = { ...state, End: true };
    else out[name] = { ...state, Next: names[i + 1] };
  });
  return { ...extra, StartAt: names[0], States: out };
}

export const ok = (output: unknown): Expected => ({ status: "SUCCEEDED", output });
export const failed = (error: string, cause?: string): Expected =>
  cause === undefined ? { status: "FAILED", error } : { status: "FAILED", error, cause };

export const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:Fn";
