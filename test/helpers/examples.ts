import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CompileResult, compile, type PipelineModel, type QueryLanguage } from "@stepline/core";
import { integrations } from "@stepline/runners";
import { expect } from "vitest";
import { bin, root, stackFrame, stepline } from "../cli/run.js";
import { expectValidAsl } from "./asl.js";

/** Compiles an example in-process in one query language and checks it with asl-validator. */
export function compileExample(model: PipelineModel, queryLanguage: QueryLanguage = "JSONPath"): CompileResult {
  const result = compile(model, { integrations, queryLanguage });
  expectValidAsl(result.stateMachine);
  return result;
}

/**
 * Runs an example the way a user does: `stepline validate` then
 * `stepline compile --out`, and returns what the CLI wrote.
 */
export function runExampleCli(folder: string): {
  asl: unknown;
  manifest: { pipeline: string; [key: string]: unknown };
} {
  const file = `examples/${folder}/pipeline.ts`;
  const validate = stepline(["validate", file]);
  expect(validate.stderr).not.toContain(stackFrame);
  expect(validate.status).toBe(0);
  const out = mkdtempSync(join(tmpdir(), `stepline-${folder}-`));
  try {
    const run = stepline(["compile", file, "--out", out]);
    expect(run.stderr).not.toContain(stackFrame);
    expect(run.status).toBe(0);
    const name = /compiled (\S+)/.exec(run.stdout)?.[1] ?? "";
    const asl = JSON.parse(readFileSync(join(out, name, "statemachine.asl.json"), "utf8"));
    const manifest = JSON.parse(readFileSync(join(out, name, "manifest.json"), "utf8"));
    expectValidAsl(asl);
    return { asl, manifest };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The example's realistic input file. */
export function exampleInput(folder: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../examples/${folder}/input.json`, import.meta.url), "utf8"));
}

/**
 * Runs an example locally as a user does (`stepline run … --input @input.json --json`),
 * with its data lake in `lake` (a new temporary folder by default); returns the last JSON
 * value printed (the result) and the lake. `cleanup` removes the run's folder under
 * .stepline/runs, and the lake when this call created it.
 */
export function runExampleLocally(
  folder: string,
  sharedLake?: string,
): {
  result: { status: string; output: unknown; error: unknown; cause: unknown; runId?: string };
  lake: string;
  runDir: string | undefined;
  exitCode: number | null;
  cleanup: () => void;
} {
  const ownsLake = sharedLake === undefined;
  const lake = sharedLake ?? mkdtempSync(join(tmpdir(), `stepline-lake-${folder}-`));
  const run = spawnSync(
    process.execPath,
    [bin, "run", `examples/${folder}/pipeline.ts`, "--input", `@examples/${folder}/input.json`, "--json"],
    {
      cwd: root,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: "1", STEPLINE_DEBUG: "", STEPLINE_LAKE: lake },
    },
  );
  if (run.error) throw run.error;
  const detail = `exit ${run.status}\n${run.stderr}\n${run.stdout.slice(-4000)}`;
  expect(run.stderr, detail).not.toContain(stackFrame);
  // One JSON value per line (history events, then the result); a problem report may span lines.
  const values = run.stdout.split("\n").flatMap((line) => {
    try {
      return line.trim().startsWith("{") ? [JSON.parse(line)] : [];
    } catch {
      return [];
    }
  });
  const result = values.at(-1) ?? {};
  expect(result.status, detail).toBeDefined();
  const runDir = typeof result.runId === "string" ? join(root, ".stepline", "runs", result.runId) : undefined;
  return {
    result,
    lake,
    runDir,
    exitCode: run.status,
    cleanup: () => {
      if (ownsLake) rmSync(lake, { recursive: true, force: true });
      if (runDir) rmSync(runDir, { recursive: true, force: true });
    },
  };
}
