import { type Problem, problem, warning } from "../errors/problem.js";
import type { PipelineModel, ScheduleModel } from "../model/pipeline.js";
import type { JsonValue } from "../model/value.js";
import { checkScheduleExpression } from "../schedule/index.js";
import { compileSchedule } from "./schedule-target.js";

const DLQ_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
/** EventBridge Scheduler and rule targets take at most 8,192 characters of input. */
const MAX_TARGET_INPUT = 8192;

/** Every problem of a pipeline's schedule: its expression, zone, options and the input of scheduled runs. */
export function checkSchedule(model: PipelineModel): Problem[] {
  const schedule = model.schedule;
  if (!schedule) return [];
  const problems: Problem[] = [];
  const at = (field: string) => ({ field: `schedule.${field}` });
  const target = schedule.target ?? "scheduler";

  // The expression, its zone, and what EventBridge rules cannot do (a zone, at()); warnings such as
  // an expression that never fires (30 February, an at() in a skipped hour).
  problems.push(
    ...checkScheduleExpression(schedule.expression, {
      where: at("expression"),
      timezoneWhere: at("timezone"),
      service: target === "rule" ? "rules" : "scheduler",
      ...(schedule.timezone === undefined ? {} : { timezone: schedule.timezone }),
    }),
  );

  if (target === "rule") {
    for (const field of ["startDate", "endDate", "flexibleWindowMinutes"] as const) {
      if (schedule[field] !== undefined) {
        problems.push(
          problem(
            "SL_SCHEDULE_RULE_UNSUPPORTED",
            `EventBridge rules have no ${field}; only EventBridge Scheduler does`,
            `drop \`target: "rule"\` to use EventBridge Scheduler, or remove ${field}`,
            at(field),
          ),
        );
      }
    }
  }

  const window = schedule.flexibleWindowMinutes;
  if (window !== undefined && (!Number.isInteger(window) || window < 1 || window > 1440)) {
    problems.push(
      problem(
        "SL_SCHEDULE_WINDOW_INVALID",
        `flexibleWindowMinutes must be a whole number from 1 to 1440, not ${String(window)}`,
        "leave it out for runs that start on time, or give the minutes a run may start late",
        at("flexibleWindowMinutes"),
      ),
    );
  }
  const retry = schedule.retry;
  if (retry?.maxAttempts !== undefined && !inRange(retry.maxAttempts, 0, 185)) {
    problems.push(
      problem(
        "SL_SCHEDULE_RETRY_INVALID",
        `retry.maxAttempts must be a whole number from 0 to 185, not ${String(retry.maxAttempts)}`,
        "EventBridge retries delivery at most 185 times; use 0 to never retry",
        at("retry.maxAttempts"),
      ),
    );
  }
  if (retry?.maxEventAgeSeconds !== undefined && !inRange(retry.maxEventAgeSeconds, 60, 86_400)) {
    problems.push(
      problem(
        "SL_SCHEDULE_RETRY_INVALID",
        `retry.maxEventAgeSeconds must be a whole number from 60 to 86400, not ${String(retry.maxEventAgeSeconds)}`,
        "EventBridge keeps an undelivered run for 60 seconds to 24 hours",
        at("retry.maxEventAgeSeconds"),
      ),
    );
  }
  if (schedule.deadLetterQueueArn !== undefined && !DLQ_ARN.test(schedule.deadLetterQueueArn)) {
    problems.push(
      problem(
        "SL_SCHEDULE_DLQ_INVALID",
        `deadLetterQueueArn '${schedule.deadLetterQueueArn}' is not an SQS queue ARN`,
        "give the queue's ARN, e.g. arn:aws:sqs:eu-west-1:123456789012:pipeline-dlq",
        at("deadLetterQueueArn"),
      ),
    );
  }
  problems.push(...checkDates(schedule));
  problems.push(...checkInput(model, schedule));

  if (!problems.some((p) => p.severity === "error")) {
    const compiled = compileSchedule(model.name, schedule).target;
    const input =
      compiled.kind === "scheduler"
        ? compiled.createSchedule.Target.Input
        : (compiled.putTargets.Targets[0]?.Input ?? compiled.putTargets.Targets[0]?.InputTransformer?.InputTemplate);
    if (input !== undefined && input.length > MAX_TARGET_INPUT) {
      problems.push(
        problem(
          "SL_SCHEDULE_INPUT_TOO_LARGE",
          `the input of scheduled runs is ${input.length} characters; EventBridge takes at most ${MAX_TARGET_INPUT}`,
          "move large static values into the input schema's defaults",
          at("input"),
        ),
      );
    }
  }
  return problems;
}

function inRange(n: number, min: number, max: number): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}

