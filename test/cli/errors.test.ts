import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stackFrame, stepline } from "./run.js";

// Broken sources are written at test time so the repository's own type check never sees them.
const dir = mkdtempSync(join(tmpdir(), "stepline-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function source(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("stepline errors", () => {
  it("reports a syntax error at file:line:column with esbuild's message, exit 2", () => {
    const file = source("bad.ts", 'const a = 1;\n\nexport default { kind: "stepline.pipeline" as const, name: };\n');
    const run = stepline(["compile", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_LOAD_SYNTAX");
    expect(run.stderr).toContain(`${file}:3:`);
    expect(run.stderr).toContain("Unexpected");
    expect(run.stderr).not.toContain(stackFrame);
  });

  it("reports a module that throws while loading at the user's line, exit 2", () => {
    const run = stepline(["compile", "test/fixtures/etl/throws.ts"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_LOAD_EVAL");
    expect(run.stderr).toContain("STEPLINE_FIXTURE_TABLE is not set");
    expect(run.stderr).toContain("test/fixtures/etl/throws.ts:4:");
    expect(run.stderr).not.toContain(stackFrame);
    expect(run.stderr).not.toContain(".stepline/cache");
  });

  it("reports a problem the DSL raised while declaring the pipeline, with the file", () => {
    const run = stepline(["validate", "test/fixtures/etl/dsl-error.ts"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_DSL_OPTION_CONFLICT");
    expect(run.stderr).toContain("test/fixtures/etl/dsl-error.ts:");
    expect(run.stderr).not.toContain(stackFrame);
  });

  it("exits 1 for a failure (not a user mistake), still without a stack", () => {
    const run = stepline(["compile", "test/fixtures/etl/fails.mjs"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("SL_FIXTURE_FAILURE");
    expect(run.stderr).not.toContain(stackFrame);
  });

  it("shows the stack only with STEPLINE_DEBUG=1", () => {
    const run = stepline(["compile", "test/fixtures/etl/throws.ts"], { STEPLINE_DEBUG: "1" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("caused by: Error: STEPLINE_FIXTURE_TABLE is not set");
    expect(run.stderr).toContain(stackFrame);
  });

  it("reports a file that exports no pipeline, exit 2", () => {
    const run = stepline(["compile", "test/fixtures/etl/nothing.ts"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_LOAD_NO_PIPELINE");
    expect(run.stderr).toContain("export default pipeline(");
  });

  it("reports a missing file, exit 2", () => {
    const run = stepline(["validate", "test/fixtures/missing.ts"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_LOAD_NOT_FOUND");
    expect(run.stderr).not.toContain(stackFrame);
  });

  it("reports invalid JSON at line:column", () => {
    const file = source("broken.json", '{\n  "kind": "stepline.pipeline",\n  "version": 1,,\n}\n');
    const run = stepline(["compile", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_LOAD_JSON");
    expect(run.stderr).toContain(`${file}:3:`);
  });

  it("reports a relative import that does not exist at its line", () => {
    const file = source("relative.ts", 'export const a = 1;\nimport { b } from "./nowhere.js";\nexport default b;\n');
    const run = stepline(["compile", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_LOAD_IMPORT");
    expect(run.stderr).toContain(`${file}:2:`);
    expect(run.stderr).toContain("./nowhere.js");
  });

  it("reports an uninstalled package with how to install it", () => {
    const file = source("imports.ts", 'import { x } from "left-pad-that-does-not-exist";\nexport default x;\n');
    const run = stepline(["compile", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("SL_LOAD_IMPORT");
    expect(run.stderr).toContain("pnpm add left-pad-that-does-not-exist");
  });

  it("exits 2 on usage errors with commander's message", () => {
    const unknownOption = stepline(["compile", "test/fixtures/model.json", "--frobnicate"]);
    expect(unknownOption.status).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--frobnicate'");
    const unknownCommand = stepline(["compiel"]);
    expect(unknownCommand.status).toBe(2);
    expect(unknownCommand.stderr).toContain("unknown command 'compiel'");
    const missing = stepline(["compile"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'pipeline'");
  });

  it("prints --version and --help, exit 0", () => {
    const version = stepline(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = stepline(["--help"]);
    expect(help.status).toBe(0);
    for (const command of ["compile", "validate", "graph", "--no-color"]) expect(help.stdout).toContain(command);
  });

  it("never colours output that is not a terminal", () => {
    const run = stepline(["validate", "test/fixtures/invalid.json"], { NO_COLOR: "", FORCE_COLOR: "1" });
    expect(run.stdout).not.toContain("\u001b[");
  });
});
