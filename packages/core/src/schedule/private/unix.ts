import { formatValues } from "../format.js";

/**
 * Unix (Vixie) cron written where AWS cron is expected: the AWS expression to
 * suggest instead. Unix has five fields, numbers Sunday 0 (or 7) and matches
 * day-of-month OR day-of-week when both are set; AWS has six fields, numbers
 * Sunday 1 and wants `?` in one of the two day fields.
 */

const UNIX_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Unix macros and their AWS equivalents. */
export const UNIX_MACROS: Readonly<Record<string, string>> = {
  "@yearly": "cron(0 0 1 1 ? *)",
  "@annually": "cron(0 0 1 1 ? *)",
  "@monthly": "cron(0 0 1 * ? *)",
  "@weekly": "cron(0 0 ? * SUN *)",
  "@daily": "cron(0 0 * * ? *)",
  "@midnight": "cron(0 0 * * ? *)",
  "@hourly": "cron(0 * * * ? *)",
};

function unixDay(token: string): number | undefined {
  if (/^[0-9]+$/.test(token)) {
    const n = Number(token);
    return n <= 7 ? n % 7 : undefined;
  }
  const i = UNIX_DAYS.indexOf(token.toUpperCase());
  return i >= 0 ? i : undefined;
}

/**
 * A Unix day-of-week field (0–7, SUN–SAT, ranges, steps, lists) in AWS's
 * numbering (1–7), or undefined if it cannot be read. Names are kept as written.
 */
export function unixDayOfWeekToAws(field: string): string | undefined {
  if (field === "*" || field === "?") return field;
  if (/^[A-Za-z,-]+$/.test(field)) return field.toUpperCase(); // names mean the same in both
  const days = new Set<number>();
  for (const item of field.split(",")) {
    const m = /^(\*|[0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?(?:\/([0-9]+))?$/.exec(item);
    if (!m) return undefined;
    const [, base = "", endText, stepText] = m;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return undefined;
    let start = 0;
    let end = 6;
    if (base !== "*") {
      const first = unixDay(base);
      if (first === undefined) return undefined;
      start = first;
      end = endText === undefined ? (stepText === undefined ? first : 6) : (unixDay(endText) ?? -1);
      if (endText === "7") end = 7; // 5-7 is FRI–SUN in Unix
      if (end < start) return undefined;
    }
    for (let d = start; d <= end; d += step) days.add(d % 7);
  }
  if (days.size === 7) return "*";
  return formatValues(
    [...days].map((d) => d + 1).sort((a, b) => a - b),
    1,
    7,
    false,
  );
}

export interface UnixTranslation {
  /** The AWS expressions that together mean the same (two when Unix ORs both day fields). */
  readonly expressions: readonly string[];
}

/** The AWS cron expression(s) equal to a five-field Unix expression, if it can be read. */
export function unixToAws(fields: readonly string[]): UnixTranslation | undefined {
  const [minute, hour, dom, month, dow] = fields;
  if (minute === undefined || hour === undefined || dom === undefined || month === undefined || dow === undefined) {
    return undefined;
  }
  const dowAws = unixDayOfWeekToAws(dow);
  if (dowAws === undefined) return undefined;
  const domStar = dom === "*" || dom === "?";
  const dowStar = dowAws === "*" || dowAws === "?";
  const head = `${minute} ${hour}`;
  if (domStar && dowStar) return { expressions: [`cron(${head} * ${month} ? *)`] };
  if (domStar) return { expressions: [`cron(${head} ? ${month} ${dowAws} *)`] };
  if (dowStar) return { expressions: [`cron(${head} ${dom} ${month} ? *)`] };
  return { expressions: [`cron(${head} ${dom} ${month} ? *)`, `cron(${head} ? ${month} ${dowAws} *)`] };
}
