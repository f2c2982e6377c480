import type { Problem } from "@stepline/core";
import type { Palette } from "./color.js";

/** `formatProblem`, with the severity coloured. */
export async function renderProblem(p: Problem, style: Palette): Promise<string> {
  const { formatProblem } = await import("@stepline/core");
  const text = formatProblem(p);
  const head = p.severity === "error" ? style.red : style.yellow;
  return text.replace(
    /^(error|warning) (\S+)/,
    (_, severity: string, code: string) => `${head(severity)} ${style.bold(code)}`,
  );
}

/** e.g. `2 errors, 1 warning`. */
export function countProblems(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return [errors > 0 ? plural(errors, "error") : "", warnings > 0 ? plural(warnings, "warning") : ""]
    .filter(Boolean)
    .join(", ");
}
