import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectValidAsl } from "../helpers/asl.js";
import { stackFrame, stepline } from "./run.js";

const etl = "test/fixtures/etl/pipeline.ts";
const out = mkdtempSync(join(tmpdir(), "stepline-compile-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("stepline compile", () => {
  it("prints the ASL of a TypeScript pipeline that imports a local helper", () => {
    const run = stepline(["compile", etl]);
    expect(run.stderr).not.toContain(stackFrame);
    expect(run.status).toBe(0);
    // Warnings go to stderr, so stdout stays pure ASL.
    expect(run.stderr).toContain("warning SL_FANOUT_UNBOUNDED");
    const asl = JSON.parse(run.stdout) as { StartAt: string; States: Record<string, unknown>; QueryLanguage?: string };
    expectValidAsl(asl);
    expect(typeof asl.StartAt).toBe("string");
    expect(Object.keys(asl.States).length).toBeGreaterThan(0);
    expect(asl.QueryLanguage ?? "JSONPath").toBe("JSONPath");
    expect(run.stdout).toBe(`${JSON.stringify(asl, null, 2)}\n`);
  });

  it("prints the same bytes on every run (warm cache included)", () => {
    expect(stepline(["compile", etl]).stdout).toBe(stepline(["compile", etl]).stdout);
  });

  it("compiles to JSONata with --query-language jsonata", () => {
    const run = stepline(["compile", etl, "--query-language", "jsonata"]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).QueryLanguage).toBe("JSONata");
    expectValidAsl(JSON.parse(run.stdout));
  });

  it("rejects an unknown query language as a usage error", () => {
    const run = stepline(["compile", etl, "--query-language", "xpath"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("jsonpath or jsonata");
  });

  it("writes statemachine.asl.json and manifest.json with --out and prints a summary", () => {
    const run = stepline(["compile", etl, "--out", out]);
    expect(run.status).toBe(0);
    const dir = join(out, "nightly-etl");
    const asl = JSON.parse(readFileSync(join(dir, "statemachine.asl.json"), "utf8"));
    expectValidAsl(asl);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(asl.States).toBeDefined();
    expect(manifest.pipeline).toBe("nightly-etl");
    expect(manifest.report.addedWaits.length).toBeGreaterThan(0);
    expect(run.stdout).toContain("statemachine.asl.json");
    expect(run.stdout).toMatch(/\d+ states/);
    expect(run.stdout).toMatch(/\d+ IAM actions/);
    expect(run.stdout).toMatch(/also waits for/);
  });

  it("prints a machine summary with --out --json", () => {
    const run = stepline(["compile", etl, "--out", out, "--json"]);
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ ok: true, pipeline: "nightly-etl", queryLanguage: "JSONPath" });
    expect(summary.files.stateMachine).toMatch(/nightly-etl\/statemachine\.asl\.json$/);
    expect(summary.addedWaits[0]).toMatch(/^\S+ also waits for \S+$/);
    expect(summary.definitionBytes).toBeGreaterThan(0);
  });

  it("compiles a JSON pipeline model", () => {
    const run = stepline(["compile", "test/fixtures/model.json"]);
    expect(run.status).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout).States)).toContain("extract");
  });

  it("asks for --pipeline when a file exports several pipelines, and honours it", () => {
    const ambiguous = stepline(["compile", "test/fixtures/etl/multi.ts"]);
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toContain("SL_LOAD_AMBIGUOUS_PIPELINE");
    expect(ambiguous.stderr).toContain("--pipeline");
    expect(stepline(["compile", "test/fixtures/etl/multi.ts", "--pipeline", "hourly"]).status).toBe(0);
    expect(stepline(["compile", "test/fixtures/etl/multi.ts", "--pipeline", "daily-report"]).status).toBe(0);
    const unknown = stepline(["compile", "test/fixtures/etl/multi.ts", "--pipeline", "weekly"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("SL_LOAD_UNKNOWN_PIPELINE");
  });

  it("reports an invalid pipeline with every problem, exit 2 and no stack", () => {
    const run = stepline(["compile", "test/fixtures/invalid.json"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("SL_NAME_INVALID");
    expect(run.stderr).toContain("SL_TIMEOUT_INVALID");
    expect(run.stderr).not.toContain(stackFrame);
  });
});
