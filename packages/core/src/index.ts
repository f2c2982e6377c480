/** @stepline/core: the pipeline model, validation, the DAG → ASL compiler and everything pure. */
export * from "./model/value.js";
export * from "./model/pipeline.js";
export * from "./errors/problem.js";
export * from "./asl/types.js";
export * from "./compile/integration.js";
export * from "./compile/expressions.js";
export * from "./compile/result.js";
export * from "./compile/compile.js";
export { analyze, type Analysis, type Scope } from "./validate/analyze.js";
export * from "./graph/dag.js";
export { criticalPath, layeredTree, type SpResult, type SpTree, spMakespan, toSeriesParallel } from "./graph/sp.js";
export * from "./report/index.js";
export { orderFacts, type OrderFacts } from "./testing/order.js";
export { testIntegrations } from "./testing/integrations.js";
export { testPipeline, testStep } from "./testing/model.js";
