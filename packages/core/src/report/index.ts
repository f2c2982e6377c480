/** Human-facing renderings of compile results. */

export type { DotOptions, MermaidOptions } from "./graph.js";
export { renderDot, renderMermaid } from "./graph.js";
