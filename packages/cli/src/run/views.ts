import type { HistoryEvent } from "@stepline/core";
import type { Palette } from "../color.js";
import type { Output } from "../io.js";
import { duration, table } from "../table.js";
import type { Attempt, AttemptListener } from "./tracker.js";

/** How a run shows its progress: live on a terminal, log lines in a pipe, JSON events with `--json`. */
export interface View extends AttemptListener {
  event(event: HistoryEvent): void;
  /** Stops redrawing; `attempts` are all the attempts of this process. */
  finish(attempts: readonly Attempt[]): void;
}

/** Re-exported: tests import it from the run views. */
export { duration };

/** `--json`: one history event per line on stdout. */
export function jsonView(out: Output): View {
  return {
    started: () => undefined,
    ended: () => undefined,
    event: (event) => out.write(`${JSON.stringify(event)}\n`),
    finish: () => undefined,
  };
}

/** Not a terminal: one plain line per attempt start and end. */
export function lineView(out: Output, style: Palette): View {
  return {
    started: (a) => out.write(`${a.state} started${a.attempt > 1 ? ` (attempt ${a.attempt})` : ""}\n`),
    ended: (a) => {
      const took = duration((a.ended ?? Date.now()) - a.started);
      out.write(
        a.status === "succeeded"
          ? `${a.state} ${style.green("succeeded")} in ${took}\n`
          : `${a.state} ${style.red("failed")} (attempt ${a.attempt}): ${a.error}: ${a.cause}\n`,
      );
    },
    event: () => undefined,
    finish: () => undefined,
  };
}

interface Row {
  readonly state: string;
  attempt: number;
  status: Attempt["status"];
  started: number;
  ended?: number;
  /** Attempts of this state running now (Map iterations run one state many times). */
  running: number;
}

/**
 * A terminal: one line per step (state, attempt, elapsed) redrawn in place at
 * most ten times a second, then a summary table.
 */
export function liveView(out: Output, style: Palette, now: () => number = Date.now): View {
  const rows = new Map<string, Row>();
  let drawn = 0;
  let dirty = false;
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let frame = 0;
  const line = (row: Row): string => {
    const took = duration((row.ended ?? now()) - row.started);
    const icon =
      row.status === "running"
        ? style.yellow(frames[frame % frames.length] ?? "*")
        : row.status === "succeeded"
          ? style.green("✓")
          : style.red("✗");
    const many = row.running > 1 ? ` ×${row.running}` : "";
    return `${icon} ${row.state.padEnd(width())}  attempt ${row.attempt}${many}  ${style.dim(took)}`;
  };
  const width = () => Math.min(40, Math.max(8, ...[...rows.keys()].map((s) => s.length)));
  const draw = () => {
    frame++;
    const lines = [...rows.values()].map(line);
    let text = drawn > 0 ? `\u001b[${drawn}A` : "";
    for (const l of lines) text += `\u001b[2K${l}\n`;
    out.write(text);
    drawn = lines.length;
    dirty = false;
  };
  const timer = setInterval(() => {
    if (dirty || [...rows.values()].some((r) => r.status === "running")) draw();
  }, 100);
  timer.unref();
  return {
    started: (a) => {
      const row = rows.get(a.state);
      if (row === undefined) {
        rows.set(a.state, { state: a.state, attempt: a.attempt, status: "running", started: a.started, running: 1 });
      } else {
        row.running++;
        row.attempt = Math.max(row.attempt, a.attempt);
        row.status = "running";
        delete row.ended;
      }
      dirty = true;
    },
    ended: (a) => {
      const row = rows.get(a.state);
      if (row === undefined) return;
      row.running = Math.max(0, row.running - 1);
      if (row.running === 0) {
        row.status = a.status;
        row.ended = a.ended ?? now();
      } else if (a.status === "failed") {
        row.status = "failed";
      }
      dirty = true;
    },
    event: () => undefined,
    finish: (attempts) => {
      clearInterval(timer);
      if (rows.size > 0) draw();
      out.write(summaryTable(attempts, style));
    },
  };
}

/** step | status | attempts | duration, one row per state. */
export function summaryTable(attempts: readonly Attempt[], style: Palette): string {
  if (attempts.length === 0) return "";
  const byState = new Map<string, Attempt[]>();
  for (const a of attempts) byState.set(a.state, [...(byState.get(a.state) ?? []), a]);
  const rows = [...byState.entries()].map(([state, list]) => {
    const last = list.at(-1) as Attempt;
    const first = Math.min(...list.map((a) => a.started));
    const end = Math.max(...list.map((a) => a.ended ?? a.started));
    return [state, last.status, String(Math.max(...list.map((a) => a.attempt))), duration(end - first)];
  });
  const color = (status: string, text: string) =>
    status === "succeeded" ? style.green(text) : status === "failed" ? style.red(text) : text;
  return `\n${table(["STEP", "STATUS", "ATTEMPTS", "DURATION"], rows, style, (i, line) => color(rows[i]?.[1] ?? "", line))}`;
}
