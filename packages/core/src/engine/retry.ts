import type { CatcherJson, RetrierJson } from "../asl/types.js";
import { applyResultPath } from "./expr/index.js";
import { type Failure, Halt, matchesError, toFailure } from "./failure.js";
import { evaluateAssign, exprScope, jsonataValue } from "./io.js";
import { sleepIn } from "./sleep.js";
import type { StateVisit, StepResult } from "./visit.js";

/**
 * Delay before the retry that follows `retriesSoFar` earlier retries of one retrier:
 * IntervalSeconds × BackoffRate^retriesSoFar, capped by MaxDelaySeconds, then
 * (JitterStrategy FULL) a uniform draw in [0, delay).
 */
export function retryDelayMs(retrier: RetrierJson, retriesSoFar: number, random: () => number = Math.random): number {
  let seconds = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** retriesSoFar;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === "FULL") seconds *= random();
  return Math.round(seconds * 1000);
}

/**
 * Runs `attempt` until it succeeds or no retrier applies: the first retrier
 * whose ErrorEquals matches decides; each retrier counts its own attempts.
 * `onFailure` sees every failed attempt (history events).
 */
export async function withRetry<T>(
  visit: StateVisit,
  attempt: (retryCount: number) => Promise<T>,
  onFailure?: (failure: Failure, retryCount: number) => void,
): Promise<T> {
  const retriers = (visit.state.Retry as RetrierJson[] | undefined) ?? [];
  const counts = retriers.map(() => 0);
  for (let retryCount = 0; ; retryCount++) {
    try {
      return await attempt(retryCount);
    } catch (e) {
      if (e instanceof Halt) throw e;
      const failure = toFailure(e);
      onFailure?.(failure, retryCount);
      const i = retriers.findIndex((r) => matchesError(r.ErrorEquals, failure.error));
      const retrier = retriers[i];
      const done = counts[i] ?? 0;
      if (!retrier || done >= (retrier.MaxAttempts ?? 3)) throw e;
      counts[i] = done + 1;
      await sleepIn(visit.scope, retryDelayMs(retrier, done));
    }
  }
}

/** The first Catch that matches `failure`, applied: where to go, with which output and variables. */
export async function applyCatch(visit: StateVisit, failure: Failure): Promise<StepResult | undefined> {
  const catchers = (visit.state.Catch as CatcherJson[] | undefined) ?? [];
  const catcher = catchers.find((c) => matchesError(c.ErrorEquals, failure.error));
  if (!catcher) return undefined;
  const errorOutput = { Error: failure.error, Cause: failure.cause };
  const nd = () => visit.nd();
  if (visit.jsonata) {
    const es = exprScope(visit.scope, visit.input, visit.context(), { errorOutput });
    const output = catcher.Output === undefined ? errorOutput : await jsonataValue(catcher.Output, es, "Output", nd);
    const assign = await evaluateAssign(catcher.Assign, true, errorOutput, es, nd);
    return { output, next: catcher.Next, assign };
  }
  const es = exprScope(visit.scope, visit.input, visit.context());
  const assign = await evaluateAssign(catcher.Assign, false, errorOutput, es, nd);
  const output = applyResultPath(visit.input, errorOutput, catcher.ResultPath === undefined ? "$" : catcher.ResultPath);
  return { output, next: catcher.Next, assign };
}
