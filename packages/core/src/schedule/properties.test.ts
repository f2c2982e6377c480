import { CronExpressionParser } from "cron-parser";
import { Cron } from "croner";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatScheduleExpression, nextFireTimes, parseScheduleExpression, type Schedule } from "./index.js";

/**
 * Random AWS cron expressions, checked three ways: against croner and
 * cron-parser (given the same schedule in their dialects, with every field
 * spelt out as a list so that their range and step rules do not matter),
 * against a brute-force reading of the expression, and for round trips.
 * Each field is generated as items whose values this file works out itself,
 * independently of the parser under test.
 */

type Item =
  | { kind: "star" }
  | { kind: "value"; v: number }
  | { kind: "range"; a: number; b: number } // b < a wraps, except in years
  | { kind: "step"; a: number | "*"; n: number }
  | { kind: "rangeStep"; a: number; b: number; n: number };

interface Field {
  readonly min: number;
  readonly max: number;
  /** Values the generator picks from, when narrower than the field. */
  readonly pick?: readonly [number, number];
  readonly names?: readonly string[];
  readonly wraps: boolean;
  readonly maxStep: number;
}

const F = {
  minute: { min: 0, max: 59, wraps: true, maxStep: 59 },
  hour: { min: 0, max: 23, wraps: true, maxStep: 23 },
  dom: { min: 1, max: 31, wraps: true, maxStep: 31 },
  month: {
    min: 1,
    max: 12,
    names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
    wraps: true,
    maxStep: 12,
  },
  dow: { min: 1, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], wraps: true, maxStep: 7 },
  year: { min: 1970, max: 2199, pick: [2020, 2060], wraps: false, maxStep: 20 },
} satisfies Record<string, Field>;

function itemArb(f: Field): fc.Arbitrary<Item> {
  const [lo, hi] = f.pick ?? [f.min, f.max];
  const v = fc.integer({ min: lo, max: hi });
  const n = fc.integer({ min: 1, max: Math.min(f.maxStep, hi - lo) });
  return fc.oneof(
    { arbitrary: fc.constant<Item>({ kind: "star" }), weight: 1 },
    { arbitrary: v.map<Item>((x) => ({ kind: "value", v: x })), weight: 3 },
    {
      arbitrary: fc
        .tuple(v, v)
        .map<Item>(([a, b]) => (f.wraps || a <= b ? { kind: "range", a, b } : { kind: "range", a: b, b: a })),
      weight: 2,
    },
    {
      arbitrary: fc.tuple(fc.oneof(v, fc.constant<"*">("*")), n).map<Item>(([a, k]) => ({ kind: "step", a, n: k })),
      weight: 2,
    },
    {
      arbitrary: fc
        .tuple(v, v, n)
        .map<Item>(([a, b, k]) => ({ kind: "rangeStep", a: Math.min(a, b), b: Math.max(a, b), n: k })),
      weight: 1,
    },
  );
}

const fieldArb = (f: Field) => fc.array(itemArb(f), { minLength: 1, maxLength: 3 });

function values(items: readonly Item[], f: Field): number[] {
  const out = new Set<number>();
  const size = f.max - f.min + 1;
  const run = (a: number, b: number, n: number) => {
    for (let x = a; x <= (b < a ? b + size : b); x += n) out.add(x > f.max ? x - size : x);
  };
  for (const it of items) {
    if (it.kind === "star") run(f.min, f.max, 1);
    else if (it.kind === "value") out.add(it.v);
    else if (it.kind === "range") run(it.a, it.b, 1);
    else if (it.kind === "step") run(it.a === "*" ? f.min : it.a, f.max, it.n);
    else run(it.a, it.b, it.n);
  }
  return [...out].sort((a, b) => a - b);
}

function text(items: readonly Item[], f: Field, names: boolean): string {
  const name = (x: number) => (names && f.names ? (f.names[x - f.min] as string) : String(x));
  return items
    .map((it) => {
      if (it.kind === "star") return "*";
      if (it.kind === "value") return name(it.v);
      if (it.kind === "range") return `${name(it.a)}-${name(it.b)}`;
      if (it.kind === "step") return `${it.a === "*" ? "*" : it.a}/${it.n}`;
      return `${it.a}-${it.b}/${it.n}`;
    })
    .join(",");
}

