import type { StateJson } from "../asl/types.js";
import type { ScheduleModel } from "../model/pipeline.js";
import { tryParseScheduleExpression } from "../schedule/index.js";
import { FAR_ZONE_OFFSETS, IANA_ZONE_NAMES } from "../schedule/private/zone-names.js";
import type { CompileContext } from "./context.js";
import { summarise } from "./context.js";
import { chain, type Fragment } from "./fragment.js";
import { offsetMinutes, zoneTransitions } from "./zone-offsets.js";

/**
 * The states a schedule puts before the pipeline's own first states:
 *
 * - overlap `skip`: ask Step Functions (ListExecutions) whether another run of
 *   this state machine is RUNNING, and end at once (Succeed) when one is;
 * - scheduled input: a run started by the schedule carries
 *   `steplineScheduledTime`; the fields the schedule derives from it (the
 *   scheduled time, or its date in the schedule's zone) are filled in.
 *
 * Both are JSONata states (whatever the machine's query language): JSONPath
 * cannot filter a list by the execution's own id nor do date arithmetic.
 */
export const SCHEDULED_TIME_FIELD = "steplineScheduledTime";

/** Name of the variable holding how many other runs are RUNNING. */
const OVERLAP_VARIABLE = "steplineOtherRuns";

/** First and last year whose daylight-saving transitions are embedded (without start/end dates). */
export const ZONE_TABLE_YEARS = { from: 2025, to: 2075 } as const;

export function renderScheduleStart(ctx: CompileContext): Fragment | undefined {
  const schedule = ctx.model.schedule;
  if (!schedule) return undefined;
  const fragments: Fragment[] = [];
  if (schedule.overlap === "skip") fragments.push(overlapGuard(ctx));
  if (schedule.scheduledInput && Object.keys(schedule.scheduledInput).length > 0)
    fragments.push(scheduledInput(ctx, schedule));
  if (fragments.length === 0) return undefined;
  return chain(fragments);
}

function overlapGuard(ctx: CompileContext): Fragment {
  const check: StateJson = {
    Type: "Task",
    QueryLanguage: "JSONata",
    Comment: "overlap skip: count the other RUNNING runs of this state machine",
    Resource: "arn:aws:states:::aws-sdk:sfn:listExecutions",
    Arguments: {
      // The unqualified ARN (a run started through an alias or version has a longer one).
      StateMachineArn: "{% $join($split($states.context.StateMachine.Id, ':')[[0..6]], ':') %}",
      StatusFilter: "RUNNING",
      MaxResults: 100,
    },
    Assign: {
      [OVERLAP_VARIABLE]: "{% $count($states.result.Executions[ExecutionArn != $states.context.Execution.Id]) %}",
    },
    Output: "{% $states.input %}",
    Retry: [
      {
        ErrorEquals: ["Sfn.SfnException", "Sfn.ThrottlingException", "States.TaskFailed"],
        IntervalSeconds: 2,
        MaxAttempts: 3,
        BackoffRate: 2,
        JitterStrategy: "FULL",
      },
    ],
  };
  const decide: StateJson = {
    Type: "Choice",
    QueryLanguage: "JSONata",
    Comment: "overlap skip: end at once when another run is RUNNING",
    Choices: [{ Condition: `{% $${OVERLAP_VARIABLE} > 0 %}`, Next: "Overlap.Skipped" }],
  };
  const skipped: StateJson = {
    Type: "Succeed",
    QueryLanguage: "JSONata",
    Comment: "another run of this pipeline is RUNNING; this one runs no jobs (overlap: skip)",
    Output: `{% {"skipped": "another run of ${ctx.model.name} is RUNNING (overlap: skip)", "running": $${OVERLAP_VARIABLE}} %}`,
  };
  check.Next = "Overlap.Decide";
  summarise(ctx, "Overlap.Check", check, undefined, "lists the RUNNING runs of this state machine");
  summarise(ctx, "Overlap.Decide", decide);
  summarise(ctx, "Overlap.Skipped", skipped);
  return {
    start: "Overlap.Check",
    states: [
      ["Overlap.Check", check],
      ["Overlap.Decide", decide],
      ["Overlap.Skipped", skipped],
    ],
    ends: [{ type: "default", state: decide }],
  };
}

