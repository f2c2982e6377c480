import type { DayOfMonth, DayOfWeek, Schedule } from "./model.js";

/**
 * Writes a schedule as the canonical expression AWS takes: numbers rather
 * than names, `*` for a whole field, `a/n` for a step that runs to the end of
 * the field, `a-b` for runs of three or more. `parseScheduleExpression(formatScheduleExpression(s))`
 * means the same as `s`.
 */
export function formatScheduleExpression(schedule: Schedule): string {
  switch (schedule.kind) {
    case "cron":
      return `cron(${[
        formatValues(schedule.minutes, 0, 59),
        formatValues(schedule.hours, 0, 23),
        formatDayOfMonth(schedule.dayOfMonth),
        formatValues(schedule.months, 1, 12),
        formatDayOfWeek(schedule.dayOfWeek),
        formatValues(schedule.years, 1970, 2199),
      ].join(" ")})`;
    case "rate":
      return `rate(${schedule.value} ${schedule.unit}${schedule.value === 1 ? "" : "s"})`;
    case "at": {
      const p = (n: number, width = 2): string => String(n).padStart(width, "0");
      const s = schedule;
      return `at(${p(s.year, 4)}-${p(s.month)}-${p(s.day)}T${p(s.hour)}:${p(s.minute)}:${p(s.second)})`;
    }
  }
}

function formatDayOfMonth(dom: DayOfMonth): string {
  switch (dom.kind) {
    case "any":
      return "?";
    case "days":
      return formatValues(dom.days, 1, 31);
    case "last":
      return dom.offset === 0 ? "L" : `L-${dom.offset}`;
    case "lastWeekday":
      return "LW";
    case "nearestWeekday":
      return `${dom.day}W`;
  }
}

function formatDayOfWeek(dow: DayOfWeek): string {
  switch (dow.kind) {
    case "any":
      return "?";
    case "days":
      return formatValues(dow.days, 1, 7, false); // the guide's table lists no '/' for day-of-week
    case "last":
      return `${dow.day}L`;
    case "nth":
      return `${dow.day}#${dow.nth}`;
  }
}

/** Sorted distinct values of a field as the shortest of `*`, `a/n`, or a list of values and runs. */
export function formatValues(values: readonly number[], min: number, max: number, steps = true): string {
  if (values.length === max - min + 1) return "*";
  const first = values[0] as number;
  if (steps && values.length >= 3) {
    const step = (values[1] as number) - first;
    const progression = values.every((v, i) => v === first + i * step);
    if (step > 1 && progression && (values[values.length - 1] as number) + step > max) {
      return first === min ? `*/${step}` : `${first}/${step}`;
    }
  }
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] as number) === (values[j] as number) + 1) j++;
    parts.push(j - i >= 2 ? `${values[i]}-${values[j]}` : values.slice(i, j + 1).join(","));
    i = j + 1;
  }
  return parts.join(",");
}
