/**
 * Compares an actual output with a case's expected output. Expected strings
 * of the form "<<…>>" are placeholders for values that differ per run.
 */
export interface RunNames {
  readonly executionName: string;
  readonly stateMachineName: string;
}

const ISO8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Replaces placeholders that name a known value, and reports a mismatch path or undefined. */
export function mismatch(actual: unknown, expected: unknown, names: RunNames, at = "$"): string | undefined {
  if (typeof expected === "string" && expected.startsWith("<<") && expected.endsWith(">>")) {
    const tag = expected.slice(2, -2);
    const str = typeof actual === "string" ? actual : undefined;
    const okay = ((): boolean => {
      switch (tag) {
        case "ISO8601":
          return str !== undefined && ISO8601.test(str);
        case "UUID":
          return str !== undefined && UUID.test(str);
        case "STRING":
          return str !== undefined;
        case "ExecutionName":
          return str === names.executionName;
        case "StateMachineName":
          return str === names.stateMachineName;
        case "ExecutionArn":
          return (
            str !== undefined &&
            new RegExp(
              `^arn:aws:states:[a-z0-9-]+:123456789012:execution:${names.stateMachineName}:${names.executionName}$`,
            ).test(str)
          );
        case "StateMachineArn":
          return (
            str !== undefined &&
            new RegExp(`^arn:aws:states:[a-z0-9-]+:123456789012:stateMachine:${names.stateMachineName}$`).test(str)
          );
        default:
          return actual === expected;
      }
    })();
    return okay ? undefined : `${at}: ${JSON.stringify(actual)} does not match ${expected}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array, got ${JSON.stringify(actual)}`;
    if (actual.length !== expected.length)
      return `${at}: expected ${expected.length} items, got ${actual.length}: ${JSON.stringify(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(actual[i], expected[i], names, `${at}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual))
      return `${at}: expected an object, got ${JSON.stringify(actual)}`;
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const ek = Object.keys(e).sort();
    const ak = Object.keys(a).sort();
    if (ek.join("\u0000") !== ak.join("\u0000"))
      return `${at}: keys ${JSON.stringify(ak)} instead of ${JSON.stringify(ek)}`;
    for (const k of ek) {
      const m = mismatch(a[k], e[k], names, `${at}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  return Object.is(actual, expected) || (actual === 0 && expected === 0)
    ? undefined
    : `${at}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`;
}
