import { main } from "@stepline/cli";
import { describe, expect, it } from "vitest";
import { root } from "./run.js";

function capture() {
  const chunks = { stdout: "", stderr: "" };
  const io = {
    stdout: { write: (text: string) => (chunks.stdout += text) },
    stderr: { write: (text: string) => (chunks.stderr += text) },
    env: { NO_COLOR: "1" },
    cwd: root,
  };
  return { io, chunks };
}

describe("main() in-process", () => {
  it("returns the exit code and writes to the given streams", async () => {
    const { io, chunks } = capture();
    expect(await main(["validate", "test/fixtures/model.json", "--json"], io)).toBe(0);
    expect(JSON.parse(chunks.stdout)).toMatchObject({ ok: true, problems: [] });
    expect(chunks.stderr).toBe("");
  });

  it("returns 2 for user mistakes without throwing", async () => {
    const { io, chunks } = capture();
    expect(await main(["compile", "test/fixtures/nope.json"], io)).toBe(2);
    expect(chunks.stderr).toContain("SL_LOAD_NOT_FOUND");
  });

  it("reports an unexpected error as an internal error, exit 1, stack only with STEPLINE_DEBUG=1", async () => {
    for (const debug of ["", "1"]) {
      let stderr = "";
      const io = {
        stdout: {
          write: () => {
            throw new Error("disk full");
          },
        },
        stderr: { write: (text: string) => (stderr += text) },
        env: { NO_COLOR: "1", STEPLINE_DEBUG: debug },
        cwd: root,
      };
      expect(await main(["compile", "test/fixtures/model.json"], io)).toBe(1);
      expect(stderr).toContain("internal error: disk full");
      expect(stderr.includes("    at ")).toBe(debug === "1");
    }
  });

  it("returns 2 for usage errors and 0 for --help", async () => {
    const usage = capture();
    expect(await main(["graph"], usage.io)).toBe(2);
    expect(usage.chunks.stderr).toContain("missing required argument");
    const help = capture();
    expect(await main(["compile", "--help"], help.io)).toBe(0);
    expect(help.chunks.stdout).toContain("--query-language");
  });
});
