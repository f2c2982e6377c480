import { describe, expect, it } from "vitest";
import type { StateMachineJson } from "../asl/types.js";
import { virtualClock } from "./clock.js";
import { execute } from "./execute.js";
import { matchesError } from "./failure.js";
import { retryDelayMs } from "./retry.js";
import { type Clock, type ExecuteOptions, TaskFailure, type TaskHandler } from "./types.js";

const T0 = Date.parse("2026-11-25T10:00:00.000Z");

function task(extra: Record<string, unknown>, rest: Record<string, unknown> = {}): StateMachineJson {
  return {
    StartAt: "T",
    States: { T: { Type: "Task", Resource: "r", End: true, ...extra }, ...rest },
  } as StateMachineJson;
}

async function run(
  definition: StateMachineJson,
  handler: TaskHandler,
  input: unknown = {},
  extra: Partial<ExecuteOptions> = {},
) {
  const clock: Clock = extra.clock ?? virtualClock(T0);
  const result = await execute({ definition, input, clock, handlers: [{ resource: "r", handler }], ...extra });
  return { result, clock };
}

/** A handler failing `failures` times with `error`, recording the (virtual) time of each attempt. */
function flaky(clock: () => Clock, failures: number, error = "Boom") {
  const times: number[] = [];
  const handler: TaskHandler = async (_input, ctx) => {
    times.push(clock().now() - T0);
    if (ctx.attempt < failures) throw new TaskFailure(error, `attempt ${ctx.attempt}`);
    return "ok";
  };
  return { times, handler };
}

describe("Retry", () => {
  it("backs off with BackoffRate, capped by MaxDelaySeconds (JitterStrategy NONE)", async () => {
    const clock = virtualClock(T0);
    const { times, handler } = flaky(() => clock, 4);
    const retry = [
      {
        ErrorEquals: ["Boom"],
        IntervalSeconds: 2,
        BackoffRate: 3,
        MaxDelaySeconds: 10,
        MaxAttempts: 4,
        JitterStrategy: "NONE",
      },
    ];
    const { result } = await run(task({ Retry: retry }), handler, {}, { clock });
    expect(result.status).toBe("SUCCEEDED");
    expect(times).toStrictEqual([0, 2000, 8000, 18000, 28000]);
  });

  it("uses the defaults: 1 s, ×2, 3 attempts", async () => {
    const clock = virtualClock(T0);
    const { times, handler } = flaky(() => clock, 10);
    const { result } = await run(task({ Retry: [{ ErrorEquals: ["States.ALL"] }] }), handler, {}, { clock });
    expect(result).toMatchObject({ status: "FAILED", error: "Boom", cause: "attempt 3" });
    expect(times).toStrictEqual([0, 1000, 3000, 7000]);
  });

  it("MaxAttempts 0 never retries; the first matching retrier wins and counts its own attempts", async () => {
    const clock = virtualClock(T0);
    const never = flaky(() => clock, 10);
    await run(
      task({ Retry: [{ ErrorEquals: ["Boom"], MaxAttempts: 0 }, { ErrorEquals: ["States.ALL"] }] }),
      never.handler,
      {},
      { clock },
    );
    expect(never.times).toStrictEqual([0]);

    const errors = ["A", "B", "A", "B", "A"];
    let i = 0;
    const { result } = await run(
      task({
        Retry: [
          { ErrorEquals: ["A"], MaxAttempts: 2, IntervalSeconds: 1, BackoffRate: 1 },
          { ErrorEquals: ["B"], MaxAttempts: 2, IntervalSeconds: 1, BackoffRate: 1 },
        ],
      }),
      async () => {
        const e = errors[i++];
        if (e) throw new TaskFailure(e, "");
        return "done";
      },
    );
    // A, B, A, B retried (2 each); the third A exhausts its retrier.
    expect(result).toMatchObject({ status: "FAILED", error: "A" });
    expect(i).toBe(5);
  });

  it("computes delays with full jitter as a draw below the backoff", () => {
    const r = { ErrorEquals: ["X"], IntervalSeconds: 4, BackoffRate: 2, JitterStrategy: "FULL" as const };
    expect(retryDelayMs(r, 2, () => 0.5)).toBe(8000);
    expect(retryDelayMs({ ...r, JitterStrategy: "NONE" }, 2)).toBe(16000);
    expect(retryDelayMs({ ...r, MaxDelaySeconds: 5 }, 2, () => 0.5)).toBe(2500);
  });
});

describe("error matching", () => {
  it("follows AWS rules for States.ALL and States.TaskFailed", () => {
    expect(matchesError(["States.ALL"], "Anything")).toBe(true);
    expect(matchesError(["States.ALL"], "States.Runtime")).toBe(false);
    expect(matchesError(["States.ALL"], "States.DataLimitExceeded")).toBe(false);
    expect(matchesError(["States.Runtime"], "States.Runtime")).toBe(false);
    expect(matchesError(["States.TaskFailed"], "Custom.Error")).toBe(true);
    expect(matchesError(["States.TaskFailed"], "States.Timeout")).toBe(false);
    expect(matchesError(["States.Timeout"], "States.Timeout")).toBe(true);
    expect(matchesError(["A", "B"], "C")).toBe(false);
  });
});