interface Case {
  readonly aws: string;
  readonly minutes: number[];
  readonly hours: number[];
  readonly doms: number[] | undefined; // undefined: `?`
  readonly months: number[];
  readonly dows: number[] | undefined; // AWS numbering 1–7; undefined: `?`
  readonly years: number[] | undefined; // undefined: `*`
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    minute: fieldArb(F.minute),
    hour: fieldArb(F.hour),
    byWeek: fc.boolean(),
    dom: fieldArb(F.dom),
    month: fieldArb(F.month),
    dow: fieldArb(F.dow),
    year: fc.option(fieldArb(F.year), { freq: 3 }),
    names: fc.boolean(),
  })
  .map(({ minute, hour, byWeek, dom, month, dow, year, names }) => ({
    aws: `cron(${text(minute, F.minute, false)} ${text(hour, F.hour, false)} ${byWeek ? "?" : text(dom, F.dom, false)} ${text(month, F.month, names)} ${byWeek ? text(dow, F.dow, names) : "?"} ${year ? text(year, F.year, false) : "*"})`,
    minutes: values(minute, F.minute),
    hours: values(hour, F.hour),
    doms: byWeek ? undefined : values(dom, F.dom),
    months: values(month, F.month),
    dows: byWeek ? values(dow, F.dow) : undefined,
    years: year ? values(year, F.year) : undefined,
  }));

const list = (xs: readonly number[]) => xs.join(",");

/** The same schedule for croner (7 parts: seconds … year; AND of the day fields). */
function cronerTimes(c: Case, from: number, count: number, timezone: string): number[] {
  const dow = c.dows ? list(c.dows.map((d) => d - 1)) : "*";
  const pattern = `0 ${list(c.minutes)} ${list(c.hours)} ${c.doms ? list(c.doms) : "*"} ${list(c.months)} ${dow} ${c.years ? list(c.years) : "*"}`;
  return new Cron(pattern, { timezone, mode: "7-part", domAndDow: true })
    .nextRuns(count, new Date(from))
    .map((d) => d.getTime());
}

/** The same schedule for cron-parser (5 parts, no year; one day field `*`, so no OR). */
function cronParserTimes(c: Case, from: number, count: number, tz: string): number[] {
  const dow = c.dows ? list(c.dows.map((d) => d - 1)) : "*";
  const pattern = `${list(c.minutes)} ${list(c.hours)} ${c.doms ? list(c.doms) : "*"} ${list(c.months)} ${dow}`;
  return CronExpressionParser.parse(pattern, { currentDate: new Date(from), tz })
    .take(count)
    .map((d) => d.getTime());
}

/** A from instant in 2020–2035, whole seconds. */
const fromArb = fc.integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2035, 0, 1) / 1000 }).map((s) => s * 1000);

/** Schedules that fire at least every few years, so every library finds the next ones quickly. */
const denseCase = caseArb.filter((c) => c.years === undefined && (c.doms === undefined || c.doms.some((d) => d <= 28)));

const formats = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock fields of an instant in a zone, read with Intl (independent of the code under test). */
function wallFields(t: number, timeZone: string) {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(t);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    year: Number(get("year")),
    month: Number(get("month")),
    day: Number(get("day")),
    hour: Number(get("hour")),
    minute: Number(get("minute")),
    dow: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday")) + 1,
  };
}

function matches(c: Case, t: number, zone: string): boolean {
  const w = wallFields(t, zone);
  return (
    c.minutes.includes(w.minute) &&
    c.hours.includes(w.hour) &&
    c.months.includes(w.month) &&
    (c.doms === undefined || c.doms.includes(w.day)) &&
    (c.dows === undefined || c.dows.includes(w.dow)) &&
    (c.years === undefined || c.years.includes(w.year))
  );
}

