import { type Problem, problem, warning } from "../errors/problem.js";
import type { ConditionModel, PipelineModel, RetryPolicy, StepDefaults, StepModel } from "../model/pipeline.js";

/**
 * Checks of the options every step shares (retry, timeouts) and of fan-outs,
 * converted to Step Functions' limits with the fix in each message.
 */

/** Step Functions' limit on a state's TimeoutSeconds: one year, the longest execution. */
const MAX_TIMEOUT_SECONDS = 31_536_000;

export function checkRetry(retry: RetryPolicy, where: { step?: string }, prefix = "retry"): Problem[] {
  const problems: Problem[] = [];
  const at = (field: string) => ({ ...where, field: `${prefix}.${field}` });
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1 || retry.attempts > 10) {
    problems.push(
      problem(
        "SL_RETRY_ATTEMPTS",
        `retry attempts is ${retry.attempts}; it counts the first try and must be an integer from 1 to 10`,
        "set attempts between 1 (no retry) and 10",
        at("attempts"),
      ),
    );
  }
  if (!Number.isInteger(retry.intervalSeconds) || retry.intervalSeconds < 1 || retry.intervalSeconds > 99_999_999) {
    problems.push(
      problem(
        "SL_RETRY_INTERVAL",
        `retry intervalSeconds is ${retry.intervalSeconds}; Step Functions needs a whole number of seconds ≥ 1`,
        "set intervalSeconds to an integer of at least 1",
        at("intervalSeconds"),
      ),
    );
  }
  if (!(retry.backoffRate >= 1)) {
    problems.push(
      problem(
        "SL_RETRY_BACKOFF",
        `retry backoffRate is ${retry.backoffRate}; it must be at least 1`,
        "use 1 for a constant delay or 2 to double it after each retry",
        at("backoffRate"),
      ),
    );
  }
  if (retry.maxDelaySeconds !== undefined) {
    if (!Number.isInteger(retry.maxDelaySeconds) || retry.maxDelaySeconds < 1 || retry.maxDelaySeconds > 31_622_400) {
      problems.push(
        problem(
          "SL_RETRY_MAX_DELAY",
          `retry maxDelaySeconds is ${retry.maxDelaySeconds}; it must be a whole number of seconds from 1 to 31,622,400`,
          "set maxDelaySeconds to an integer in that range, or leave it out",
          at("maxDelaySeconds"),
        ),
      );
    } else if (retry.maxDelaySeconds < retry.intervalSeconds) {
      problems.push(
        warning(
          "SL_RETRY_MAX_DELAY_BELOW_INTERVAL",
          `retry maxDelaySeconds (${retry.maxDelaySeconds}) is below intervalSeconds (${retry.intervalSeconds}), so every delay is ${retry.maxDelaySeconds} s`,
          "raise maxDelaySeconds or lower intervalSeconds",
          at("maxDelaySeconds"),
        ),
      );
    }
  }
  if (retry.jitter !== "FULL" && retry.jitter !== "NONE") {
    problems.push(
      problem("SL_RETRY_JITTER", `retry jitter is '${String(retry.jitter)}'`, "use 'FULL' or 'NONE'", at("jitter")),
    );
  }
  const errors = retry.errors ?? [];
  const all = errors.indexOf("States.ALL");
  if (all >= 0 && errors.length > 1) {
    problems.push(
      problem(
        "SL_RETRY_ERRORS",
        "retry errors lists States.ALL together with other error names; Step Functions requires States.ALL alone",
        "keep only States.ALL, or list the specific error names without it",
        at("errors"),
      ),
    );
  }
  for (const name of errors) {
    if (name === "States.Runtime" || name === "States.DataLimitExceeded") {
      problems.push(
        problem(
          "SL_RETRY_ERRORS",
          `${name} can never be retried or caught in Step Functions`,
          `remove ${name} from retry errors; fix the payload or path that causes it instead`,
          at("errors"),
        ),
      );
    }
  }
  return problems;
}

function checkTimeout(seconds: number | undefined, where: { step?: string }, field: string): Problem[] {
  if (seconds === undefined) return [];
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
    return [
      problem(
        "SL_TIMEOUT_INVALID",
        `${field} is ${seconds}; Step Functions needs a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS.toLocaleString("en-US")} (one year)`,
        `set ${field} to an integer in that range`,
        { ...where, field },
      ),
    ];
  }
  return [];
}

