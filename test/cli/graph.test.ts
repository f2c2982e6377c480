import { describe, expect, it } from "vitest";
import { stepline } from "./run.js";

const etl = "test/fixtures/etl/pipeline.ts";

describe("stepline graph", () => {
  it("prints a Mermaid flowchart by default", () => {
    const run = stepline(["graph", etl]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("flowchart TD");
    expect(run.stdout).toContain('subgraph s_transform["transform (map)"]');
    expect(run.stdout).toContain('s_clean["clean (batch)"]');
    expect(run.stdout).toContain('subgraph b_s_publish_then["then"]');
    expect(run.stdout).toContain("-. added wait .->");
    expect(run.stdout).toContain("s_report --> s_publish");
  });

  it("prints Graphviz DOT with --format dot", () => {
    const run = stepline(["graph", etl, "--format", "dot"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^digraph "nightly-etl" \{/);
    expect(run.stdout).toContain('subgraph "cluster_transform"');
    expect(run.stdout).toContain('[style=dashed, label="added wait"]');
    expect(run.stdout.trimEnd().endsWith("}")).toBe(true);
  });

  it("rejects an unknown format as a usage error", () => {
    const run = stepline(["graph", etl, "--format", "png"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("png");
  });
});
