import type { Integration, IntegrationRegistry, TaskSpec } from "../compile/integration.js";
import type { TaskStepModel } from "../model/pipeline.js";
import type { ValueModel } from "../model/value.js";

/**
 * Minimal integrations for testing the compiler without `@stepline/runners`:
 * every task step becomes a Lambda invoke of a function named after the step,
 * with the step's arguments as payload. Real pipelines use the runners.
 */

function argumentsOf(step: TaskStepModel): ValueModel {
  switch (step.kind) {
    case "batch":
      return { command: step.command };
    case "glue":
      return { arguments: step.arguments };
    case "lambda":
      return step.payload;
  }
}

function fixture<S extends TaskStepModel>(kind: S["kind"]): Integration<S> {
  return {
    kind,
    validate: () => [],
    task: (step): TaskSpec => ({
      resource: "arn:aws:states:::lambda:invoke",
      parameters: { FunctionName: step.name, Payload: argumentsOf(step) },
      resultFields: { StatusCode: "StatusCode" },
      serviceRetries: [],
      summary: `${kind} step (test integration)`,
    }),
    iam: (step) => [
      {
        Sid: "InvokeTestFunctions",
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        Resource: [`arn:aws:lambda:us-east-1:123456789012:function:${step.name}`],
      },
    ],
    resources: () => [],
  };
}

/** Integrations for compiler tests: every task is a Lambda invoke named after its step. */
export const testIntegrations: IntegrationRegistry = {
  batch: fixture("batch"),
  glue: fixture("glue"),
  lambda: fixture("lambda"),
};
