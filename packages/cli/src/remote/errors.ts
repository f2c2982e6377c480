import type { SteplineError } from "@stepline/core";

/** A problem of a command that talks to AWS: exit 2 (`user`) or 1 (`failure`), printed without a stack. */
export async function remoteError(
  code: string,
  message: string,
  fix: string,
  kind: "user" | "failure" = "user",
): Promise<SteplineError> {
  const { SteplineError, problem } = await import("@stepline/core");
  return new SteplineError([problem(code, message, fix)], kind);
}
