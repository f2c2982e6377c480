/**
 * Proleptic Gregorian calendar arithmetic on plain integers, for the years AWS
 * cron can name (1970–2199). Everything is a table lookup after the first use:
 * the evaluator calls these once per candidate minute.
 */

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const MONTHS = (MAX_YEAR - MIN_YEAR + 2) * 12;

/** Days from 1970-01-01 to the first of each month, 1970-01 … 2200-12. */
const MONTH_START = new Int32Array(MONTHS + 1);
for (let i = 0, days = 0; i <= MONTHS; i++) {
  MONTH_START[i] = days;
  const year = MIN_YEAR + Math.floor(i / 12);
  days += daysIn(year, (i % 12) + 1);
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Index of a month in the tables: 0 for January 1970. */
export function monthIndex(year: number, month: number): number {
  return (year - MIN_YEAR) * 12 + month - 1;
}

/** Days since 1970-01-01 of the first of the month at `index`. */
export function monthStartDay(index: number): number {
  return MONTH_START[index] as number;
}

/** Length of the month at `index` (28–31). */
export function monthLength(index: number): number {
  return (MONTH_START[index + 1] as number) - (MONTH_START[index] as number);
}

/** Weekday of the first of the month at `index`: 0 = Sunday … 6 = Saturday. */
export function firstWeekday(index: number): number {
  return ((MONTH_START[index] as number) + 4) % 7; // 1970-01-01 was a Thursday
}

/** Civil date of a day number (days since 1970-01-01), any year (H. Hinnant's algorithm). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Milliseconds of a wall time read as UTC, any year. */
export function wallMs(year: number, month: number, day: number, hour: number, minute: number, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** Whether `year-month-day` is a real date. */
export function isDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}
