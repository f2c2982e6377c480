import { type BatchStepModel, collectRefs, type ValueModel } from "@stepline/core";
import { sortedEntries } from "../private/records.js";
import { asStringValue } from "../private/values.js";

/** Batch resource requirements: values are strings in the API. */
export function resourceRequirements(step: BatchStepModel): { readonly type: string; readonly value: string }[] {
  const requirements = [
    { type: "VCPU", value: String(step.vcpus) },
    { type: "MEMORY", value: String(step.memoryMiB) },
  ];
  if (step.gpus !== undefined && step.gpus > 0) requirements.push({ type: "GPU", value: String(step.gpus) });
  return requirements;
}

/**
 * `ContainerOverrides` of SubmitJob: the command as given, every environment
 * variable sorted by name (references wrapped so they arrive as strings), and
 * vCPU / memory / GPU as resource requirements (top-level vcpus/memory
 * overrides are ignored by Batch). Empty fields are left out.
 */
export function containerOverrides(step: BatchStepModel): { readonly [key: string]: ValueModel } {
  // A job definition stepline registers already holds the static command, the static
  // environment and the resources: overriding them again would only grow every state
  // (and the 8,192-character ContainerOverrides budget). A user's definition gets all.
  const managed = step.jobDefinition === undefined;
  const environment = sortedEntries(step.environment)
    .filter(([, value]) => !managed || containsExpr(value))
    .map(([name, value]) => ({
      Name: name,
      Value: asStringValue(value) ?? JSON.stringify(value),
    }));
  const dynamicCommand = step.command.some((arg) => containsExpr(arg));
  return {
    ...(step.command.length > 0 && (!managed || dynamicCommand) ? { Command: step.command } : {}),
    ...(environment.length > 0 ? { Environment: environment } : {}),
    ...(managed
      ? {}
      : {
          ResourceRequirements: resourceRequirements(step).map((requirement) => ({
            Type: requirement.type,
            Value: requirement.value,
          })),
        }),
  };
}

/** Whether a value holds a reference or a format string, i.e. is known only at run time. */
export function containsExpr(value: ValueModel): boolean {
  return collectRefs(value).length > 0;
}
