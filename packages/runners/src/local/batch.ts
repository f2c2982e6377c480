import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import {
  type BatchStepModel,
  type JsonValue,
  type ResourceSpec,
  resolveValue,
  TaskFailure,
  type TaskHandlerContext,
  type ValueModel,
} from "@stepline/core";
import { asText, containerEnvironment, hostEnvironment, type LocalRunContext, record, stringOf } from "./context.js";
import { runContainer } from "./docker.js";
import { type ExitInfo, runHostProcess } from "./process.js";

/** Where a Batch job runs locally. */
export type BatchMode =
  /** The step's `local` override (command and/or environment) on the host. */
  | "override"
  | "docker"
  /** The job's own command on the host: no Docker engine. */
  | "host";

/** Everything needed to run one Batch job (or each child of an array job). */
export interface LocalBatchJob {
  readonly jobId: string;
  readonly jobName: string;
  readonly jobQueue: string;
  readonly jobDefinition: string;
  readonly image: string;
  readonly command: readonly string[];
  /** The job's environment: definition, overrides, `local.environment` (not yet the AWS_BATCH_* variables). */
  readonly environment: Readonly<Record<string, string>>;
  readonly vcpus?: number;
  readonly memoryMiB?: number;
  readonly arraySize?: number;
  readonly attemptTimeoutSeconds?: number;
  readonly mode: BatchMode;
}

interface ContainerProperties {
  readonly image?: string;
  readonly command?: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly vcpus?: number;
  readonly memoryMiB?: number;
}

function definitionFor(
  manifest: LocalRunContext["manifest"],
  step: BatchStepModel,
  name: string,
): ResourceSpec | undefined {
  const definitions = manifest.resources.filter((resource) => resource.type === "batch.jobDefinition");
  const bare = name.replace(/^arn:[^/]*:job-definition\//, "").replace(/:\d+$/, "");
  return (
    definitions.find((resource) => resource.name === bare) ??
    definitions.find((resource) => resource.usedBy.includes(step.name))
  );
}

function requirement(list: unknown, type: string, typeKey: string, valueKey: string): number | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const item of list) {
    const entry = record(item);
    if (entry === undefined || String(entry[typeKey]).toUpperCase() !== type) continue;
    const value = Number(entry[valueKey]);
    if (Number.isFinite(value)) return value;
  }
  return undefined;
}

function nameValues(list: unknown, nameKey: string, valueKey: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    const entry = record(item);
    const name = stringOf(entry?.[nameKey]);
    if (entry !== undefined && name !== undefined) out[name] = asText(entry[valueKey] ?? "");
  }
  return out;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map((part) => asText(part)) : undefined;
}

function definitionProperties(definition: ResourceSpec | undefined): ContainerProperties {
  const properties = record(record(definition?.properties)?.containerProperties);
  if (properties === undefined) return { environment: {} };
  const command = stringList(properties.command);
  const vcpus = requirement(properties.resourceRequirements, "VCPU", "type", "value");
  const memoryMiB = requirement(properties.resourceRequirements, "MEMORY", "type", "value");
  const image = stringOf(properties.image);
  return {
    ...(image !== undefined ? { image } : {}),
    ...(command !== undefined && command.length > 0 ? { command } : {}),
    environment: nameValues(properties.environment, "name", "value"),
    ...(vcpus !== undefined ? { vcpus } : {}),
    ...(memoryMiB !== undefined ? { memoryMiB } : {}),
  };
}

function resolveAll(value: ValueModel, context: TaskHandlerContext): JsonValue {
  return resolveValue(value, context.stateInput, context.context);
}

/**
 * The job a SubmitJob call describes, as Batch would assemble it: the job
 * definition from the manifest, the call's ContainerOverrides on top, the
 * step's `local` override last.
 */
