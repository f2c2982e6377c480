/**
 * Cooperative cancellation along the scope tree: stopping a Parallel or a Map
 * stops every branch and iteration under it. Cheaper than an AbortController
 * per iteration; an AbortSignal is made only where a handler or a sleep needs one.
 */
export class StopToken {
  private reason: unknown;
  private isStopped = false;
  private listeners: Set<(reason: unknown) => void> | undefined;

  constructor(readonly parent?: StopToken) {}

  /** The reason of the nearest stopped token up the chain, if any. */
  stopped(): { reason: unknown } | undefined {
    for (let t: StopToken | undefined = this; t; t = t.parent) if (t.isStopped) return { reason: t.reason };
    return undefined;
  }

  stop(reason: unknown): void {
    if (this.isStopped) return;
    this.isStopped = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const fn of listeners) fn(reason);
  }

  /** Calls `fn` when this token or an ancestor stops; returns the disposer. */
  onStop(fn: (reason: unknown) => void): () => void {
    const tokens: StopToken[] = [];
    for (let t: StopToken | undefined = this; t; t = t.parent) {
      if (!t.listeners) t.listeners = new Set();
      t.listeners.add(fn);
      tokens.push(t);
    }
    return () => {
      for (const t of tokens) t.listeners?.delete(fn);
    };
  }

  /** An AbortSignal that aborts when this token stops, with its disposer. */
  signal(): { signal: AbortSignal; controller: AbortController; dispose: () => void } {
    const controller = new AbortController();
    const already = this.stopped();
    if (already) {
      controller.abort(already.reason);
      return { signal: controller.signal, controller, dispose: () => {} };
    }
    const dispose = this.onStop((reason) => controller.abort(reason));
    return { signal: controller.signal, controller, dispose };
  }
}
