/** @stepline/dsl: the typed authoring API; produces core's plain `PipelineModel`. */

export type { BatchArrayResult, BatchOptions, BatchResult } from "./batch.js";
export { batch } from "./batch.js";
export type { ChooseOptions, ChooseResult } from "./choose.js";
export { choose } from "./choose.js";
export type { Comparable, Condition, Ordered } from "./condition.js";
export { absent, and, eq, ge, gt, isFalse, isTrue, le, lt, matches, ne, not, or, present } from "./condition.js";
export type { ContextRefs } from "./context.js";
export { contextRefs } from "./context.js";
export type { FailureRefs } from "./failure.js";
export { failure } from "./failure.js";
export type { FanOutOptions, FanOutResult, FanOutScope } from "./fan-out.js";
export { fanOut } from "./fan-out.js";
export type { FmtPart } from "./fmt.js";
export { fmt, str } from "./fmt.js";
export type { GlueJobSource, GlueOptions, GlueResult } from "./glue.js";
export { glue } from "./glue.js";
export type { InputRefs, InputSchema } from "./input.js";
export { inputModel, inputRefs } from "./input.js";
export type { LambdaOptions, LambdaResult, PayloadArg } from "./lambda.js";
export { lambda } from "./lambda.js";
export type { DefaultsOptions, PipelineOptions, PipelineScope } from "./pipeline.js";
export { definePipeline, pipeline } from "./pipeline.js";
export type { Arg, FieldRefs, Fmt, Ref, Refs, RefValue } from "./ref.js";
export type { RetryOptions } from "./retry.js";
export { retryPolicy } from "./retry.js";
export type { LocalOptions, OnFailure, StepHandle, StepOptions, TaskStepHandle } from "./step.js";