function checkDates(schedule: ScheduleModel): Problem[] {
  const problems: Problem[] = [];
  const parsed: Partial<Record<"startDate" | "endDate", number>> = {};
  for (const field of ["startDate", "endDate"] as const) {
    const value = schedule[field];
    if (value === undefined) continue;
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
      ? Date.parse(value)
      : Number.NaN;
    if (Number.isNaN(ms)) {
      problems.push(
        problem(
          "SL_SCHEDULE_DATE_INVALID",
          `${field} '${value}' is not an ISO-8601 instant`,
          "write it with its offset, e.g. 2027-01-01T00:00:00Z or 2027-01-01T00:00:00+01:00",
          { field: `schedule.${field}` },
        ),
      );
    } else parsed[field] = ms;
  }
  if (parsed.startDate !== undefined && parsed.endDate !== undefined && parsed.endDate <= parsed.startDate) {
    problems.push(
      problem(
        "SL_SCHEDULE_DATE_INVALID",
        "the schedule's endDate is not after its startDate",
        "swap them, or move endDate later",
        { field: "schedule.endDate" },
      ),
    );
  }
  return problems;
}

const TYPE_OF = (value: JsonValue): string =>
  Array.isArray(value) ? "array" : value === null ? "null" : (typeof value as string);

/** The input a scheduled run starts with must be one the pipeline accepts. */
function checkInput(model: PipelineModel, schedule: ScheduleModel): Problem[] {
  const problems: Problem[] = [];
  const types = model.input.types;
  const known = new Set([...Object.keys(types), ...model.input.required, ...Object.keys(model.input.defaults)]);
  const given = new Set<string>();
  const unknown = (field: string, where: string) =>
    problem(
      "SL_SCHEDULE_INPUT_UNKNOWN",
      `the schedule gives input field '${field}', which the pipeline's input schema does not have`,
      known.size > 0
        ? `use one of: ${[...known].sort().join(", ")}; or add '${field}' to the input schema`
        : `add '${field}' to the pipeline's input schema (input: z.object({ … }))`,
      { field: `schedule.${where}.${field}` },
    );
  for (const [field, value] of Object.entries(schedule.input ?? {})) {
    given.add(field);
    if (!known.has(field)) {
      problems.push(unknown(field, "input"));
      continue;
    }
    const type = types[field];
    if (type !== undefined && TYPE_OF(value) !== type) {
      problems.push(
        problem(
          "SL_SCHEDULE_INPUT_TYPE",
          `the schedule gives input field '${field}' a ${TYPE_OF(value)}; the input schema wants a ${type}`,
          `give '${field}' a ${type} value`,
          { field: `schedule.input.${field}` },
        ),
      );
    }
  }
  for (const [field, value] of Object.entries(schedule.scheduledInput ?? {})) {
    if (given.has(field)) {
      problems.push(
        problem(
          "SL_SCHEDULE_INPUT_CONFLICT",
          `input field '${field}' is given both a static value and a scheduled value`,
          "keep one of them",
          { field: `schedule.input.${field}` },
        ),
      );
      continue;
    }
    given.add(field);
    if (!known.has(field)) {
      problems.push(unknown(field, "input"));
      continue;
    }
    if (types[field] !== undefined && types[field] !== "string") {
      problems.push(
        problem(
          "SL_SCHEDULE_INPUT_TYPE",
          `scheduled.${value.kind}() gives a string, but input field '${field}' is a ${types[field]}`,
          `use scheduled.${value.kind}() for a string field only`,
          { field: `schedule.input.${field}` },
        ),
      );
    }
    if (value.kind === "date" && (!Number.isInteger(value.offsetDays) || Math.abs(value.offsetDays) > 366)) {
      problems.push(
        problem(
          "SL_SCHEDULE_INPUT_INVALID",
          `scheduled.date offsetDays must be a whole number within ±366, not ${String(value.offsetDays)}`,
          "e.g. offsetDays: -1 for the day before the scheduled time",
          { field: `schedule.input.${field}` },
        ),
      );
    }
  }
  const missing = model.input.required.filter((field) => !given.has(field));
  for (const field of missing) {
    problems.push(
      problem(
        "SL_SCHEDULE_INPUT_MISSING",
        `scheduled runs would fail at once: required input field '${field}' is not given by the schedule`,
        `give it in the schedule's input, e.g. input: { ${field}: scheduled.date({ offsetDays: -1 }) } or a static value, or give the field a default in the input schema`,
        { field: `schedule.input.${field}` },
      ),
    );
  }
  if (
    schedule.overlap === "skip" &&
    (schedule.target ?? "scheduler") === "scheduler" &&
    schedule.expression.startsWith("at(")
  ) {
    problems.push(
      warning(
        "SL_SCHEDULE_OVERLAP_ONCE",
        "overlap: skip on a one-time at(…) schedule only guards against runs started by hand",
        "remove overlap unless that is what you want",
        { field: "schedule.overlap" },
      ),
    );
  }
  return problems;
}
