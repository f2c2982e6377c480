import type { JsonPrimitive, LambdaStepModel } from "@stepline/core";
import type { z } from "zod";
import { deepFreeze } from "./private/freeze.js";
import { makeRefs, resultRef, target, type ZodLike } from "./private/refs.js";
import { toValue } from "./private/value.js";
import type { Fmt, Ref, Refs } from "./ref.js";
import { commonHead, commonTail, type StepHandle, type StepOptions } from "./step.js";

/** A JSON value whose leaves may be references or `fmt` strings. */
export type PayloadArg =
  | JsonPrimitive
  | Ref<unknown>
  | Fmt
  | readonly PayloadArg[]
  | { readonly [key: string]: PayloadArg | undefined };

/** Options of a Lambda step, for light work (notifications, listing files, small lookups). */
export interface LambdaOptions<Payload = unknown> extends StepOptions {
  /** Function name, `name:alias` or ARN. */
  readonly functionName: string;
  /** The event passed to the function. @default {} */
  readonly payload?: PayloadArg;
  /**
   * Zod schema of the payload the function returns; types `result.Payload`
   * (alternatively give the type: `lambda<{ files: string[] }>(…)`). It is
   * only used for typing and references, the DSL does not validate at run time.
   */
  readonly result?: z.ZodType<Payload>;
}

/** The small result of a Lambda invocation, as `steps.<name>` holds it. */
export interface LambdaResult<Payload> {
  /** The value the function returned, with one nested reference per known field. */
  readonly Payload: Refs<Payload>;
  readonly StatusCode: Ref<number>;
}

/** Invokes a Lambda function; `Payload` is the type of what the function returns. */
export function lambda<Payload = unknown>(
  name: string,
  options: LambdaOptions<Payload>,
): StepHandle<LambdaResult<Payload>, LambdaStepModel> {
  const model: LambdaStepModel = {
    kind: "lambda",
    ...commonHead(name, options),
    functionName: options.functionName,
    payload: toValue(options.payload ?? {}, { step: name, field: "payload" }),
    ...commonTail(options),
  };
  const result: LambdaResult<Payload> = {
    Payload: makeRefs(target("step", ["Payload"], name), options.result as ZodLike | undefined) as Refs<Payload>,
    StatusCode: resultRef(name, "StatusCode"),
  };
  return Object.freeze({ name, model: deepFreeze(model), result: Object.freeze(result) });
}
