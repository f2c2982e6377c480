import { type BatchStepModel, isExpr, type Problem, problem } from "@stepline/core";
import { sortedEntries } from "../private/records.js";
import { preview } from "../private/values.js";

const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/.+$/;
/** Environment names that announce a secret (case-insensitive substrings). */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY/i;

/** Whether a `secrets` value is a Secrets Manager secret ARN or an SSM parameter ARN. */
export function isSecretReference(value: string): boolean {
  return SECRETS_MANAGER_ARN.test(value) || SSM_PARAMETER_ARN.test(value);
}

/**
 * Secrets must be references to a secret store, never the secret itself, and a
 * secret-looking environment variable must not hold a literal. Messages show at
 * most the first characters of a value.
 */
export function secretProblems(step: BatchStepModel): Problem[] {
  const problems: Problem[] = [];
  for (const [name, value] of sortedEntries(step.secrets)) {
    if (isSecretReference(value)) continue;
    problems.push(
      problem(
        "SL_SECRET_PLAINTEXT",
        `Secret '${name}' is '${preview(value)}', which is not a Secrets Manager or SSM parameter ARN; a plaintext secret would be stored in the job definition.`,
        `Store the value in AWS Secrets Manager or SSM Parameter Store and set secrets.${name} to its ARN, e.g. 'arn:aws:secretsmanager:<region>:<account>:secret:<name>' or 'arn:aws:ssm:<region>:<account>:parameter/<name>'.`,
        { step: step.name, field: `secrets.${name}` },
      ),
    );
  }
  for (const [name, value] of sortedEntries(step.environment)) {
    if (!SECRET_NAME.test(name) || value === null || value === "" || typeof value === "object" || isExpr(value))
      continue;
    problems.push(
      problem(
        "SL_SECRET_PLAINTEXT",
        `Environment variable '${name}' looks like a secret and holds the literal '${preview(String(value))}'; it would be visible in the state machine, its history and the job.`,
        `Remove environment.${name} and add secrets: { ${name}: '<Secrets Manager or SSM parameter ARN>' } instead.`,
        { step: step.name, field: `environment.${name}` },
      ),
    );
  }
  if (step.jobDefinition !== undefined && Object.keys(step.secrets).length > 0) {
    problems.push(
      problem(
        "SL_BATCH_SECRETS_NEED_DEFINITION",
        `The step sets secrets (${Object.keys(step.secrets).sort().join(", ")}) and its own jobDefinition '${step.jobDefinition}'; Batch cannot add secrets when a job is submitted, only in its job definition.`,
        "Either remove jobDefinition so stepline registers a definition with these secrets, or remove secrets and declare them in your job definition.",
        { step: step.name, field: "secrets" },
      ),
    );
  }
  return problems;
}
