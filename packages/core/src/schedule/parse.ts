import { type Problem, type ProblemLocation, SteplineError } from "../errors/problem.js";
import type { AtSchedule, RateSchedule, RateUnit, Schedule, ScheduleService } from "./model.js";
import { isDate } from "./private/calendar.js";
import { SCHEDULE_CODES as C } from "./private/codes.js";
import { FieldProblems } from "./private/cron-field.js";
import { parseCronFields } from "./private/parse-cron.js";
import { UNIX_MACROS, unixToAws } from "./private/unix.js";

/**
 * Reads EventBridge schedule expressions: `cron(…)` and `rate(…)` (rules and
 * Scheduler) and `at(…)` (Scheduler only), exactly as AWS takes them.
 * Expressions written in another dialect — Unix five-field cron, `@daily`,
 * Quartz with seconds, a cron or rate without its wrapper — are refused with
 * the AWS expression that means the same as the fix.
 */

export interface ParseScheduleOptions {
  /** Where the expression is written, for problems. */
  readonly where?: ProblemLocation;
  /** Which service runs it: `at()` is Scheduler's only. @default "scheduler" */
  readonly service?: ScheduleService;
}

/** Parses a schedule expression; throws a SteplineError carrying every problem found. */
export function parseScheduleExpression(expression: string, options: ParseScheduleOptions = {}): Schedule {
  const out = new FieldProblems(options.where ?? {});
  const schedule = readSchedule(expression, options, out);
  if (!schedule || out.list.length > 0) throw new SteplineError(out.list);
  return schedule;
}

/** Parses without throwing: the schedule, or the problems. */
export function tryParseScheduleExpression(
  expression: string,
  options: ParseScheduleOptions = {},
):
  | { readonly schedule: Schedule; readonly problems: readonly [] }
  | { readonly schedule?: undefined; readonly problems: readonly Problem[] } {
  const out = new FieldProblems(options.where ?? {});
  const schedule = readSchedule(expression, options, out);
  return schedule && out.list.length === 0 ? { schedule, problems: [] } : { problems: out.list };
}

const UNIT_MS: Readonly<Record<RateUnit, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function readSchedule(source: string, options: ParseScheduleOptions, out: FieldProblems): Schedule | undefined {
  const expression = source.trim();
  if (expression === "") {
    out.add(C.empty, "the schedule expression is empty", "write cron(…), rate(…) or at(…), e.g. rate(1 hour)");
    return undefined;
  }
  const wrapped = /^([A-Za-z]+)\((.*)\)$/s.exec(expression);
  if (!wrapped) {
    bareExpression(expression, out);
    return undefined;
  }
  const [, kind = "", inner = ""] = wrapped;
  switch (kind) {
    case "cron":
      return parseCronFields(expression, inner, out);
    case "rate":
      return parseRate(expression, inner, out);
    case "at": {
      const at = parseAt(expression, inner, out);
      if (at && options.service === "rules") {
        out.add(
          C.atNeedsScheduler,
          "at() one-time schedules are EventBridge Scheduler's; EventBridge rules take only cron() and rate()",
          `use EventBridge Scheduler (drop \`target: "rule"\`), or write a cron() with its year, e.g. ${atAsCron(at)}`,
        );
        return undefined;
      }
      return at;
    }
  }
  const lower = kind.toLowerCase();
  out.add(
    C.unknownForm,
    `'${kind}(' is not a schedule expression`,
    ["cron", "rate", "at"].includes(lower)
      ? `write ${lower}( in lower case: ${lower}(${inner})`
      : "write cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)",
  );
  return undefined;
}

function atAsCron(at: AtSchedule): string {
  return `cron(${at.minute} ${at.hour} ${at.day} ${at.month} ? ${at.year})`;
}

/** An expression without `cron(`, `rate(` or `at(`: say which it looks like and how to write it. */
function bareExpression(text: string, out: FieldProblems): void {
  const macro = UNIX_MACROS[text.toLowerCase()];
  if (macro) {
    out.add(C.unixCron, `'${text}' is a Unix cron macro; AWS does not take macros`, `write ${macro}`);
    return;
  }
  if (/^@/.test(text)) {
    out.add(
      C.unixCron,
      `'${text}' is a Unix cron macro; AWS does not take macros`,
      "write a cron(…) or rate(…) expression",
    );
    return;
  }
  const fields = text.split(/\s+/);
  if (/^[0-9]+ +(minute|minutes|hour|hours|day|days)$/i.test(text)) {
    out.add(C.missingWrapper, `'${text}' lacks its rate( ) wrapper`, `write rate(${text.toLowerCase()})`);
    return;
  }
  if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}T/.test(text)) {
    out.add(C.missingWrapper, `'${text}' lacks its at( ) wrapper`, `write at(${text})`);
    return;
  }
  if (fields.length === 5) {
    const t = unixToAws(fields);
    out.add(
      C.unixCron,
      `'${text}' is a five-field Unix cron expression; AWS wants cron(…) with six fields (… day-of-week year), days 1–7 from SUN and ? in one day field`,
      t === undefined
        ? "write cron(minutes hours day-of-month month day-of-week year) with ? in day-of-month or day-of-week"
        : t.expressions.length === 1
          ? `write ${t.expressions[0]}`
          : `Unix runs on either day field; AWS takes one: use two schedules, ${t.expressions.join(" and ")}`,
    );
    return;
  }
  if (fields.length === 6 || fields.length === 7) {
    // Check the fields as a cron( ) would, so the fix is one that AWS takes.
    const check = new FieldProblems({});
    parseCronFields(`cron(${text})`, text, check);
    const first = check.list[0];
    out.add(
      C.missingWrapper,
      `'${text}' lacks its cron( ) wrapper`,
      first ? `write cron(…) around it, and: ${first.fix}` : `write cron(${fields.join(" ")})`,
    );
    return;
  }
  out.add(
    C.unknownForm,
    `'${text}' is not a schedule expression`,
    "write cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)",
  );
}

