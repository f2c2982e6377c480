import type { GlueStepModel, IntegrationContext, JsonValue, ResourceSpec } from "@stepline/core";
import { sortedEntries, sortedRecord } from "../private/records.js";
import { isDynamic } from "../private/values.js";
import { DEFAULT_NUMBER_OF_WORKERS, DEFAULT_PYTHON_SHELL_CAPACITY, GLUE_JOB_TYPES } from "./job-types.js";
import { glueJobName } from "./naming.js";

/** Arguments known at compile time become the job's DefaultArguments; references stay per run. */
function defaultArguments(step: GlueStepModel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of sortedEntries(step.arguments)) {
    if (isDynamic(value) || (value !== null && typeof value === "object")) continue;
    out[name] = value === null ? "" : String(value);
  }
  return out;
}

/**
 * The Glue job stepline creates for a step with a script, in CreateJob terms.
 * `Role` is left to deploy, which owns the job role.
 */
function managedJob(step: GlueStepModel, scriptLocation: string, ctx: IntegrationContext): ResourceSpec {
  const type = GLUE_JOB_TYPES[step.jobType];
  const name = glueJobName(ctx.pipeline, step);
  const args = defaultArguments(step);
  const capacity: { [key: string]: JsonValue } =
    step.jobType === "pythonshell"
      ? { MaxCapacity: step.maxCapacity ?? DEFAULT_PYTHON_SHELL_CAPACITY }
      : {
          WorkerType: step.workerType ?? type.defaultWorkerType ?? "G.1X",
          NumberOfWorkers: step.numberOfWorkers ?? DEFAULT_NUMBER_OF_WORKERS,
        };
  return {
    type: "glue.job",
    name,
    usedBy: [step.name],
    managed: true,
    properties: {
      Name: name,
      Command: {
        Name: type.command,
        ScriptLocation: scriptLocation,
        PythonVersion: type.pythonVersion,
        ...(type.runtime !== undefined ? { Runtime: type.runtime } : {}),
      },
      GlueVersion: step.glueVersion ?? type.defaultGlueVersion,
      ...capacity,
      ...(step.jobType === "spark" ? { ExecutionClass: step.executionClass } : {}),
      ...(step.timeoutMinutes !== undefined ? { Timeout: step.timeoutMinutes } : {}),
      ...(step.connections.length > 0 ? { Connections: { Connections: [...step.connections].sort() } } : {}),
      ...(step.securityConfiguration !== undefined ? { SecurityConfiguration: step.securityConfiguration } : {}),
      ...(Object.keys(args).length > 0 ? { DefaultArguments: args } : {}),
      Tags: sortedRecord({ ...ctx.pipeline.tags, "stepline:pipeline": ctx.pipeline.name }),
    },
  };
}

/** The Glue job of a step: created by stepline from a script, or an existing one checked to exist. */
export function glueResources(step: GlueStepModel, ctx: IntegrationContext): ResourceSpec[] {
  if (step.jobName !== undefined) {
    return [
      { type: "glue.job", name: step.jobName, usedBy: [step.name], managed: false, properties: { Name: step.jobName } },
    ];
  }
  if (step.scriptLocation !== undefined) return [managedJob(step, step.scriptLocation, ctx)];
  return [];
}
