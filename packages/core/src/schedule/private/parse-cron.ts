import type { CronSchedule } from "../model.js";
import { SCHEDULE_CODES as C } from "./codes.js";
import {
  type FieldProblems,
  type FieldSpec,
  HOURS,
  MINUTES,
  MONTH,
  parseDayOfMonth,
  parseDayOfWeek,
  parseList,
  questionMarkProblem,
  YEAR,
} from "./cron-field.js";
import { unixDayOfWeekToAws, unixToAws } from "./unix.js";

/**
 * The inside of `cron(…)`: six fields, `minutes hours day-of-month month
 * day-of-week year`, exactly one of the day fields `?`
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html).
 * Reports every problem it finds, not only the first.
 */
export function parseCronFields(expression: string, inner: string, out: FieldProblems): CronSchedule | undefined {
  const fields = inner
    .trim()
    .split(/\s+/)
    .filter((f) => f !== "");
  if (!checkFieldCount(fields, out)) return undefined;
  const [minText, hourText, domText, monthText, dowText, yearText] = fields.map((f) => f.toUpperCase()) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const minutes = plainField(minText, MINUTES, out);
  const hours = plainField(hourText, HOURS, out);
  const months = plainField(monthText, MONTH, out);
  const years = plainField(yearText, YEAR, out);
  const dayOfMonth = parseDayOfMonth(domText, out);
  const dayOfWeek = parseDayOfWeek(dowText, out);
  const dayRule = checkDayFields(domText, dowText, fields, out);
  if (!minutes || !hours || !months || !years || !dayOfMonth || !dayOfWeek || !dayRule) return undefined;
  return { kind: "cron", expression, minutes, hours, dayOfMonth, months, dayOfWeek, years };
}

function checkFieldCount(fields: string[], out: FieldProblems): boolean {
  if (fields.length === 6 && fields[5] === "?" && fields[4] !== "?" && fields[3] !== "?") {
    // Quartz's seconds minutes hours dom month dow, without a year.
    out.add(
      C.secondsField,
      `'${fields.join(" ")}' looks like a Quartz expression with a seconds field; AWS cron has no seconds and ends with a year`,
      `drop the seconds and add the year: cron(${fields.slice(1, 6).join(" ")} *)`,
    );
    return false;
  }
  if (fields.length === 6) return true;
  if (fields.length === 5) {
    const t = unixToAws(fields);
    out.add(
      C.unixCron,
      `'${fields.join(" ")}' is a five-field Unix cron expression; AWS cron has six fields (… day-of-week year), numbers days 1–7 from SUN and wants ? in one day field`,
      t === undefined
        ? "write six fields: minutes hours day-of-month month day-of-week year, with ? in day-of-month or day-of-week"
        : t.expressions.length === 1
          ? `write ${t.expressions[0]}`
          : `Unix runs on either day field; AWS takes one: use two schedules, ${t.expressions.join(" and ")}`,
    );
    return false;
  }
  if (fields.length === 7) {
    const rest = fields.slice(1).join(" ");
    out.add(
      C.secondsField,
      `'${fields.join(" ")}' has seven fields: AWS cron has no seconds field`,
      fields[0] === "0"
        ? `drop the seconds: cron(${rest})`
        : `AWS runs at most once a minute: drop the seconds field, e.g. cron(${rest})`,
    );
    return false;
  }
  out.add(
    C.fieldCount,
    `cron expression has ${fields.length} field${fields.length === 1 ? "" : "s"}; AWS cron has six: minutes hours day-of-month month day-of-week year`,
    "write all six fields, e.g. cron(0 3 * * ? *) for 03:00 every day",
  );
  return false;
}

/** Minutes, hours, month and year: no `?`, `L`, `W` or `#`. */
function plainField(text: string, spec: FieldSpec, out: FieldProblems): number[] | undefined {
  if (text.includes("?")) {
    questionMarkProblem(spec, out);
    return undefined;
  }
  const special = /[LW#]/.exec(text.replace(/[A-Z]{3}/g, ""));
  if (special) {
    out.add(
      C.wildcardField,
      `${spec.label} '${text}': '${special[0]}' is only valid in ${special[0] === "#" ? "day-of-week" : special[0] === "W" ? "day-of-month" : "day-of-month and day-of-week"}`,
      `write ${spec.label} with *, values ${spec.values}, ranges, steps and lists`,
    );
    return undefined;
  }
  return parseList(text, spec, out);
}

/** Exactly one of day-of-month and day-of-week is `?`. */
function checkDayFields(dom: string, dow: string, fields: string[], out: FieldProblems): boolean {
  const [minutes, hours, , month, , year] = fields;
  const head = `${minutes} ${hours}`;
  if (dom === "?" && dow === "?") {
    out.add(
      C.dayFields,
      "day-of-month and day-of-week are both ?; one of them must name the days",
      `write * in day-of-month for every day: cron(${head} * ${month} ? ${year})`,
    );
    return false;
  }
  if (dom !== "?" && dow !== "?") {
    // A Unix day 0 in day-of-week has its own problem: suggest the day AWS means.
    const dowFix = /(^|[^0-9#])0($|[^0-9])/.test(dow) ? (unixDayOfWeekToAws(dow) ?? dow) : fields[4];
    const fix =
      dom === "*"
        ? `write ? in day-of-month: cron(${head} ? ${month} ${dowFix} ${year})`
        : dow === "*"
          ? `write ? in day-of-week: cron(${head} ${fields[2]} ${month} ? ${year})`
          : `AWS cannot require both: keep one and write ? in the other, e.g. cron(${head} ${fields[2]} ${month} ? ${year}), or use two schedules`;
    out.add(C.dayFields, "both day-of-month and day-of-week are set; one of them must be ?", fix);
    return false;
  }
  return true;
}
