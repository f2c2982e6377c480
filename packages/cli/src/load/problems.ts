import type { Problem, SteplineError } from "@stepline/core";

/**
 * Builds loader errors. Core is imported lazily so a successful load of a
 * JavaScript or JSON pipeline costs nothing here.
 */
export async function loadError(code: string, message: string, fix: string, file?: string): Promise<SteplineError> {
  const { SteplineError } = await import("@stepline/core");
  return SteplineError.of(code, message, fix, file === undefined ? {} : { file });
}

/** The same error with `file` filled in where the thrower did not know it. */
export async function withFile(error: SteplineError, file: string): Promise<SteplineError> {
  const { SteplineError } = await import("@stepline/core");
  const problems = error.problems.map((p: Problem) => (p.file === undefined ? { ...p, file } : p));
  return new SteplineError(problems, error.kind);
}
