import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stackFrame, stepline } from "./run.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("starts its quick start with exactly two commands: install and run the main job, then test", () => {
    const quickStart = readme.slice(readme.indexOf("## Quick start"));
    const block = /```sh\n([\s\S]*?)```/.exec(quickStart)?.[1] ?? "";
    const commands = block.trim().split("\n");
    expect(commands).toHaveLength(2);
    expect(commands[0]).toMatch(/^npx --yes pnpm@12\.4\.2 install && npx --yes pnpm@12\.4\.2 stepline /);
    expect(commands[1]).toBe("npx --yes pnpm@12.4.2 test");
  });

  it("tours the DSL with a pipeline that type-checks (test/fixtures/readme-tour.ts) and compiles", () => {
    const tour = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(tour).toBe(readFileSync(new URL("../fixtures/readme-tour.ts", import.meta.url), "utf8"));
    const run = stepline(["validate", "test/fixtures/readme-tour.ts"]);
    expect(run.stderr).not.toContain(stackFrame);
    expect(run.status).toBe(0);
  });

  it("documents every CLI command the CLI has", () => {
    const help = stepline(["--help"]).stdout;
    const commands = [...help.matchAll(/^ {2}(\w+) \[options\]/gm)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThan(5);
    for (const command of commands) expect(readme).toMatch(new RegExp(`\\| \`stepline ${command}[ \`]`));
  });
});
