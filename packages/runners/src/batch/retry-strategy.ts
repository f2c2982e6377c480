import type { BatchStepModel } from "@stepline/core";

/** Batch-level attempts for Spot reclaims when the step does not say. */
export const DEFAULT_SPOT_ATTEMPTS = 3;

/**
 * Spot reclaims show as status reason `Host EC2*`: retry those only, and exit
 * on anything else (the state's retry policy decides about real failures).
 */
export const SPOT_RECLAIM_REASON = "Host EC2*";

/** The retry strategy in RegisterJobDefinition terms (camelCase). */
export function definitionRetryStrategy(step: BatchStepModel) {
  return {
    attempts: step.spotAttempts ?? DEFAULT_SPOT_ATTEMPTS,
    evaluateOnExit: [
      { onStatusReason: SPOT_RECLAIM_REASON, action: "RETRY" },
      { onReason: "*", action: "EXIT" },
    ],
  };
}

/** The same strategy in SubmitJob / Step Functions terms (PascalCase). */
export function submitRetryStrategy(step: BatchStepModel) {
  return {
    Attempts: step.spotAttempts ?? DEFAULT_SPOT_ATTEMPTS,
    EvaluateOnExit: [
      { OnStatusReason: SPOT_RECLAIM_REASON, Action: "RETRY" },
      { OnReason: "*", Action: "EXIT" },
    ],
  };
}