function scheduledInput(ctx: CompileContext, schedule: ScheduleModel): Fragment {
  const field = SCHEDULED_TIME_FIELD;
  const choice: StateJson = {
    Type: "Choice",
    QueryLanguage: "JSONata",
    Comment: "a run started by the schedule carries the scheduled time",
    Choices: [{ Condition: `{% $exists($states.input.${field}) %}`, Next: "Schedule.Input" }],
  };
  const derive: StateJson = {
    Type: "Pass",
    QueryLanguage: "JSONata",
    Comment: `fill the input fields taken from the scheduled time (in ${schedule.timezone ?? "UTC"})`,
    Output: scheduledInputExpression(schedule),
  };
  summarise(ctx, "Schedule.IsScheduled", choice);
  summarise(ctx, "Schedule.Input", derive, undefined, "input fields from the scheduled time");
  return {
    start: "Schedule.IsScheduled",
    states: [
      ["Schedule.IsScheduled", choice],
      ["Schedule.Input", derive],
    ],
    ends: [
      { type: "default", state: choice },
      { type: "state", state: derive },
    ],
  };
}

/**
 * JSONata computing the scheduled input fields from `steplineScheduledTime`:
 * dates are read in the schedule's zone through a table of its UTC offsets
 * (JSONata knows no IANA zones), from the schedule's start (or 2025) to its end
 * (or 2075).
 */
export function scheduledInputExpression(schedule: ScheduleModel): string {
  const entries = Object.entries(schedule.scheduledInput ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const field = SCHEDULED_TIME_FIELD;
  const needsDate = entries.some(([, v]) => v.kind === "date");
  const parts: string[] = [`$t := $states.input.${field}`];
  if (needsDate) {
    const zone = schedule.timezone ?? "UTC";
    const fixed = fixedTimeOfDay(schedule.expression);
    if (fixed !== undefined) {
      // The schedule fires at one wall-clock time (daily at 02:30, weekly, monthly, once): the
      // local date is the one whose fire time lies nearest, whatever the offset of the day.
      // The reference offset only has to be within 12 hours of the zone's: 0, or the table's
      // value for the zones that reach 9 hours from UTC (no ICU needed at compile time).
      const reference = IANA_ZONE_NAMES.has(zone)
        ? (FAR_ZONE_OFFSETS[zone] ?? 0)
        : offsetMinutes(zone, Date.UTC(ZONE_TABLE_YEARS.from, 0, 1));
      const shift = (reference - fixed) * 60000;
      parts.push(`$day := $round(($toMillis($t) ${shift < 0 ? "-" : "+"} ${Math.abs(shift)}) / 86400000)`);
    } else {
      const from = schedule.startDate ? new Date(schedule.startDate).getUTCFullYear() : ZONE_TABLE_YEARS.from;
      const to = schedule.endDate ? new Date(schedule.endDate).getUTCFullYear() : ZONE_TABLE_YEARS.to;
      const { initialOffset, transitions } = zoneTransitions(zone, Date.UTC(from, 0, 1), Date.UTC(to + 1, 0, 1));
      parts.push("$ms := $toMillis($t)");
      if (transitions.length === 0) parts.push(`$offset := ${initialOffset}`);
      else {
        const table = transitions.map((t) => `[${t.at},${t.offset}]`).join(",");
        parts.push(`$offset := $reduce([${table}], function($o, $x) { $ms >= $x[0] ? $x[1] : $o }, ${initialOffset})`);
      }
      parts.push("$day := $floor(($ms + $offset * 60000) / 86400000)");
    }
  }
  const values = entries.map(([name, value]) => {
    const expr =
      value.kind === "time" ? "$t" : `$fromMillis(($day + ${value.offsetDays}) * 86400000, "[Y0001]-[M01]-[D01]")`;
    return `${JSON.stringify(name)}: ${expr}`;
  });
  parts.push(`$merge([$sift($states.input, function($v, $k) { $k != "${field}" }), {${values.join(", ")}}])`);
  return `{% (${parts.join("; ")}) %}`;
}

/** Minutes after midnight of the one wall-clock time a schedule fires at, if it has one. */
function fixedTimeOfDay(expression: string): number | undefined {
  const parsed = tryParseScheduleExpression(expression).schedule;
  if (parsed?.kind === "at") return parsed.hour * 60 + parsed.minute;
  if (parsed?.kind !== "cron" || parsed.hours.length !== 1 || parsed.minutes.length !== 1) return undefined;
  return (parsed.hours[0] as number) * 60 + (parsed.minutes[0] as number);
}
