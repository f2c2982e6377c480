import type { HistoryEvent } from "@stepline/core";

/**
 * Reading an execution history (GetExecutionHistory on AWS, or the local
 * engine's journal: both have the same shape) into state visits: one visit
 * per time a state was entered, with its attempts. Map iterations and
 * Parallel branches interleave their events; each event follows its
 * `previousEventId` to the visit it belongs to.
 */

/** How a visit of a state ended (or stands). */
export type VisitStatus = "running" | "retried" | "succeeded" | "caught" | "failed" | "aborted";

/** One attempt of a Task state (a retry is a new attempt). */
export interface TaskAttempt {
  /** From 1. */
  readonly attempt: number;
  /** `batch`, `glue`, `lambda`, … */
  readonly resourceType: string;
  /** `submitJob.sync`, `startJobRun.sync`, `invoke`, … */
  readonly resource: string;
  /** TaskSubmitted output (JSON text), e.g. Batch's `{JobId, JobName, JobArn}`. */
  submitted?: string;
  /** TaskSucceeded output (JSON text). */
  output?: string;
  failed: boolean;
  error?: string;
  /** The failure cause (for `.sync` tasks, the job description as JSON text). */
  cause?: string;
}

export interface StateVisit {
  readonly name: string;
  /** State type: Task, Map, Parallel, Pass, Choice, Wait, Succeed, Fail. */
  readonly type: string;
  /** Id of the StateEntered event. */
  readonly id: number;
  readonly started: number;
  ended?: number;
  exited: boolean;
  aborted: boolean;
  /** Attempts: Task attempts, or starts of a Map/Parallel; 1 for other states. */
  attempts: number;
  /** The last attempt failed (a retry may follow). */
  lastFailed: boolean;
  error?: string;
  cause?: string;
  /** Index of the innermost Map iteration this visit ran in. */
  readonly iteration?: number;
  /** Map states: iterations started and failed. */
  iterations: number;
  failedIterations: number;
  readonly tasks: TaskAttempt[];
}

export interface ExecutionEnd {
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
}

const ENTERED = "StateEntered";
const EXITED = "StateExited";
const ABORTED = "StateAborted";

function details(event: HistoryEvent, key: string): Record<string, unknown> {
  const value = event[key];
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The failure details of any `*Failed` / `*TimedOut` event. */
function failure(event: HistoryEvent): { error?: string; cause?: string } {
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith("EventDetails") || value === null || typeof value !== "object") continue;
    const d = value as Record<string, unknown>;
    const error = text(d.error);
    const cause = text(d.cause);
    if (error !== undefined || cause !== undefined) {
      return { ...(error === undefined ? {} : { error }), ...(cause === undefined ? {} : { cause }) };
    }
  }
  return {};
}

