import type { Palette } from "../color.js";
import { duration } from "../run/views.js";
import type { StepRow, VisitStatus } from "./history.js";
import { shortCause } from "./history.js";

/** Aligned columns, header in bold; `paint` colors a whole row (after padding, so columns stay aligned). */
export function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  style: Palette,
  paint: (row: number, line: string) => string = (_, line) => line,
): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const format = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${style.bold(format(head))}\n${rows.map((r, i) => `${paint(i, format(r))}\n`).join("")}`;
}

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
