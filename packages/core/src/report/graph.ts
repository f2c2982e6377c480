import type { JobGraph, JobGraphEdge, JobGraphNode } from "../compile/result.js";

/**
 * Job graph renderers: Mermaid flowcharts and Graphviz DOT, pure functions of
 * the compiled `JobGraph`. Fan-outs and choices are drawn as subgraphs
 * (clusters) holding their body or their `then` / `otherwise` branches.
 * Declared and reference dependencies are solid arrows; waits the compiler
 * added are dashed and labelled "added wait". Output order follows the graph's
 * node and edge order, so it is as deterministic as the compiler.
 */

/** Options of {@link renderMermaid}. */
export interface MermaidOptions {
  /** Shown as the diagram title (front matter). */
  readonly title?: string;
  /** @default "TD" */
  readonly direction?: "TD" | "LR";
}

/** Options of {@link renderDot}. */
export interface DotOptions {
  /** The graph's name and label. @default "pipeline" */
  readonly title?: string;
  /** @default "TB" */
  readonly rankdir?: "TB" | "LR";
}

const branches = ["body", "then", "otherwise"] as const;
type Branch = (typeof branches)[number];

interface Tree {
  /** Top-level nodes, in graph order. */
  readonly roots: readonly JobGraphNode[];
  /** Children of a container step, per branch, in graph order. */
  readonly children: ReadonlyMap<string, ReadonlyMap<Branch, readonly JobGraphNode[]>>;
}

function tree(graph: JobGraph): Tree {
  const roots: JobGraphNode[] = [];
  const children = new Map<string, Map<Branch, JobGraphNode[]>>();
  for (const node of graph.nodes) {
    if (node.parent === undefined) {
      roots.push(node);
      continue;
    }
    const byBranch = children.get(node.parent) ?? new Map<Branch, JobGraphNode[]>();
    children.set(node.parent, byBranch);
    const branch = node.branch ?? "body";
    byBranch.set(branch, [...(byBranch.get(branch) ?? []), node]);
  }
  return { roots, children };
}

function isContainer(node: JobGraphNode): boolean {
  return node.kind === "map" || node.kind === "choice";
}

/**
 * Mermaid ids: `s_` + the step name with `-` as `_` (Mermaid reads `--` as an
 * edge, and a bare id may be a keyword such as `end`). Names that would share
 * an id get `e_` + an injective escape (`_` doubled, `-` as `_h`) instead.
 */
function mermaidIds(graph: JobGraph): ReadonlyMap<string, string> {
  const readable = (name: string) => `s_${name.replace(/-/g, "_")}`;
  const uses = new Map<string, number>();
  for (const node of graph.nodes) uses.set(readable(node.name), (uses.get(readable(node.name)) ?? 0) + 1);
  const ids = new Map<string, string>();
  for (const node of graph.nodes) {
    const id = readable(node.name);
    ids.set(node.name, uses.get(id) === 1 ? id : `e_${node.name.replace(/_/g, "__").replace(/-/g, "_h")}`);
  }
  return ids;
}

