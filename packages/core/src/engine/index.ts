/** The embedded ASL engine: runs any ASL document locally with AWS's semantics. */
export { checkDefinition } from "./check.js";
export { realClock, virtualClock } from "./clock.js";
export { execute } from "./execute.js";
export * from "./types.js";
