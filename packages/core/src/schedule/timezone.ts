import { type Problem, type ProblemLocation, problem } from "../errors/problem.js";
import { SCHEDULE_CODES as C } from "./private/codes.js";
import { IANA_ZONE_NAMES } from "./private/zone-names.js";

/**
 * IANA time zone names as EventBridge Scheduler's ScheduleExpressionTimezone
 * takes them ("EventBridge Scheduler uses the Time Zone Database maintained by
 * the IANA", https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
 * Intl (ICU's copy of that database) decides whether a zone exists; names are
 * case-sensitive, as in the database: `europe/paris` is refused with
 * `Europe/Paris` suggested.
 */

/** Abbreviations people write that are not IANA zones, and the zone they most often mean. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  PST: "America/Los_Angeles",
  PDT: "America/Los_Angeles",
  MDT: "America/Denver",
  CST: "America/Chicago",
  CDT: "America/Chicago",
  EDT: "America/New_York",
  BST: "Europe/London",
  IST: "Asia/Kolkata",
  JST: "Asia/Tokyo",
  KST: "Asia/Seoul",
  AEST: "Australia/Sydney",
  AEDT: "Australia/Sydney",
  ACST: "Australia/Adelaide",
  AWST: "Australia/Perth",
  CEST: "Europe/Paris",
  SGT: "Asia/Singapore",
};

/**
 * Names ICU takes that the IANA database does not have: Java's old three-letter
 * ids (ICU reads BST as Asia/Dhaka, IST as Asia/Kolkata) and ICU's SystemV zones.
 */
const ICU_ONLY =
  /^(ACT|AET|AGT|ART|AST|BET|BST|CAT|CNT|CST|CTT|EAT|ECT|IET|IST|JST|MIT|NET|NST|PLT|PNT|PRT|PST|SST|VST)$|^SystemV\//i;

const known = new Map<string, string | undefined>();

/** The zone Intl resolves a name to (case-insensitively, links followed), or undefined if unknown. */
function resolve(zone: string): string | undefined {
  if (known.has(zone)) return known.get(zone);
  let resolved: string | undefined;
  // Intl also takes offsets such as "+05:00"; AWS takes only names.
  if (/^[A-Za-z]/.test(zone) && !ICU_ONLY.test(zone)) {
    try {
      resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      resolved = undefined;
    }
  }
  known.set(zone, resolved);
  return resolved;
}

/** Whether `zone` is an IANA time zone name, written as the database writes it. */
export function isTimezone(zone: string): boolean {
  return zone === "UTC" || timezoneProblems(zone).length === 0;
}

/** Problems with a time zone name: empty, unknown, or wrong case; each suggests the right name. */
export function checkTimezone(zone: string, where: ProblemLocation = {}): Problem[] {
  return timezoneProblems(zone).map((p) => problem(C.timezone, p.message, p.fix, where));
}

function timezoneProblems(zone: string): { message: string; fix: string }[] {
  if (zone.trim() === "") {
    return [{ message: "the time zone is empty", fix: "use an IANA zone name such as UTC or Europe/Paris" }];
  }
  // Known names need no ICU (starting it costs a compile about 12 ms); anything else asks Intl.
  if (IANA_ZONE_NAMES.has(zone)) return [];
  const resolved = resolve(zone);
  if (resolved !== undefined) {
    const caseOnly = resolved.toLowerCase() === zone.toLowerCase() && resolved !== zone;
    const lowerSegment = zone.split("/").some((segment) => /^[a-z]/.test(segment));
    if (!caseOnly && !lowerSegment) return [];
    const right = caseOnly ? resolved : properCase(zone);
    return [
      {
        message: `time zone '${zone}' is not written as the IANA database writes it (names are case-sensitive)`,
        fix: `write '${right}'`,
      },
    ];
  }
  const close = suggestTimezones(zone);
  return [
    {
      message: `'${zone}' is not an IANA time zone`,
      fix:
        close.length > 0
          ? `did you mean ${close.map((z) => `'${z}'`).join(" or ")}?`
          : "use an IANA zone name such as UTC, America/New_York or Europe/Paris",
    },
  ];
}

/** `us/eastern` → `US/Eastern`, `america/new_york` → `America/New_York`. */
function properCase(zone: string): string {
  return zone
    .split("/")
    .map((segment) =>
      segment.length <= 3
        ? segment.toUpperCase()
        : segment.replace(/(^|[_-])([a-z])/g, (_, sep, c) => sep + c.toUpperCase()),
    )
    .join("/");
}

let allZones: readonly string[] | undefined;

/** Up to three IANA zones close to a misspelt or abbreviated name, best first. */
export function suggestTimezones(zone: string): string[] {
  const abbreviation = ABBREVIATIONS[zone.toUpperCase()];
  if (abbreviation) return [abbreviation];
  const cased = resolve(zone.replace(/ /g, "_"));
  if (cased) return [cased];
  allZones ??= ["UTC", ...Intl.supportedValuesOf("timeZone")];
  const wanted = zone.toLowerCase().replace(/ /g, "_");
  // A city alone ("Paris", "new york") names its zone.
  const city = allZones.filter((z) => z.toLowerCase().split("/").pop() === wanted);
  if (city.length > 0) return city.slice(0, 3);
  const limit = Math.max(2, Math.floor(wanted.length / 4));
  return allZones
    .map((z) => ({ z, d: distance(wanted, z.toLowerCase()) }))
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d || a.z.localeCompare(b.z))
    .slice(0, 3)
    .map(({ z }) => z);
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost));
    }
    prev = row;
  }
  return prev[b.length] as number;
}
