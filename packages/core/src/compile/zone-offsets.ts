import { zoneOffsets } from "../schedule/private/zone.js";

/**
 * UTC offsets of an IANA time zone over a span of time, read through the schedule
 * module's cached zone offsets (the platform's tz database): the offset at the start and every change after it.
 */
export interface ZoneTransitions {
  /** Minutes east of UTC at `from`. */
  readonly initialOffset: number;
  /** Each change: from `at` (epoch ms) on, the offset is `offset` minutes. */
  readonly transitions: readonly { readonly at: number; readonly offset: number }[];
}

/** Minutes east of UTC in `zone` at the instant `ms`. */
export function offsetMinutes(zone: string, ms: number): number {
  return Math.round(zoneOffsets(zone).offsetAt(ms) / 60_000);
}

/** Scan step: no zone changes its offset twice within two weeks (Ramadan suspensions last a month). */
const STEP = 14 * 24 * 3600 * 1000;

/**
 * The offsets of `zone` from `from` to `to` (epoch ms). Zones change their
 * offset at most a few times a year, never twice within two weeks: the span is
 * walked two weeks at a time and each change is narrowed to the minute.
 */
export function zoneTransitions(zone: string, from: number, to: number): ZoneTransitions {
  const initialOffset = offsetMinutes(zone, from);
  const transitions: { at: number; offset: number }[] = [];
  let current = initialOffset;
  for (let t = from; t < to; t += STEP) {
    const end = Math.min(t + STEP, to);
    const next = offsetMinutes(zone, end);
    if (next === current) continue;
    let lo = t;
    let hi = end;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetMinutes(zone, mid) === current) lo = mid;
      else hi = mid;
    }
    transitions.push({ at: hi, offset: next });
    current = next;
  }
  return { initialOffset, transitions };
}
