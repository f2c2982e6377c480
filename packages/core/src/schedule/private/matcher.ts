import type { CronSchedule, DayOfMonth, DayOfWeek } from "../model.js";
import {
  civilFromDays,
  firstWeekday,
  MAX_YEAR,
  MIN_YEAR,
  MINUTE_MS,
  monthIndex,
  monthLength,
  monthStartDay,
} from "./calendar.js";

/**
 * A cron schedule compiled for search. Each field becomes a "next allowed
 * value at or after i" table, and each month's matching days a 31-bit mask
 * (computed on first use), so finding the next match jumps field by field —
 * year, month, day, hour, minute — instead of stepping through minutes.
 * Everything works on wall time: the zone is applied by the caller.
 */
export class CronMatcher {
  private readonly nextMinute: Int8Array;
  private readonly nextHour: Int8Array;
  private readonly nextMonth: Int8Array;
  private readonly nextYear: Int16Array;
  /** Days matching in the month at each month index: bit d-1 for day d. */
  private readonly masks: Int32Array;
  private readonly known: Uint8Array;
  /** For day-of-week lists: the matching days of a month whose 1st is weekday w (0 = SUN). */
  private readonly weekMasks: Int32Array | undefined;
  private readonly dayOfMonth: DayOfMonth;
  private readonly dayOfWeek: DayOfWeek;
  private readonly domMask: number;

  constructor(cron: CronSchedule) {
    this.nextMinute = nextTable(cron.minutes, 0, 59);
    this.nextHour = nextTable(cron.hours, 0, 23);
    this.nextMonth = nextTable(cron.months, 0, 12);
    const years = new Int16Array(MAX_YEAR - MIN_YEAR + 2).fill(-1);
    for (let y = MAX_YEAR, next = -1; y >= MIN_YEAR; y--) {
      if (cron.years.includes(y)) next = y;
      years[y - MIN_YEAR] = next;
    }
    this.nextYear = years;
    const months = (MAX_YEAR - MIN_YEAR + 1) * 12;
    this.masks = new Int32Array(months);
    this.known = new Uint8Array(months);
    this.dayOfMonth = cron.dayOfMonth;
    this.dayOfWeek = cron.dayOfWeek;
    this.domMask = cron.dayOfMonth.kind === "days" ? bits(cron.dayOfMonth.days) : 0;
    const dow = cron.dayOfWeek;
    if (dow.kind === "days") {
      this.weekMasks = new Int32Array(7);
      for (let first = 0; first < 7; first++) {
        let mask = 0;
        for (let d = 1; d <= 31; d++) {
          if (dow.days.includes(((first + d - 1) % 7) + 1)) mask |= 1 << (d - 1);
        }
        this.weekMasks[first] = mask;
      }
    }
  }

  /** The matching days of a month (bit d-1 for day d). */
  dayMask(index: number): number {
    if (this.known[index] === 1) return this.masks[index] as number;
    const mask = this.computeDayMask(index);
    this.masks[index] = mask;
    this.known[index] = 1;
    return mask;
  }

  private computeDayMask(index: number): number {
    const length = monthLength(index);
    const all = 0x7fffffff >>> (31 - length);
    const first = firstWeekday(index);
    const weekday = (day: number): number => (first + day - 1) % 7; // 0 = SUN
    const dom = this.dayOfMonth;
    switch (dom.kind) {
      case "days":
        return this.domMask & all;
      case "last": {
        const day = length - dom.offset;
        return day >= 1 ? 1 << (day - 1) : 0;
      }
      case "lastWeekday": {
        const w = weekday(length);
        const day = w === 6 ? length - 1 : w === 0 ? length - 2 : length;
        return 1 << (day - 1);
      }
      case "nearestWeekday": {
        // The weekday nearest day n, never leaving the month: 1W on a Saturday is Monday the 3rd.
        const n = dom.day;
        if (n > length) return 0;
        const w = weekday(n);
        let day = n;
        if (w === 6) day = n === 1 ? 3 : n - 1;
        else if (w === 0) day = n === length ? n - 2 : n + 1;
        return 1 << (day - 1);
      }
      case "any":
        break;
    }
    const dow = this.dayOfWeek;
    switch (dow.kind) {
      case "days":
        return ((this.weekMasks as Int32Array)[first] as number) & all;
      case "last": {
        const target = dow.day - 1;
        const day = length - ((weekday(length) - target + 7) % 7);
        return 1 << (day - 1);
      }
      case "nth": {
        const target = dow.day - 1;
        const day = 1 + ((target - first + 7) % 7) + 7 * (dow.nth - 1);
        return day <= length ? 1 << (day - 1) : 0;
      }
      case "any":
        return all; // not produced by the parser: one day field is always set
    }
  }

