import type { PipelineModel } from "@stepline/core";
import { loadError } from "./problems.js";

/** A pipeline found among a module's exports. */
export interface SelectedPipeline {
  readonly model: PipelineModel;
  /** `default`, or the named export. */
  readonly exportName: string;
}

function isPipelineModel(value: unknown): value is PipelineModel {
  // Same check as core's isPipelineModel, inlined so loading does not import core.
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "stepline.pipeline" &&
    (value as { version?: unknown }).version === 1
  );
}

/**
 * Picks the pipeline of a module: `--pipeline NAME` (an export name or a
 * pipeline name), else the default export, else the single exported pipeline.
 */
export async function selectPipeline(
  exports: Readonly<Record<string, unknown>>,
  displayPath: string,
  wanted?: string,
): Promise<SelectedPipeline> {
  const found = Object.keys(exports)
    .sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .flatMap((exportName) => {
      const model = exports[exportName];
      return isPipelineModel(model) ? [{ exportName, model }] : [];
    });
  if (wanted !== undefined) {
    const match = found.find((p) => p.exportName === wanted) ?? found.find((p) => p.model.name === wanted);
    if (match) return match;
    throw await loadError(
      "SL_LOAD_UNKNOWN_PIPELINE",
      `No exported pipeline is named '${wanted}'.`,
      found.length > 0
        ? `Pass one of: ${describe(found)}.`
        : "Export the pipeline, e.g. `export default pipeline({...})`.",
      displayPath,
    );
  }
  const byDefault = found.find((p) => p.exportName === "default");
  if (byDefault) return byDefault;
  const only = found[0];
  if (only && found.length === 1) return only;
  if (found.length > 1) {
    throw await loadError(
      "SL_LOAD_AMBIGUOUS_PIPELINE",
      `The file exports ${found.length} pipelines and no default: ${describe(found)}.`,
      "Choose one with `--pipeline <name>`, or export one as default.",
      displayPath,
    );
  }
  throw await loadError(
    "SL_LOAD_NO_PIPELINE",
    "The file exports no pipeline.",
    "Export the pipeline model: `export default pipeline({...})` (from @stepline/dsl).",
    displayPath,
  );
}

function describe(found: readonly SelectedPipeline[]): string {
  return found
    .map((p) => (p.exportName === p.model.name ? p.exportName : `${p.exportName} ('${p.model.name}')`))
    .join(", ");
}
