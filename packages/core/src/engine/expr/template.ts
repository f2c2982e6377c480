import { StatesError } from "./errors.js";
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics.js";
import { readPath } from "./jsonpath.js";
import { defaultNondeterminism } from "./private/crypto.js";
import type { ExprScope, Nondeterminism } from "./scope.js";

/**
 * Applies a payload template (Parameters, ResultSelector, ItemSelector, Credentials…): keys ending
 * in `.$` take the value of a path or intrinsic function evaluated against `data` and lose their
 * `.$`; nested objects and arrays recurse; other values are copied. The result is always a fresh
 * object tree (template containers are never shared), while values read by paths are shared.
 * @param field the ASL field, for error messages (a failing path names its `key.$`, like AWS).
 */
export function applyTemplate(
  template: unknown,
  data: unknown,
  scope: ExprScope,
  field: string,
  nondeterministic: Nondeterminism = defaultNondeterminism,
): unknown {
  if (Array.isArray(template)) {
    return template.map((item) => applyTemplate(item, data, scope, field, nondeterministic));
  }
  if (template === null || typeof template !== "object") return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$")) {
      const name = key.slice(0, -2);
      if (typeof value !== "string") {
        throw new StatesError(
          "States.Runtime",
          `The value of the field '${key}' in '${field}' must be a JSONPath or an intrinsic function (a string).`,
        );
      }
      out[name] = isIntrinsic(value)
        ? evaluateIntrinsic(value, data, scope, nondeterministic, key)
        : readPath(value, data, scope, key);
    } else {
      out[key] = applyTemplate(value, data, scope, field, nondeterministic);
    }
  }
  return out;
}
