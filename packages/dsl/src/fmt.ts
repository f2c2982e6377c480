import type { RefExpr } from "@stepline/core";
import { isFormatExpr, isRefExpr, SteplineError } from "@stepline/core";
import { copyRef } from "./private/value.js";
import type { Fmt, Ref } from "./ref.js";

/** What may be interpolated into a {@link fmt} string. */
export type FmtPart = string | number | boolean | Ref<string | number | boolean> | Fmt;

/**
 * Builds a string at run time from literal text and references:
 * `` fmt`s3://${input.bucket}/raw/${input.date}/` ``. Literal numbers and
 * booleans are written as text; nested `fmt` strings are flattened.
 */
export function fmt(strings: TemplateStringsArray, ...parts: readonly FmtPart[]): Fmt {
  const out: (string | RefExpr)[] = [];
  const pushText = (text: string): void => {
    if (text === "") return;
    const last = out[out.length - 1];
    if (typeof last === "string") out[out.length - 1] = last + text;
    else out.push(text);
  };
  strings.forEach((text, index) => {
    pushText(text);
    if (index >= parts.length) return;
    const part: unknown = parts[index];
    if (typeof part === "string" || typeof part === "number" || typeof part === "boolean") pushText(String(part));
    else if (isRefExpr(part)) out.push(copyRef(part));
    else if (isFormatExpr(part)) {
      for (const inner of part.$format) {
        if (typeof inner === "string") pushText(inner);
        else out.push(copyRef(inner));
      }
    } else {
      throw SteplineError.of(
        "SL_DSL_BAD_FORMAT_PART",
        `fmt: part ${index + 1} is ${part === null ? "null" : typeof part}, not a string, number, boolean or reference.`,
        "Interpolate only references (input.date, step.result.JobId) or literal strings, numbers and booleans.",
      );
    }
  });
  return Object.freeze({ $format: Object.freeze(out) });
}

/** Converts a number or boolean reference to a string argument: `` fmt`${ref}` ``. */
export function str(ref: Ref<string | number | boolean>): Fmt {
  return fmt`${ref}`;
}
