import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { type GlueStepModel, type JsonValue, resolveValue, TaskFailure, type TaskHandlerContext } from "@stepline/core";
import { asText, hostEnvironment, type LocalRunContext, record, stringOf } from "./context.js";
import { onPath, runHostProcess } from "./process.js";

export const SPARK_MISSING_MESSAGE =
  "Spark is not installed: put spark-submit on PATH (https://spark.apache.org/downloads.html) or give the step a local override (local: { script } runs it with python3, or local: { command })";

/** The job's arguments as Glue passes them: the run's, then the job's defaults it does not override. */
function jobArguments(
  ctx: LocalRunContext,
  step: GlueStepModel,
  jobName: string,
  input: Record<string, unknown>,
): Record<string, string> {
  const job = ctx.manifest.resources.find(
    (resource) => resource.type === "glue.job" && (resource.name === jobName || resource.usedBy.includes(step.name)),
  );
  const defaults = record(record(job?.properties)?.DefaultArguments) ?? {};
  const out: Record<string, string> = {};
  const given = record(input.Arguments) ?? {};
  for (const [key, value] of Object.entries(given)) out[key] = asText(value);
  for (const [key, value] of Object.entries(defaults)) if (!(key in given)) out[key] = asText(value);
  return out;
}

/** `--key value` pairs, `--JOB_NAME` and `--JOB_RUN_ID` first as Glue passes them. */
export function argumentList(args: Readonly<Record<string, string>>, jobName: string, runId: string): string[] {
  const list = ["--JOB_NAME", jobName, "--JOB_RUN_ID", runId];
  for (const [key, value] of Object.entries(args)) {
    if (key === "--JOB_NAME" || key === "--JOB_RUN_ID") continue;
    list.push(key.startsWith("--") ? key : `--${key}`, value);
  }
  return list;
}

function scriptPath(ctx: LocalRunContext, step: GlueStepModel): string | undefined {
  if (step.local?.script !== undefined) return resolve(ctx.pipelineDir, step.local.script);
  const location = step.scriptLocation;
  if (location === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return undefined;
  return isAbsolute(location) ? location : resolve(ctx.pipelineDir, location);
}

/** Runs a StartJobRun call (.sync) on this machine and answers like GetJobRun's JobRun. */
export async function runGlueJob(
  ctx: LocalRunContext,
  step: GlueStepModel,
  input: unknown,
  context: TaskHandlerContext,
): Promise<unknown> {
  const params = record(input) ?? {};
  const jobName = stringOf(params.JobName) ?? step.jobName ?? step.name;
  const runId = `jr_${randomBytes(32).toString("hex")}`;
  const args = jobArguments(ctx, step, jobName, params);
  const argv = argumentList(args, jobName, runId);
  let command: string[];
  if (step.local?.command !== undefined) {
    const resolved = resolveValue(step.local.command, context.stateInput, context.context) as JsonValue[];
    command = [...resolved.map((part) => asText(part)), ...argv];
  } else {
    const spark = step.jobType === "spark" && step.local?.script === undefined;
    // A local script stands in for the job and runs with python3; a Spark job's own script needs spark-submit.
    const sparkSubmit = spark ? onPath("spark-submit", hostEnvironment(ctx, {})) : undefined;
    if (spark && sparkSubmit === undefined) throw new TaskFailure("stepline.SparkMissing", SPARK_MISSING_MESSAGE);
    const script = scriptPath(ctx, step);
    if (script === undefined) {
      const where =
        step.scriptLocation ?? (step.jobName !== undefined ? `the existing Glue job '${step.jobName}'` : "no script");
      throw new TaskFailure(
        "stepline.LocalScriptMissing",
        `The Glue step '${step.name}' runs ${where}, which cannot run on this machine: give the step local: { script: './jobs/${step.name}.py' } (a local copy of the script) or local: { command }.`,
      );
    }
    command = sparkSubmit !== undefined ? [sparkSubmit, script, ...argv] : ["python3", script, ...argv];
  }
  const environment: Record<string, string> = {};
  if (step.local?.environment !== undefined) {
    const resolved = resolveValue(step.local.environment, context.stateInput, context.context) as Record<
      string,
      JsonValue
    >;
    for (const [name, value] of Object.entries(resolved)) environment[name] = asText(value);
  }
  mkdirSync(ctx.runDir, { recursive: true });
  const startedOn = Date.now();
  const exit = await runHostProcess({
    command,
    cwd: ctx.pipelineDir,
    env: hostEnvironment(ctx, environment),
    signal: context.signal,
    log: (line) => context.log(line),
  });
  if (context.signal.aborted) throw context.signal.reason;
  const completedOn = Date.now();
  const run = {
    Id: runId,
    Attempt: context.attempt,
    JobName: jobName,
    StartedOn: startedOn,
    LastModifiedOn: completedOn,
    CompletedOn: completedOn,
    Arguments: args,
    ExecutionTime: Math.round((completedOn - startedOn) / 1000),
    GlueVersion: step.glueVersion ?? (step.jobType === "pythonshell" ? "3.0" : "5.0"),
  };
  if (exit.exitCode === 0) return { ...run, JobRunState: "SUCCEEDED" };
  const why =
    exit.exitCode !== undefined
      ? `Command failed with exit code ${exit.exitCode}`
      : (exit.reason ?? "the job did not finish");
  throw new TaskFailure(
    "States.TaskFailed",
    JSON.stringify({ ...run, JobRunState: "FAILED", ErrorMessage: `${why}: ${command.join(" ")}` }),
  );
}
