/** @stepline/core: the pipeline model, validation, the DAG → ASL compiler and everything pure. */

export * from "./asl/types.js";
export * from "./compile/compile.js";
export * from "./compile/expressions.js";
export * from "./compile/integration.js";
export * from "./compile/result.js";
export { SCHEDULED_TIME_FIELD } from "./compile/schedule-states.js";
export * from "./compile/schedule-target.js";
export * from "./deploy/cloudformation.js";
export * from "./deploy/compute.js";
export * from "./deploy/index.js";
export * from "./engine/index.js";
export * from "./errors/problem.js";
export * from "./graph/dag.js";
export { criticalPath, layeredTree, type SpResult, type SpTree, spMakespan, toSeriesParallel } from "./graph/sp.js";
export * from "./model/pipeline.js";
export { resolveValue } from "./model/resolve.js";
export * from "./model/value.js";
export * from "./report/index.js";
export * from "./schedule/index.js";
export { testIntegrations } from "./testing/integrations.js";
export { testPipeline, testStep } from "./testing/model.js";
export { type OrderFacts, orderFacts } from "./testing/order.js";
export { type Analysis, analyze, type Scope } from "./validate/analyze.js";
