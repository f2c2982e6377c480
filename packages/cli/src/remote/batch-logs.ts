import type { StateVisit } from "./history.js";

/**
 * The Batch jobs of an execution, from its history: each attempt of a
 * `batch:submitJob(.sync)` Task state submitted one job; its TaskSubmitted
 * output carries the JobId, and the TaskSucceeded output (or the TaskFailed
 * cause) of `.sync` is the job's description with the log stream of every
 * Batch attempt (Spot reclaims retry inside one job).
 */
export interface BatchJobRef {
  /** State name. */
  readonly step: string;
  /** Step Functions attempt of the state, from 1. */
  readonly attempt: number;
  /** Map iteration the state ran in. */
  readonly iteration?: number;
  readonly jobId?: string;
  readonly jobName?: string;
  /** Log streams, one per Batch attempt, oldest first (empty when the history does not tell). */
  readonly streams: readonly string[];
  /** From the job's awslogs configuration. @default "/aws/batch/job" */
  readonly logGroup?: string;
}

export const BATCH_LOG_GROUP = "/aws/batch/job";

function parse(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined) return undefined;
  try {
    const value = JSON.parse(json) as unknown;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Case-insensitive field (Step Functions PascalCases API output; DescribeJobs is camelCase). */
function field(value: unknown, name: string): unknown {
  if (value === null || typeof value !== "object") return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(value)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Log streams and group of one job description (SubmitJob/DescribeJobs shapes, any key case). */
export function jobStreams(job: unknown): { streams: string[]; logGroup?: string } {
  const streams: string[] = [];
  const attempts = field(job, "attempts");
  if (Array.isArray(attempts)) {
    for (const a of attempts) {
      const s = str(field(field(a, "container"), "logStreamName"));
      if (s !== undefined && !streams.includes(s)) streams.push(s);
    }
  }
  const container = field(job, "container");
  const current = str(field(container, "logStreamName"));
  if (current !== undefined && !streams.includes(current)) streams.push(current);
  const options = field(field(container, "logConfiguration"), "options");
  const logGroup = str(field(options, "awslogs-group"));
  return { streams, ...(logGroup === undefined ? {} : { logGroup }) };
}

export function batchJobs(visits: readonly StateVisit[]): BatchJobRef[] {
  const jobs: BatchJobRef[] = [];
  for (const visit of visits) {
    for (const task of visit.tasks) {
      if (task.resourceType !== "batch" || !task.resource.startsWith("submitJob")) continue;
      const submitted = parse(task.submitted);
      const described = parse(task.output) ?? parse(task.cause);
      const jobId = str(field(described, "jobId")) ?? str(field(submitted, "jobId"));
      const jobName = str(field(described, "jobName")) ?? str(field(submitted, "jobName"));
      const { streams, logGroup } = jobStreams(described);
      jobs.push({
        step: visit.name,
        attempt: task.attempt,
        ...(visit.iteration === undefined ? {} : { iteration: visit.iteration }),
        ...(jobId === undefined ? {} : { jobId }),
        ...(jobName === undefined ? {} : { jobName }),
        streams,
        ...(logGroup === undefined ? {} : { logGroup }),
      });
    }
  }
  return jobs;
}
