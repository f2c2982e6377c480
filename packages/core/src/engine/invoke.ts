import { isVirtual } from "./clock.js";
import { fail } from "./failure.js";
import type { TaskHandlerContext } from "./types.js";
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
  const { scope } = visit;
  const { rt } = scope;
  const handler = rt.handlers.find(options.resource);
  if (!handler) {
    return Promise.reject(fail("States.Runtime", `No handler is registered for the resource '${options.resource}'.`));
  }
  return rt.semaphore.run(
    () =>
      new Promise<unknown>((resolve, reject) => {
        // Made on first use of `signal`: most handlers never look at it.
        let controller: AbortController | undefined;
        let settled = false;
        let timeout: ReturnType<typeof setTimeout> | undefined;
        let heartbeat: ReturnType<typeof setTimeout> | undefined;
        const finish = (settle: () => void): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timeout);
          clearTimeout(heartbeat);
          disposeStop();
          settle();
        };
        const abortWith = (error: unknown): void => {
          controller ??= new AbortController();
          controller.abort(error);
          finish(() => reject(error));
        };
        const disposeStop = scope.stop.onStop(abortWith);
        const stopped = scope.stop.stopped();
        if (stopped) {
          abortWith(stopped.reason);
          return;
        }
        const { timeoutMs, heartbeatMs } = options;
        const timedOut = () =>
          fail("States.Timeout", `The task '${visit.name}' did not finish within ${(timeoutMs ?? 0) / 1000} seconds.`);
        if (timeoutMs !== undefined) timeout = setTimeout(() => abortWith(timedOut()), timeoutMs);
        const beat = (): void => {
          if (heartbeatMs === undefined || settled) return;
          clearTimeout(heartbeat);
          heartbeat = setTimeout(
            () =>
              abortWith(
                fail(
                  "States.HeartbeatTimeout",
                  `The task '${visit.name}' sent no heartbeat for ${heartbeatMs / 1000} seconds.`,
                ),
              ),
            heartbeatMs,
          );
        };
        beat();
        const startedAt = rt.clock.now();
        const context: TaskHandlerContext = {
          stateName: visit.name,
          resource: options.resource,
          context: options.context,
          stateInput: visit.input,
          attempt: options.retryCount,
          key: visit.key,
          get signal() {
            controller ??= new AbortController();
            return controller.signal;
          },
          heartbeat: beat,
          log: () => {},
        };
        Promise.resolve()
          .then(() => handler(options.input, context))
          .then(
            (value) =>
              finish(() => {
                if (timeoutMs !== undefined && isVirtual(rt.clock) && rt.clock.now() - startedAt > timeoutMs)
                  reject(timedOut());
                else resolve(value);
              }),
            (error: unknown) => finish(() => reject(error)),
          );
      }),
  );
}