/** Every state visit, in the order the states were entered. */
export function stateVisits(events: readonly HistoryEvent[]): StateVisit[] {
  const visits: StateVisit[] = [];
  const byEvent = new Map<number, StateVisit>();
  const iterationOf = new Map<number, number>();
  const open = (name?: string, type?: string): StateVisit | undefined => {
    for (let i = visits.length - 1; i >= 0; i--) {
      const v = visits[i] as StateVisit;
      if (v.exited || v.aborted) continue;
      if ((name === undefined || v.name === name) && (type === undefined || v.type === type)) return v;
    }
    return undefined;
  };
  const chained = (event: HistoryEvent): StateVisit | undefined => {
    const v = byEvent.get(event.previousEventId);
    return v !== undefined && !v.exited && !v.aborted ? v : open();
  };
  for (const event of events) {
    const at = Date.parse(event.timestamp);
    const t = event.type;
    let visit: StateVisit | undefined;
    if (t.endsWith(ENTERED)) {
      const d = details(event, "stateEnteredEventDetails");
      const iteration = iterationOf.get(event.previousEventId) ?? byEvent.get(event.previousEventId)?.iteration;
      visit = {
        name: text(d.name) ?? "?",
        type: t.slice(0, -ENTERED.length),
        id: event.id,
        started: at,
        exited: false,
        aborted: false,
        attempts: 0,
        lastFailed: false,
        ...(iteration === undefined ? {} : { iteration }),
        iterations: 0,
        failedIterations: 0,
        tasks: [],
      };
      visits.push(visit);
    } else if (t.endsWith(EXITED) || t.endsWith(ABORTED)) {
      const name = text(details(event, "stateExitedEventDetails").name);
      const previous = byEvent.get(event.previousEventId);
      visit =
        previous !== undefined && !previous.exited && (name === undefined || previous.name === name)
          ? previous
          : open(name, t.slice(0, -(t.endsWith(EXITED) ? EXITED : ABORTED).length));
      if (visit !== undefined) {
        visit.ended = at;
        if (t.endsWith(EXITED)) visit.exited = true;
        else visit.aborted = true;
      }
    } else if (t.startsWith("MapIteration")) {
      const d = details(event, `${t.charAt(0).toLowerCase()}${t.slice(1)}EventDetails`);
      visit = open(text(d.name), "Map");
      if (t === "MapIterationStarted" && typeof d.index === "number") iterationOf.set(event.id, d.index);
      if (visit !== undefined && t === "MapIterationStarted") visit.iterations++;
      if (visit !== undefined && t === "MapIterationFailed") visit.failedIterations++;
    } else if (/^(Map|Parallel)State(Started|Succeeded|Failed)$|^MapRun(Started|Succeeded|Failed|Aborted)$/.test(t)) {
      visit = chained(event);
      if (visit !== undefined) {
        if (t.endsWith("StateStarted")) {
          visit.attempts++;
          visit.lastFailed = false;
        } else if (t.endsWith("Failed") || t === "MapRunAborted") {
          visit.lastFailed = true;
          Object.assign(visit, failure(event));
        }
      }
    } else if (/^(Task|LambdaFunction|Activity)/.test(t)) {
      visit = chained(event);
      if (visit !== undefined) task(visit, event, t);
    } else if (/^Execution(Failed|TimedOut|Aborted)$/.test(t)) {
      const end = failure(event);
      // The states still open ended with the execution (a Fail state, a failed Map or Parallel).
      for (const v of visits) {
        if (v.exited || v.aborted) continue;
        v.ended = at;
        if (v.error === undefined && end.error !== undefined) v.error = end.error;
        if (v.cause === undefined && end.cause !== undefined) v.cause = end.cause;
      }
    }
    if (visit !== undefined) byEvent.set(event.id, visit);
  }
  for (const v of visits) if (v.attempts === 0) v.attempts = 1;
  return visits;
}

function task(visit: StateVisit, event: HistoryEvent, t: string): void {
  const kind = t.replace(/^(Task|LambdaFunction|Activity)/, "");
  const d = Object.entries(event).find(([k]) => k.endsWith("EventDetails"))?.[1] as Record<string, unknown> | undefined;
  if (kind === "Scheduled") {
    visit.attempts++;
    visit.lastFailed = false;
    visit.tasks.push({
      attempt: visit.tasks.length + 1,
      resourceType:
        text(d?.resourceType) ?? (t.startsWith("Lambda") ? "lambda" : t.startsWith("Activity") ? "activity" : ""),
      resource: text(d?.resource) ?? "",
      failed: false,
    });
    return;
  }
  const current = visit.tasks.at(-1);
  if (kind === "Submitted" && current !== undefined) {
    const output = text(d?.output);
    if (output !== undefined) current.submitted = output;
  } else if (kind === "Succeeded") {
    visit.lastFailed = false;
    const output = text(d?.output);
    if (current !== undefined && output !== undefined) current.output = output;
  } else if (/^(Failed|TimedOut|StartFailed|SubmitFailed|ScheduleFailed)$/.test(kind)) {
    const f = failure(event);
    visit.lastFailed = true;
    visit.error = f.error ?? (kind === "TimedOut" ? "States.Timeout" : "States.TaskFailed");
    if (f.cause !== undefined) visit.cause = f.cause;
    else delete visit.cause;
    if (current !== undefined) {
      current.failed = true;
      current.error = visit.error;
      if (f.cause !== undefined) current.cause = f.cause;
    }
  }
}

