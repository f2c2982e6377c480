import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { palette } from "./color.js";
import { compileCommand } from "./commands/compile.js";
import { deployCommand } from "./commands/deploy.js";
import { destroyCommand } from "./commands/destroy.js";
import { doctorCommand } from "./commands/doctor.js";
import { executionsCommand } from "./commands/executions.js";
import { exportCommand } from "./commands/export.js";
import { graphCommand } from "./commands/graph.js";
import { historyCommand } from "./commands/history.js";
import { logsCommand } from "./commands/logs.js";
import { planCommand } from "./commands/plan.js";
import { resumeCommands } from "./commands/resume.js";
import { rollbackCommand } from "./commands/rollback.js";
import { runCommand } from "./commands/run.js";
import { runsCommand } from "./commands/runs.js";
import { scheduleCommand } from "./commands/schedule.js";
import { startCommand } from "./commands/start.js";
import { statusCommand } from "./commands/status.js";
import { validateCommand } from "./commands/validate.js";
import type { CommandContext } from "./context.js";
import { type Io, processIo } from "./io.js";
import { countProblems, renderProblem } from "./problems.js";

/**
 * Runs the `stepline` command line and returns its exit code: 0 success,
 * 2 user mistakes (invalid pipeline, bad usage), 1 failures (of a run, of AWS,
 * or of stepline itself). Never calls `process.exit`.
 *
 * Commands import their heavy modules (esbuild, the compiler) only when they
 * run, so `--help` and warm compiles start fast.
 */
export async function main(argv: readonly string[], io: Partial<Io> = {}): Promise<number> {
  const full = processIo(io);
  const colorFlag = !argv.includes("--no-color");
  const ctx: CommandContext = {
    io: full,
    out: palette(full.stdout, full.env, colorFlag),
    err: palette(full.stderr, full.env, colorFlag),
    json: false,
  };
  let code = 0;
  const done = (c: number) => {
    code = c;
  };
  const program = new Command("stepline")
    .description("compile, validate, draw and run typed data pipelines for AWS Step Functions")
    .version(version(), "-V, --version")
    .option("--no-color", "disable colors (also NO_COLOR=1; colors are only used on a terminal)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => full.stdout.write(text),
      writeErr: (text) => full.stderr.write(text),
      outputError: (text, write) => write(ctx.err.red(text)),
    })
    .showHelpAfterError("(run with --help for usage)");
  compileCommand(program, ctx, done);
  validateCommand(program, ctx, done);
  graphCommand(program, ctx, done);
  runCommand(program, ctx, done);
  runsCommand(program, ctx, done);
  resumeCommands(program, ctx, done);
  logsCommand(program, ctx, done);
  historyCommand(program, ctx, done);
  scheduleCommand(program, ctx, done);
  planCommand(program, ctx, done);
  deployCommand(program, ctx, done);
  destroyCommand(program, ctx, done);
  rollbackCommand(program, ctx, done);
  startCommand(program, ctx, done);
  executionsCommand(program, ctx, done);
  statusCommand(program, ctx, done);
  exportCommand(program, ctx, done);
  doctorCommand(program, ctx, done);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    return report(error, ctx);
  }
}

/** The single top-level error handler: maps every error to output and an exit code. */
async function report(error: unknown, ctx: CommandContext): Promise<number> {
  const { stderr, stdout, env } = ctx.io;
  if (error instanceof CommanderError) {
    // Help and version exit 0; every usage mistake (commander already printed it) exits 2.
    return error.exitCode === 0 ? 0 : 2;
  }
  const { isSteplineError } = await import("@stepline/core");
  if (isSteplineError(error)) {
    const exit = error.kind === "user" ? 2 : 1;
    if (ctx.json) {
      stdout.write(`${JSON.stringify({ ok: false, problems: error.problems }, null, 2)}\n`);
      return exit;
    }
    for (const p of error.problems) stderr.write(`${await renderProblem(p, ctx.err)}\n`);
    if (error.problems.length > 1) stderr.write(`${countProblems(error.problems)}\n`);
    if (env.STEPLINE_DEBUG === "1") stderr.write(`${ctx.err.dim(debugStack(error))}\n`);
    return exit;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`${ctx.err.red("internal error:")} ${message}\n`);
  if (env.STEPLINE_DEBUG === "1" && error instanceof Error && error.stack) {
    stderr.write(`${ctx.err.dim(error.stack)}\n`);
  } else {
    stderr.write(ctx.err.dim("(set STEPLINE_DEBUG=1 for the stack; please report this as a stepline bug)\n"));
  }
  return 1;
}

/** The stack, then the stack of the error that caused it (e.g. the user's module throwing). */
function debugStack(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  const own = error.stack ?? error.message;
  return cause instanceof Error ? `${own}\ncaused by: ${cause.stack ?? cause.message}` : own;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}
