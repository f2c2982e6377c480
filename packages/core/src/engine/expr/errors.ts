/**
 * A run-time error raised where AWS raises it (States.Runtime, States.IntrinsicFailure,
 * States.QueryEvaluationError, States.ResultPathMatchFailure…). The interpreter turns it into a
 * state failure with `error` as the error name and `cause` as the cause.
 */
export class StatesError extends Error {
  override readonly name = "StatesError";
  constructor(
    /** ASL error name, e.g. `States.Runtime`. */
    readonly error: string,
    /** Human-readable cause, worded like AWS's. */
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
  }
}

/** JSON text of a value for error messages (AWS quotes the offending input). */
export function jsonForMessage(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? "null" : text;
  } catch {
    return String(value);
  }
}
