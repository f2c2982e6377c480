import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CompileResult, compile, type PipelineModel, type QueryLanguage } from "@stepline/core";
import { integrations } from "@stepline/runners";
import { expect } from "vitest";
import { stackFrame, stepline } from "../cli/run.js";
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
