import { type Problem, type ProblemLocation, problem } from "../../errors/problem.js";
import { DAY_NAMES, type DayOfMonth, type DayOfWeek, MONTH_NAMES } from "../model.js";
import { SCHEDULE_CODES as C } from "./codes.js";
import { unixDayOfWeekToAws } from "./unix.js";

/**
 * One field of an AWS cron expression. AWS's dialect is Quartz's without the
 * seconds field (its wildcard table, `L`, `W`, `#` and 1 = SUN are Quartz's),
 * so where the AWS guide is silent this follows Quartz's CronExpression:
 * - a range may wrap (`FRI-MON`, `22-2`; the guide's own example is hours `20-2`),
 *   except in the year field;
 * - a step is `*\/n`, `a/n` (from a to the end of the field) or `a-b/n`, with n at
 *   most 59 in minutes, 23 in hours, 31, 12 and 7 in days of month, months and
 *   days of week (Quartz's limits);
 * - names and `L`, `W` are case-insensitive;
 * - `L`, `L-n`, `LW`, `nW`, `nL` and `n#k` stand alone in their field (Quartz
 *   rejects them in lists; the guide says so for `#`);
 * - `L-n` (n-th day before the last, n ≤ 30) and `LW` are taken although the
 *   guide shows neither: both are Quartz's, and `LW` is reported accepted by the
 *   EventBridge console (grumBit/aws_cron_expression_validator#18);
 * - `L` alone in day-of-week is 7, Saturday ("the last day of the week");
 * - steps in day-of-week (`2/2`) are taken: the Lambda and CloudWatch Events
 *   guides list `/` there, the EventBridge guide's table no longer does;
 * - `nW` for a day the month lacks (31W in April) does not fire that month.
 */

export interface FieldSpec {
  /** The name AWS's guide uses, e.g. `day-of-week`. */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly wraps: boolean;
  readonly maxStep: number;
  /** The values' meaning, for messages, e.g. `0–59`. */
  readonly values: string;
}

export const MINUTES: FieldSpec = { label: "minutes", min: 0, max: 59, wraps: true, maxStep: 59, values: "0–59" };
export const HOURS: FieldSpec = { label: "hours", min: 0, max: 23, wraps: true, maxStep: 23, values: "0–23" };
export const DAY_OF_MONTH: FieldSpec = {
  label: "day-of-month",
  min: 1,
  max: 31,
  wraps: true,
  maxStep: 31,
  values: "1–31",
};
export const MONTH: FieldSpec = {
  label: "month",
  min: 1,
  max: 12,
  names: MONTH_NAMES,
  wraps: true,
  maxStep: 12,
  values: "1–12 or JAN–DEC",
};
export const DAY_OF_WEEK: FieldSpec = {
  label: "day-of-week",
  min: 1,
  max: 7,
  names: DAY_NAMES,
  wraps: true,
  maxStep: 7,
  values: "1–7 = SUN–SAT",
};
export const YEAR: FieldSpec = {
  label: "year",
  min: 1970,
  max: 2199,
  wraps: false,
  maxStep: 229,
  values: "1970–2199",
};

/** Collects the problems of one expression, each naming its cron field. */
export class FieldProblems {
  readonly list: Problem[] = [];
  constructor(private readonly where: ProblemLocation) {}
  add(code: string, message: string, fix: string): void {
    this.list.push(problem(code, message, fix, this.where));
  }
}

const ITEM = /^(\*|[0-9A-Z]+)(?:-([0-9A-Z]+))?(?:\/([0-9A-Z]*))?$/;

/** Parses a field without `?`, `L`, `W`, `#` into sorted values; undefined after a problem. */
export function parseList(text: string, spec: FieldSpec, out: FieldProblems): number[] | undefined {
  const values = new Set<number>();
  let ok = true;
  for (const item of text.split(",")) {
    if (!parseItem(item, spec, values, out, text)) ok = false;
  }
  return ok ? [...values].sort((a, b) => a - b) : undefined;
}