export function checkDefaults(defaults: StepDefaults): Problem[] {
  return [
    ...(defaults.retry ? checkRetry(defaults.retry, {}, "defaults.retry") : []),
    ...checkTimeout(defaults.timeoutSeconds, {}, "defaults.timeoutSeconds"),
  ];
}

/** Checks of the fields common to all steps, and of fan-out options. */
export function checkStep(step: StepModel): Problem[] {
  const where = { step: step.name };
  const problems: Problem[] = [];
  if (step.retry) problems.push(...checkRetry(step.retry, where));
  problems.push(...checkTimeout(step.timeoutSeconds, where, "timeoutSeconds"));
  if (step.expectedDurationSeconds !== undefined && !(step.expectedDurationSeconds > 0)) {
    problems.push(
      problem(
        "SL_DURATION_INVALID",
        `expectedDurationSeconds is ${step.expectedDurationSeconds}; it must be a positive number`,
        "give the typical run time in seconds, or leave it out",
        { ...where, field: "expectedDurationSeconds" },
      ),
    );
  }
  if (step.kind === "choice") problems.push(...checkCondition(step.condition, where));
  if (step.kind === "choice") {
    const ignored = (["retry", "timeoutSeconds", "onFailure"] as const).filter((field) => step[field] !== undefined);
    for (const field of ignored) {
      problems.push(
        warning(
          "SL_CHOICE_OPTION_IGNORED",
          `a choice only routes the run: its ${field} has no effect`,
          `set ${field} on the steps inside the 'then' and 'otherwise' branches instead`,
          { ...where, field },
        ),
      );
    }
  }
  if (step.kind === "map") {
    if (!Number.isInteger(step.maxConcurrency) || step.maxConcurrency < 0) {
      problems.push(
        problem(
          "SL_FANOUT_CONCURRENCY",
          `maxConcurrency is ${step.maxConcurrency}; it must be a whole number ≥ 0 (0 means no limit)`,
          "set maxConcurrency to the number of items to process at once",
          { ...where, field: "maxConcurrency" },
        ),
      );
    } else if (step.mode === "inline" && (step.maxConcurrency === 0 || step.maxConcurrency > 40)) {
      problems.push(
        warning(
          "SL_FANOUT_CONCURRENCY_INLINE",
          `an inline fan-out runs about 40 iterations at once in practice; maxConcurrency ${step.maxConcurrency === 0 ? "0 (unlimited)" : step.maxConcurrency} will not go faster`,
          "use mode: 'distributed' for more concurrency, or set maxConcurrency ≤ 40",
          { ...where, field: "maxConcurrency" },
        ),
      );
    }
    if (step.maxItems !== undefined && (!Number.isInteger(step.maxItems) || step.maxItems < 1)) {
      problems.push(
        problem(
          "SL_FANOUT_MAX_ITEMS",
          `maxItems is ${step.maxItems}; it must be a whole number ≥ 1`,
          "declare the largest list length you expect, or leave it out",
          { ...where, field: "maxItems" },
        ),
      );
    }
  }
  return problems;
}

/** `and` / `or` need at least one condition: ASL rejects an empty `And` / `Or`. */
function checkCondition(condition: ConditionModel, where: { step?: string }): Problem[] {
  switch (condition.op) {
    case "and":
    case "or":
      return condition.conditions.length === 0
        ? [
            problem(
              "SL_CONDITION_EMPTY",
              `the condition has an '${condition.op}' with no conditions`,
              `give '${condition.op}' at least one condition, or remove it`,
              { ...where, field: "condition" },
            ),
          ]
        : condition.conditions.flatMap((c) => checkCondition(c, where));
    case "not":
      return checkCondition(condition.condition, where);
    default:
      return [];
  }
}

/** Pipeline-level checks that are not about the graph. */
export function checkPipeline(model: PipelineModel): Problem[] {
  const problems = checkDefaults(model.defaults);
  const tagCount = Object.keys(model.tags).length;
  if (tagCount > 50) {
    problems.push(
      problem(
        "SL_TAGS_TOO_MANY",
        `the pipeline has ${tagCount} tags; AWS resources accept at most 50`,
        "remove tags until 50 or fewer remain",
        { field: "tags" },
      ),
    );
  }
  for (const field of model.input.required) {
    if (field in model.input.defaults) {
      problems.push(
        problem(
          "SL_INPUT_REQUIRED_WITH_DEFAULT",
          `input field '${field}' is listed as required but also has a default`,
          "remove it from `required`: a default makes it optional",
          { field: `input.${field}` },
        ),
      );
    }
  }
  return problems;
}
