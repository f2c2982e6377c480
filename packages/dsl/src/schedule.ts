import type { JsonValue, ScheduledInputValue, ScheduleModel } from "@stepline/core";
import { SteplineError } from "@stepline/core";
import { optional } from "./private/optional.js";

/** Days of the week as AWS cron names them. */
export type Weekday = "SUN" | "MON" | "TUE" | "WED" | "THU" | "FRI" | "SAT";

/** A wall-clock time in the schedule's time zone, `"HH:MM"` (24 h). */
export type TimeOfDay = `${number}:${number}`;

const SCHEDULED: unique symbol = Symbol.for("stepline.scheduled");

/** An input value a scheduled run gets from the time the schedule fired (see {@link scheduled}). */
export interface ScheduledValue {
  readonly [SCHEDULED]: ScheduledInputValue;
}

/** Input values of scheduled runs taken from the scheduled time. */
export const scheduled = {
  /** The instant the schedule fired for, ISO-8601 in UTC, e.g. `"2026-11-26T01:30:00Z"`. */
  time(): ScheduledValue {
    return { [SCHEDULED]: { kind: "time" } };
  },
  /**
   * The calendar date (`YYYY-MM-DD`) of the scheduled time in the schedule's
   * time zone, moved by `offsetDays`: `scheduled.date({ offsetDays: -1 })` is
   * "yesterday" where the schedule lives, the usual date of a nightly batch.
   */
  date(options: { readonly offsetDays?: number } = {}): ScheduledValue {
    const offsetDays = options.offsetDays ?? 0;
    if (!Number.isInteger(offsetDays) || Math.abs(offsetDays) > 366) {
      throw scheduleError(
        "SL_SCHEDULE_INPUT_INVALID",
        `scheduled.date offsetDays must be a whole number of days within ±366, not ${String(offsetDays)}`,
        "use e.g. scheduled.date({ offsetDays: -1 }) for the day before the scheduled time",
        "schedule.input",
      );
    }
    return { [SCHEDULED]: { kind: "date", offsetDays } };
  },
};

function isScheduledValue(value: unknown): value is ScheduledValue {
  return typeof value === "object" && value !== null && SCHEDULED in value;
}

/** Everything a schedule may set besides its expression. */
export interface ScheduleOptions {
  /** IANA time zone the expression is read in, e.g. `"Europe/Paris"`. @default "UTC" */
  readonly timezone?: string;
  /** A disabled schedule is deployed but does not fire. @default true */
  readonly enabled?: boolean;
  /** Input of scheduled runs: static values and {@link scheduled} values. */
  readonly input?: { readonly [field: string]: JsonValue | ScheduledValue };
  /** First and last instants the schedule may fire (ISO-8601 or Date). */
  readonly startDate?: string | Date;
  readonly endDate?: string | Date;
  /** Let EventBridge Scheduler start runs up to this many minutes late, to spread load. @default off */
  readonly flexibleWindowMinutes?: number;
  /** How EventBridge Scheduler retries a failed StartExecution (0–185 attempts, 60–86,400 s). */
  readonly retry?: { readonly maxAttempts?: number; readonly maxEventAgeSeconds?: number };
  /** SQS queue that receives the events Scheduler could not deliver. */
  readonly deadLetterQueueArn?: string;
  /** `scheduler` (EventBridge Scheduler) or a legacy EventBridge `rule` (UTC only). @default "scheduler" */
  readonly target?: "scheduler" | "rule";
  /** `skip`: a run that starts while another run of the pipeline is RUNNING ends at once. @default "allow" */
  readonly overlap?: "allow" | "skip";
}

/** A schedule from any expression: `cron(…)`, `rate(…)` or `at(…)` (checked when compiling). */
export function schedule(expression: string, options: ScheduleOptions = {}): ScheduleModel {
  const input: Record<string, JsonValue> = {};
  const scheduledInput: Record<string, ScheduledInputValue> = {};
  for (const [field, value] of Object.entries(options.input ?? {})) {
    if (isScheduledValue(value)) scheduledInput[field] = value[SCHEDULED];
    else input[field] = structuredClone(value) as JsonValue;
  }
  return {
    expression,
    ...optional("timezone", options.timezone),
    ...optional("enabled", options.enabled),
    ...optional("input", Object.keys(input).length > 0 ? input : undefined),
    ...optional("scheduledInput", Object.keys(scheduledInput).length > 0 ? scheduledInput : undefined),
    ...optional("startDate", instant(options.startDate)),
    ...optional("endDate", instant(options.endDate)),
    ...optional("flexibleWindowMinutes", options.flexibleWindowMinutes),
    ...optional("retry", options.retry === undefined ? undefined : { ...options.retry }),
    ...optional("deadLetterQueueArn", options.deadLetterQueueArn),
    ...optional("target", options.target),
    ...optional("overlap", options.overlap),
  };
}

