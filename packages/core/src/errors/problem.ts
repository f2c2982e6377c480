/**
 * Problems and the one error class of stepline.
 *
 * A problem says what is wrong, where (file, step, field) and how to fix it,
 * under a stable code users can search for. Validation collects problems; an
 * operation that cannot go on throws a `SteplineError` carrying them.
 */

export type Severity = "error" | "warning";

/** Where a problem is. */
export interface ProblemLocation {
  readonly file?: string;
  /** Step name (for nested steps, the innermost name). */
  readonly step?: string;
  /** Field path inside the step or pipeline, e.g. `retry.attempts`. */
  readonly field?: string;
}

export interface Problem extends ProblemLocation {
  /** Stable code, e.g. `SL_GRAPH_CYCLE`. */
  readonly code: string;
  readonly severity: Severity;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Builds an error-severity problem. */
export function problem(code: string, message: string, fix: string, where: ProblemLocation = {}): Problem {
  return { code, severity: "error", message, fix, ...where };
}

/** Builds a warning-severity problem. */
export function warning(code: string, message: string, fix: string, where: ProblemLocation = {}): Problem {
  return { code, severity: "warning", message, fix, ...where };
}

/** One line per problem: `path: CODE message (fix: ...)`. */
export function formatProblem(p: Problem): string {
  const where = [p.file, p.step ? `step '${p.step}'` : undefined, p.field ? `field '${p.field}'` : undefined]
    .filter((part): part is string => part !== undefined)
    .join(", ");
  const head = `${p.severity === "error" ? "error" : "warning"} ${p.code}`;
  return `${head}${where ? ` [${where}]` : ""}: ${p.message}\n  fix: ${p.fix}`;
}

/** The only error stepline throws for user mistakes and failed operations. */
export class SteplineError extends Error {
  override readonly name = "SteplineError";
  readonly code: string;
  readonly problems: readonly Problem[];
  /** `user` mistakes exit 2; `failure`s of a run or of AWS exit 1. */
  readonly kind: "user" | "failure";

  constructor(problems: readonly Problem[], kind: "user" | "failure" = "user") {
    const first = problems[0];
    super(
      problems.length === 1 && first
        ? formatProblem(first)
        : `${problems.length} problems:\n${problems.map(formatProblem).join("\n")}`,
    );
    this.code = first?.code ?? "SL_UNKNOWN";
    this.problems = problems;
    this.kind = kind;
  }

  /** Shorthand for a single problem. */
  static of(code: string, message: string, fix: string, where: ProblemLocation = {}): SteplineError {
    return new SteplineError([problem(code, message, fix, where)]);
  }
}

export function isSteplineError(error: unknown): error is SteplineError {
  return error instanceof Error && (error as { name?: unknown }).name === "SteplineError" && "problems" in error;
}

/** Throws when any problem is an error; warnings pass. */
export function throwIfErrors(problems: readonly Problem[]): void {
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new SteplineError(errors);
}

/** A broken invariant of stepline itself (not a user mistake): exits 1, asks for a bug report. */
export function internalError(message: string): SteplineError {
  return new SteplineError(
    [
      problem(
        "SL_INTERNAL",
        `internal error: ${message}`,
        "this is a bug in stepline: please report it with the pipeline that triggers it",
      ),
    ],
    "failure",
  );
}