/** `rate(value unit)`: a positive whole value; the unit singular for 1 and plural otherwise. */
function parseRate(expression: string, inner: string, out: FieldProblems): RateSchedule | undefined {
  const m = /^([^\s]+)\s+([^\s]+)$/.exec(inner.trim());
  if (!m) {
    out.add(
      C.rateUnit,
      `rate(${inner}) needs a value and a unit`,
      "write e.g. rate(5 minutes), rate(1 hour) or rate(7 days)",
    );
    return undefined;
  }
  const [, valueText = "", unitText = ""] = m;
  const unitWord = unitText.toLowerCase();
  const singular = unitWord.replace(/s$/, "");
  if (!/^[0-9]+$/.test(valueText) || Number(valueText) === 0) {
    const asNumber = Number(valueText);
    const minutes =
      Number.isFinite(asNumber) && singular in UNIT_MS
        ? (asNumber * (UNIT_MS[singular as RateUnit] ?? 0)) / 60_000
        : Number.NaN;
    out.add(
      C.rateValue,
      `rate value '${valueText}' must be a positive whole number`,
      Number.isInteger(minutes) && minutes > 0
        ? `write rate(${minutes} minute${minutes === 1 ? "" : "s"})`
        : "write e.g. rate(5 minutes)",
    );
    return undefined;
  }
  const value = Number(valueText);
  if (singular === "second") {
    out.add(C.rateUnit, "rate in seconds: AWS schedules run at most once a minute", "write rate(1 minute) or slower");
    return undefined;
  }
  if (singular === "week") {
    const days = value * 7;
    out.add(C.rateUnit, "rate unit 'week' is not valid: AWS takes minutes, hours or days", `write rate(${days} days)`);
    return undefined;
  }
  if (!(singular in UNIT_MS)) {
    out.add(
      C.rateUnit,
      `rate unit '${unitText}' is not valid: AWS takes minute, minutes, hour, hours, day, days`,
      singular === "month" || singular === "year"
        ? "use a cron() expression, e.g. cron(0 0 1 * ? *) for monthly"
        : `write e.g. rate(${value} ${value === 1 ? "hour" : "hours"})`,
    );
    return undefined;
  }
  const unit = singular as RateUnit;
  const right = value === 1 ? unit : `${unit}s`;
  if (unitText !== right) {
    out.add(
      C.rateUnit,
      unitText !== unitWord
        ? `rate(${inner.trim()}): the unit is written in lower case`
        : `rate(${inner.trim()}): the unit is singular for 1 and plural otherwise`,
      `write rate(${value} ${right})`,
    );
    return undefined;
  }
  const intervalMs = value * UNIT_MS[unit];
  if (!Number.isSafeInteger(intervalMs)) {
    out.add(C.rateValue, `rate value ${valueText} is too large`, "write a smaller value, or a cron() with a year");
    return undefined;
  }
  return { kind: "rate", expression, value, unit, intervalMs };
}

/** `at(yyyy-mm-ddThh:mm:ss)`: a wall time in the schedule's time zone, no offset. */
function parseAt(expression: string, inner: string, out: FieldProblems): AtSchedule | undefined {
  const text = inner.trim();
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})$/.exec(text);
  if (!m) {
    out.add(C.atFormat, `at(${text}) is not written yyyy-mm-ddThh:mm:ss`, `write ${atFix(text)}`);
    return undefined;
  }
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!isDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    out.add(
      C.atFormat,
      `at(${text}) is not a real date and time`,
      "write a date that exists, hours 00–23, minutes and seconds 00–59",
    );
    return undefined;
  }
  return { kind: "at", expression, year, month, day, hour, minute, second };
}

/** The nearest at() to what was written: a space for T, missing seconds, an offset or milliseconds. */
function atFix(text: string): string {
  const m =
    /^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2})(:[0-9]{2})?(?:\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?$/.exec(
      text,
    );
  if (!m) return "e.g. at(2030-01-31T09:00:00)";
  const [, date, hm, sec = ":00", zone] = m;
  const fixed = `at(${date}T${hm}${sec})`;
  return zone ? `${fixed}, without an offset: set the schedule's time zone instead` : fixed;
}
