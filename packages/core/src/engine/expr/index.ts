/** The expression layer of stepline's ASL engine: JSONPath, payload templates, intrinsics, Choice rules, JSONata. */

export { evaluateRule, matcher as stringMatcher } from "./choice.js";
export { StatesError } from "./errors.js";
export { evaluateIntrinsic, isIntrinsic } from "./intrinsics.js";
export { evaluateCondition, evaluateJsonata, isJsonataTemplate } from "./jsonata.js";
export { MISSING, readPath, tryReadPath } from "./jsonpath.js";
export { type ParsedPath, type PathSegment, parsePath, parseReferencePath } from "./path-parse.js";
export { applyResultPath } from "./result-path.js";
export type { ExprScope, Nondeterminism } from "./scope.js";
export { applyTemplate } from "./template.js";
export { compareInstants, type Instant, parseTimestamp } from "./timestamp.js";
