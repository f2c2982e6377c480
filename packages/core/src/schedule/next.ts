import { SteplineError } from "../errors/problem.js";
import type { AtSchedule, CronSchedule, RateSchedule, Schedule } from "./model.js";
import { parseScheduleExpression } from "./parse.js";
import { wallMs } from "./private/calendar.js";
import { SCHEDULE_CODES as C } from "./private/codes.js";
import { CronMatcher } from "./private/matcher.js";
import { type ZoneOffsets, zoneOffsets } from "./private/zone.js";
import { checkTimezone } from "./timezone.js";

/**
 * When a schedule fires, as EventBridge Scheduler runs it.
 *
 * Time zones and daylight saving time, from the Scheduler user guide
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html,
 * "Daylight savings time on EventBridge Scheduler"): "When time shifts forward
 * in the Spring, if a cron expression falls on a non-existent date and time,
 * your schedule invocation is skipped. When time shifts backwards in the Fall,
 * your schedule runs only once and does not repeat its invocation." — and its
 * example `cron(30 2 * * ? *)` in America/Los_Angeles "runs the schedule only
 * once at 2:30 a.m. before the shift occurs". So a wall time the zone skips
 * never fires, and a wall time it repeats fires once, at its first (earlier)
 * instant. The guide gives no other rule for wildcard expressions, so this
 * holds for every minute: `cron(0/15 * * * ? *)` fires 01:00–01:45 once on a
 * fall-back night, not twice (unlike Vixie cron and croner).
 *
 * rate(): "days represents a 24-hour duration on the clock … EventBridge
 * Scheduler still evaluates the rate expression 24 hours after the schedule's
 * last invocation" (same page), so a rate ignores the zone. It runs from the
 * schedule's StartDate, or from its creation when it has none ("your schedule
 * starts invoking the target immediately"): fire times are start + k × interval,
 * k ≥ 0, and `startDate` defaults to `from` — a schedule created at `from`, whose
 * invocation at creation is not after `from`. EndDate ends every kind but at().
 *
 * at(): the wall time in the zone, once; in a repeated hour its first instant,
 * in a skipped hour never (the guide is silent on this; it is the cron rule).
 */

export interface FireTimesOptions {
  /** Fire times are strictly after this instant. */
  readonly from: Date | number;
  /** How many fire times to return (fewer when the schedule ends first, e.g. with its last year). */
  readonly count: number;
  /** The IANA zone the expression is read in (Scheduler's ScheduleExpressionTimezone). @default "UTC" */
  readonly timezone?: string;
  /**
   * The schedule's StartDate: no fire time before it, and for rate() the instant
   * its intervals count from. at() ignores it, as Scheduler does. @default from
   */
  readonly startDate?: Date | number;
  /**
   * The schedule's EndDate: no fire time after it ("invocations might stop on, or
   * before, the EndDate"). at() ignores it, as Scheduler does.
   */
  readonly endDate?: Date | number;
}

/**
 * The next `count` fire times of a schedule after `from`, in order, as UTC
 * instants in epoch milliseconds (`new Date(t)` for a Date).
 */
export function nextFireTimes(schedule: Schedule | string, options: FireTimesOptions): number[] {
  const parsed = typeof schedule === "string" ? parseCached(schedule) : schedule;
  const { from, count, zone, start, end } = readOptions(options);
  switch (parsed.kind) {
    case "cron":
      return cronTimes(parsed, from, count, zone, start, end);
    case "rate":
      return rateTimes(parsed, from, count, start, end);
    case "at":
      return atTimes(parsed, from, count, zone);
  }
}

/** The next fire time of a schedule after `from` (epoch ms), or undefined when it never fires again. */
export function nextFireTime(
  schedule: Schedule | string,
  options: Omit<FireTimesOptions, "count">,
): number | undefined {
  return nextFireTimes(schedule, { ...options, count: 1 })[0];
}

const matchers = new WeakMap<CronSchedule, CronMatcher>();

/** The compiled matcher of a cron schedule (built once per schedule object). */
export function cronMatcher(cron: CronSchedule): CronMatcher {
  let m = matchers.get(cron);
  if (!m) {
    m = new CronMatcher(cron);
    matchers.set(cron, m);
  }
  return m;
}

function cronTimes(
  cron: CronSchedule,
  from: number,
  count: number,
  zone: ZoneOffsets | undefined,
  start: number | undefined,
  end: number,
): number[] {
  // "At or after start" is "after start - 1 ms": instants are whole milliseconds.
  const after = start === undefined ? from : Math.max(from, start - 1);
  const out: number[] = [];
  if (zone === undefined) {
    const cursor = cronMatcher(cron).cursor(after);
    while (out.length < count) {
      const t = cursor.next();
      if (!(t <= end)) break; // NaN: no more
      out.push(t);
    }
    return out;
  }
  const cursor = cronMatcher(cron).cursor(after + zone.offsetAt(after));
  while (out.length < count) {
    const wall = cursor.next();
    if (Number.isNaN(wall)) break;
    const t = zone.firstInstant(wall); // NaN in a skipped hour
    if (t > end) break;
    // In the second pass through a repeated hour, the first instants of the wall
    // times ahead of `from` are already past: skip them.
    if (t > after) out.push(t);
  }
  return out;
}

function rateTimes(rate: RateSchedule, from: number, count: number, start: number | undefined, end: number): number[] {
  const anchor = start ?? from;
  const interval = rate.intervalMs;
  const k = from < anchor ? 0 : Math.floor((from - anchor) / interval) + 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = anchor + (k + i) * interval;
    if (t > end) break;
    out.push(t);
  }
  return out;
}

function atTimes(at: AtSchedule, from: number, count: number, zone: ZoneOffsets | undefined): number[] {
  const wall = wallMs(at.year, at.month, at.day, at.hour, at.minute, at.second);
  const t = zone ? zone.firstInstant(wall) : wall;
  return count > 0 && t > from ? [t] : [];
}

const parsedText = new Map<string, Schedule>();

function parseCached(text: string): Schedule {
  let s = parsedText.get(text);
  if (!s) {
    s = parseScheduleExpression(text);
    if (parsedText.size >= 1000) parsedText.clear();
    parsedText.set(text, s);
  }
  return s;
}

const validZones = new Set<string>(["UTC"]);

function readOptions(options: FireTimesOptions): {
  from: number;
  count: number;
  zone: ZoneOffsets | undefined;
  start: number | undefined;
  end: number;
} {
  const from = instant(options.from, "from");
  const start = options.startDate === undefined ? undefined : instant(options.startDate, "startDate");
  const end = options.endDate === undefined ? Number.POSITIVE_INFINITY : instant(options.endDate, "endDate");
  const { count } = options;
  if (!Number.isSafeInteger(count) || count < 0) {
    throw SteplineError.of(C.options, `count must be a whole number ≥ 0, got ${count}`, "pass e.g. { count: 10 }", {
      field: "count",
    });
  }
  const tz = options.timezone ?? "UTC";
  if (!validZones.has(tz)) {
    const problems = checkTimezone(tz, { field: "timezone" });
    if (problems.length > 0) throw new SteplineError(problems);
    validZones.add(tz);
  }
  return { from, count, zone: tz === "UTC" ? undefined : zoneOffsets(tz), start, end };
}

function instant(value: Date | number, field: string): number {
  const ms = typeof value === "number" ? value : value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw SteplineError.of(
      C.options,
      `${field} must be a valid Date or epoch milliseconds`,
      `pass e.g. { ${field}: new Date() }`,
      {
        field,
      },
    );
  }
  return ms;
}
