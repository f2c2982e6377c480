import type { BatchStepModel, IntegrationContext, TaskFallback } from "@stepline/core";
import { fallbackJobQueue } from "./naming.js";
import { submitJobParameters } from "./parameters.js";
import { SPOT_RECLAIM_REASON } from "./retry-strategy.js";

/**
 * Status reasons that mean Spot capacity failed the job rather than the job
 * itself: the reclaim (after the definition's own retries), and a job that a
 * queue's `jobStateTimeLimitActions` cancelled while stuck RUNNABLE for lack of
 * capacity ("Canceled by JobStateTimeLimit action due to reason:
 * CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY", AWS Batch user guide).
 */
export const CAPACITY_STATUS_REASONS: readonly string[] = [
  SPOT_RECLAIM_REASON,
  "*CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY*",
];

/**
 * The on-demand second attempt of a `spot-then-on-demand` step: same
 * parameters on the on-demand queue, taken when Spot was reclaimed, when the
 * queue gave up for lack of capacity, or when the first attempt timed out.
 */
export function spotFallback(step: BatchStepModel, ctx: IntegrationContext): TaskFallback {
  const firstAttemptTimeoutSeconds = step.timeoutSeconds ?? ctx.defaults.timeoutSeconds;
  return {
    label: "on-demand",
    comment: "Spot capacity was reclaimed or never came: run the job again on on-demand capacity.",
    parameters: submitJobParameters(step, ctx, fallbackJobQueue(step, ctx)),
    causeField: "StatusReason",
    causeMatches: CAPACITY_STATUS_REASONS,
    onTimeout: true,
    ...(firstAttemptTimeoutSeconds !== undefined ? { firstAttemptTimeoutSeconds } : {}),
  };
}
