import { dirname, join } from "node:path";
import type { PipelineModel, StateMachineJson } from "@stepline/core";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { aslHandlers } from "../run/asl.js";
import { loadEngine, loadLocalHandlers } from "../run/engine.js";
import { runError } from "../run/errors.js";
import { repairJournal } from "../run/journal.js";
import { importModule } from "../run/modules.js";
import { runSession } from "../run/session.js";
import { findRun, type RunMeta, readRunFile, runProcessAlive } from "../run/store.js";

interface ResumeFlags {
  readonly fastWaits?: boolean;
  readonly json?: boolean;
}

/** `stepline resume <run-id>` (an interrupted run) and `stepline redrive <run-id>` (a failed one). */
export function resumeCommands(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  for (const kind of ["resume", "redrive"] as const) {
    program
      .command(kind)
      .description(
        kind === "resume"
          ? "continue a run whose process was killed: finished steps are not run again"
          : "rerun a failed run from the failed steps: steps that succeeded are not run again",
      )
      .argument("<run-id>", "run id (or a unique prefix), see `stepline runs`")
      .option("--fast-waits", "Wait states and retry back-offs end at once (virtual clock)")
      .option("--json", "print one JSON history event per line, then the result")
      .action(async (id: string, flags: ResumeFlags) => {
        ctx.json = flags.json === true;
        done(await resume(kind, id, flags, ctx));
      });
  }
}

async function resume(
  kind: "resume" | "redrive",
  id: string,
  flags: ResumeFlags,
  ctx: CommandContext,
): Promise<number> {
  const { cwd } = ctx.io;
  const { dir, meta } = await findRun(cwd, id);
  await checkStatus(kind, meta);
  const engine = await loadEngine();
  const records = repairJournal(join(dir, "journal.jsonl"));
  const definition = readRunFile<StateMachineJson>(dir, meta.definition);
  const options = { ...meta.options, fastWaits: flags.fastWaits === true || meta.options.fastWaits };
  const handlers =
    meta.kind === "asl"
      ? () => aslHandlers(meta.options.handlers ?? {}, cwd)
      : async () => {
          const localHandlers = await loadLocalHandlers();
          return localHandlers({
            model: readRunFile<PipelineModel>(dir, meta.model ?? "model.json"),
            manifest: readRunFile<unknown>(dir, meta.manifest ?? "manifest.json"),
            pipelineDir: dirname(meta.file),
            runDir: dir,
            env: ctx.io.env,
            ...(meta.options.docker === undefined ? {} : { docker: meta.options.docker }),
            importModule: (path) => importModule(path, cwd),
          });
        };
  return runSession(
    {
      engine,
      dir,
      meta: { ...meta, options },
      definition,
      handlers,
      kind,
      // All of it: the engine skips succeeded task visits, reuses recorded values, goes on
      // numbering events, and counts earlier failed ends as redrives ($$.Execution.RedriveCount).
      replay: records,
      json: ctx.json,
    },
    ctx,
  );
}

async function checkStatus(kind: "resume" | "redrive", meta: RunMeta): Promise<void> {
  if (meta.status === "RUNNING" && runProcessAlive(meta.pid) && meta.pid !== process.pid) {
    throw await runError(
      "SL_RUN_ACTIVE",
      `Run ${meta.id} is still running (process ${meta.pid}).`,
      `Wait for it, or stop it (Ctrl-C in its terminal, or \`kill ${meta.pid}\`), then \`stepline resume ${meta.id}\`.`,
    );
  }
  if (meta.status === "SUCCEEDED") {
    throw await runError(
      "SL_RUN_SUCCEEDED",
      `Run ${meta.id} already succeeded; there is nothing to ${kind}.`,
      "Start a new run with `stepline run`.",
    );
  }
  if (kind === "resume" && meta.status !== "RUNNING") {
    throw await runError(
      "SL_RUN_FINISHED",
      `Run ${meta.id} is not interrupted: it ended ${meta.status}.`,
      `Rerun its failed steps with \`stepline redrive ${meta.id}\`.`,
    );
  }
  if (kind === "redrive" && meta.status === "RUNNING") {
    throw await runError(
      "SL_RUN_INTERRUPTED",
      `Run ${meta.id} did not end (its process was killed); there is no failure to redrive.`,
      `Continue it with \`stepline resume ${meta.id}\`.`,
    );
  }
}
