import type { HandlerRegistration, TaskHandlerContext } from "@stepline/core";
import { openLog } from "./logs.js";

/** One attempt of one Task state, as the progress views show it. */
export interface Attempt {
  readonly state: string;
  /** From 1. */
  readonly attempt: number;
  readonly key: string;
  readonly started: number;
  ended?: number;
  status: "running" | "succeeded" | "failed";
  error?: string;
  cause?: string;
}

export interface AttemptListener {
  started(attempt: Attempt): void;
  ended(attempt: Attempt): void;
}

/**
 * Wraps task handlers so each attempt's `log` lines go to
 * `logs/<state>/<attempt>.log` and the views hear of starts and ends.
 */
export class Tracker {
  readonly attempts: Attempt[] = [];

  constructor(
    private readonly runDir: string,
    private readonly listener: AttemptListener,
  ) {}

  wrap(registrations: readonly HandlerRegistration[]): HandlerRegistration[] {
    return registrations.map((registration) => ({
      resource: registration.resource,
      handler: async (input: unknown, context: TaskHandlerContext) => {
        const attempt: Attempt = {
          state: context.stateName,
          attempt: context.attempt + 1,
          key: context.key,
          started: Date.now(),
          status: "running",
        };
        const log = openLog(this.runDir, context.stateName, attempt.attempt);
        this.attempts.push(attempt);
        this.listener.started(attempt);
        const routed = new RoutedContext(context, log);
        try {
          const output = await registration.handler(input, routed);
          attempt.status = "succeeded";
          return output;
        } catch (error) {
          attempt.status = "failed";
          Object.assign(attempt, failureOf(error));
          log(`${attempt.error}: ${attempt.cause}`);
          throw error;
        } finally {
          attempt.ended = Date.now();
          this.listener.ended(attempt);
        }
      },
    }));
  }

  /** The attempt that failed last (the step to blame when the run fails). */
  lastFailure(): Attempt | undefined {
    return this.attempts
      .filter((a) => a.status === "failed")
      .sort((a, b) => (a.ended ?? 0) - (b.ended ?? 0))
      .at(-1);
  }
}

/** The ASL error and cause of a thrown value, as the engine will see them. */
export function failureOf(error: unknown): { error: string; cause: string } {
  if (error instanceof Error) {
    const own = error as Error & { error?: unknown; cause?: unknown };
    if (typeof own.error === "string") {
      return { error: own.error, cause: typeof own.cause === "string" ? own.cause : own.message };
    }
    return { error: error.name, cause: error.message };
  }
  return { error: "Error", cause: String(error) };
}

/**
 * The engine's context with `log` going to the attempt's file. `signal` is
 * passed through on demand (reading it makes an AbortController).
 */
class RoutedContext implements TaskHandlerContext {
  readonly stateName: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, unknown>>;
  readonly stateInput: unknown;
  readonly attempt: number;
  readonly key: string;
  readonly #inner: TaskHandlerContext;

  constructor(
    inner: TaskHandlerContext,
    readonly log: (line: string) => void,
  ) {
    this.stateName = inner.stateName;
    this.resource = inner.resource;
    this.context = inner.context;
    this.stateInput = inner.stateInput;
    this.attempt = inner.attempt;
    this.key = inner.key;
    this.#inner = inner;
  }

  get signal(): AbortSignal {
    return this.#inner.signal;
  }

  readonly heartbeat = (): void => this.#inner.heartbeat();
}
