import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import type { CommandContext } from "../context.js";
import { type AwsFlags, awsFlags } from "../deploy/connect.js";
import { runError } from "../run/errors.js";
import { readLog, stepLogs } from "../run/logs.js";
import { findRun } from "../run/store.js";

/**
 * `stepline logs <run-id> [step] [--attempt N]`: a local run's step logs.
 * `stepline logs <execution-arn> [step]` (or `--remote <pipeline>`): the
 * CloudWatch Logs of the Batch jobs of an execution on AWS.
 */
export function logsCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  const command = program
    .command("logs")
    .description(
      "print a run's step logs: every step in order, or one step's attempts (an execution ARN or --remote: Batch job logs from AWS)",
    )
    .argument("<run-id>", "local run id (or a unique prefix, see `stepline runs`), or an execution ARN on AWS")
    .argument("[step]", "only this step (state name)")
    .option("--attempt <n>", "only this attempt (from 1)", attemptNumber)
    .option(
      "--remote",
      "read an execution on AWS: <run-id> is then an execution ARN, or a pipeline file or name for its latest execution",
    );
  awsFlags(command).action(
    async (id: string, step: string | undefined, flags: AwsFlags & { attempt?: number; remote?: boolean }) => {
      if (flags.remote === true || id.startsWith("arn:")) {
        const { remoteLogs } = await import("../remote/logs.js");
        done(await remoteLogs(id, step, flags.attempt, flags, ctx));
        return;
      }
      done(await logs(id, step, flags.attempt, ctx));
    },
  );
}

function attemptNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("Expected an attempt number (1, 2, …).");
  return n;
}

async function logs(
  id: string,
  step: string | undefined,
  attempt: number | undefined,
  ctx: CommandContext,
): Promise<number> {
  const { dir, meta } = await findRun(ctx.io.cwd, id);
  const all = stepLogs(dir);
  const { bold, dim } = ctx.out;
  if (step === undefined && attempt !== undefined) {
    throw await runError(
      "SL_RUN_LOGS_USAGE",
      "--attempt needs a step.",
      `e.g. \`stepline logs ${meta.id} <step> --attempt ${attempt}\`.`,
    );
  }
  const chosen = step === undefined ? all : all.filter((s) => s.state === step);
  if (step !== undefined && chosen.length === 0) {
    throw await runError(
      "SL_RUN_UNKNOWN_STEP",
      `Run ${meta.id} has no log of step '${step}'.`,
      all.length > 0
        ? `Steps with logs: ${all.map((s) => s.state).join(", ")}.`
        : "No step of this run has written a log yet.",
    );
  }
  const out: string[] = [];
  for (const s of chosen) {
    const attempts = attempt === undefined ? s.attempts : s.attempts.filter((a) => a === attempt);
    if (attempts.length === 0) {
      throw await runError(
        "SL_RUN_UNKNOWN_ATTEMPT",
        `Step '${s.state}' of run ${meta.id} has no attempt ${attempt}.`,
        `Attempts: ${s.attempts.join(", ")}.`,
      );
    }
    for (const a of attempts) {
      const text = readLog(dir, s.state, a) ?? "";
      // One attempt of one step prints bare, so it can be piped.
      if (chosen.length > 1 || attempts.length > 1 || step === undefined)
        out.push(bold(`== ${s.state} (attempt ${a}) ==`));
      out.push(text.endsWith("\n") || text === "" ? text.replace(/\n$/, "") : text);
      if (text === "") out.push(dim("(empty)"));
    }
  }
  if (out.length > 0) ctx.io.stdout.write(`${out.join("\n")}\n`);
  else ctx.io.stdout.write(dim("no logs yet\n"));
  return 0;
}
