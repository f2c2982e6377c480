import { rmSync } from "node:fs";
import { join } from "node:path";
import type {
  ExecutionResult,
  HandlerRegistration,
  HistoryEvent,
  JournalRecord,
  StateMachineJson,
} from "@stepline/core";
import type { CommandContext } from "../context.js";
import type { Engine } from "./engine.js";
import { FileJournal } from "./journal.js";
import { logTail } from "./logs.js";
import { runStoreHandlers } from "./sfn.js";
import { type RunMeta, writeMeta } from "./store.js";
import { Tracker } from "./tracker.js";
import { jsonView, lineView, liveView, type View } from "./views.js";

/** One process working on a run: the first start, a resume or a redrive. */
export interface Session {
  readonly engine: Engine;
  readonly dir: string;
  readonly meta: RunMeta;
  readonly definition: StateMachineJson;
  /** Builds the task handlers (after the run directory exists). */
  readonly handlers: () => Promise<readonly HandlerRegistration[]>;
  readonly kind: "run" | "resume" | "redrive";
  readonly replay?: readonly JournalRecord[];
  readonly json: boolean;
}

/** Runs the execution and reports it; returns the exit code (0 SUCCEEDED, else 1). */
export async function runSession(session: Session, ctx: CommandContext): Promise<number> {
  const { dir, engine } = session;
  const { stdout, stderr } = ctx.io;
  let meta: RunMeta = {
    ...session.meta,
    status: "RUNNING",
    pid: process.pid,
    sessions: [...session.meta.sessions, { kind: session.kind, started: new Date().toISOString() }],
  };
  for (const key of ["finished", "output", "error", "cause"] as const) delete (meta as Partial<RunMeta>)[key];
  writeMeta(dir, meta);
  if (!session.json) stderr.write(`${ctx.err.dim(`${verb(session.kind)} ${meta.id}`)}\n`);

  const view: View = session.json
    ? jsonView(stdout)
    : stdout.isTTY
      ? liveView(stdout, ctx.out)
      : lineView(stdout, ctx.out);
  const tracker = new Tracker(dir, view);
  const journal = new FileJournal(join(dir, "journal.jsonl"));
  const controller = new AbortController();
  const stop = () => {
    // A second Ctrl-C falls through to node's default and ends the process at once.
    for (const signal of signals) process.off(signal, stop);
    if (!session.json) stderr.write(`\n${ctx.err.yellow("stopping the run (Ctrl-C again to kill it)…")}\n`);
    controller.abort(new Error("stopped by the user"));
  };
  const signals = ["SIGINT", "SIGTERM"] as const;
  for (const signal of signals) process.on(signal, stop);

  let result: ExecutionResult;
  let started = false;
  try {
    // The run's own handlers first: they may answer Step Functions calls themselves.
    const handlers = tracker.wrap([...(await session.handlers()), ...runStoreHandlers(ctx.io.cwd)]);
    started = true;
    result = await engine.execute({
      definition: session.definition,
      input: meta.input,
      handlers,
      clock: engine.clock(meta.options.fastWaits),
      executionName: meta.id,
      stateMachineName: meta.pipeline,
      observer: (event: HistoryEvent) => view.event(event),
      journal,
      ...(session.replay === undefined ? {} : { replay: session.replay }),
      ...(meta.options.concurrency === undefined ? {} : { concurrency: meta.options.concurrency }),
      signal: controller.signal,
    });
  } catch (error) {
    view.finish(tracker.attempts);
    if (!started) {
      // Nothing ran (e.g. a step's local handler is missing): a new run leaves no trace,
      // a resumed or redriven one stays as it was.
      if (session.kind === "run") rmSync(dir, { recursive: true, force: true });
      else writeMeta(dir, session.meta);
    } else {
      const cause = error instanceof Error ? error.message : String(error);
      writeMeta(dir, { ...meta, status: "FAILED", finished: new Date().toISOString(), error: "States.Runtime", cause });
    }
    throw error;
  } finally {
    for (const signal of signals) process.off(signal, stop);
    journal.flush();
  }
  view.finish(tracker.attempts);
  if (!journal.ended) {
    journal.append({
      kind: "end",
      status: result.status,
      ...(result.output === undefined ? {} : { output: result.output }),
      ...(result.error === undefined ? {} : { error: result.error }),
      ...(result.cause === undefined ? {} : { cause: result.cause }),
    });
  }
  meta = {
    ...meta,
    status: result.status,
    finished: new Date().toISOString(),
    ...(result.output === undefined ? {} : { output: result.output }),
    ...(result.error === undefined ? {} : { error: result.error }),
    ...(result.cause === undefined ? {} : { cause: result.cause }),
  };
  writeMeta(dir, meta);

  if (session.json) {
    stdout.write(
      `${JSON.stringify({
        status: result.status,
        output: result.output ?? null,
        error: result.error ?? null,
        cause: result.cause ?? null,
        runId: meta.id,
      })}\n`,
    );
  }
  if (result.status === "SUCCEEDED") {
    if (!session.json) stderr.write(`${ctx.err.green("SUCCEEDED")} ${meta.id}\n`);
    return 0;
  }
  stderr.write(failureReport(result, tracker, dir, meta, ctx));
  return 1;
}

function verb(kind: Session["kind"]): string {
  return kind === "run" ? "run" : kind === "resume" ? "resuming run" : "redriving run";
}

/** The failing step, its error and cause, and the end of its log. */
function failureReport(
  result: ExecutionResult,
  tracker: Tracker,
  dir: string,
  meta: RunMeta,
  ctx: CommandContext,
): string {
  const { red, bold, dim } = ctx.err;
  const lines = [`${red(result.status)} ${meta.id}`];
  const failed = tracker.lastFailure();
  if (failed !== undefined && result.status !== "ABORTED") {
    lines.push(`  step:  ${bold(failed.state)} (attempt ${failed.attempt})`);
  }
  if (result.status === "ABORTED") {
    lines.push("  stopped before it finished (Ctrl-C or SIGTERM)");
  } else {
    lines.push(`  error: ${result.error ?? failed?.error ?? "(none)"}`);
    lines.push(`  cause: ${result.cause ?? failed?.cause ?? "(none)"}`);
  }
  if (failed !== undefined && result.status !== "ABORTED") {
    const tail = logTail(dir, failed.state, failed.attempt, 20);
    if (tail.length > 0) {
      lines.push(dim(`  last ${tail.length} line${tail.length === 1 ? "" : "s"} of its log:`));
      for (const l of tail) lines.push(`  | ${l}`);
    }
    lines.push(dim(`  full log: stepline logs ${meta.id} ${failed.state} --attempt ${failed.attempt}`));
  }
  lines.push(
    dim(
      result.status === "ABORTED"
        ? `  continue it with: stepline redrive ${meta.id}`
        : `  fix the cause, then rerun from this step: stepline redrive ${meta.id}`,
    ),
  );
  return `${lines.join("\n")}\n`;
}
