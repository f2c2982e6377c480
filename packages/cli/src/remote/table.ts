import type { Palette } from "../color.js";
import { duration, table } from "../table.js";
import type { StepRow, VisitStatus } from "./history.js";
import { shortCause } from "./history.js";

/** `2026-11-24 02:30:01Z` */
export function when(iso: string | Date | undefined): string {
  if (iso === undefined) return "-";
  const date = typeof iso === "string" ? new Date(iso) : iso;
  return Number.isNaN(date.getTime())
    ? "-"
    : date
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z");
}

export function statusColor(status: string, style: Palette): (text: string) => string {
  const s = status.toLowerCase();
  if (s === "succeeded") return style.green;
  if (s === "failed" || s === "timed_out" || s === "aborted") return style.red;
  if (s === "caught" || s === "retried" || s === "pending_redrive") return style.yellow;
  return (text) => text;
}

const ORDER: readonly VisitStatus[] = ["succeeded", "caught", "running", "retried", "aborted", "failed"];

function statusCell(row: StepRow): string {
  if (row.runs === 1) return row.status;
  return ORDER.filter((s) => row.statuses[s] !== undefined)
    .map((s) => `${row.statuses[s]} ${s}`)
    .join(", ");
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, " ");
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** STEP | TYPE | STATUS | RUNS | ATTEMPTS | STARTED | DURATION | ERROR */
export function stepTable(rows: readonly StepRow[], style: Palette): string {
  if (rows.length === 0) return `${style.dim("no step has started yet")}\n`;
  const head = ["STEP", "TYPE", "STATUS", "RUNS", "ATTEMPTS", "STARTED", "DURATION", "ERROR"];
  const cells = rows.map((r) => [
    r.step,
    r.iterations === undefined ? r.type : `${r.type} (${r.iterations} item${r.iterations === 1 ? "" : "s"})`,
    statusCell(r),
    String(r.runs),
    String(r.attempts),
    r.started.slice(11, 19),
    duration(r.durationMs),
    r.error === undefined ? "" : clip(`${r.error}${r.cause ? `: ${shortCause(r.cause)}` : ""}`, 80),
  ]);
  return table(head, cells, style, (i, line) => statusColor(rows[i]?.status ?? "", style)(line));
}
