import type { StateMachineJson } from "../asl/types.js";
import type { Nondeterminism } from "./expr/index.js";
import type { HandlerIndex } from "./handlers.js";
import type { Replay } from "./replay.js";
import type { Semaphore } from "./semaphore.js";
import type { StopToken } from "./stop.js";
import type { Clock, HistoryEvent, Journal, JournalRecord } from "./types.js";

/** `$$.Execution` of one (child) execution. */
export interface ExecutionContext {
  readonly Id: string;
  readonly Input: unknown;
  readonly Name: string;
  readonly RoleArn: string;
  readonly StartTime: string;
  readonly RedriveCount: number;
}

/** `inputDetails` / `outputDetails` of every event: payloads are never truncated locally. */
export const NOT_TRUNCATED: { readonly truncated: false } = Object.freeze({ truncated: false });

/** What is shared by every state of one run. */
export class Runtime {
  private eventId: number;
  transitions = 0;
  private readonly pending: Promise<void>[] = [];
  private journalError: unknown;
  readonly recordsEvents: boolean;

  constructor(
    readonly clock: Clock,
    readonly handlers: HandlerIndex,
    readonly semaphore: Semaphore,
    readonly replay: Replay,
    readonly stateMachine: { readonly Id: string; readonly Name: string },
    readonly observer: ((event: HistoryEvent) => void) | undefined,
    readonly journal: Journal | undefined,
    firstEventId: number,
    /** The machine's deadline (epoch ms) from its TimeoutSeconds. */
    readonly deadline: number | undefined,
  ) {
    this.eventId = firstEventId;
    this.recordsEvents = observer !== undefined || journal !== undefined;
  }

  /** Appends to the journal without waiting (events); failures surface at the end. */
  record(record: JournalRecord): void {
    if (!this.journal) return;
    try {
      const done = this.journal.append(record);
      if (done) {
        this.pending.push(
          done.catch((e: unknown) => {
            this.journalError ??= e;
          }),
        );
      }
    } catch (e) {
      this.journalError ??= e;
    }
  }

  /** Appends and waits until the journal has it (task results: before moving on). */
  recordNow(record: JournalRecord): void | Promise<void> {
    return this.journal?.append(record);
  }

  /** Waits for outstanding journal writes; rethrows the first failure. */
  async flush(): Promise<void> {
    await Promise.all(this.pending);
    this.pending.length = 0;
    if (this.journalError !== undefined) throw this.journalError;
  }

  private lastMs = Number.NaN;
  private lastIso = "";

  /** The clock's now as ISO-8601 (cached per millisecond: most transitions share one). */
  timestamp(): string {
    const ms = this.clock.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }

  /** Emits one history event; returns its id (0 when nobody listens). */
  emit(previousEventId: number, type: string, detailsKey?: string, details?: Record<string, unknown>): number {
    if (!this.recordsEvents) return 0;
    const id = ++this.eventId;
    const timestamp = this.timestamp();
    const { journal, observer } = this;
    if (observer !== undefined || journal?.appendEvent === undefined) {
      // Not `{ …, [detailsKey]: details }`: a computed key in a literal costs 3× as much here.
      const event: { -readonly [K in keyof HistoryEvent]: HistoryEvent[K] } = { id, previousEventId, timestamp, type };
      if (detailsKey !== undefined) event[detailsKey] = details;
      observer?.(event);
      if (journal?.appendEvent === undefined) {
        this.record({ kind: "event", event });
        return id;
      }
    }
    try {
      journal?.appendEvent(id, previousEventId, timestamp, type, detailsKey, details);
    } catch (e) {
      this.journalError ??= e;
    }
    return id;
  }

  /** UUIDs and random numbers drawn under `key`, journaled and replayed. */
  nondeterminism(key: string): Nondeterminism {
    let n = 0;
    const draw = <T>(kind: string, make: () => T): T => {
      const k = `${key}/${kind}#${n++}`;
      const replayed = this.replay.value(k);
      const value = replayed.found ? (replayed.value as T) : make();
      this.record({ kind: "value", key: k, value });
      return value;
    };
    return {
      uuid: () => draw("uuid", () => crypto.randomUUID()),
      random: () => draw("random", () => Math.random()),
    };
  }
}

/** What a state machine (top level, branch, iteration or child execution) runs in. */
export interface Scope {
  readonly rt: Runtime;
  /** The states being run (machine, Parallel branch or ItemProcessor). */
  readonly machine: StateMachineJson;
  /** Inherited query language. */
  readonly queryLanguage: "JSONPath" | "JSONata";
  /** Prefix of task keys, e.g. `Fan#0/1/` for branch 1 of the first visit of Fan. */
  readonly path: string;
  readonly execution: ExecutionContext;
  /** `$$.Map.Item` inside a Map iteration. */
  readonly mapItem: { readonly Index: number; readonly Value: unknown } | undefined;
  /** Visible variables; copied on first write so outer scopes never see inner assignments. */
  variables: Map<string, unknown>;
  ownsVariables: boolean;
  /** How often each state was entered in this scope (loops get distinct keys). */
  readonly visits: Map<string, number>;
  readonly stop: StopToken;
  /** Id of the last event emitted in this scope. */
  lastEventId: number;
}

export function childScope(
  parent: Scope,
  fields: Pick<Scope, "machine" | "path" | "mapItem" | "stop"> & { readonly queryLanguage: Scope["queryLanguage"] },
  execution: ExecutionContext = parent.execution,
  isolated = false,
): Scope {
  return {
    rt: parent.rt,
    machine: fields.machine,
    queryLanguage: fields.queryLanguage,
    path: fields.path,
    execution,
    mapItem: fields.mapItem,
    variables: isolated ? new Map() : parent.variables,
    ownsVariables: isolated,
    visits: new Map(),
    stop: fields.stop,
    lastEventId: parent.lastEventId,
  };
}

/** Applies evaluated Assign values to the scope's own variables. */
export function assignVariables(scope: Scope, values: Record<string, unknown> | undefined): void {
  if (!values) return;
  const keys = Object.keys(values);
  if (keys.length === 0) return;
  if (!scope.ownsVariables) {
    scope.variables = new Map(scope.variables);
    scope.ownsVariables = true;
  }
  for (const k of keys) scope.variables.set(k, values[k]);
}

/** Emits an event chained to the scope's previous one. */
export function emitIn(scope: Scope, type: string, detailsKey?: string, details?: Record<string, unknown>): void {
  if (!scope.rt.recordsEvents) return;
  scope.lastEventId = scope.rt.emit(scope.lastEventId, type, detailsKey, details);
}
