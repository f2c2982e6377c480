import { type Command, InvalidArgumentError, Option } from "commander";
import type { CommandContext } from "../context.js";
import { type AwsFlags, awsFlags, connect, guarded } from "../deploy/connect.js";
import { pipelineName } from "../remote/pipeline.js";
import { deployedStateMachine } from "../remote/resolve.js";
import { statusColor, when } from "../remote/table.js";
import { duration, table } from "../table.js";
import { json } from "./shared.js";

const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"] as const;

interface ExecutionsFlags extends AwsFlags {
  readonly status?: (typeof STATUSES)[number];
  readonly n: number;
  readonly json?: boolean;
  readonly pipeline?: string;
}

/** `stepline executions <pipeline>`: the executions of a deployed pipeline, newest first. */
export function executionsCommand(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  const command = program
    .command("executions")
    .description("list the executions of a deployed pipeline on AWS, newest first")
    .argument("<pipeline>", "pipeline file or deployed pipeline name")
    .addOption(new Option("--status <status>", "only executions with this status").choices(STATUSES))
    .option("-n, --max <count>", "at most this many executions", count, 20)
    .option("--pipeline <name>", "the pipeline when the file exports several")
    .option("--json", "print JSON");
  awsFlags(command).action(async (arg: string, flags: Omit<ExecutionsFlags, "n"> & { max: number }) => {
    ctx.json = flags.json === true;
    done(await executions(arg, { ...flags, n: flags.max }, ctx));
  });
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("Expected a positive whole number.");
  return n;
}

async function executions(arg: string, flags: ExecutionsFlags, ctx: CommandContext): Promise<number> {
  const pipeline = await pipelineName(arg, ctx, flags.pipeline);
  const { aws } = await connect(flags, ctx.io.env);
  const machine = await deployedStateMachine(aws, pipeline);
  const sfn = await aws.client("sfn");
  const { ListExecutionsCommand } = await aws.sdk("sfn");
  const found: {
    name: string;
    executionArn: string;
    status: string;
    startDate: string;
    stopDate: string | null;
    durationMs: number | null;
  }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await guarded(aws, `listing the executions of ${pipeline}`, () =>
      sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: machine,
          maxResults: Math.min(1000, flags.n),
          ...(flags.status === undefined ? {} : { statusFilter: flags.status }),
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      ),
    );
    for (const e of page.executions ?? []) {
      const start = e.startDate ?? new Date(0);
      found.push({
        name: e.name ?? "",
        executionArn: e.executionArn ?? "",
        status: e.status ?? "",
        startDate: start.toISOString(),
        stopDate: e.stopDate?.toISOString() ?? null,
        durationMs: (e.stopDate ?? new Date()).getTime() - start.getTime(),
      });
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined && nextToken !== "" && found.length < flags.n);
  // AWS lists newest first; emulators may not.
  const shown = found
    .sort((a, b) => (a.startDate < b.startDate ? 1 : a.startDate > b.startDate ? -1 : 0))
    .slice(0, flags.n);
  if (flags.json === true) {
    ctx.io.stdout.write(json(shown));
    return 0;
  }
  if (shown.length === 0) {
    ctx.io.stdout.write(
      `no ${flags.status === undefined ? "" : `${flags.status} `}executions of ${pipeline} (start one with \`stepline start ${arg}\`)\n`,
    );
    return 0;
  }
  const rows = shown.map((e) => [
    e.name,
    e.status,
    when(e.startDate),
    e.durationMs === null ? "-" : duration(e.durationMs),
  ]);
  ctx.io.stdout.write(
    table(["NAME", "STATUS", "STARTED", "DURATION"], rows, ctx.out, (i, line) =>
      statusColor(shown[i]?.status ?? "", ctx.out)(line),
    ),
  );
  const arnPrefix = machine.replace(":stateMachine:", ":execution:");
  ctx.io.stdout.write(ctx.out.dim(`\nsteps of one: stepline status ${arnPrefix}:<NAME>\n`));
  return 0;
}
