import type {
  Clock,
  ExecuteOptions,
  ExecutionResult,
  HandlerRegistration,
  HistoryEvent,
  JournalRecord,
  StateJson,
} from "@stepline/core";

/**
 * A tiny stand-in for core's engine (sequential Task/Pass/Wait/Succeed/Fail,
 * Retry on MaxAttempts, journal and replay) so the CLI's run commands can be
 * tested in-process while the real engine is being written.
 */
export async function fakeExecute(options: ExecuteOptions): Promise<ExecutionResult> {
  const { definition, journal, signal } = options;
  const replay = options.replay ?? [];
  const start = replay.find((r) => r.kind === "start");
  const startTime = start?.kind === "start" ? start.startTime : new Date().toISOString();
  const executionName = options.executionName ?? "fake";
  if (start === undefined) {
    await journal?.append({
      kind: "start",
      executionName,
      stateMachineName: options.stateMachineName ?? "local",
      startTime,
      input: options.input,
    });
  }
  const done = new Map<string, unknown>();
  for (const r of replay) if (r.kind === "task") done.set(r.key, r.output);
  let id = 0;
  const emit = async (type: string, details: Record<string, unknown> = {}) => {
    id++;
    const event: HistoryEvent = { id, previousEventId: id - 1, timestamp: new Date().toISOString(), type, ...details };
    options.observer?.(event);
    await journal?.append({ kind: "event", event });
  };
  const finish = async (result: Omit<ExecutionResult, "executionName" | "startTime" | "stopTime" | "transitions">) => {
    await journal?.append({ kind: "end", ...result });
    return { ...result, executionName, startTime, stopTime: new Date().toISOString(), transitions: id };
  };
  await emit("ExecutionStarted");
  let name: string | undefined = definition.StartAt;
  let data: unknown = options.input;
  const visits = new Map<string, number>();
  while (name !== undefined) {
    if (signal?.aborted) return finish({ status: "ABORTED" });
    const state = definition.States[name] as StateJson;
    const visit = (visits.get(name) ?? 0) + 1;
    visits.set(name, visit);
    const key = `${name}#${visit}`;
    await emit(`${state.Type}StateEntered`, { stateEnteredEventDetails: { name } });
    if (state.Type === "Fail") {
      return finish({
        status: "FAILED",
        error: String(state.Error ?? "States.Fail"),
        cause: String(state.Cause ?? ""),
      });
    }
    if (state.Type === "Task") {
      if (done.has(key)) {
        data = done.get(key);
      } else {
        const handler = find(options.handlers ?? [], String(state.Resource));
        const max = Number((state.Retry as { MaxAttempts?: number }[] | undefined)?.[0]?.MaxAttempts ?? 0);
        for (let attempt = 0; ; attempt++) {
          try {
            if (handler === undefined) throw Object.assign(new Error("no handler"), { name: "States.Runtime" });
            data = await handler(data, {
              stateName: name,
              resource: String(state.Resource),
              context: { Execution: { Name: executionName, StartTime: startTime }, State: { Name: name } },
              stateInput: data,
              attempt,
              key,
              signal: signal ?? new AbortController().signal,
              heartbeat: () => undefined,
              log: () => undefined,
            });
            await journal?.append({ kind: "task", key, stateName: name, output: data });
            break;
          } catch (error) {
            if (signal?.aborted) return finish({ status: "ABORTED" });
            const e = error as Error & { error?: string; cause?: string };
            const failure = { error: e.error ?? e.name, cause: typeof e.cause === "string" ? e.cause : e.message };
            await emit("TaskFailed", { taskFailedEventDetails: failure });
            if (attempt >= max) return finish({ status: "FAILED", ...failure });
          }
        }
      }
    }
    if (state.Type === "Wait") await (options.clock ?? realClock()).sleep(Number(state.Seconds ?? 0) * 1000, signal);
    await emit(`${state.Type}StateExited`, { stateExitedEventDetails: { name } });
    if (state.Type === "Succeed" || state.End === true) break;
    name = state.Next;
  }
  await emit("ExecutionSucceeded");
  return finish({ status: "SUCCEEDED", output: data });
}

function find(handlers: readonly HandlerRegistration[], resource: string) {
  return handlers.find((h) =>
    typeof h.resource === "string"
      ? new RegExp(`^${h.resource.split("*").map(escapeRegExp).join(".*")}$`).test(resource)
      : h.resource.test(resource),
  )?.handler;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function virtualClock(): Clock {
  let now = Date.now();
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

export function realClock(): Clock {
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
  };
}

/** Rejects a definition without StartAt or with a Next that goes nowhere. */
export function checkDefinition(definition: unknown) {
  const d = definition as { StartAt?: string; States?: Record<string, { Next?: string }> };
  const problems: { code: string; severity: "error"; message: string; fix: string; step?: string }[] = [];
  for (const [name, state] of Object.entries(d.States ?? {})) {
    if (state.Next !== undefined && d.States?.[state.Next] === undefined) {
      problems.push({
        code: "SL_ASL_NEXT",
        severity: "error",
        message: `State '${name}' goes to '${state.Next}', which does not exist.`,
        fix: "Name an existing state.",
        step: name,
      });
    }
  }
  return problems;
}

export type { JournalRecord };
