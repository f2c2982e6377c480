import type { Palette } from "./color.js";

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

/** `1.2 s`, `3 min 4 s`, `1 h 2 min`. */
export function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
