import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { root, stepline } from "./run.js";

// Inside test/fixtures so the pipeline's bare imports resolve through test/node_modules.
const dir = mkdtempSync(join(root, "test", "fixtures", "tmp-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

function pipelineSource(): string {
  return [
    'import { lambda, pipeline } from "@stepline/dsl";',
    'import { functionName } from "./helpers.ts";',
    "",
    "export default pipeline({",
    '  name: "cached",',
    '  steps: () => [lambda("call", { functionName })],',
    "});",
    "",
  ].join("\n");
}

describe("the transpile cache", () => {
  it("reuses the cached module while sources are unchanged and rebuilds when a helper changes", () => {
    write("pipeline.ts", pipelineSource());
    write("helpers.ts", 'export const functionName: string = "first-function";\n');
    const first = stepline(["compile", join(dir, "pipeline.ts")]);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("first-function");
    const cacheDir = join(dir, ".stepline", "cache");
    expect(existsSync(join(cacheDir, ".gitignore"))).toBe(true);
    const modules = () => readdirSync(cacheDir).filter((f) => f.endsWith(".mjs"));
    expect(modules()).toHaveLength(1);

    expect(stepline(["compile", join(dir, "pipeline.ts")]).stdout).toBe(first.stdout);
    expect(modules()).toHaveLength(1);

    write("helpers.ts", 'export const functionName: string = "second-function";\n');
    const second = stepline(["compile", join(dir, "pipeline.ts")]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("second-function");
    // The stale module is removed, so the cache does not grow with every edit.
    expect(modules()).toHaveLength(1);
  });
});
