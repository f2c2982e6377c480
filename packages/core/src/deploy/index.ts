/** Deploy's pure half: the desired resources of a pipeline, their comparison and order, the plan. */
export * from "./batch-roles.js";
export * from "./contract.js";
export * from "./desired.js";
export * from "./diff.js";
export * from "./order.js";
export * from "./pin.js";
export * from "./plan.js";
