/** EventBridge schedule expressions: parse, check, format, and when they fire. */

export type { CheckScheduleOptions } from "./check.js";
export { checkScheduleExpression } from "./check.js";
export { formatScheduleExpression } from "./format.js";
export type {
  AtSchedule,
  CronSchedule,
  DayOfMonth,
  DayOfWeek,
  RateSchedule,
  RateUnit,
  Schedule,
  ScheduleService,
} from "./model.js";
export { DAY_NAMES, MONTH_NAMES } from "./model.js";
export type { FireTimesOptions } from "./next.js";
export { nextFireTime, nextFireTimes } from "./next.js";
export type { ParseScheduleOptions } from "./parse.js";
export { parseScheduleExpression, tryParseScheduleExpression } from "./parse.js";
export { SCHEDULE_CODES } from "./private/codes.js";
export { checkTimezone, isTimezone, suggestTimezones } from "./timezone.js";
