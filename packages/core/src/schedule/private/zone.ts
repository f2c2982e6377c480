import { internalError } from "../../errors/problem.js";
import { DAY_MS } from "./calendar.js";

/**
 * UTC offsets of one IANA zone, read from Intl once and cached: the offset at
 * each UTC midnight a query touches, and the instant of any change between two
 * midnights (found by bisection to the second). Assumes a zone changes its
 * offset at most once within a day, which holds for every tz rule since 1970.
 * One formatter per zone; nothing is built per query.
 */
export class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  /** UTC day number → offset (ms) at its 00:00 UTC. */
  private readonly midnights = new Map<number, number>();
  /** UTC day number → first instant (ms) of the next offset, for days with a change. */
  private readonly changes = new Map<number, number>();

  constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  }

  /** Offset (local − UTC, ms) in force at the instant `t`. */
  offsetAt(t: number): number {
    const day = Math.floor(t / DAY_MS);
    const before = this.midnight(day);
    const after = this.midnight(day + 1);
    if (before === after) return before;
    return t < this.change(day, before) ? before : after;
  }

  /**
   * The first instant whose wall time (in this zone) is `wall` (a wall time
   * read as UTC ms), or NaN when the zone skips that wall time.
   */
  firstInstant(wall: number): number {
    const early = this.offsetAt(wall - DAY_MS);
    const late = this.offsetAt(wall + DAY_MS);
    // Usually one offset around the wall time: one instant.
    if (early === late) {
      const t = wall - early;
      return this.offsetAt(t) === early ? t : Number.NaN;
    }
    // Near a change the wall time may exist under either offset (a repeated hour:
    // the earlier instant comes first) or under neither (a skipped hour).
    const a = wall - early;
    const b = wall - late;
    const aOk = this.offsetAt(a) === early;
    const bOk = this.offsetAt(b) === late;
    if (aOk && bOk) return Math.min(a, b);
    if (aOk) return a;
    if (bOk) return b;
    return Number.NaN;
  }

  private midnight(day: number): number {
    let offset = this.midnights.get(day);
    if (offset === undefined) {
      offset = this.read(day * DAY_MS);
      this.midnights.set(day, offset);
    }
    return offset;
  }

  private change(day: number, before: number): number {
    let at = this.changes.get(day);
    if (at === undefined) {
      let lo = day * DAY_MS; // offset `before`
      let hi = lo + DAY_MS; // offset after the change
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (this.read(mid) === before) lo = mid;
        else hi = mid;
      }
      at = hi;
      this.changes.set(day, at);
    }
    return at;
  }

  /** The offset at `t` from Intl: the wall time it prints, read as UTC, minus `t`. */
  private read(t: number): number {
    // "1/2/2024, 13:05:09"
    const text = this.format.format(t);
    const n = text.match(/[0-9]+/g);
    if (!n || n.length < 6) throw internalError(`unexpected date format from Intl: ${text}`);
    const wall = Date.UTC(Number(n[2]), Number(n[0]) - 1, Number(n[1]), Number(n[3]), Number(n[4]), Number(n[5]));
    return wall - Math.floor(t / 1000) * 1000;
  }
}

const zones = new Map<string, ZoneOffsets>();

/** The cached offsets of a zone (the name must already be valid). */
export function zoneOffsets(zone: string): ZoneOffsets {
  let z = zones.get(zone);
  if (!z) {
    z = new ZoneOffsets(zone);
    zones.set(zone, z);
  }
  return z;
}
