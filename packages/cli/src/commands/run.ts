import { dirname, resolve } from "node:path";
import type { Problem, StateMachineJson } from "@stepline/core";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { CommandContext } from "../context.js";
import { displayPath } from "../load/display.js";
import { aslHandlers, checkHandlers, parseHandlerFlags, readDefinition } from "../run/asl.js";
import { loadEngine, loadLocalHandlers } from "../run/engine.js";
import { runError } from "../run/errors.js";
import { parseInput } from "../run/input.js";
import { importModule } from "../run/modules.js";
import { runSession } from "../run/session.js";
import { createRun, newRunId, type RunMeta, type RunOptions } from "../run/store.js";
import { compileOptions, load, type PipelineFlags, parseQueryLanguage, printWarnings } from "./shared.js";

interface RunFlags extends PipelineFlags {
  readonly asl?: string;
  readonly input?: string;
  readonly handler: string[];
  readonly fastWaits?: boolean;
  readonly docker?: "auto" | "never";
  readonly concurrency?: number;
}

export function runCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  program
    .command("run")
    .description("run a pipeline (or any ASL state machine with --asl) locally with the embedded engine")
    .argument("[pipeline]", "pipeline file (.ts, .js, .mjs or .json)")
    .option("--asl <statemachine>", "run an ASL state machine file instead of a pipeline (with --handler)")
    .option("--input <json>", "execution input: inline JSON or @file.json", undefined)
    .option("--handler <state=module>", "module whose default export runs Task state <state> (--asl)", collect, [])
    .option("--fast-waits", "Wait states and retry back-offs end at once (virtual clock)")
    .option("--query-language <language>", "jsonpath (default) or jsonata", parseQueryLanguage)
    .option("--pipeline <name>", "the pipeline to run when the file exports several")
    .addOption(
      new Option("--docker <mode>", "run Batch steps in Docker when it answers, or never").choices(["auto", "never"]),
    )
    .option("--concurrency <n>", "most task handlers running at once", positiveInteger)
    .option("--json", "print one JSON history event per line, then the result")
    .action(async (file: string | undefined, flags: RunFlags) => {
      ctx.json = flags.json === true;
      done(await run(file, flags, ctx));
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("Expected a positive integer.");
  return n;
}

async function run(file: string | undefined, flags: RunFlags, ctx: CommandContext): Promise<number> {
  const { cwd } = ctx.io;
  if ((file === undefined) === (flags.asl === undefined)) {
    throw await runError(
      "SL_RUN_USAGE",
      file === undefined
        ? "Give a pipeline file or --asl <statemachine.json>."
        : "Give a pipeline file or --asl, not both.",
      "e.g. `stepline run pipeline.ts --input @input.json`, or `stepline run --asl machine.json --handler Task=./task.mjs`.",
    );
  }
  if (flags.asl === undefined && flags.handler.length > 0) {
    throw await runError(
      "SL_RUN_USAGE",
      "--handler applies to --asl runs only.",
      "Pipelines name their local handlers in the step's `local` option.",
    );
  }
  const input = await parseInput(flags.input, cwd);
  const options: RunOptions = {
    fastWaits: flags.fastWaits === true,
    ...(flags.docker === undefined ? {} : { docker: flags.docker }),
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
  };
  const engine = await loadEngine();
  if (flags.asl !== undefined) {
    const aslFile = resolve(cwd, flags.asl);
    const definition = await readDefinition(aslFile, cwd);
    await checkDefinition(definition, displayPath(aslFile, cwd), engine.check);
    const handlers = await parseHandlerFlags(flags.handler, cwd);
    await checkHandlers(definition, handlers);
    const name = aslFile.replace(/^.*[\\/]/, "").replace(/(\.asl)?\.json$/i, "");
    const loaded = await aslHandlers(handlers, cwd);
    const meta = newMeta("asl", name, aslFile, input, { ...options, handlers });
    const dir = createRun(cwd, meta, { "statemachine.asl.json": definition });
    return runSession(
      { engine, dir, meta, definition, handlers: async () => loaded, kind: "run", json: ctx.json },
      ctx,
    );
  }

  const loaded = await load(file as string, flags, ctx);
  const { compile } = await import("@stepline/core");
  const result = compile(loaded.model, await compileOptions(loaded, flags));
  await printWarnings(result.report.warnings, ctx);
  const definition = result.stateMachine as StateMachineJson;
  const meta: RunMeta = {
    ...newMeta("pipeline", loaded.model.name, loaded.file, input, options),
    manifest: "manifest.json",
    model: "model.json",
  };
  const localHandlers = await loadLocalHandlers();
  const dir = createRun(cwd, meta, {
    "statemachine.asl.json": definition,
    "manifest.json": result.manifest,
    "model.json": loaded.model,
  });
  return runSession(
    {
      engine,
      dir,
      meta,
      definition,
      kind: "run",
      json: ctx.json,
      handlers: () =>
        localHandlers({
          model: loaded.model,
          manifest: result.manifest,
          pipelineDir: dirname(loaded.file),
          runDir: dir,
          env: ctx.io.env,
          ...(options.docker === undefined ? {} : { docker: options.docker }),
          importModule: (path) => importModule(path, cwd),
        }),
    },
    ctx,
  );
}

function newMeta(kind: RunMeta["kind"], pipeline: string, file: string, input: unknown, options: RunOptions): RunMeta {
  const started = new Date();
  return {
    version: 1,
    id: newRunId(pipeline, started),
    kind,
    pipeline,
    file,
    definition: "statemachine.asl.json",
    input,
    started: started.toISOString(),
    status: "RUNNING",
    pid: process.pid,
    options,
    sessions: [],
  };
}

/** Invalid ASL is a user error naming each state and reason (core's `checkDefinition`). */
async function checkDefinition(
  definition: StateMachineJson,
  shown: string,
  check: (definition: unknown) => Promise<readonly Problem[]>,
): Promise<void> {
  const problems = (await check(definition)).filter((p) => p.severity === "error");
  if (problems.length === 0) return;
  const { SteplineError } = await import("@stepline/core");
  throw new SteplineError(problems.map((p) => (p.file === undefined ? { ...p, file: shown } : p)));
}
