import type { BatchStepModel, FailurePolicy, StepDefaults, StepModel, TaskStepModel } from "@stepline/core";

/** Batch fields the user left unset, to be taken from the pipeline's defaults. */
interface Unset {
  readonly capacity: boolean;
  readonly architecture: boolean;
}

const unsetFields = new WeakMap<StepModel, Unset>();

/** Records which defaulted Batch fields a step left unset. */
export function markUnset(model: BatchStepModel, unset: Unset): void {
  if (unset.capacity || unset.architecture) unsetFields.set(model, unset);
}

/**
 * Copies the steps with the pipeline's defaults written into the fields the
 * model requires concretely (Batch capacity and architecture). Other defaults
 * stay in `PipelineModel.defaults` for the compiler to apply.
 */
export function resolveSteps(steps: readonly StepModel[], defaults: StepDefaults): StepModel[] {
  return steps.map((step) => resolveStep(step, defaults));
}

export function resolveFailure(policy: FailurePolicy, defaults: StepDefaults): FailurePolicy {
  return policy.action === "handler" ? { ...policy, handler: resolveTask(policy.handler, defaults) } : policy;
}

function resolveStep(step: StepModel, defaults: StepDefaults): StepModel {
  const resolved = withFailure(step, defaults);
  if (resolved.kind === "map") return { ...resolved, steps: resolveSteps(resolved.steps, defaults) };
  if (resolved.kind === "choice") {
    return {
      ...resolved,
      then: resolveSteps(resolved.then, defaults),
      otherwise: resolveSteps(resolved.otherwise, defaults),
    };
  }
  return resolveTask(resolved, defaults);
}

function resolveTask(step: TaskStepModel, defaults: StepDefaults): TaskStepModel {
  const resolved = withFailure(step, defaults);
  if (resolved.kind !== "batch") return resolved;
  const unset = unsetFields.get(step);
  if (unset === undefined) return resolved;
  return {
    ...resolved,
    ...(unset.capacity && defaults.capacity !== undefined ? { capacity: defaults.capacity } : {}),
    ...(unset.architecture && defaults.architecture !== undefined ? { architecture: defaults.architecture } : {}),
  };
}

function withFailure<S extends StepModel>(step: S, defaults: StepDefaults): S {
  return step.onFailure === undefined ? step : { ...step, onFailure: resolveFailure(step.onFailure, defaults) };
}
