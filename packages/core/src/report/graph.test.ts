import { describe, expect, it } from "vitest";
import type { JobGraph } from "../compile/result.js";
import { renderDot, renderMermaid } from "./graph.js";

/** a → b, a → c, b → d, c → d; d also waits for b is explicit here, e added. */
const flat: JobGraph = {
  nodes: [
    { name: "a", kind: "batch" },
    { name: "b", kind: "glue" },
    { name: "c", kind: "lambda" },
    { name: "d", kind: "batch" },
  ],
  edges: [
    { from: "a", to: "b", kind: "explicit" },
    { from: "a", to: "c", kind: "reference" },
    { from: "c", to: "d", kind: "reference" },
    { from: "b", to: "d", kind: "added" },
  ],
};

/** A fan-out with a two-step body, then a choice with one step per branch. */
const nested: JobGraph = {
  nodes: [
    { name: "list-files", kind: "lambda" },
    { name: "per_file", kind: "map" },
    { name: "convert", kind: "batch", parent: "per_file", branch: "body" },
    { name: "index", kind: "glue", parent: "per_file", branch: "body" },
    { name: "check", kind: "choice" },
    { name: "publish", kind: "lambda", parent: "check", branch: "then" },
    { name: "alert", kind: "lambda", parent: "check", branch: "otherwise" },
  ],
  edges: [
    { from: "list-files", to: "per_file", kind: "reference" },
    { from: "convert", to: "index", kind: "explicit" },
    { from: "per_file", to: "check", kind: "explicit" },
  ],
};

describe("renderMermaid", () => {
  it("draws steps with their kind, solid dependencies and dashed added waits", () => {
    expect(renderMermaid(flat)).toBe(
      [
        "flowchart TD",
        '  s_a["a (batch)"]',
        '  s_b["b (glue)"]',
        '  s_c["c (lambda)"]',
        '  s_d["d (batch)"]',
        "  s_a --> s_b",
        "  s_a --> s_c",
        "  s_c --> s_d",
        "  s_b -. added wait .-> s_d",
        "",
      ].join("\n"),
    );
  });

  it("draws fan-outs and choice branches as subgraphs, with safe ids", () => {
    expect(renderMermaid(nested, { title: "etl", direction: "LR" })).toBe(
      [
        "---",
        'title: "etl"',
        "---",
        "flowchart LR",
        '  s_list_files["list-files (lambda)"]',
        '  subgraph s_per_file["per_file (map)"]',
        '    s_convert["convert (batch)"]',
        '    s_index["index (glue)"]',
        "  end",
        '  subgraph s_check["check (choice)"]',
        '    subgraph b_s_check_then["then"]',
        '      s_publish["publish (lambda)"]',
        "    end",
        '    subgraph b_s_check_otherwise["otherwise"]',
        '      s_alert["alert (lambda)"]',
        "    end",
        "  end",
        "  s_list_files --> s_per_file",
        "  s_convert --> s_index",
        "  s_per_file --> s_check",
        "",
      ].join("\n"),
    );
  });

  it("never maps two step names to one id", () => {
    const names = ["a-b", "a_b", "a_hb", "a__b", "a--b", "end"];
    const graph: JobGraph = { nodes: names.map((name) => ({ name, kind: "batch" as const })), edges: [] };
    const ids = renderMermaid(graph)
      .split("\n")
      .slice(1, -1)
      .map((line) => line.trim().split("[")[0]);
    expect(ids).toStrictEqual(["e_a_hb", "e_a__b", "s_a_hb", "e_a____b", "e_a_h_hb", "s_end"]);
    expect(new Set(ids).size).toBe(names.length);
  });
});

describe("renderDot", () => {
  it("draws steps with their kind, solid dependencies and dashed added waits", () => {
    expect(renderDot(flat)).toBe(
      [
        'digraph "pipeline" {',
        '  label="pipeline";',
        "  labelloc=t;",
        "  compound=true;",
        "  rankdir=TB;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  edge [fontname="Helvetica"];',
        '  "a" [label="a\\nbatch"];',
        '  "b" [label="b\\nglue"];',
        '  "c" [label="c\\nlambda"];',
        '  "d" [label="d\\nbatch"];',
        '  "a" -> "b";',
        '  "a" -> "c";',
        '  "c" -> "d";',
        '  "b" -> "d" [style=dashed, label="added wait"];',
        "}",
        "",
      ].join("\n"),
    );
  });

  it("draws fan-outs and choice branches as clusters and points edges at their borders", () => {
    expect(renderDot(nested, { title: "etl", rankdir: "LR" })).toBe(
      [
        'digraph "etl" {',
        '  label="etl";',
        "  labelloc=t;",
        "  compound=true;",
        "  rankdir=LR;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  edge [fontname="Helvetica"];',
        '  "list-files" [label="list-files\\nlambda"];',
        '  subgraph "cluster_per_file" {',
        '    label="per_file (map)";',
        '    "per_file" [shape=point, style=invis, width=0, height=0, label=""];',
        '    "convert" [label="convert\\nbatch"];',
        '    "index" [label="index\\nglue"];',
        "  }",
        '  subgraph "cluster_check" {',
        '    label="check (choice)";',
        '    "check" [shape=point, style=invis, width=0, height=0, label=""];',
        '    subgraph "cluster_check/then" {',
        '      label="then";',
        "      style=dashed;",
        '      "publish" [label="publish\\nlambda"];',
        "    }",
        '    subgraph "cluster_check/otherwise" {',
        '      label="otherwise";',
        "      style=dashed;",
        '      "alert" [label="alert\\nlambda"];',
        "    }",
        "  }",
        '  "list-files" -> "per_file" [lhead="cluster_per_file"];',
        '  "convert" -> "index";',
        '  "per_file" -> "check" [ltail="cluster_per_file", lhead="cluster_check"];',
        "}",
        "",
      ].join("\n"),
    );
  });
});
