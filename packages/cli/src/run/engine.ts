import type {
  Clock,
  ExecuteOptions,
  ExecutionResult,
  HandlerRegistration,
  PipelineModel,
  Problem,
  StateMachineJson,
} from "@stepline/core";
import { runError } from "./errors.js";

/**
 * The parts of core's engine and of the runners' local handlers that `run`
 * needs, looked up at run time: commands that do not run pipelines never load
 * them, and a build without the engine fails with a clear message.
 */
export interface Engine {
  execute(options: ExecuteOptions): Promise<ExecutionResult>;
  clock(fastWaits: boolean): Clock;
  /** Problems of an ASL document (errors only matter). */
  check(definition: unknown): Promise<readonly Problem[]>;
}

/** What runners' `localHandlers` is given (the contract of packages/runners/src/local/). */
export interface LocalRunContext {
  readonly model: PipelineModel;
  readonly manifest: unknown;
  readonly pipelineDir: string;
  readonly runDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly docker?: "auto" | "never";
  importModule(absPath: string): Promise<Record<string, unknown>>;
}

interface CoreEngineExports {
  execute?: (options: ExecuteOptions) => Promise<ExecutionResult>;
  virtualClock?: (() => Clock) | Clock;
  realClock?: (() => Clock) | Clock;
  checkDefinition?: (definition: unknown) => unknown;
}

export async function loadEngine(): Promise<Engine> {
  const core = (await import("@stepline/core")) as unknown as CoreEngineExports;
  const { execute, checkDefinition } = core;
  if (typeof execute !== "function") throw await missing("@stepline/core", "execute");
  return {
    execute,
    clock: (fastWaits) => {
      const made = fastWaits ? core.virtualClock : core.realClock;
      if (made === undefined) return fastWaits ? instantClock() : realTime;
      return typeof made === "function" ? made() : made;
    },
    check: async (definition) => {
      if (typeof checkDefinition !== "function") return [];
      const { isSteplineError } = await import("@stepline/core");
      try {
        const checked = checkDefinition(definition);
        if (Array.isArray(checked)) return checked as Problem[];
        const problems = (checked as { problems?: unknown } | undefined)?.problems;
        return Array.isArray(problems) ? (problems as Problem[]) : [];
      } catch (error) {
        if (isSteplineError(error)) return error.problems;
        throw error;
      }
    },
  };
}

export async function loadLocalHandlers(): Promise<(ctx: LocalRunContext) => Promise<HandlerRegistration[]>> {
  const runners = (await import("@stepline/runners")) as unknown as {
    localHandlers?: (ctx: LocalRunContext) => Promise<HandlerRegistration[]>;
  };
  if (typeof runners.localHandlers !== "function") throw await missing("@stepline/runners", "localHandlers");
  return runners.localHandlers;
}

async function missing(pkg: string, name: string): Promise<Error> {
  return runError(
    "SL_RUN_ENGINE_MISSING",
    `This build of stepline has no local engine (${pkg} does not export '${name}').`,
    "Rebuild stepline with the local engine (`pnpm run build`), or upgrade it.",
    "failure",
  );
}

const realTime: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepFor(ms, signal),
};

/** Fallback when core has no virtual clock: waits end at once, `now` moves on. */
function instantClock(): Clock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      offset += ms;
    },
  };
}

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export type { StateMachineJson };