function parseItem(item: string, spec: FieldSpec, into: Set<number>, out: FieldProblems, field: string): boolean {
  const m = ITEM.exec(item);
  if (!m) {
    out.add(
      C.fieldSyntax,
      `${spec.label} '${field}' is not valid AWS cron: cannot read '${item}'`,
      `write ${spec.label} as *, a value (${spec.values}), a range a-b, a step a/n or */n, or a comma-separated list of those`,
    );
    return false;
  }
  const [, base = "", endText, stepText] = m;
  let start = spec.min;
  let end = spec.max;
  if (base !== "*") {
    const first = readValue(base, spec, out, field);
    if (first === undefined) return false;
    start = first;
    end = first;
    if (endText !== undefined) {
      const last = readValue(endText, spec, out, field);
      if (last === undefined) return false;
      end = last;
    } else if (stepText !== undefined) {
      end = spec.max; // Quartz: a/n runs from a to the end of the field
    }
  } else if (endText !== undefined) {
    out.add(
      C.fieldSyntax,
      `${spec.label} '${field}': '*' cannot start a range`,
      `write the range as a-b, e.g. ${spec.min}-${spec.max}`,
    );
    return false;
  }
  let step = 1;
  if (stepText !== undefined) {
    step = Number(stepText);
    if (!/^[0-9]+$/.test(stepText) || step < 1 || step > spec.maxStep) {
      out.add(
        C.step,
        `${spec.label} '${field}': step '${stepText}' must be a whole number from 1 to ${spec.maxStep}`,
        `write a step such as ${base === "*" ? "*" : base}/5`,
      );
      return false;
    }
  }
  if (end < start && !spec.wraps) {
    out.add(
      C.fieldRange,
      `${spec.label} range ${start}-${end} runs backwards`,
      `write the ${spec.label} range from the earlier value: ${end}-${start}`,
    );
    return false;
  }
  const size = spec.max - spec.min + 1;
  const stop = end < start ? end + size : end;
  for (let v = start; v <= stop; v += step) into.add(v > spec.max ? v - size : v);
  return true;
}

/** Reads a number or a name of the field; reports a problem and returns undefined when it is neither. */
function readValue(token: string, spec: FieldSpec, out: FieldProblems, field: string): number | undefined {
  if (/^[0-9]+$/.test(token)) {
    const n = Number(token);
    if (n >= spec.min && n <= spec.max) return n;
    out.add(C.fieldRange, outOfRangeMessage(n, spec, field), outOfRangeFix(n, spec, field));
    return undefined;
  }
  const index = spec.names?.indexOf(token) ?? -1;
  if (index >= 0) return index + 1;
  const hint = spec.names ? ` or a name ${spec.names[0]}–${spec.names[spec.names.length - 1]}` : "";
  out.add(
    C.fieldSyntax,
    `${spec.label} '${field}': '${token}' is not a ${spec.label} value`,
    `use a number ${spec.values.split(" ")[0]}${hint}`,
  );
  return undefined;
}

function outOfRangeMessage(n: number, spec: FieldSpec, field: string): string {
  if (spec === DAY_OF_WEEK && n === 0) {
    return `day-of-week 0 is not valid in AWS cron (1–7 = SUN–SAT); did you mean 1 (SUN)?`;
  }
  if (spec === HOURS && n === 24) return `hours 24 is not valid (hours are 0–23; midnight is 0)`;
  if (spec === MONTH && n === 0) return `month 0 is not valid (months are 1–12 = JAN–DEC)`;
  return `${spec.label} ${n} is out of range in '${field}' (${spec.values})`;
}

function outOfRangeFix(n: number, spec: FieldSpec, field: string): string {
  if (spec === DAY_OF_WEEK) {
    const translated = unixDayOfWeekToAws(field);
    return translated !== undefined
      ? `AWS numbers days 1 (SUN) to 7 (SAT), not Unix's 0–6: write day-of-week as ${translated}`
      : "AWS numbers days 1 (SUN) to 7 (SAT); or use the names SUN–SAT";
  }
  if (spec === YEAR) return `use years from 1970 to 2199, or * for every year`;
  if (spec === HOURS && n === 24) return "write 0 for midnight (and move the day on by one if needed)";
  return `use ${spec.label} values ${spec.values}`;
}

/** `?` in the day fields; anything else in the other fields. */
export function questionMarkProblem(spec: FieldSpec, out: FieldProblems): void {
  out.add(
    C.questionMark,
    `${spec.label} cannot be '?': only day-of-month and day-of-week take '?'`,
    `write * for every ${spec.label === "minutes" ? "minute" : spec.label === "hours" ? "hour" : spec.label}`,
  );
}

