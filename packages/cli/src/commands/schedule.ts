import type { Problem } from "@stepline/core";
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import type { CommandContext } from "../context.js";
import { compileOptions, json, load, type PipelineFlags } from "./shared.js";

interface ScheduleFlags extends PipelineFlags {
  readonly count: number;
  readonly from?: string;
  readonly expression?: string;
  readonly timezone?: string;
}

export function scheduleCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  program
    .command("schedule")
    .description("check a pipeline's schedule (or an expression) and print its next fire times")
    .argument("[pipeline]", "pipeline file (.ts, .js, .mjs or .json)")
    .option("-n, --count <n>", "how many fire times", countOf, 10)
    .option("--from <instant>", "list fire times after this ISO-8601 instant (default: now)")
    .option("--expression <expr>", "a cron(…), rate(…) or at(…) expression instead of a pipeline")
    .option("--timezone <zone>", "IANA time zone of --expression (default: UTC)")
    .option("--pipeline <name>", "the pipeline to use when the file exports several")
    .option("--json", 'print { "expression", "timezone", "next": [ISO instants in UTC] }')
    .action(async (file: string | undefined, flags: ScheduleFlags) => {
      ctx.json = flags.json === true;
      done(await runSchedule(file, flags, ctx));
    });
}

function countOf(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new InvalidArgumentError("Expected a whole number from 1 to 10000.");
  return n;
}

async function runSchedule(file: string | undefined, flags: ScheduleFlags, ctx: CommandContext): Promise<number> {
  const core = await import("@stepline/core");
  const { SteplineError, problem } = core;
  const usage = (message: string, fix: string) => new SteplineError([problem("SL_CLI_USAGE", message, fix)]);
  if ((file === undefined) === (flags.expression === undefined)) {
    throw usage(
      file === undefined ? "give a pipeline file or --expression" : "give a pipeline file or --expression, not both",
      "e.g. `stepline schedule pipeline.ts` or `stepline schedule --expression 'cron(0 3 * * ? *)' --timezone Europe/Paris`",
    );
  }
  let from = Date.now();
  if (flags.from !== undefined) {
    from = Date.parse(flags.from);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(flags.from) || Number.isNaN(from)) {
      throw new SteplineError([
        problem(
          "SL_SCHEDULE_FROM_INVALID",
          `--from '${flags.from}' is not an ISO-8601 instant`,
          "write it like 2026-03-28T00:00:00Z",
          { field: "--from" },
        ),
      ]);
    }
  }

  let expression: string;
  let timezone: string;
  let window: { startDate?: string; endDate?: string } = {};
  if (flags.expression !== undefined) {
    if (flags.timezone !== undefined)
      throwIfProblems(core, core.checkTimezone(flags.timezone, { field: "--timezone" }));
    expression = flags.expression;
    timezone = flags.timezone ?? "UTC";
  } else {
    if (flags.timezone !== undefined) {
      throw usage("--timezone goes with --expression", "a pipeline's schedule names its own time zone");
    }
    const loaded = await load(file as string, flags, ctx);
    const schedule = loaded.model.schedule;
    if (!schedule) {
      throw new SteplineError([
        problem(
          "SL_SCHEDULE_NONE",
          `pipeline '${loaded.model.name}' has no schedule`,
          'add one, e.g. schedule: daily("02:30", { timezone: "Europe/Paris" }) (from @stepline/dsl)',
          { file: loaded.displayPath, field: "schedule" },
        ),
      ]);
    }
    // The whole pipeline is checked: a schedule is only as good as the pipeline it starts.
    core.compile(loaded.model, await compileOptions(loaded, flags));
    expression = schedule.expression;
    timezone = schedule.timezone ?? "UTC";
    window = {
      ...(schedule.startDate === undefined ? {} : { startDate: schedule.startDate }),
      ...(schedule.endDate === undefined ? {} : { endDate: schedule.endDate }),
    };
  }
  const parsed = core.parseScheduleExpression(expression);
  const next = core.nextFireTimes(parsed, {
    from,
    count: flags.count,
    timezone,
    ...(window.startDate === undefined ? {} : { startDate: Date.parse(window.startDate) }),
    ...(window.endDate === undefined ? {} : { endDate: Date.parse(window.endDate) }),
  });
  const instants = next.map((ms) => new Date(ms).toISOString().replace(/\.000Z$/, "Z"));
  if (ctx.json) {
    ctx.io.stdout.write(json({ expression, timezone, next: instants }));
    return 0;
  }
  const { bold, dim } = ctx.out;
  const lines = [`${bold(expression)} ${dim(`in ${timezone}`)}`];
  if (instants.length === 0) {
    const ever = core.nextFireTimes(parsed, { from: 0, count: 1, timezone });
    lines.push(
      dim(
        ever.length === 0
          ? "  it never fires: no date between 1970 and 2199 matches it"
          : "  no fire times after the given instant (the schedule has ended)",
      ),
    );
  }
  const local = localFormatter(timezone);
  next.forEach((ms, i) => {
    const n = String(i + 1).padStart(String(next.length).length);
    lines.push(`  ${n}  ${instants[i]}  ${timezone === "UTC" ? "" : `${local(ms)}`}`.trimEnd());
  });
  if (instants.length < flags.count && instants.length > 0)
    lines.push(dim(`  (only ${instants.length}: the schedule ends)`));
  ctx.io.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

function throwIfProblems(core: typeof import("@stepline/core"), problems: readonly Problem[]) {
  if (problems.some((p) => p.severity === "error")) throw new core.SteplineError([...problems]);
}

/** `2026-03-30 02:30:00 +02:00`: the wall-clock time in the zone, with its UTC offset. */
function localFormatter(zone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const offset = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
  return (ms) => {
    const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
    const gmt = offset.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "";
    const off = gmt === "GMT" ? "+00:00" : gmt.replace("GMT", "");
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${off}`;
  };
}