export function batchJob(
  ctx: LocalRunContext,
  step: BatchStepModel,
  input: unknown,
  context: TaskHandlerContext,
  dockerAvailable: boolean,
): LocalBatchJob {
  const params = record(input) ?? {};
  const overrides = record(params.ContainerOverrides) ?? {};
  const jobDefinition = stringOf(params.JobDefinition) ?? step.jobDefinition ?? step.name;
  const definition = definitionProperties(definitionFor(ctx.manifest, step, jobDefinition));
  const environment: Record<string, string> = {
    ...definition.environment,
    ...nameValues(overrides.Environment, "Name", "Value"),
  };
  let command =
    stringList(overrides.Command) ??
    definition.command ??
    (resolveAll(step.command, context) as JsonValue[]).map((part) => asText(part));
  const local = step.local;
  const overridden = local?.command !== undefined || local?.environment !== undefined;
  if (local?.command !== undefined) {
    command = (resolveAll(local.command, context) as JsonValue[]).map((part) => asText(part));
  }
  if (local?.environment !== undefined) {
    for (const [name, value] of Object.entries(resolveAll(local.environment, context) as Record<string, JsonValue>)) {
      environment[name] = asText(value);
    }
  }
  const vcpus = requirement(overrides.ResourceRequirements, "VCPU", "Type", "Value") ?? definition.vcpus ?? step.vcpus;
  const memoryMiB =
    requirement(overrides.ResourceRequirements, "MEMORY", "Type", "Value") ?? definition.memoryMiB ?? step.memoryMiB;
  const size = Number(record(params.ArrayProperties)?.Size);
  const timeout = Number(record(params.Timeout)?.AttemptDurationSeconds);
  return {
    jobId: randomUUID(),
    jobName: stringOf(params.JobName) ?? step.name,
    jobQueue: stringOf(params.JobQueue) ?? step.jobQueue ?? "local",
    jobDefinition,
    image: definition.image ?? step.image,
    command,
    environment,
    ...(vcpus !== undefined ? { vcpus } : {}),
    ...(memoryMiB !== undefined ? { memoryMiB } : {}),
    ...(Number.isInteger(size) && size >= 1 ? { arraySize: size } : {}),
    ...(Number.isFinite(timeout) && timeout > 0 ? { attemptTimeoutSeconds: timeout } : {}),
    mode: overridden ? "override" : dockerAvailable ? "docker" : "host",
  };
}

/** The variables Batch sets in every job container. */
export function batchVariables(job: LocalBatchJob, attempt: number, arrayIndex?: number): Record<string, string> {
  return {
    AWS_BATCH_JOB_ID: arrayIndex === undefined ? job.jobId : `${job.jobId}:${arrayIndex}`,
    AWS_BATCH_JOB_ATTEMPT: String(attempt + 1),
    AWS_BATCH_CE_NAME: "local",
    AWS_BATCH_JQ_NAME: job.jobQueue,
    ...(arrayIndex !== undefined ? { AWS_BATCH_JOB_ARRAY_INDEX: String(arrayIndex) } : {}),
  };
}

interface ChildOutcome {
  readonly exit: ExitInfo;
  readonly startedAt: number;
  readonly stoppedAt: number;
  readonly timedOut: boolean;
}

async function runOne(
  ctx: LocalRunContext,
  job: LocalBatchJob,
  context: TaskHandlerContext,
  arrayIndex: number | undefined,
  log: (line: string) => void,
): Promise<ChildOutcome> {
  const variables = { ...job.environment, ...batchVariables(job, context.attempt, arrayIndex) };
  // Batch's attempt timeout kills the attempt; the state's own timeout aborts `context.signal`.
  const controller = new AbortController();
  const forward = (): void => controller.abort(context.signal.reason);
  if (context.signal.aborted) forward();
  else context.signal.addEventListener("abort", forward, { once: true });
  let timedOut = false;
  const timer =
    job.attemptTimeoutSeconds !== undefined
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new Error("Job attempt duration exceeded timeout"));
        }, job.attemptTimeoutSeconds * 1000)
      : undefined;
  const startedAt = Date.now();
  try {
    const exit =
      job.mode === "docker"
        ? await runContainer({
            image: job.image,
            command: job.command,
            env: containerEnvironment(ctx, variables),
            ...(job.vcpus !== undefined ? { vcpus: job.vcpus } : {}),
            ...(job.memoryMiB !== undefined ? { memoryMiB: job.memoryMiB } : {}),
            binds: [`${ctx.runDir}:${ctx.runDir}`],
            labels: { "stepline.job-id": variables.AWS_BATCH_JOB_ID ?? job.jobId, "stepline.state": context.stateName },
            signal: controller.signal,
            log,
          })
        : await runHostProcess({
            command: job.command,
            cwd: ctx.pipelineDir,
            env: hostEnvironment(ctx, variables),
            signal: controller.signal,
            log,
          });
    return { exit, startedAt, stoppedAt: Date.now(), timedOut };
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener("abort", forward);
  }
}

function succeeded(outcome: ChildOutcome): boolean {
  return !outcome.timedOut && outcome.exit.exitCode === 0 && outcome.exit.reason === undefined;
}

function statusReason(outcome: ChildOutcome): string {
  if (outcome.timedOut) return "Job attempt duration exceeded timeout";
  if (outcome.exit.startFailed === true) return outcome.exit.reason ?? "CannotStartContainerError";
  if (outcome.exit.reason?.startsWith("OutOfMemoryError") === true) return outcome.exit.reason;
  return "Essential container in task exited";
}