function mermaidText(text: string): string {
  return text.replace(/"/g, "#quot;");
}

/** Renders the job graph as a Mermaid `flowchart`. */
export function renderMermaid(graph: JobGraph, options: MermaidOptions = {}): string {
  const { roots, children } = tree(graph);
  const ids = mermaidIds(graph);
  const mermaidId = (name: string) => ids.get(name) ?? name;
  const lines: string[] = [];
  if (options.title !== undefined) lines.push("---", `title: ${JSON.stringify(options.title)}`, "---");
  lines.push(`flowchart ${options.direction ?? "TD"}`);
  const emit = (node: JobGraphNode, indent: string): void => {
    const id = mermaidId(node.name);
    const label = mermaidText(`${node.name} (${node.kind})`);
    if (!isContainer(node)) {
      lines.push(`${indent}${id}["${label}"]`);
      return;
    }
    lines.push(`${indent}subgraph ${id}["${label}"]`);
    const byBranch = children.get(node.name);
    for (const branch of branches) {
      const inner = byBranch?.get(branch);
      if (inner === undefined) continue;
      if (branch === "body") {
        for (const child of inner) emit(child, `${indent}  `);
      } else {
        // `b_` ids cannot collide with step ids (`s_`, `e_`) and the suffix tells the branches apart.
        lines.push(`${indent}  subgraph b_${id}_${branch}["${branch}"]`);
        for (const child of inner) emit(child, `${indent}    `);
        lines.push(`${indent}  end`);
      }
    }
    lines.push(`${indent}end`);
  };
  for (const node of roots) emit(node, "  ");
  for (const edge of graph.edges) {
    const arrow = edge.kind === "added" ? " -. added wait .-> " : " --> ";
    lines.push(`  ${mermaidId(edge.from)}${arrow}${mermaidId(edge.to)}`);
  }
  return `${lines.join("\n")}\n`;
}

function dotEscape(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function dotString(text: string): string {
  return `"${dotEscape(text)}"`;
}

/** A quoted label with one centred line per entry. */
function dotLines(lines: readonly string[]): string {
  return `"${lines.map(dotEscape).join("\\n")}"`;
}

/** Renders the job graph as a Graphviz `digraph`. */
export function renderDot(graph: JobGraph, options: DotOptions = {}): string {
  const { roots, children } = tree(graph);
  const title = options.title ?? "pipeline";
  const containers = new Set(graph.nodes.filter(isContainer).map((n) => n.name));
  const lines = [
    `digraph ${dotString(title)} {`,
    `  label=${dotString(title)};`,
    "  labelloc=t;",
    // Edges to a fan-out or choice end at its cluster's border (lhead/ltail).
    "  compound=true;",
    `  rankdir=${options.rankdir ?? "TB"};`,
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica"];',
  ];
  const emit = (node: JobGraphNode, indent: string): void => {
    if (!isContainer(node)) {
      lines.push(`${indent}${dotString(node.name)} [label=${dotLines([node.name, node.kind])}];`);
      return;
    }
    lines.push(`${indent}subgraph ${dotString(`cluster_${node.name}`)} {`);
    lines.push(`${indent}  label=${dotString(`${node.name} (${node.kind})`)};`);
    // An invisible anchor stands for the step in edges; clusters cannot be edge endpoints.
    lines.push(`${indent}  ${dotString(node.name)} [shape=point, style=invis, width=0, height=0, label=""];`);
    const byBranch = children.get(node.name);
    for (const branch of branches) {
      const inner = byBranch?.get(branch);
      if (inner === undefined) continue;
      if (branch === "body") {
        for (const child of inner) emit(child, `${indent}  `);
      } else {
        // `/` never occurs in step names, so branch clusters cannot collide with step clusters.
        lines.push(`${indent}  subgraph ${dotString(`cluster_${node.name}/${branch}`)} {`);
        lines.push(`${indent}    label=${dotString(branch)};`);
        lines.push(`${indent}    style=dashed;`);
        for (const child of inner) emit(child, `${indent}    `);
        lines.push(`${indent}  }`);
      }
    }
    lines.push(`${indent}}`);
  };
  for (const node of roots) emit(node, "  ");
  for (const edge of graph.edges) lines.push(`  ${dotEdge(edge, containers)}`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function dotEdge(edge: JobGraphEdge, containers: ReadonlySet<string>): string {
  const attributes: string[] = [];
  if (containers.has(edge.from)) attributes.push(`ltail=${dotString(`cluster_${edge.from}`)}`);
  if (containers.has(edge.to)) attributes.push(`lhead=${dotString(`cluster_${edge.to}`)}`);
  if (edge.kind === "added") attributes.push("style=dashed", `label="added wait"`);
  const suffix = attributes.length > 0 ? ` [${attributes.join(", ")}]` : "";
  return `${dotString(edge.from)} -> ${dotString(edge.to)}${suffix};`;
}