/** Where a visit stands, given how the execution stands. */
export function visitStatus(visit: StateVisit, execution: ExecutionEnd): VisitStatus {
  if (visit.aborted) return "aborted";
  if (visit.exited) return visit.lastFailed ? "caught" : "succeeded";
  if (visit.type === "Succeed") return "succeeded";
  if (visit.type === "Fail") return "failed";
  if (execution.status === "RUNNING") return visit.lastFailed ? "retried" : "running";
  if (execution.status === "ABORTED") return "aborted";
  return "failed";
}

/** One line of the per-step table: every visit of one state (Map iterations run a state many times). */
export interface StepRow {
  readonly step: string;
  readonly type: string;
  /** The worst status of its visits (failed, aborted, retried, running, caught, succeeded). */
  readonly status: VisitStatus;
  /** Visits per status. */
  readonly statuses: Partial<Record<VisitStatus, number>>;
  readonly runs: number;
  /** Attempts of all visits together. */
  readonly attempts: number;
  /** ISO-8601. */
  readonly started: string;
  /** `null` while running. */
  readonly ended: string | null;
  readonly durationMs: number;
  /** Map states: iterations started. */
  readonly iterations?: number;
  readonly error?: string;
  readonly cause?: string;
}

const SEVERITY: readonly VisitStatus[] = ["failed", "aborted", "retried", "running", "caught", "succeeded"];

export function stepRows(
  events: readonly HistoryEvent[],
  execution: ExecutionEnd,
  now: number = Date.now(),
): StepRow[] {
  const byName = new Map<string, StateVisit[]>();
  for (const v of stateVisits(events)) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
  return [...byName.entries()].map(([step, list]) => {
    const statuses: Partial<Record<VisitStatus, number>> = {};
    for (const v of list) {
      const s = visitStatus(v, execution);
      statuses[s] = (statuses[s] ?? 0) + 1;
    }
    const status = SEVERITY.find((s) => statuses[s] !== undefined) ?? "running";
    const first = Math.min(...list.map((v) => v.started));
    const done = list.every((v) => v.ended !== undefined);
    const last = done ? Math.max(...list.map((v) => v.ended ?? v.started)) : now;
    const failedVisit = [...list].reverse().find((v) => v.error !== undefined);
    const type = list[0]?.type ?? "?";
    const iterations = list.reduce((n, v) => n + v.iterations, 0);
    return {
      step,
      type,
      status,
      statuses,
      runs: list.length,
      attempts: list.reduce((n, v) => n + v.attempts, 0),
      started: new Date(first).toISOString(),
      ended: done ? new Date(last).toISOString() : null,
      durationMs: Math.max(0, last - first),
      ...(type === "Map" ? { iterations } : {}),
      ...(failedVisit?.error === undefined ? {} : { error: failedVisit.error }),
      ...(failedVisit?.cause === undefined ? {} : { cause: failedVisit.cause }),
    };
  });
}

/** A short reason out of a cause: `.sync` causes are whole job descriptions in JSON. */
export function shortCause(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  try {
    const parsed = JSON.parse(cause) as Record<string, unknown>;
    if (parsed !== null && typeof parsed === "object") {
      const container = parsed.Container as Record<string, unknown> | undefined;
      for (const candidate of [
        parsed.StatusReason,
        container?.Reason,
        parsed.ErrorMessage,
        parsed.errorMessage,
        parsed.Message,
        parsed.message,
      ]) {
        if (typeof candidate === "string" && candidate !== "") return candidate;
      }
    }
  } catch {
    // Not JSON: the cause is the message.
  }
  return cause;
}
