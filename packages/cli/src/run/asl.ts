import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { HandlerRegistration, StateMachineJson } from "@stepline/core";
import { displayPath } from "../load/display.js";
import { runError } from "./errors.js";
import { importModule } from "./modules.js";

/** `--handler <State>=<module>`, repeatable: state name → absolute module path. */
export async function parseHandlerFlags(flags: readonly string[], cwd: string): Promise<Record<string, string>> {
  const handlers: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.lastIndexOf("=");
    if (at <= 0 || at === flag.length - 1) {
      throw await runError(
        "SL_RUN_HANDLER_FLAG",
        `--handler '${flag}' is not <State>=<module>.`,
        "Write e.g. --handler 'Extract=./handlers/extract.mjs' (one flag per Task state).",
      );
    }
    handlers[flag.slice(0, at)] = resolve(cwd, flag.slice(at + 1));
  }
  return handlers;
}

/** Reads an ASL file; invalid JSON is a user error with its position. */
export async function readDefinition(file: string, cwd: string): Promise<StateMachineJson> {
  const shown = displayPath(file, cwd);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw await runError(
      "SL_RUN_ASL_NOT_FOUND",
      `Cannot read the state machine ${shown}: ${(error as Error).message}`,
      "Check the path; it is relative to the current directory.",
    );
  }
  try {
    return JSON.parse(text) as StateMachineJson;
  } catch (error) {
    throw await runError(
      "SL_RUN_ASL_JSON",
      `The state machine is not valid JSON: ${(error as Error).message}`,
      "Fix the JSON syntax (e.g. `stepline compile` writes valid ASL).",
      "user",
      { file: shown },
    );
  }
}

/** Names of every Task state, nested Parallel branches and Map processors included. */
export function taskStates(definition: StateMachineJson): string[] {
  const found: string[] = [];
  const visit = (machine: { States?: Record<string, Record<string, unknown>> } | undefined) => {
    for (const [name, state] of Object.entries(machine?.States ?? {})) {
      if (state.Type === "Task") found.push(name);
      if (Array.isArray(state.Branches)) for (const branch of state.Branches) visit(branch as typeof machine);
      visit((state.ItemProcessor ?? state.Iterator) as typeof machine);
    }
  };
  visit(definition as unknown as { States?: Record<string, Record<string, unknown>> });
  return [...new Set(found)];
}

/**
 * Checks that every Task state has a handler and every handler a Task state,
 * before anything runs.
 */
export async function checkHandlers(definition: StateMachineJson, handlers: Readonly<Record<string, string>>) {
  const tasks = taskStates(definition);
  const missing = tasks.filter((t) => handlers[t] === undefined);
  const { SteplineError, problem } = await import("@stepline/core");
  const problems = missing.map((state) =>
    problem(
      "SL_RUN_NO_HANDLER",
      `Task state '${state}' has no handler.`,
      `Pass --handler '${state}=<module>' (a .js, .mjs or .ts module whose default export is called with (input, context)).`,
      { step: state },
    ),
  );
  for (const state of Object.keys(handlers).filter((s) => !tasks.includes(s))) {
    problems.push(
      problem(
        "SL_RUN_UNKNOWN_STATE",
        `--handler names '${state}', which is not a Task state of this state machine.`,
        tasks.length > 0 ? `Task states: ${tasks.join(", ")}.` : "This state machine has no Task states.",
        { step: state },
      ),
    );
  }
  if (problems.length > 0) throw new SteplineError(problems);
}

type ModuleHandler = (input: unknown, context: Record<string, unknown>) => unknown;

/**
 * One registration for every resource that dispatches on the state name to
 * the module given for it. A thrown error fails the task with its `name` as
 * the ASL error and its `message` as the cause.
 */
export async function aslHandlers(
  handlers: Readonly<Record<string, string>>,
  cwd: string,
): Promise<HandlerRegistration[]> {
  const { TaskFailure } = await import("@stepline/core");
  const loaded = new Map<string, ModuleHandler>();
  for (const [state, file] of Object.entries(handlers)) {
    const module = await importModule(file, cwd);
    const fn = module.default;
    if (typeof fn !== "function") {
      throw await runError(
        "SL_RUN_HANDLER_EXPORT",
        `The handler module of '${state}' (${displayPath(file, cwd)}) has no default export function.`,
        "Export the handler: `export default async function (input, context) { … }`.",
        "user",
        { step: state },
      );
    }
    loaded.set(state, fn as ModuleHandler);
  }
  return [
    {
      resource: /[\s\S]*/,
      handler: async (input, context) => {
        const fn = loaded.get(context.stateName);
        if (fn === undefined) throw new TaskFailure("States.Runtime", `no handler for state '${context.stateName}'`);
        try {
          // `$$` plus the state name; `log` (to the step's log file) is there but not enumerable.
          const moduleContext = { ...context.context, stateName: context.stateName };
          Object.defineProperty(moduleContext, "log", { value: context.log, enumerable: false });
          return await fn(input, moduleContext);
        } catch (error) {
          if (error instanceof TaskFailure) throw error;
          if (error instanceof Error) throw new TaskFailure(error.name, error.message);
          throw new TaskFailure("Error", String(error));
        }
      },
    },
  ];
}
