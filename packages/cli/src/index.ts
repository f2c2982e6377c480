/** @stepline/cli: the `stepline` command, usable in-process. */

export type { Io, Output } from "./io.js";
export type { LoadedPipeline, LoadOptions } from "./load/index.js";
export { loadPipeline } from "./load/index.js";
export { main } from "./main.js";
