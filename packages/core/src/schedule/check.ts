import { type Problem, type ProblemLocation, problem, warning } from "../errors/problem.js";
import type { ScheduleService } from "./model.js";
import { cronMatcher } from "./next.js";
import { tryParseScheduleExpression } from "./parse.js";
import { wallMs } from "./private/calendar.js";
import { SCHEDULE_CODES as C } from "./private/codes.js";
import { zoneOffsets } from "./private/zone.js";
import { checkTimezone } from "./timezone.js";

export interface CheckScheduleOptions {
  /** Where the schedule is written, for problems. */
  readonly where?: ProblemLocation;
  /** Where the time zone is written, for its problems. @default `where`'s field + `.timezone` */
  readonly timezoneWhere?: ProblemLocation;
  /** @default "scheduler" */
  readonly service?: ScheduleService;
  /** The schedule's IANA time zone (ScheduleExpressionTimezone). @default "UTC" */
  readonly timezone?: string;
}

/**
 * Every problem of a schedule with its time zone, without throwing: parse
 * errors, an unknown zone, a zone on EventBridge rules (UTC only), and a
 * warning for an expression that never fires (30 February, an at() in a
 * skipped hour).
 */
export function checkScheduleExpression(expression: string, options: CheckScheduleOptions = {}): Problem[] {
  const where = options.where ?? {};
  const parsed = tryParseScheduleExpression(expression, options);
  const problems: Problem[] = [...parsed.problems];
  const tz = options.timezone;
  let zoneOk = true;
  if (tz !== undefined) {
    const zoneWhere = options.timezoneWhere ?? {
      ...where,
      field: where.field ? `${where.field}.timezone` : "timezone",
    };
    const zoneProblems = checkTimezone(tz, zoneWhere);
    problems.push(...zoneProblems);
    zoneOk = zoneProblems.length === 0;
    if (zoneOk && options.service === "rules" && tz !== "UTC" && tz !== "Etc/UTC") {
      problems.push(
        problem(
          C.timezoneNeedsScheduler,
          `EventBridge rules run in UTC only; time zone '${tz}' needs EventBridge Scheduler`,
          'use EventBridge Scheduler (drop `target: "rule"`), which honours time zones, or write the expression in UTC',
          zoneWhere,
        ),
      );
    }
  }
  const schedule = parsed.schedule;
  if (!schedule) return problems;
  if (
    schedule.kind === "cron" &&
    Number.isNaN(
      cronMatcher(schedule)
        .cursor(Date.UTC(1969, 11, 31))
        .next(),
    )
  ) {
    problems.push(
      warning(
        C.neverFires,
        `${schedule.expression} names no date that exists between 1970 and 2199, so it never fires`,
        "check day-of-month against the months (e.g. 30 in FEB, 31 in APR) and the years",
        where,
      ),
    );
  }
  if (schedule.kind === "at" && tz !== undefined && tz !== "UTC" && zoneOk) {
    const wall = wallMs(schedule.year, schedule.month, schedule.day, schedule.hour, schedule.minute, schedule.second);
    if (Number.isNaN(zoneOffsets(tz).firstInstant(wall))) {
      problems.push(
        warning(
          C.neverFires,
          `${schedule.expression} falls in the hour ${tz} skips when clocks go forward, so it never fires`,
          "pick a time outside the daylight saving change",
          where,
        ),
      );
    }
  }
  return problems;
}
