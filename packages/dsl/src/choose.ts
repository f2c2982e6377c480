import type { ChoiceStepModel } from "@stepline/core";
import type { Condition } from "./condition.js";
import { deepFreeze } from "./private/freeze.js";
import { resultRef } from "./private/refs.js";
import type { Ref } from "./ref.js";
import { commonHead, commonTail, type StepHandle, type StepOptions, stepModels } from "./step.js";

/** Options of a choice between two sub-graphs (a Choice state). */
export interface ChooseOptions extends StepOptions {
  /** Built with `eq`, `lt`, `matches`, `and`… */
  readonly when: Condition;
  /** Steps run when the condition holds. */
  readonly then: () => readonly StepHandle[];
  /** Steps run otherwise. @default () => [] */
  readonly otherwise?: () => readonly StepHandle[];
}

/** The small result of a choice, as `steps.<name>` holds it. */
export interface ChooseResult {
  /** Which branch ran. */
  readonly Branch: Ref<"then" | "otherwise">;
}

/** Runs `then` when `when` holds, `otherwise` if not. */
export function choose(name: string, options: ChooseOptions): StepHandle<ChooseResult, ChoiceStepModel> {
  const model: ChoiceStepModel = {
    kind: "choice",
    ...commonHead(name, options),
    condition: structuredClone(options.when),
    then: stepModels(options.then(), `choose '${name}' then`),
    otherwise: stepModels(options.otherwise?.() ?? [], `choose '${name}' otherwise`),
    ...commonTail(options),
  };
  return Object.freeze({
    name,
    model: deepFreeze(model),
    result: Object.freeze({ Branch: resultRef<"then" | "otherwise">(name, "Branch") }),
  });
}
