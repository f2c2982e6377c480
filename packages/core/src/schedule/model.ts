/**
 * The schedule model: what an EventBridge schedule expression means, as plain
 * readonly data. `parseScheduleExpression` builds it from the text AWS takes;
 * `formatScheduleExpression` writes it back.
 */

/** Which AWS service runs the schedule: EventBridge Scheduler, or (legacy) EventBridge rules. */
export type ScheduleService = "scheduler" | "rules";

export type Schedule = CronSchedule | RateSchedule | AtSchedule;

/** `cron(minutes hours day-of-month month day-of-week year)`. */
export interface CronSchedule {
  readonly kind: "cron";
  /** The expression as written. */
  readonly expression: string;
  /** Sorted minutes 0–59. */
  readonly minutes: readonly number[];
  /** Sorted hours 0–23. */
  readonly hours: readonly number[];
  readonly dayOfMonth: DayOfMonth;
  /** Sorted months 1–12. */
  readonly months: readonly number[];
  readonly dayOfWeek: DayOfWeek;
  /** Sorted years 1970–2199. */
  readonly years: readonly number[];
}

/** The day-of-month field. `any` is `?`: the day is chosen by day-of-week. */
export type DayOfMonth =
  | { readonly kind: "any" }
  /** Listed days 1–31 (`*` lists all); a day a month lacks never matches in it. */
  | { readonly kind: "days"; readonly days: readonly number[] }
  /** `L` (offset 0) or `L-n`: the n-th day before the last day of the month. */
  | { readonly kind: "last"; readonly offset: number }
  /** `LW`: the last weekday (Monday–Friday) of the month. */
  | { readonly kind: "lastWeekday" }
  /** `nW`: the weekday nearest day n, within the same month (none in a month without day n). */
  | { readonly kind: "nearestWeekday"; readonly day: number };

/** The day-of-week field, days numbered as AWS does: 1 = SUN … 7 = SAT. `any` is `?`. */
export type DayOfWeek =
  | { readonly kind: "any" }
  /** Listed days 1–7 (`*` lists all; `L` alone is 7, Saturday). */
  | { readonly kind: "days"; readonly days: readonly number[] }
  /** `nL`: the last day `day` of the month, e.g. `6L` the last Friday. */
  | { readonly kind: "last"; readonly day: number }
  /** `n#k`: the k-th day `day` of the month, e.g. `3#2` the second Tuesday. */
  | { readonly kind: "nth"; readonly day: number; readonly nth: number };

export type RateUnit = "minute" | "hour" | "day";

/** `rate(value unit)`: every `value` units, as a fixed duration (a day is 24 hours, whatever DST does). */
export interface RateSchedule {
  readonly kind: "rate";
  readonly expression: string;
  readonly value: number;
  readonly unit: RateUnit;
  /** The interval in milliseconds. */
  readonly intervalMs: number;
}

/** `at(yyyy-mm-ddThh:mm:ss)`: once, at a wall time in the schedule's time zone (Scheduler only). */
export interface AtSchedule {
  readonly kind: "at";
  readonly expression: string;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** Names AWS accepts in the month field, JAN = 1. */
export const MONTH_NAMES = [
  "JAN",
  "FEB",
  "MAR",
  "APR",
  "MAY",
  "JUN",
  "JUL",
  "AUG",
  "SEP",
  "OCT",
  "NOV",
  "DEC",
] as const;
/** Names AWS accepts in the day-of-week field, SUN = 1. */
export const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
