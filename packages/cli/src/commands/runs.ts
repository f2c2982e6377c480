import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { interrupted, listRuns, type RunMeta } from "../run/store.js";
import { duration } from "../table.js";
import { json } from "./shared.js";

/** `stepline runs`: the runs under `.stepline/runs/`, newest first. */
export function runsCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  program
    .command("runs")
    .description("list local runs (kept in .stepline/runs under the current directory)")
    .option("--json", "print the runs as JSON")
    .action((flags: { json?: boolean }) => {
      ctx.json = flags.json === true;
      const runs = listRuns(ctx.io.cwd).map(summary);
      if (flags.json) {
        ctx.io.stdout.write(json(runs));
      } else if (runs.length === 0) {
        ctx.io.stdout.write("no runs yet (start one with `stepline run <pipeline.ts>`)\n");
      } else {
        ctx.io.stdout.write(table(runs, ctx));
      }
      done(0);
    });
}

interface RunSummary {
  readonly id: string;
  readonly pipeline: string;
  /** RUNNING, SUCCEEDED, …, or INTERRUPTED (RUNNING whose process is gone: resume it). */
  readonly status: string;
  readonly started: string;
  readonly finished: string | null;
  readonly durationMs: number | null;
  readonly error: string | null;
}

function summary(meta: RunMeta): RunSummary {
  const end = meta.finished ?? (meta.status === "RUNNING" && !interrupted(meta) ? new Date().toISOString() : undefined);
  return {
    id: meta.id,
    pipeline: meta.pipeline,
    status: interrupted(meta) ? "INTERRUPTED" : meta.status,
    started: meta.started,
    finished: meta.finished ?? null,
    durationMs: end === undefined ? null : Date.parse(end) - Date.parse(meta.started),
    error: meta.error ?? null,
  };
}

function table(runs: readonly RunSummary[], ctx: CommandContext): string {
  const { bold, green, red, yellow } = ctx.out;
  const head = ["ID", "PIPELINE", "STATUS", "STARTED", "DURATION"];
  const rows = runs.map((r) => [
    r.id,
    r.pipeline,
    r.status,
    r.started.replace("T", " ").replace(/\.\d+Z$/, "Z"),
    r.durationMs === null ? "-" : duration(r.durationMs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const format = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const color = (status: string) =>
    status === "SUCCEEDED" ? green : status === "RUNNING" ? (t: string) => t : status === "INTERRUPTED" ? yellow : red;
  const lines = rows.map((row) => {
    const status = row[2] ?? "";
    return format(row).replace(
      new RegExp(`(  )${status}( |$)`),
      (_, a: string, b: string) => `${a}${color(status)(status)}${b}`,
    );
  });
  return `${bold(format(head))}\n${lines.join("\n")}\n`;
}
