import { createRequire } from "node:module";
import { expect } from "vitest";

const require = createRequire(import.meta.url);
const validator = require("asl-validator") as (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errors: { message?: string; path?: string; "Error code"?: string }[] };

/** Validation errors asl-validator finds with path and ARN checks on (it mutates its input: we pass a copy). */
export function aslErrors(definition: unknown): string[] {
  const result = validator(structuredClone(definition), { checkPaths: true, checkArn: true });
  return result.isValid ? [] : result.errors.map((e) => JSON.stringify(e));
}

/** Asserts that a definition passes asl-validator with path and ARN checks on. */
export function expectValidAsl(definition: unknown): void {
  expect(aslErrors(definition)).toStrictEqual([]);
}
