import type { AwsContext } from "@stepline/runners/deploy";
import type { CommandContext } from "../context.js";
import { type AwsFlags, connect, guarded } from "../deploy/connect.js";
import { BATCH_LOG_GROUP, type BatchJobRef, batchJobs, jobStreams } from "./batch-logs.js";
import { remoteError } from "./errors.js";
import { executionHistory } from "./execution.js";
import { type StateVisit, stateVisits } from "./history.js";
import { executionArnOf, withArnRegion } from "./resolve.js";

interface Job extends BatchJobRef {
  /** Batch status when the history does not name the streams (e.g. RUNNABLE). */
  readonly status?: string;
}

/**
 * `stepline logs <execution-arn> [step]`: the CloudWatch Logs of the Batch
 * jobs an execution ran, per step and attempt.
 */
export async function remoteLogs(
  arg: string,
  step: string | undefined,
  attempt: number | undefined,
  flags: AwsFlags,
  ctx: CommandContext,
): Promise<number> {
  const { aws } = await connect(withArnRegion(arg, flags), ctx.io.env);
  const executionArn = await executionArnOf(arg, aws, ctx);
  const visits = stateVisits(await executionHistory(aws, executionArn));
  let jobs = batchJobs(visits);
  if (step !== undefined) {
    jobs = jobs.filter((j) => j.step === step);
    if (jobs.length === 0) throw await noJobs(step, visits, batchJobs(visits));
  }
  if (attempt !== undefined) {
    const all = jobs;
    jobs = jobs.filter((j) => j.attempt === attempt);
    if (jobs.length === 0) {
      throw await remoteError(
        "SL_REMOTE_UNKNOWN_ATTEMPT",
        `Step '${step}' has no attempt ${attempt} in this execution.`,
        `Attempts: ${[...new Set(all.map((j) => j.attempt))].join(", ")}.`,
      );
    }
  }
  if (jobs.length === 0) {
    ctx.io.stdout.write(`${ctx.out.dim(`${executionArn} ran no Batch job yet: no logs to show`)}\n`);
    return 0;
  }
  const described = await describe(aws, jobs);
  const out: string[] = [];
  const bare = step !== undefined && described.length === 1 && (described[0]?.streams.length ?? 0) === 1;
  for (const job of described) {
    const where = [
      `attempt ${job.attempt}`,
      ...(job.iteration === undefined ? [] : [`item ${job.iteration}`]),
      ...(job.jobId === undefined ? [] : [`job ${job.jobId}`]),
    ].join(", ");
    if (job.streams.length === 0) {
      out.push(ctx.out.bold(`== ${job.step} (${where}) ==`));
      out.push(
        ctx.out.dim(
          job.jobId === undefined
            ? "(no logs: the history names no Batch job for this attempt — it failed before the job was submitted)"
            : `(no logs yet: job ${job.jobId} is ${job.status ?? "not started"} and has no log stream)`,
        ),
      );
      continue;
    }
    const group = job.logGroup ?? BATCH_LOG_GROUP;
    for (const [i, stream] of job.streams.entries()) {
      if (!bare) {
        const batchAttempt = job.streams.length > 1 ? `, batch attempt ${i + 1}` : "";
        out.push(ctx.out.bold(`== ${job.step} (${where}${batchAttempt}) ==`));
      }
      const lines = await logEvents(aws, group, stream);
      if (lines === undefined) out.push(ctx.out.dim(`(no logs: stream ${stream} not found in log group ${group})`));
      else if (lines.length === 0) out.push(ctx.out.dim("(empty)"));
      else out.push(...lines);
    }
  }
  ctx.io.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

async function noJobs(step: string, visits: readonly StateVisit[], jobs: readonly BatchJobRef[]) {
  const visit = visits.find((v) => v.name === step);
  const withLogs = [...new Set(jobs.map((j) => j.step))];
  const listed =
    withLogs.length > 0 ? `Steps with Batch jobs: ${withLogs.join(", ")}.` : "No step of it ran a Batch job.";
  if (visit === undefined) {
    return remoteError("SL_REMOTE_UNKNOWN_STEP", `Step '${step}' did not run in this execution.`, listed);
  }
  const kind = visit.tasks[0]?.resourceType;
  return remoteError(
    "SL_REMOTE_NO_BATCH_JOB",
    `Step '${step}' ran no Batch job (it is a ${visit.type} state${kind ? ` calling ${kind}` : ""}), so it has no job logs.`,
    `Only Batch steps have logs here; Glue and Lambda write to their own log groups (/aws-glue/jobs/…, /aws/lambda/<function>). ${listed}`,
  );
}

/** Fills in the streams the history does not have (running jobs, `submitJob` without `.sync`). */
async function describe(aws: AwsContext, jobs: readonly BatchJobRef[]): Promise<Job[]> {
  const missing = [...new Set(jobs.filter((j) => j.streams.length === 0 && j.jobId).map((j) => j.jobId as string))];
  if (missing.length === 0) return [...jobs];
  const batch = await aws.client("batch");
  const { DescribeJobsCommand } = await aws.sdk("batch");
  const found = new Map<string, { streams: string[]; logGroup?: string; status?: string }>();
  for (let i = 0; i < missing.length; i += 100) {
    const page = await guarded(aws, "describing the execution's Batch jobs", () =>
      batch.send(new DescribeJobsCommand({ jobs: missing.slice(i, i + 100) })),
    );
    for (const job of page.jobs ?? []) {
      if (job.jobId === undefined) continue;
      found.set(job.jobId, { ...jobStreams(job), ...(job.status === undefined ? {} : { status: job.status }) });
    }
  }
  return jobs.map((j) => {
    const extra = j.jobId === undefined ? undefined : found.get(j.jobId);
    if (j.streams.length > 0 || extra === undefined) return j;
    return {
      ...j,
      streams: extra.streams,
      ...(extra.logGroup === undefined ? {} : { logGroup: extra.logGroup }),
      ...(extra.status === undefined ? {} : { status: extra.status }),
    };
  });
}

/** Every event of a stream, oldest first; `undefined` when the stream (or group) does not exist. */
async function logEvents(aws: AwsContext, logGroupName: string, logStreamName: string): Promise<string[] | undefined> {
  const logs = await aws.client("logs");
  const { GetLogEventsCommand } = await aws.sdk("logs");
  const lines: string[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await guarded(aws, `reading log stream ${logStreamName}`, () =>
      logs
        .send(
          new GetLogEventsCommand({
            logGroupName,
            logStreamName,
            startFromHead: true,
            ...(token === undefined ? {} : { nextToken: token }),
          }),
        )
        .catch(async (error: unknown) => {
          const { isError } = await import("@stepline/runners/deploy");
          if (isError(error, "ResourceNotFoundException")) return undefined;
          throw error;
        }),
    );
    if (page === undefined) return undefined;
    for (const e of page.events ?? []) lines.push((e.message ?? "").replace(/\n$/, ""));
    // The forward token repeats once the end of the stream is reached.
    if (page.nextForwardToken === undefined || page.nextForwardToken === token || (page.events ?? []).length === 0)
      break;
    token = page.nextForwardToken;
  }
  return lines;
}
