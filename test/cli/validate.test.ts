import { describe, expect, it } from "vitest";
import { stackFrame, stepline } from "./run.js";

describe("stepline validate", () => {
  it("lists every problem of an invalid pipeline and exits 2", () => {
    const run = stepline(["validate", "test/fixtures/invalid.json"]);
    expect(run.status).toBe(2);
    for (const code of ["SL_NAME_INVALID", "SL_TIMEOUT_INVALID", "SL_RETRY_ATTEMPTS"]) {
      expect(run.stdout).toContain(code);
    }
    expect(run.stdout).toContain("test/fixtures/invalid.json");
    expect(run.stdout).toMatch(/\d+ errors/);
    expect(run.stderr).not.toContain(stackFrame);
  });

  it("prints { ok, problems } with --json", () => {
    const run = stepline(["validate", "test/fixtures/invalid.json", "--json"]);
    expect(run.status).toBe(2);
    const result = JSON.parse(run.stdout) as {
      ok: boolean;
      problems: { code: string; severity: string; fix: string }[];
    };
    expect(result.ok).toBe(false);
    expect(result.problems.length).toBeGreaterThanOrEqual(3);
    for (const p of result.problems) expect(p.fix.length).toBeGreaterThan(0);
  });

  it("exits 0 for a valid pipeline", () => {
    const run = stepline(["validate", "test/fixtures/etl/pipeline.ts"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("is valid");
    expect(JSON.parse(stepline(["validate", "test/fixtures/model.json", "--json"]).stdout).ok).toBe(true);
  });

  it("reports load errors as JSON too with --json", () => {
    const run = stepline(["validate", "test/fixtures/etl/nothing.ts", "--json"]);
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, problems: [{ code: "SL_LOAD_NO_PIPELINE" }] });
  });
});
