import type { QueryLanguage, StateJson } from "../asl/types.js";
import type { PipelineModel } from "../model/pipeline.js";
import type { Analysis, Scope } from "../validate/analyze.js";
import type { ExpressionScope } from "./expressions.js";
import type { IntegrationContext, IntegrationRegistry } from "./integration.js";
import type { AddedWait, StateSummary } from "./result.js";

/** What the renderers share while compiling one pipeline. */
export interface CompileContext {
  readonly model: PipelineModel;
  readonly language: QueryLanguage;
  readonly analysis: Analysis;
  readonly integrations: IntegrationRegistry;
  readonly integrationContext: IntegrationContext;
  readonly summaries: StateSummary[];
  readonly addedWaits: AddedWait[];
  /** Counter for generated Parallel state names. */
  parallelCount: number;
}

/** Where in the state machine a sub-graph is rendered. */
export interface ScopeContext {
  readonly scope: Scope;
  readonly expressions: ExpressionScope;
  /** Keys the state document carries here (`input`, `steps`, and in fan-outs `item`, `index`). */
  readonly carried: readonly string[];
}

export function summarise(ctx: CompileContext, name: string, state: StateJson, step?: string, summary?: string): void {
  ctx.summaries.push({
    name,
    type: state.Type,
    ...(step !== undefined ? { step } : {}),
    ...(summary !== undefined ? { summary } : {}),
  });
}

/** JSONPath of `steps.<name>` in the state document. */
export function stepResultPath(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `$.steps.${name}` : `$.steps['${name}']`;
}

/** JSONata that returns the state input with `steps.<name>` set to `value`. */
export function jsonataSetStep(name: string, value: string): string {
  return `{% $merge([$states.input, {"steps": $merge([$states.input.steps, {${JSON.stringify(name)}: ${value}}])}]) %}`;
}

/** JSONata that returns the state input with `key` set to `value`. */
export function jsonataSet(key: string, value: string): string {
  return `{% $merge([$states.input, {${JSON.stringify(key)}: ${value}}]) %}`;
}

/** A Pass state that hands its input on unchanged. */
export function passThrough(comment: string): StateJson {
  return { Type: "Pass", Comment: comment };
}