const SPECIAL = /[LW#?]/;

/** The day-of-month field: `?`, a list, `L`, `L-n`, `LW` or `nW`. */
export function parseDayOfMonth(text: string, out: FieldProblems): DayOfMonth | undefined {
  if (text === "?") return { kind: "any" };
  if (!SPECIAL.test(text)) {
    const days = parseList(text, DAY_OF_MONTH, out);
    return days && { kind: "days", days };
  }
  if (text === "L") return { kind: "last", offset: 0 };
  if (text === "LW") return { kind: "lastWeekday" };
  let m = /^L-([0-9]+)$/.exec(text);
  if (m) {
    const offset = Number(m[1]);
    if (offset >= 1 && offset <= 30) return { kind: "last", offset };
    out.add(
      C.fieldRange,
      `day-of-month '${text}': the offset from the last day must be 1–30`,
      "write L-1 … L-30, or L for the last day",
    );
    return undefined;
  }
  m = /^([0-9]+)W$/.exec(text);
  if (m) {
    const day = Number(m[1]);
    if (day >= 1 && day <= 31) return { kind: "nearestWeekday", day };
    out.add(
      C.fieldRange,
      `day-of-month '${text}': W needs a day 1–31`,
      "write e.g. 15W for the weekday nearest the 15th",
    );
    return undefined;
  }
  if (text.includes("#")) {
    out.add(
      C.wildcardField,
      `day-of-month '${text}': '#' is only valid in day-of-week`,
      "write n#k in day-of-week (e.g. 3#2, the second Tuesday) and ? in day-of-month",
    );
    return undefined;
  }
  if (text.split(",").length > 1 || /[-/]/.test(text)) {
    out.add(
      C.specialInList,
      `day-of-month '${text}': ${text.includes("?") ? "'?'" : "L and W"} must stand alone in the field`,
      "write one of ?, L, L-n, LW or nW alone, or a list of plain days; use two schedules for both",
    );
    return undefined;
  }
  out.add(
    C.fieldSyntax,
    `day-of-month '${text}' is not valid AWS cron`,
    "write ?, *, days 1–31 (lists, ranges, steps), L, L-n (n-th day before the last), LW or nW (nearest weekday to day n)",
  );
  return undefined;
}

/** The day-of-week field: `?`, a list, `L`, `nL` or `n#k`. */
export function parseDayOfWeek(text: string, out: FieldProblems): DayOfWeek | undefined {
  if (text === "?") return { kind: "any" };
  if (text === "L") return { kind: "days", days: [7] }; // Quartz: L alone is the last day of the week, SAT
  const bare = text.replace(/SUN|MON|TUE|WED|THU|FRI|SAT/g, ""); // WED is no W
  if (!SPECIAL.test(bare)) {
    const days = parseList(text, DAY_OF_WEEK, out);
    return days && { kind: "days", days };
  }
  if (bare.includes("W")) {
    out.add(
      C.wildcardField,
      `day-of-week '${text}': 'W' is only valid in day-of-month`,
      "write nW in day-of-month (e.g. 15W) and ? in day-of-week",
    );
    return undefined;
  }
  const list = text.split(",");
  if (list.length > 1) {
    out.add(
      C.specialInList,
      `day-of-week '${text}': ${text.includes("#") ? "'#'" : text.includes("?") ? "'?'" : "'L'"} must stand alone in the field (AWS reads a list such as 3#1,6#3 as two expressions)`,
      "use one n#k or nL per schedule, and a second schedule for the other day",
    );
    return undefined;
  }
  let m = /^([0-9]+|[A-Z]{3})L$/.exec(text);
  if (m) {
    const day = readValue(m[1] as string, DAY_OF_WEEK, out, text);
    return day === undefined ? undefined : { kind: "last", day };
  }
  m = /^([0-9]+|[A-Z]{3})#([0-9]+)$/.exec(text);
  if (m) {
    const day = readValue(m[1] as string, DAY_OF_WEEK, out, text);
    const nth = Number(m[2]);
    if (nth < 1 || nth > 5) {
      out.add(
        C.fieldRange,
        `day-of-week '${text}': the occurrence after '#' must be 1–5`,
        "write e.g. 3#2 for the second Tuesday of the month",
      );
      return undefined;
    }
    return day === undefined ? undefined : { kind: "nth", day, nth };
  }
  out.add(
    C.fieldSyntax,
    `day-of-week '${text}' is not valid AWS cron`,
    "write ?, *, days 1–7 or SUN–SAT (lists, ranges), L (Saturday), nL (last day n of the month) or n#k (k-th day n)",
  );
  return undefined;
}