/** Local calendar days (yyyy-mm-dd) on which a zone changes its offset, 2019–2040. */
function transitionDays(zone: string): Set<string> {
  const days = new Set<string>();
  const offset = (t: number) => {
    const w = wallFields(t, zone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(t / 60_000) * 60_000;
  };
  for (let t = Date.UTC(2019, 0, 1); t < Date.UTC(2041, 0, 1); t += 3_600_000) {
    if (offset(t) !== offset(t + 3_600_000)) {
      for (const u of [t - 86_400_000, t, t + 3_600_000, t + 86_400_000]) {
        const w = wallFields(u, zone);
        days.add(`${w.year}-${w.month}-${w.day}`);
      }
    }
  }
  return days;
}

describe("nextFireTimes agrees with croner and cron-parser", () => {
  it("in UTC (2,000 random expressions)", () => {
    fc.assert(
      fc.property(denseCase, fromArb, (c, from) => {
        const ours = nextFireTimes(c.aws, { from, count: 12 });
        expect(ours).toStrictEqual(cronerTimes(c, from, 12, "UTC"));
        expect(ours).toStrictEqual(cronParserTimes(c, from, 12, "UTC"));
      }),
      { numRuns: 2000 },
    );
  });

  it("with a year field and sparse days, in UTC (croner only: cron-parser has no year)", () => {
    const sparse = caseArb.filter((c) => c.years !== undefined);
    fc.assert(
      fc.property(sparse, fromArb, (c, from) => {
        expect(nextFireTimes(c.aws, { from, count: 8 })).toStrictEqual(cronerTimes(c, from, 8, "UTC"));
      }),
      { numRuns: 500 },
    );
  });

  it("in Asia/Kolkata (UTC+5:30, no DST)", () => {
    fc.assert(
      fc.property(denseCase, fromArb, (c, from) => {
        const ours = nextFireTimes(c.aws, { from, count: 10, timezone: "Asia/Kolkata" });
        expect(ours).toStrictEqual(cronerTimes(c, from, 10, "Asia/Kolkata"));
        expect(ours).toStrictEqual(cronParserTimes(c, from, 10, "Asia/Kolkata"));
      }),
      { numRuns: 500 },
    );
  });

  for (const zone of ["America/New_York", "Europe/London", "Australia/Adelaide"]) {
    it(`in ${zone}, away from DST changes (where AWS, croner and cron-parser each differ)`, () => {
      const changes = transitionDays(zone);
      const away = (t: number) => {
        const w = wallFields(t, zone);
        return !changes.has(`${w.year}-${w.month}-${w.day}`);
      };
      fc.assert(
        fc.property(denseCase, fromArb.filter(away), (c, from) => {
          const ours = nextFireTimes(c.aws, { from, count: 10, timezone: zone });
          const last = ours.at(-1) ?? Number.POSITIVE_INFINITY;
          const peer = cronerTimes(c, from, 14, zone).filter((t) => t <= last);
          expect(ours.filter(away)).toStrictEqual(peer.filter(away));
          for (const t of ours) expect(matches(c, t, zone)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  }
});

type Special =
  | { kind: "L"; offset: number }
  | { kind: "LW" }
  | { kind: "W"; day: number }
  | { kind: "lastDow"; dow: number }
  | { kind: "nth"; dow: number; nth: number };

const specialArb: fc.Arbitrary<Special> = fc.oneof(
  fc.integer({ min: 0, max: 30 }).map<Special>((offset) => ({ kind: "L", offset })),
  fc.constant<Special>({ kind: "LW" }),
  fc.integer({ min: 1, max: 31 }).map<Special>((day) => ({ kind: "W", day })),
  fc.integer({ min: 1, max: 7 }).map<Special>((dow) => ({ kind: "lastDow", dow })),
  fc
    .record({ dow: fc.integer({ min: 1, max: 7 }), nth: fc.integer({ min: 1, max: 5 }) })
    .map<Special>((r) => ({ kind: "nth", ...r })),
);

/** The day fields (day-of-month, day-of-week) in AWS's dialect and, where it has the form, croner's. */
function specialText(x: Special): { aws: [string, string]; croner?: [string, string] } {
  switch (x.kind) {
    case "L":
      return x.offset === 0 ? { aws: ["L", "?"], croner: ["L", "*"] } : { aws: [`L-${x.offset}`, "?"] };
    case "LW":
      return { aws: ["LW", "?"] };
    case "W":
      return { aws: [`${x.day}W`, "?"], croner: [`${x.day}W`, "*"] };
    case "lastDow":
      return { aws: ["?", `${x.dow}L`], croner: ["*", `${x.dow - 1}#L`] };
    case "nth":
      return { aws: ["?", `${x.dow}#${x.nth}`], croner: ["*", `${x.dow - 1}#${x.nth}`] };
  }
}

/** Whether a UTC day matches a special day field, worked out with Date alone. */
function specialMatches(x: Special, d: Date): boolean {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const weekday = (n: number) => new Date(Date.UTC(y, m, n)).getUTCDay();
  switch (x.kind) {
    case "L":
      return day === last - x.offset;
    case "LW": {
      let n = last;
      while (weekday(n) === 0 || weekday(n) === 6) n--;
      return day === n;
    }
    case "W": {
      if (x.day > last) return false;
      const w = weekday(x.day);
      const target =
        w === 6 ? (x.day === 1 ? 3 : x.day - 1) : w === 0 ? (x.day === last ? x.day - 2 : x.day + 1) : x.day;
      return day === target;
    }
    case "lastDow":
      return d.getUTCDay() === x.dow - 1 && day + 7 > last;
    case "nth":
      return d.getUTCDay() === x.dow - 1 && Math.ceil(day / 7) === x.nth;
  }
}

describe("L, W, LW, nL and n#k", () => {
  it("agree with a brute-force reading, and with croner where croner has the form", () => {
    const hm = fc.record({
      minutes: fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 3 }),
      hours: fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(specialArb, hm, fromArb, (x, { minutes, hours }, from) => {
        const m = [...minutes].sort((a, b) => a - b);
        const h = [...hours].sort((a, b) => a - b);
        const t = specialText(x);
        const ours = nextFireTimes(`cron(${list(m)} ${list(h)} ${t.aws[0]} * ${t.aws[1]} *)`, { from, count: 5 });
        const brute: number[] = [];
        for (
          let day = Math.floor(from / 86_400_000) * 86_400_000;
          brute.length < 5 && day < from + 6 * 366 * 86_400_000;
          day += 86_400_000
        ) {
          if (!specialMatches(x, new Date(day))) continue;
          for (const hour of h)
            for (const minute of m) {
              const u = day + hour * 3_600_000 + minute * 60_000;
              if (u > from) brute.push(u);
            }
        }
        expect(ours).toStrictEqual(brute.slice(0, 5));
        if (t.croner) {
          const peer = new Cron(`0 ${list(m)} ${list(h)} ${t.croner[0]} * ${t.croner[1]} *`, {
            timezone: "UTC",
            mode: "7-part",
            domAndDow: true,
          });
          expect(ours).toStrictEqual(peer.nextRuns(5, new Date(from)).map((d) => d.getTime()));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("properties of nextFireTimes", () => {
  it("strictly increasing, after from, and each time matches the fields in its zone", () => {
    const zones = fc.constantFrom("UTC", "America/New_York", "Europe/London", "Australia/Adelaide", "Asia/Kathmandu");
    fc.assert(
      fc.property(caseArb, fromArb, zones, (c, from, zone) => {
        const times = nextFireTimes(c.aws, { from, count: 25, timezone: zone });
        let previous = from;
        for (const t of times) {
          expect(t).toBeGreaterThan(previous);
          expect(matches(c, t, zone)).toBe(true);
          previous = t;
        }
      }),
      { numRuns: 500 },
    );
  });

  it("misses nothing: a brute-force walk over every day and minute of the span in UTC finds the same times", () => {
    fc.assert(
      fc.property(caseArb, fromArb, (c, from) => {
        const times = nextFireTimes(c.aws, { from, count: 6 });
        const until = Math.min(times.at(-1) ?? Number.POSITIVE_INFINITY, from + 3 * 366 * 86_400_000);
        const brute: number[] = [];
        for (let day = Math.floor(from / 86_400_000) * 86_400_000; day <= until; day += 86_400_000) {
          const d = new Date(day);
          const dayMatches =
            c.months.includes(d.getUTCMonth() + 1) &&
            (c.doms === undefined || c.doms.includes(d.getUTCDate())) &&
            (c.dows === undefined || c.dows.includes(d.getUTCDay() + 1)) &&
            (c.years === undefined || c.years.includes(d.getUTCFullYear()));
          if (!dayMatches) continue;
          for (const h of c.hours) {
            for (const m of c.minutes) {
              const t = day + h * 3_600_000 + m * 60_000;
              if (t > from && t <= until) brute.push(t);
            }
          }
        }
        expect(times.slice(0, brute.length)).toStrictEqual(brute.slice(0, 6));
      }),
      { numRuns: 500 },
    );
  });

  it("format and parse round-trip", () => {
    const strip = (s: Schedule) => ({ ...s, expression: "" });
    fc.assert(
      fc.property(caseArb, (c) => {
        const parsed = parseScheduleExpression(c.aws);
        const text = formatScheduleExpression(parsed);
        const again = parseScheduleExpression(text);
        expect(strip(again)).toStrictEqual(strip(parsed));
        expect(formatScheduleExpression(again)).toBe(text);
        if (parsed.kind === "cron") {
          expect(parsed.minutes).toStrictEqual(c.minutes);
          expect(parsed.hours).toStrictEqual(c.hours);
          expect(parsed.months).toStrictEqual(c.months);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
