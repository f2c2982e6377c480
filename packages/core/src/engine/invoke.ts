import { isVirtual } from "./clock.js";
import { fail } from "./failure.js";
import type { TaskHandler, TaskHandlerContext } from "./types.js";
import type { StateVisit } from "./visit.js";

export interface InvokeOptions {
  readonly resource: string;
  readonly input: unknown;
  readonly retryCount: number;
  readonly context: Readonly<Record<string, unknown>>;
  readonly timeoutMs?: number | undefined;
  readonly heartbeatMs?: number | undefined;
}

/** `arn:aws:states:::batch:submitJob.sync` → `{ resourceType: "batch", resource: "submitJob.sync" }`, as in history events. */
const splitCache = new Map<string, { resourceType: string; resource: string }>();

export function splitResource(arn: string): { resourceType: string; resource: string } {
  let split = splitCache.get(arn);
  if (!split) {
    split = splitArn(arn);
    if (splitCache.size < 1000) splitCache.set(arn, split);
  }
  return split;
}

function splitArn(arn: string): { resourceType: string; resource: string } {
  const parts = arn.split(":");
  if (parts[2] === "states" && parts[5] !== undefined && parts[3] === "" && parts[4] === "") {
    return { resourceType: parts[5], resource: parts.slice(6).join(":") };
  }
  return { resourceType: parts[2] ?? "unknown", resource: arn };
}

/**
 * Calls the handler of `resource` once, within the run's concurrency bound,
 * racing it against TimeoutSeconds, HeartbeatSeconds and the scope being stopped.
 * Timers run on wall time; on a virtual clock a handler that advanced the
 * clock past its timeout also times out.
 */
export function invokeHandler(visit: StateVisit, options: InvokeOptions): Promise<unknown> {
  const handler = visit.scope.rt.handlers.find(options.resource);
  if (!handler) {
    return Promise.reject(fail("States.Runtime", `No handler is registered for the resource '${options.resource}'.`));
  }
  return visit.scope.rt.semaphore.run(
    () => new Promise<unknown>((resolve, reject) => new Invocation(visit, options, resolve, reject).start(handler)),
  );
}

/**
 * One call of a handler, and the context it is given. A class rather than an
 * object literal: a literal with a `get signal()` accessor gets a hidden class
 * of its own on every call, allocated in old space, which then holds the
 * call's closures through every young-generation GC: with a Map of many tasks
 * that kept megabytes alive per run and tripled the GC time. The engine's own
 * state is in `#` fields: a handler that logs or serialises its context sees
 * only the context.
 */
class Invocation implements TaskHandlerContext {
  readonly stateName: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, unknown>>;
  readonly stateInput: unknown;
  readonly attempt: number;
  readonly key: string;
  readonly log: (line: string) => void = ignoreLine;
  readonly #visit: StateVisit;
  readonly #options: InvokeOptions;
  readonly #resolve: (value: unknown) => void;
  readonly #reject: (error: unknown) => void;
  /** Made on first use of `signal`: most handlers never look at it. */
  #controller: AbortController | undefined;
  #settled = false;
  #timeout: ReturnType<typeof setTimeout> | undefined;
  #heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  #disposeStop: (() => void) | undefined;

  constructor(
    visit: StateVisit,
    options: InvokeOptions,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
  ) {
    this.stateName = visit.name;
    this.resource = options.resource;
    this.context = options.context;
    this.stateInput = visit.input;
    this.attempt = options.retryCount;
    this.key = visit.key;
    this.#visit = visit;
    this.#options = options;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** A getter on the prototype (see above): a handler wrapping its context reads it rather than spreading it. */
  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** Bound: handlers may pass `heartbeat` around on its own. */
  readonly heartbeat = (): void => {
    const { heartbeatMs } = this.#options;
    if (heartbeatMs === undefined || this.#settled) return;
    clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = setTimeout(
      () =>
        this.#abortWith(
          fail(
            "States.HeartbeatTimeout",
            `The task '${this.#visit.name}' sent no heartbeat for ${heartbeatMs / 1000} seconds.`,
          ),
        ),
      heartbeatMs,
    );
  };

  start(handler: TaskHandler): void {
    const { stop, rt } = this.#visit.scope;
    const stopped = stop.stopped();
    if (stopped) {
      this.#abortWith(stopped.reason);
      return;
    }
    this.#disposeStop = stop.onStop((reason) => this.#abortWith(reason));
    const { timeoutMs } = this.#options;
    if (timeoutMs !== undefined) this.#timeout = setTimeout(() => this.#abortWith(this.#timedOut()), timeoutMs);
    this.heartbeat();
    const { clock } = rt;
    const startedAt = clock.now();
    // Called at once (not on a later microtask): a handler that throws before it awaits
    // fails the attempt like one that rejects.
    let pending: unknown;
    try {
      pending = handler(this.#options.input, this);
    } catch (error) {
      pending = Promise.reject(error);
    }
    Promise.resolve(pending).then(
      (value) => {
        if (!this.#finish()) return;
        if (timeoutMs !== undefined && isVirtual(clock) && clock.now() - startedAt > timeoutMs)
          this.#reject(this.#timedOut());
        else this.#resolve(value);
      },
      (error: unknown) => {
        if (this.#finish()) this.#reject(error);
      },
    );
  }

  #timedOut(): Error {
    return fail(
      "States.Timeout",
      `The task '${this.#visit.name}' did not finish within ${(this.#options.timeoutMs ?? 0) / 1000} seconds.`,
    );
  }

  #abortWith(error: unknown): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(error);
    if (this.#finish()) this.#reject(error);
  }

  /** Settles once: false when already settled. */
  #finish(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#timeout);
    clearTimeout(this.#heartbeatTimer);
    this.#disposeStop?.();
    return true;
  }
}

/** `log` of a context nobody routes: the CLI gives handlers one that writes the attempt's log. */
function ignoreLine(): void {}
