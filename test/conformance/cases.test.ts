import { describe, expect, it } from "vitest";
import { allCases } from "./index.js";
import { disagreement, runOnEngine } from "./run.js";

describe("fidelity suite on stepline's engine", () => {
  it("has at least 170 uniquely named cases", () => {
    expect(allCases.length).toBeGreaterThanOrEqual(170);
    expect(new Set(allCases.map((c) => c.name)).size).toBe(allCases.length);
  });

  it.each(allCases.map((c, i) => [c.name, c, i] as const))("%s", async (_name, c, i) => {
    const names = { executionName: `exec-${i}`, stateMachineName: "conformance" };
    const { outcome, elapsedSeconds } = await runOnEngine(c, names);
    expect(disagreement(outcome, c.expected, names)).toBeUndefined();
    if (c.elapsedSeconds !== undefined) expect(elapsedSeconds).toBe(c.elapsedSeconds);
  });
});
