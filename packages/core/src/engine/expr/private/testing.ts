import type { ExprScope, Nondeterminism } from "../scope.js";

/** A scope for tests: `input` doubles as the data unless given separately. */
export function scopeOf(
  input: unknown,
  extra: Partial<ExprScope> & { vars?: Record<string, unknown> } = {},
): ExprScope {
  const { vars, ...rest } = extra;
  return {
    input,
    context: {},
    variables: new Map(Object.entries(vars ?? {})),
    ...rest,
  };
}

/** A deterministic Nondeterminism that counts its calls. */
export function fixedNondeterminism(
  uuids: string[] = ["11111111-1111-4111-8111-111111111111"],
  randoms: number[] = [0.5],
): Nondeterminism & { calls: number } {
  let u = 0;
  let r = 0;
  const nd = {
    calls: 0,
    uuid: () => {
      nd.calls++;
      return uuids[u++ % uuids.length] as string;
    },
    random: () => {
      nd.calls++;
      return randoms[r++ % randoms.length] as number;
    },
  };
  return nd;
}
