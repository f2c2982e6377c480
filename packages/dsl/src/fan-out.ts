import type { MapStepModel } from "@stepline/core";
import { isRefExpr, SteplineError } from "@stepline/core";
import { deepFreeze } from "./private/freeze.js";
import { optional } from "./private/optional.js";
import { elementSchema, leafRef, makeRefs, resultRef, target } from "./private/refs.js";
import { copyRef } from "./private/value.js";
import type { Ref, Refs } from "./ref.js";
import { commonHead, commonTail, type StepHandle, type StepOptions, stepModels } from "./step.js";

/** References available inside a fan-out body. */
export interface FanOutScope<T> {
  /** The current item, with nested field references when items are objects. */
  readonly item: Refs<T>;
  /** The zero-based index of the current item. */
  readonly index: Ref<number>;
}

/** Options of a fan-out: run a sub-graph once per item of a list (a Map state). */
export interface FanOutOptions<T> extends StepOptions {
  /** The list: an input field or an upstream step's result. */
  readonly items: Ref<readonly T[]>;
  /** Upper bound of concurrent iterations. @default 10 */
  readonly maxConcurrency?: number;
  /** Declared upper bound of the list length, for the history and payload checks. */
  readonly maxItems?: number;
  /** `distributed` runs each item as a child execution (large lists). @default "inline" */
  readonly mode?: "inline" | "distributed";
  /** The steps run for each item. */
  readonly steps: (scope: FanOutScope<T>) => readonly StepHandle[];
}

/** The small result of a fan-out, as `steps.<name>` holds it. */
export interface FanOutResult {
  /** How many items ran. */
  readonly Count: Ref<number>;
}

/** Runs `steps` once per item of `items`. */
export function fanOut<T>(name: string, options: FanOutOptions<T>): StepHandle<FanOutResult, MapStepModel> {
  if (!isRefExpr(options.items)) {
    throw SteplineError.of(
      "SL_DSL_BAD_ITEMS",
      "fanOut items must be a reference to a list, not a literal value.",
      "Pass an input field or a step result, e.g. items: input.partitions; for a fixed list, give it a default in the input schema.",
      { step: name, field: "items" },
    );
  }
  const scope: FanOutScope<T> = {
    item: makeRefs(target("item", []), elementSchema(options.items)) as Refs<T>,
    index: leafRef(target("index", [])),
  };
  const model: MapStepModel = {
    kind: "map",
    ...commonHead(name, options),
    items: copyRef(options.items),
    maxConcurrency: options.maxConcurrency ?? 10,
    ...optional("maxItems", options.maxItems),
    mode: options.mode ?? "inline",
    steps: stepModels(options.steps(scope), `fanOut '${name}'`),
    ...commonTail(options),
  };
  return Object.freeze({
    name,
    model: deepFreeze(model),
    result: Object.freeze({ Count: resultRef<number>(name, "Count") }),
  });
}
