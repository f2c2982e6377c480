import { type GlueStepModel, type IntegrationContext, type Problem, problem } from "@stepline/core";
import { GLUE_JOB_TYPES, PYTHON_SHELL_CAPACITIES } from "./job-types.js";

const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+/;

/** Where the job comes from: exactly one of jobName and scriptLocation, the script on S3. */
function sourceProblems(step: GlueStepModel): Problem[] {
  if ((step.jobName === undefined) === (step.scriptLocation === undefined)) {
    const both = step.jobName !== undefined;
    return [
      problem(
        "SL_GLUE_JOB_SOURCE",
        both
          ? `The step sets both jobName '${step.jobName}' and scriptLocation '${step.scriptLocation}'; stepline cannot tell whether to run the existing job or create one.`
          : "The step sets neither jobName nor scriptLocation; stepline does not know which Glue job to run.",
        both
          ? "Keep jobName to run the existing job as it is, or keep scriptLocation to let stepline create and manage the job."
          : "Set jobName to an existing Glue job, or scriptLocation to the job's script on S3 (s3://bucket/path/script.py).",
        { step: step.name, field: both ? "scriptLocation" : "jobName" },
      ),
    ];
  }
  if (step.scriptLocation !== undefined && !S3_URI.test(step.scriptLocation)) {
    return [
      problem(
        "SL_GLUE_SCRIPT_LOCATION",
        `scriptLocation '${step.scriptLocation}' is not an S3 URI; Glue on AWS reads job scripts from S3 only.`,
        "Upload the script to S3 and set scriptLocation to 's3://<bucket>/<key>.py'; for a local file used by `stepline run`, set local.script instead.",
        { step: step.name, field: "scriptLocation" },
      ),
    ];
  }
  return [];
}

/** Capacity settings against the job type: worker type and count, Python-shell DPU, Flex. */
function capacityProblems(step: GlueStepModel): Problem[] {
  const type = GLUE_JOB_TYPES[step.jobType];
  const at = (field: string) => ({ step: step.name, field });
  const problems: Problem[] = [];
  if (step.workerType !== undefined && !type.workerTypes.includes(step.workerType)) {
    problems.push(
      problem(
        "SL_GLUE_WORKER_TYPE",
        `workerType '${step.workerType}' is not valid for a ${step.jobType} job${step.workerType === "G.025X" ? " (G.025X is for streaming jobs only)" : ""}.`,
        step.jobType === "pythonshell"
          ? "Remove workerType; a Python-shell job sizes itself with maxCapacity 0.0625 or 1 (DPU)."
          : `Set workerType to one of ${type.workerTypes.join(", ")}.`,
        at("workerType"),
      ),
    );
  }
  const minWorkers = step.jobType === "spark" ? 2 : 1;
  if (step.numberOfWorkers !== undefined) {
    if (step.jobType === "pythonshell") {
      problems.push(
        problem(
          "SL_GLUE_WORKERS",
          `numberOfWorkers is ${step.numberOfWorkers} but a Python-shell job has no workers.`,
          "Remove numberOfWorkers and set maxCapacity to 0.0625 or 1 (DPU).",
          at("numberOfWorkers"),
        ),
      );
    } else if (!Number.isInteger(step.numberOfWorkers) || step.numberOfWorkers < minWorkers) {
      problems.push(
        problem(
          "SL_GLUE_WORKERS",
          `numberOfWorkers is ${step.numberOfWorkers}; a ${step.jobType} job needs a whole number of at least ${minWorkers}.`,
          `Set numberOfWorkers to ${minWorkers} or more.`,
          at("numberOfWorkers"),
        ),
      );
    }
  }
  if (step.maxCapacity !== undefined && step.jobType !== "pythonshell") {
    problems.push(
      problem(
        "SL_GLUE_MAX_CAPACITY",
        `maxCapacity is set on a ${step.jobType} job; only Python-shell jobs are sized by maxCapacity.`,
        "Remove maxCapacity and size the job with workerType and numberOfWorkers.",
        at("maxCapacity"),
      ),
    );
  } else if (step.maxCapacity !== undefined && !PYTHON_SHELL_CAPACITIES.includes(step.maxCapacity)) {
    problems.push(
      problem(
        "SL_GLUE_MAX_CAPACITY",
        `maxCapacity is ${step.maxCapacity}; a Python-shell job runs on 0.0625 or 1 DPU.`,
        "Set maxCapacity to 0.0625 (default) or 1.",
        at("maxCapacity"),
      ),
    );
  }
  if (step.executionClass === "FLEX" && step.jobType !== "spark") {
    problems.push(
      problem(
        "SL_GLUE_EXECUTION_CLASS",
        `executionClass is FLEX on a ${step.jobType} job; Flex runs only Spark (glueetl) jobs.`,
        "Set executionClass to 'STANDARD', or make the step a Spark job.",
        at("executionClass"),
      ),
    );
  }
  return problems;
}

/** Glue version, timeout and argument names. */
function settingProblems(step: GlueStepModel): Problem[] {
  const type = GLUE_JOB_TYPES[step.jobType];
  const at = (field: string) => ({ step: step.name, field });
  const problems: Problem[] = [];
  if (step.glueVersion !== undefined && !type.glueVersions.includes(step.glueVersion)) {
    problems.push(
      problem(
        "SL_GLUE_VERSION",
        `glueVersion '${step.glueVersion}' is not available for new ${step.jobType} jobs.`,
        `Set glueVersion to one of ${type.glueVersions.join(", ")}, or remove it for ${type.defaultGlueVersion}.`,
        at("glueVersion"),
      ),
    );
  }
  if (step.timeoutMinutes !== undefined && !(Number.isInteger(step.timeoutMinutes) && step.timeoutMinutes >= 1)) {
    problems.push(
      problem(
        "SL_GLUE_TIMEOUT",
        `timeoutMinutes is ${step.timeoutMinutes}; a Glue job run timeout is a whole number of minutes, at least 1.`,
        "Set timeoutMinutes to 1 or more, or remove it to keep the job's own timeout.",
        at("timeoutMinutes"),
      ),
    );
  }
  for (const name of Object.keys(step.arguments).sort()) {
    if (name.startsWith("--")) continue;
    problems.push(
      problem(
        "SL_GLUE_ARGUMENT_NAME",
        `Argument '${name}' does not start with '--'; Glue scripts read arguments by their '--' names (getResolvedOptions).`,
        `Rename it to '--${name}'.`,
        at(`arguments.${name}`),
      ),
    );
  }
  return problems;
}

/** Every problem of a Glue step, collected. */
export function validateGlue(step: GlueStepModel, _ctx: IntegrationContext): Problem[] {
  return [...sourceProblems(step), ...capacityProblems(step), ...settingProblems(step)];
}
