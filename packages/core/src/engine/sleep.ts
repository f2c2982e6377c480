import { Halt } from "./failure.js";
import type { Scope } from "./runtime.js";

/** Throws when the run or this scope was stopped, or the execution's deadline passed. */
export function checkStopped(scope: Scope): void {
  const stopped = scope.stop.stopped();
  if (stopped) throw stopped.reason;
  const { deadline, clock } = scope.rt;
  if (deadline !== undefined && clock.now() >= deadline) throw timedOut();
}

export function timedOut(): Halt {
  return new Halt("TIMED_OUT", { error: "States.Timeout", cause: "The execution exceeded its TimeoutSeconds." });
}

/** Sleeps on the run's clock; never past the execution deadline; wakes when the scope stops. */
export async function sleepIn(scope: Scope, ms: number): Promise<void> {
  checkStopped(scope);
  if (ms <= 0) return;
  const { deadline, clock } = scope.rt;
  let wait = ms;
  let hitsDeadline = false;
  if (deadline !== undefined && clock.now() + ms >= deadline) {
    wait = Math.max(0, deadline - clock.now());
    hitsDeadline = true;
  }
  const { signal, dispose } = scope.stop.signal();
  try {
    await clock.sleep(wait, signal);
  } catch (e) {
    const stopped = scope.stop.stopped();
    throw stopped ? stopped.reason : e;
  } finally {
    dispose();
  }
  if (hitsDeadline) throw timedOut();
  checkStopped(scope);
}
