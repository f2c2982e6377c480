import type { Clock } from "./types.js";

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted", "AbortError");
}

/** Wall-clock time: `sleep` waits for real. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortError(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};

/** Marks clocks whose `sleep` costs no real time (timeouts then measure virtual time). */
export const VIRTUAL = Symbol.for("stepline.engine.virtualClock");

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * A clock for tests and `--fast-waits`: sleeps cost no real time. Time is
 * discrete-event: pending sleeps wake in order of their due time (one per
 * turn of the event loop, after the work they unblock has run), and `now`
 * jumps to each due time — so two Parallel branches waiting 10 s each
 * advance the clock by 10 s, not 20 s.
 * @param startMs the initial time @default Date.now()
 */
export function virtualClock(startMs: number = Date.now()): Clock {
  let now = startMs;
  let seq = 0;
  let pumping = false;
  const sleepers: Sleeper[] = [];
  const pump = (): void => {
    pumping = false;
    let first = 0;
    for (let i = 1; i < sleepers.length; i++) {
      const s = sleepers[i] as Sleeper;
      const f = sleepers[first] as Sleeper;
      if (s.at < f.at || (s.at === f.at && s.seq < f.seq)) first = i;
    }
    const [next] = sleepers.splice(first, 1);
    if (!next) return;
    if (next.at > now) now = next.at;
    next.resolve();
    schedule();
  };
  const schedule = (): void => {
    if (pumping || sleepers.length === 0) return;
    pumping = true;
    setImmediate(pump);
  };
  return {
    [VIRTUAL]: true,
    now: () => now,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const i = sleepers.indexOf(sleeper);
          if (i >= 0) sleepers.splice(i, 1);
          reject(abortError(signal as AbortSignal));
        };
        const sleeper: Sleeper = {
          at: now + ms,
          seq: seq++,
          resolve: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        sleepers.push(sleeper);
        signal?.addEventListener("abort", onAbort, { once: true });
        schedule();
      });
    },
  } as Clock;
}

export function isVirtual(clock: Clock): boolean {
  return (clock as unknown as Record<symbol, unknown>)[VIRTUAL] === true;
}