/** `cron(minutes hours day-of-month month day-of-week year)` in AWS's dialect; the `cron(…)` wrapper is optional. */
export function cron(expression: string, options: ScheduleOptions = {}): ScheduleModel {
  const trimmed = expression.trim();
  return schedule(trimmed.startsWith("cron(") ? trimmed : `cron(${trimmed})`, options);
}

/** Every `value` minutes, hours or days: `rate(15, "minutes")`. Singular or plural units both work. */
export function rate(
  value: number,
  unit: "minute" | "minutes" | "hour" | "hours" | "day" | "days",
  options: ScheduleOptions = {},
): ScheduleModel {
  const base = unit.replace(/s$/, "");
  return schedule(`rate(${value} ${value === 1 ? base : `${base}s`})`, options);
}

/** Every day at `at` (`"HH:MM"`) in the schedule's time zone. */
export function daily(at: TimeOfDay, options: ScheduleOptions = {}): ScheduleModel {
  const { hour, minute } = timeOfDay(at);
  return schedule(`cron(${minute} ${hour} * * ? *)`, options);
}

/** Every hour at `minute` past the hour. */
export function hourly(minute = 0, options: ScheduleOptions = {}): ScheduleModel {
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw scheduleError(
      "SL_SCHEDULE_TIME_INVALID",
      `hourly(${String(minute)}): the minute must be a whole number from 0 to 59`,
      "e.g. hourly(15) runs at a quarter past every hour",
      "schedule",
    );
  }
  return schedule(`cron(${minute} * * * ? *)`, options);
}

/** Every week on `days` at `at` (`"HH:MM"`), e.g. `weekly(["MON", "THU"], "06:00")`. */
export function weekly(
  days: Weekday | readonly Weekday[],
  at: TimeOfDay,
  options: ScheduleOptions = {},
): ScheduleModel {
  const list = typeof days === "string" ? [days] : [...days];
  const known: readonly string[] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
  const bad = list.find((d) => !known.includes(d));
  if (list.length === 0 || bad !== undefined) {
    throw scheduleError(
      "SL_SCHEDULE_TIME_INVALID",
      list.length === 0 ? "weekly() needs at least one day" : `weekly(): '${String(bad)}' is not a day of the week`,
      "name days as SUN, MON, TUE, WED, THU, FRI, SAT",
      "schedule",
    );
  }
  const { hour, minute } = timeOfDay(at);
  return schedule(`cron(${minute} ${hour} ? * ${[...new Set(list)].join(",")} *)`, options);
}

/** Every month on `day` (1–31, or `"last"`) at `at`. */
export function monthly(day: number | "last", at: TimeOfDay, options: ScheduleOptions = {}): ScheduleModel {
  if (day !== "last" && (!Number.isInteger(day) || day < 1 || day > 31)) {
    throw scheduleError(
      "SL_SCHEDULE_TIME_INVALID",
      `monthly(${String(day)}): the day must be 1–31 or "last"`,
      'use monthly("last", …) for the last day of every month',
      "schedule",
    );
  }
  const { hour, minute } = timeOfDay(at);
  return schedule(`cron(${minute} ${hour} ${day === "last" ? "L" : day} * ? *)`, options);
}

/** Once, at `at` (`"YYYY-MM-DDTHH:MM:SS"`, wall-clock time in the schedule's time zone). EventBridge Scheduler only. */
export function once(at: string, options: ScheduleOptions = {}): ScheduleModel {
  return schedule(`at(${at})`, options);
}

function timeOfDay(at: string): { hour: number; minute: number } {
  const match = /^(\d{1,2}):(\d{2})$/.exec(at);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) {
    throw scheduleError(
      "SL_SCHEDULE_TIME_INVALID",
      `'${at}' is not a time of day`,
      'write it as "HH:MM" on a 24-hour clock, e.g. "02:30" or "18:05"',
      "schedule",
    );
  }
  return { hour, minute };
}

function instant(value: string | Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw scheduleError(
        "SL_SCHEDULE_DATE_INVALID",
        "a schedule's start or end date is an invalid Date",
        "pass an ISO-8601 instant such as 2027-01-01T00:00:00Z",
        "schedule",
      );
    }
    return value.toISOString();
  }
  return value;
}

function scheduleError(code: string, message: string, fix: string, field: string): SteplineError {
  return SteplineError.of(code, message, fix, { field });
}
