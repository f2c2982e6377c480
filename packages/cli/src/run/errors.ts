import type { SteplineError } from "@stepline/core";

/** A `SL_RUN_*` error: printed without a stack, exit 2 (`user`) or 1 (`failure`). */
export async function runError(
  code: string,
  message: string,
  fix: string,
  kind: "user" | "failure" = "user",
  where: { readonly file?: string; readonly step?: string } = {},
): Promise<SteplineError> {
  const { SteplineError, problem } = await import("@stepline/core");
  return new SteplineError([problem(code, message, fix, where)], kind);
}
