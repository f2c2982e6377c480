import { join } from "node:path";
import type { HistoryEvent } from "@stepline/core";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { stepRows } from "../remote/history.js";
import { statusColor, stepTable, when } from "../remote/table.js";
import { readJournal } from "../run/journal.js";
import { findRun, interrupted } from "../run/store.js";
import { json } from "./shared.js";

/**
 * `stepline history <run-id> [--json]`: a local run's history as journaled —
 * one line per step (the table `stepline status` shows for AWS), or the
 * events in the shape of GetExecutionHistory.
 */
export function historyCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  program
    .command("history")
    .description("show a local run's execution history: one line per step, or --json for the events as AWS gives them")
    .argument("<run-id>", "local run id (or a unique prefix, see `stepline runs`)")
    .option("--json", 'print {"events": [...]} in the shape of Step Functions\' GetExecutionHistory')
    .action(async (id: string, flags: { json?: boolean }) => {
      ctx.json = flags.json === true;
      const { dir, meta } = await findRun(ctx.io.cwd, id);
      const events: HistoryEvent[] = [];
      for (const record of readJournal(join(dir, "journal.jsonl")).records)
        if (record.kind === "event") events.push(record.event);
      if (flags.json === true) {
        ctx.io.stdout.write(json({ events }));
      } else {
        const { bold } = ctx.out;
        const status = interrupted(meta) ? "INTERRUPTED" : meta.status;
        const rows = stepRows(events, {
          status,
          ...(meta.error === undefined ? {} : { error: meta.error }),
          ...(meta.cause === undefined ? {} : { cause: meta.cause }),
        });
        ctx.io.stdout.write(
          `${bold("run")}      ${meta.id}\n${bold("status")}   ${statusColor(status, ctx.out)(status)}\n` +
            `${bold("started")}  ${when(meta.started)}\n${bold("events")}   ${events.length}\n\n${stepTable(rows, ctx.out)}`,
        );
      }
      done(0);
    });
}
