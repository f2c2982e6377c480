import { callIntrinsic, type IntrinsicArg } from "./intrinsic-functions.js";
import { type IntrinsicNode, parseIntrinsic } from "./intrinsic-parse.js";
import { readPath } from "./jsonpath.js";
import { defaultNondeterminism } from "./private/crypto.js";
import type { ExprScope, Nondeterminism } from "./scope.js";

export { isIntrinsic } from "./intrinsic-parse.js";

/**
 * Evaluates an intrinsic function such as `States.Format('{} {}', $.a, States.ArrayLength($.b))`.
 * Paths read `data` (`$`), the context (`$$`) or variables (`$name`); a missing definite path
 * throws States.Runtime naming `field`; bad arguments throw States.IntrinsicFailure.
 * @param field the ASL field for error messages. @default "Parameters"
 */
export function evaluateIntrinsic(
  expression: string,
  data: unknown,
  scope: ExprScope,
  nondeterministic: Nondeterminism = defaultNondeterminism,
  field = "Parameters",
): unknown {
  return evaluateNode(parseIntrinsic(expression), data, scope, nondeterministic, field);
}

function evaluateNode(
  node: IntrinsicNode,
  data: unknown,
  scope: ExprScope,
  nd: Nondeterminism,
  field: string,
): unknown {
  switch (node.kind) {
    case "string":
      return node.value;
    case "literal":
      return node.value;
    case "path":
      return readPath(node.path, data, scope, field);
    case "call": {
      const args: IntrinsicArg[] = node.args.map((arg) => {
        const value = evaluateNode(arg, data, scope, nd, field);
        return arg.kind === "string" ? { value, formatParts: arg.parts } : { value };
      });
      return callIntrinsic(node.name, args, nd);
    }
  }
}
