import type { StateMachineJson } from "../asl/types.js";

/**
 * The contract of stepline's embedded ASL engine. The engine is pure logic:
 * task handlers, the clock, the journal and log sinks are supplied by the
 * caller (runners and the CLI), so core does no I/O of its own.
 */

/** What a task handler is told about the call. */
export interface TaskHandlerContext {
  /** Name of the Task state. */
  readonly stateName: string;
  /** The Task's resource ARN as written in the definition. */
  readonly resource: string;
  /** The context object (`$$` / `$states.context`) at this point. */
  readonly context: Readonly<Record<string, unknown>>;
  /**
   * The state's raw input (before InputPath/Parameters or Arguments): for
   * stepline's pipelines, the state document `{ input, steps, item?, index? }`,
   * against which local overrides resolve their references.
   */
  readonly stateInput: unknown;
  /** 0 for the first attempt, then 1, 2, … for retries of the same state visit. */
  readonly attempt: number;
  /** Stable identity of this state visit, the key under which its result is journaled. */
  readonly key: string;
  /**
   * Aborted when the state times out (TimeoutSeconds / HeartbeatSeconds) or the run stops.
   * A getter, made on first read: a handler that wraps its context passes `signal` on
   * explicitly (`{ ...context }` does not copy it).
   */
  readonly signal: AbortSignal;
  /** Resets the heartbeat timer of a Task with HeartbeatSeconds. */
  heartbeat(): void;
  /** A line of the task's log (kept per state and attempt by the caller). */
  log(line: string): void;
}

/**
 * Runs one Task: called with the effective input (after Parameters/Arguments).
 * What it returns is the task result. Throwing fails the attempt: a
 * `TaskFailure` gives the ASL error name and cause; any other Error gives its
 * `name` as the error and its `message` as the cause.
 */
export type TaskHandler = (input: unknown, context: TaskHandlerContext) => Promise<unknown>;

export interface HandlerRegistration {
  /** An exact resource ARN, a glob with `*` wildcards, or a RegExp. */
  readonly resource: string | RegExp;
  readonly handler: TaskHandler;
}

/** A task failure with an explicit ASL error name. */
export class TaskFailure extends Error {
  override readonly name = "TaskFailure";
  constructor(
    /** ASL error name, e.g. `States.TaskFailed`, `Batch.AWSBatchException`. */
    readonly error: string,
    /** Human or JSON cause. */
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
  }
}

/** Time as the engine sees it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` (or at once on a virtual clock, which then advances `now`); rejects when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * One event of the execution history, shaped as Step Functions'
 * GetExecutionHistory returns it: `type`, `id`, `previousEventId`,
 * `timestamp` and one `<type>EventDetails` member (camelCase), e.g.
 * `{ type: "TaskStateEntered", stateEnteredEventDetails: { name, input } }`.
 */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  /** ISO-8601 instant. */
  readonly timestamp: string;
  readonly type: string;
  readonly [details: string]: unknown;
}

/** What the journal keeps so that a run can be resumed or redriven. */
export type JournalRecord =
  | {
      readonly kind: "start";
      readonly executionName: string;
      readonly stateMachineName: string;
      /** ISO-8601 start time; reused on resume so `$$.Execution.StartTime` is stable. */
      readonly startTime: string;
      readonly input: unknown;
    }
  /** A task state visit that succeeded: replayed instead of re-run. */
  | { readonly kind: "task"; readonly key: string; readonly stateName: string; readonly output: unknown }
  /** A value that differs between runs (UUID, random, the time a Wait started): replayed. */
  | { readonly kind: "value"; readonly key: string; readonly value: unknown }
  | { readonly kind: "event"; readonly event: HistoryEvent }
  | {
      readonly kind: "end";
      readonly status: ExecutionStatus;
      readonly output?: unknown;
      readonly error?: string;
      readonly cause?: string;
    };

export interface Journal {
  /** Appends one record (the caller makes it durable: one JSON line, flushed). */
  append(record: JournalRecord): void | Promise<void>;
  /**
   * Optional: a history event given as its members, instead of `append({ kind: "event", event })`
   * (the engine then builds no event object unless an observer wants one). Never awaited.
   */
  appendEvent?(
    id: number,
    previousEventId: number,
    timestamp: string,
    type: string,
    detailsKey: string | undefined,
    details: Record<string, unknown> | undefined,
  ): void;
}

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface ExecuteOptions {
  /** Any valid ASL document. */
  readonly definition: StateMachineJson;
  readonly input?: unknown;
  readonly handlers?: readonly HandlerRegistration[];
  /** @default real time */
  readonly clock?: Clock;
  /** @default a UUID */
  readonly executionName?: string;
  /** @default "local" */
  readonly stateMachineName?: string;
  /** Receives every history event as it happens (progress views). */
  readonly observer?: (event: HistoryEvent) => void;
  /** Persists what resume and redrive need. */
  readonly journal?: Journal;
  /**
   * Records of an earlier run of the same execution (resume after a crash, or
   * redrive after a failure): succeeded task visits are not run again, their
   * recorded output is used; recorded values are reused.
   */
  readonly replay?: readonly JournalRecord[];
  /** Upper bound of task handlers running at once. @default number of cores, else 4 */
  readonly concurrency?: number;
  /** Stops the run (status ABORTED). */
  readonly signal?: AbortSignal;
}

export interface ExecutionResult {
  readonly status: Exclude<ExecutionStatus, "RUNNING">;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly executionName: string;
  readonly startTime: string;
  readonly stopTime: string;
  /** Number of state transitions (entered states), for throughput figures. */
  readonly transitions: number;
}