describe("Catch", () => {
  const rest = { Handle: { Type: "Pass", End: true } };

  it("puts the error output at ResultPath and goes to Next", async () => {
    const { result } = await run(
      task(
        {
          Catch: [
            { ErrorEquals: ["Other"], Next: "Handle" },
            { ErrorEquals: ["Boom"], ResultPath: "$.err", Next: "Handle" },
          ],
        },
        rest,
      ),
      async () => Promise.reject(new TaskFailure("Boom", "why")),
      { a: 1 },
    );
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { a: 1, err: { Error: "Boom", Cause: "why" } } });
  });

  it("does not catch States.Runtime with States.ALL", async () => {
    const { result } = await run(
      task({ Parameters: { "x.$": "$.missing" }, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handle" }] }, rest),
      async () => "never",
    );
    expect(result).toMatchObject({ status: "FAILED", error: "States.Runtime" });
  });

  it("retries before catching, and catches States.Timeout only by name or States.ALL", async () => {
    const clock = virtualClock(T0);
    const slow: TaskHandler = async () => {
      await clock.sleep(5000);
      return "late";
    };
    const viaTaskFailed = await run(
      task({ TimeoutSeconds: 2, Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "Handle" }] }, rest),
      slow,
      {},
      { clock },
    );
    expect(viaTaskFailed.result).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    const viaAll = await run(
      task({ TimeoutSeconds: 2, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handle" }] }, rest),
      slow,
      {},
      { clock },
    );
    expect(viaAll.result).toMatchObject({ status: "SUCCEEDED", output: { Error: "States.Timeout" } });
  });

  it("JSONata Catch: Output from $states.errorOutput and Assign", async () => {
    const { result } = await run(
      {
        QueryLanguage: "JSONata",
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: "r",
            Catch: [
              {
                ErrorEquals: ["States.ALL"],
                Output: "{% $states.errorOutput.Error %}",
                Assign: { why: "{% $states.errorOutput.Cause %}" },
                Next: "H",
              },
            ],
            End: true,
          },
          H: { Type: "Pass", Output: "{% $states.input & ':' & $why %}", End: true },
        },
      },
      async () => Promise.reject(new TaskFailure("E", "c")),
    );
    expect(result).toMatchObject({ status: "SUCCEEDED", output: "E:c" });
  });
});

describe("timeouts", () => {
  it("a real-time TimeoutSeconds aborts the handler's signal (States.Timeout)", async () => {
    let aborted = false;
    const { result } = await run(task({ TimeoutSeconds: 0.05 }), (_i, ctx) => {
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener("abort", () => {
          aborted = true;
          reject(new Error("aborted"));
        });
      });
    });
    expect(result).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(aborted).toBe(true);
  });

  it("HeartbeatSeconds fails States.HeartbeatTimeout unless heartbeats arrive", async () => {
    const beating = await run(task({ HeartbeatSeconds: 0.06 }), async (_i, ctx) => {
      // Taken off the context, as handlers do: it must not depend on `this`.
      const { heartbeat, signal } = ctx;
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 25));
        heartbeat();
      }
      return signal.aborted ? "aborted" : "alive";
    });
    expect(beating.result).toMatchObject({ status: "SUCCEEDED", output: "alive" });
    const silent = await run(
      task({ HeartbeatSeconds: 0.03 }),
      () => new Promise((r) => setTimeout(() => r("late"), 200)),
    );
    expect(silent.result).toMatchObject({ status: "FAILED", error: "States.HeartbeatTimeout" });
  });

  it("a handler's context shows only itself: serialisable, spreadable but for signal", async () => {
    const { result } = await run(
      task({ TimeoutSeconds: 30, HeartbeatSeconds: 10 }),
      async (_i, ctx) => {
        const spread = { ...ctx };
        return {
          json: JSON.parse(JSON.stringify(ctx)),
          spread: Object.keys(spread).sort(),
          callable: typeof spread.log === "function" && typeof spread.heartbeat === "function",
          aborted: ctx.signal.aborted,
        };
      },
      { x: 1 },
    );
    expect(result.output).toEqual({
      json: {
        stateName: "T",
        resource: "r",
        context: expect.objectContaining({ State: expect.objectContaining({ Name: "T", RetryCount: 0 }) }),
        stateInput: { x: 1 },
        attempt: 0,
        key: "T#0",
      },
      spread: ["attempt", "context", "heartbeat", "key", "log", "resource", "stateInput", "stateName"],
      callable: true,
      aborted: false,
    });
  });

  it("the machine's TimeoutSeconds gives TIMED_OUT", async () => {
    const result = await execute({
      definition: { TimeoutSeconds: 30, StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, End: true } } },
      clock: virtualClock(T0),
    });
    expect(result).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
  });

  it("an abort signal gives ABORTED", async () => {
    const controller = new AbortController();
    const pending = execute({
      definition: { StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, End: true } } },
      signal: controller.signal,
    });
    setTimeout(() => controller.abort("user"), 10);
    expect(await pending).toMatchObject({ status: "ABORTED", cause: "user" });
  });
});