  /** A cursor at the first minute strictly after a wall time (ms, read as UTC), at least 1970-01-01. */
  cursor(wall: number): CronCursor {
    return new CronCursor(this, wall);
  }

  /** @internal */ minuteAt(i: number): number {
    return this.nextMinute[i] as number;
  }
  /** @internal */ hourAt(i: number): number {
    return this.nextHour[i] as number;
  }
  /** @internal */ monthAt(i: number): number {
    return this.nextMonth[i] as number;
  }
  /** @internal */ yearAt(y: number): number {
    return y > MAX_YEAR ? -1 : (this.nextYear[y - MIN_YEAR] as number);
  }
}

/**
 * Walks the matching wall times of a matcher in order. `next()` returns the
 * first match at or after the cursor (as wall ms) and moves past it.
 */
export class CronCursor {
  private y: number;
  private mo: number;
  private d: number;
  private h: number;
  private mi: number;

  constructor(
    private readonly m: CronMatcher,
    wall: number,
  ) {
    const minutes = Math.floor(wall / MINUTE_MS) + 1;
    const days = Math.floor(minutes / 1440);
    if (days < 0) {
      this.y = MIN_YEAR;
      this.mo = 1;
      this.d = 1;
      this.h = 0;
      this.mi = 0;
      return;
    }
    const date = civilFromDays(days);
    const inDay = minutes - days * 1440;
    this.y = date.year;
    this.mo = date.month;
    this.d = date.day;
    this.h = Math.floor(inDay / 60);
    this.mi = inDay % 60;
  }

  /** The next matching wall time (ms), or NaN when there is none before 2200. */
  next(): number {
    const m = this.m;
    let { y, mo, d, h, mi } = this;
    for (;;) {
      const ny = m.yearAt(y);
      if (ny < 0) {
        this.y = MAX_YEAR + 1;
        return Number.NaN;
      }
      if (ny !== y) {
        y = ny;
        mo = 1;
        d = 1;
        h = 0;
        mi = 0;
      }
      const nmo = m.monthAt(mo);
      if (nmo < 0) {
        y++;
        mo = 1;
        d = 1;
        h = 0;
        mi = 0;
        continue;
      }
      if (nmo !== mo) {
        mo = nmo;
        d = 1;
        h = 0;
        mi = 0;
      }
      const index = monthIndex(y, mo);
      const later = m.dayMask(index) & ~((1 << (d - 1)) - 1);
      if (d > 31 || later === 0) {
        mo++;
        d = 1;
        h = 0;
        mi = 0;
        continue;
      }
      const nd = 32 - Math.clz32(later & -later);
      if (nd !== d) {
        d = nd;
        h = 0;
        mi = 0;
      }
      const nh = m.hourAt(h);
      if (nh < 0) {
        d++;
        h = 0;
        mi = 0;
        continue;
      }
      if (nh !== h) {
        h = nh;
        mi = 0;
      }
      const nmi = m.minuteAt(mi);
      if (nmi < 0) {
        h++;
        mi = 0;
        continue;
      }
      this.y = y;
      this.mo = mo;
      this.d = d;
      this.h = h;
      this.mi = nmi + 1;
      return ((monthStartDay(index) + d - 1) * 1440 + h * 60 + nmi) * MINUTE_MS;
    }
  }
}

/** `table[i]` = the least value ≥ i in `values`, or -1; one slot past `max` holds -1. */
function nextTable(values: readonly number[], min: number, max: number): Int8Array {
  const table = new Int8Array(max + 2).fill(-1);
  for (let i = max, next = -1; i >= min; i--) {
    if (values.includes(i)) next = i;
    table[i] = next;
  }
  return table;
}

function bits(days: readonly number[]): number {
  let mask = 0;
  for (const d of days) mask |= 1 << (d - 1);
  return mask;
}
