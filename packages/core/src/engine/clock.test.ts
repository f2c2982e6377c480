import { describe, expect, it } from "vitest";
import type { StateMachineJson } from "../asl/types.js";
import { virtualClock } from "./clock.js";
import { execute } from "./execute.js";

const T0 = Date.parse("2026-11-25T10:00:00.000Z");

describe("virtualClock", () => {
  it("wakes sleepers in due order and jumps now to each due time", async () => {
    const clock = virtualClock(T0);
    const woke: [string, number][] = [];
    await Promise.all([
      clock.sleep(3000).then(() => woke.push(["c", clock.now() - T0])),
      clock.sleep(1000).then(() => woke.push(["a", clock.now() - T0])),
      clock.sleep(2000).then(() => woke.push(["b", clock.now() - T0])),
    ]);
    expect(woke).toStrictEqual([
      ["a", 1000],
      ["b", 2000],
      ["c", 3000],
    ]);
  });

  it("runs concurrent Waits of Parallel branches in overlapping virtual time", async () => {
    const clock = virtualClock(T0);
    const result = await execute({
      definition: {
        StartAt: "P",
        States: {
          P: {
            Type: "Parallel",
            Branches: [
              { StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, End: true } } },
              { StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, End: true } } },
            ],
            End: true,
          },
        },
      } as StateMachineJson,
      clock,
    });
    expect(result.status).toBe("SUCCEEDED");
    expect(clock.now()).toBe(T0 + 10_000);
  });

  it("rejects an aborted sleep", async () => {
    const clock = virtualClock(T0);
    const controller = new AbortController();
    const pending = clock.sleep(1000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    expect(clock.now()).toBe(T0);
  });
});
