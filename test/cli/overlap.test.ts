import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { root } from "./run.js";
import { exited, startStepline, steplineIn, until } from "./spawn.js";

// A schedule's overlap policy `skip`, honoured by the local engine: the compiled guard asks
// Step Functions' ListExecutions, which `stepline run` answers from the runs under .stepline/runs.
const cwd = mkdtempSync(join(tmpdir(), "stepline-overlap-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const guarded = join(root, "test/fixtures/run/guarded.ts");
const runIdOf = (text: string) => /(\d{8}T\d{6}Z-[\w-]+-[0-9a-f]{4})/.exec(text)?.[1] ?? "";
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1) ?? "null");

function counter(name: string, extra: Record<string, string> = {}) {
  const file = join(cwd, `${name}.txt`);
  writeFileSync(file, "");
  return { input: JSON.stringify({ counter: file, ...extra }), lines: () => readFileSync(file, "utf8") };
}

describe("overlap: skip, locally", () => {
  it("ends a run at once while another run of the pipeline is RUNNING, and not after it stopped", async () => {
    const busy = counter("busy", { slowMs: "20000" });
    const first = startStepline(cwd, ["run", guarded, "--input", busy.input, "--docker", "never"]);
    try {
      await until(() => runIdOf(first.output()) !== "", "the first run's id");
      const id = runIdOf(first.output());
      await until(() => existsSync(join(cwd, ".stepline", "runs", id, "logs", "second")), "step 'second' to start");

      const skipped = counter("skipped");
      const second = steplineIn(cwd, ["run", guarded, "--input", skipped.input, "--docker", "never", "--json"]);
      expect(second.status).toBe(0);
      expect(lastJson(second.stdout)).toMatchObject({
        status: "SUCCEEDED",
        output: { skipped: "another run of guarded is RUNNING (overlap: skip)", running: 1 },
      });
      expect(skipped.lines()).toBe("");
    } finally {
      // Killed without a chance to record its end: its meta still says RUNNING, its process is gone.
      first.kill("SIGKILL");
      await exited(first);
    }

    const after = counter("after");
    const third = steplineIn(cwd, ["run", guarded, "--input", after.input, "--docker", "never", "--json"]);
    expect(lastJson(third.stdout)).toMatchObject({ status: "SUCCEEDED" });
    expect(after.lines()).toBe("first\nsecond\n");
  });
});