function containerDetail(job: LocalBatchJob, outcome: ChildOutcome): Record<string, unknown> {
  const reason = outcome.timedOut ? "Job attempt duration exceeded timeout" : outcome.exit.reason;
  return {
    Image: job.image,
    Command: [...job.command],
    ...(job.vcpus !== undefined ? { Vcpus: job.vcpus } : {}),
    ...(job.memoryMiB !== undefined ? { Memory: job.memoryMiB } : {}),
    ...(outcome.exit.exitCode !== undefined ? { ExitCode: outcome.exit.exitCode } : {}),
    ...(reason !== undefined ? { Reason: reason } : {}),
    LogStreamName: `local/${job.mode}`,
  };
}

function attemptOf(job: LocalBatchJob, outcome: ChildOutcome): Record<string, unknown> {
  const container = containerDetail(job, outcome);
  return {
    Container: {
      ...(container.ExitCode !== undefined ? { ExitCode: container.ExitCode } : {}),
      ...(container.Reason !== undefined ? { Reason: container.Reason } : {}),
      LogStreamName: container.LogStreamName,
    },
    StartedAt: outcome.startedAt,
    StoppedAt: outcome.stoppedAt,
    StatusReason: statusReason(outcome),
  };
}

/** Runs `count` tasks, at most `limit` at once, in index order. */
async function pool<T>(count: number, limit: number, run: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      results[index] = await run(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, () => worker()));
  return results;
}

/**
 * Runs a SubmitJob call (.sync): the job (or every child of an array job)
 * runs to its end, then the result or the failure mimics DescribeJobs.
 */
export async function runBatchJob(
  ctx: LocalRunContext,
  job: LocalBatchJob,
  context: TaskHandlerContext,
): Promise<unknown> {
  mkdirSync(ctx.runDir, { recursive: true });
  const createdAt = Date.now();
  const base = {
    JobArn: `arn:aws:batch:local:000000000000:job/${job.jobId}`,
    JobId: job.jobId,
    JobName: job.jobName,
    JobQueue: job.jobQueue,
    JobDefinition: job.jobDefinition,
    CreatedAt: createdAt,
  };
  if (job.arraySize === undefined) {
    const outcome = await runOne(ctx, job, context, undefined, (line) => context.log(line));
    if (context.signal.aborted) throw context.signal.reason;
    const ok = succeeded(outcome);
    const description = {
      ...base,
      Status: ok ? "SUCCEEDED" : "FAILED",
      StatusReason: statusReason(outcome),
      Attempts: [attemptOf(job, outcome)],
      Container: containerDetail(job, outcome),
      StartedAt: outcome.startedAt,
      StoppedAt: outcome.stoppedAt,
    };
    if (!ok) throw new TaskFailure("States.TaskFailed", JSON.stringify(description));
    return description;
  }
  const size = job.arraySize;
  const startedAt = Date.now();
  const outcomes = await pool(size, Math.max(1, availableParallelism()), (index) =>
    context.signal.aborted
      ? Promise.resolve<ChildOutcome>({
          exit: { reason: "aborted" },
          startedAt: Date.now(),
          stoppedAt: Date.now(),
          timedOut: false,
        })
      : runOne(ctx, job, context, index, (line) => context.log(`[${index}] ${line}`)),
  );
  if (context.signal.aborted) throw context.signal.reason;
  const failed = outcomes.flatMap((outcome, index) => (succeeded(outcome) ? [] : [index]));
  const summary = {
    STARTING: 0,
    FAILED: failed.length,
    RUNNING: 0,
    SUCCEEDED: size - failed.length,
    RUNNABLE: 0,
    SUBMITTED: 0,
    PENDING: 0,
  };
  const description = {
    ...base,
    Status: failed.length === 0 ? "SUCCEEDED" : "FAILED",
    StatusReason:
      failed.length === 0
        ? "All child jobs succeeded"
        : `${failed.length} of ${size} child jobs failed (index ${failed.slice(0, 20).join(", ")}${failed.length > 20 ? ", …" : ""})`,
    Attempts: [],
    ArrayProperties: { Size: size, StatusSummary: summary },
    StartedAt: startedAt,
    StoppedAt: Date.now(),
  };
  if (failed.length > 0) {
    for (const index of failed.slice(0, 20)) {
      const outcome = outcomes[index];
      if (outcome !== undefined)
        context.log(
          `stepline: child ${index} failed: ${statusReason(outcome)}${outcome.exit.exitCode !== undefined ? ` (exit code ${outcome.exit.exitCode})` : ""}`,
        );
    }
    throw new TaskFailure("States.TaskFailed", JSON.stringify(description));
  }
  return description;
}
