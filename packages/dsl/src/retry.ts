import type { RetryPolicy } from "@stepline/core";

/** A retry policy where every field is optional; missing fields take their defaults. */
export type RetryOptions = Partial<RetryPolicy>;

/** Fills a partial retry policy with the documented defaults. */
export function retryPolicy(options: RetryOptions): RetryPolicy {
  const { attempts = 3, intervalSeconds = 1, backoffRate = 2, maxDelaySeconds, jitter = "FULL", errors } = options;
  return {
    attempts,
    intervalSeconds,
    backoffRate,
    ...(maxDelaySeconds === undefined ? {} : { maxDelaySeconds }),
    jitter,
    ...(errors === undefined ? {} : { errors: [...errors] }),
  };
}
