import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aslErrors } from "../../../../test/helpers/asl.js";
import {
  type CompileResult,
  compile,
  orderFacts,
  type QueryLanguage,
  type StateJson,
  type StateMachineJson,
  type StepModel,
  testIntegrations,
  testPipeline,
  testStep,
} from "../index.js";

/**
 * Properties of the compiler read off the ASL itself (orderFacts), not the
 * model: every step runs exactly once as a Task state, and in an order that
 * keeps every dependency.
 */

interface RandomDag {
  readonly names: readonly string[];
  /** [from, to] by name. */
  readonly edges: readonly (readonly [string, string])[];
  /** Order of the steps in the model (independent of the topological order). */
  readonly listing: readonly number[];
}

/** n nodes; edges only from lower to higher index, with a random density; names in random order. */
const randomDag: fc.Arbitrary<RandomDag> = fc
  .integer({ min: 1, max: 25 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      density: fc.double({ min: 0, max: 1, noNaN: true }),
      names: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => `s${i}`),
        { minLength: n, maxLength: n },
      ),
      listing: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
      coins: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
        minLength: (n * (n - 1)) / 2,
        maxLength: (n * (n - 1)) / 2,
      }),
    }),
  )
  .map(({ n, density, names, coins, listing }) => {
    const edges: [string, string][] = [];
    let k = 0;
    for (let u = 0; u < n; u++) {
      for (let v = u + 1; v < n; v++) {
        if ((coins[k++] as number) < density) edges.push([names[u] as string, names[v] as string]);
      }
    }
    return { names, edges, listing };
  });

/** A series-parallel DAG built by random series and parallel composition. */
type SpShape = { kind: "leaf" } | { kind: "series" | "parallel"; children: SpShape[] };
const spShape: fc.Arbitrary<SpShape> = fc.letrec<{ shape: SpShape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant({ kind: "leaf" } as SpShape),
    fc.record({
      kind: fc.constantFrom("series" as const, "parallel" as const),
      children: fc.array(tie("shape"), { minLength: 2, maxLength: 4 }),
    }),
  ),
})).shape;

function spDag(shape: SpShape, order: readonly number[]): RandomDag {
  const names: string[] = [];
  const edges: [string, string][] = [];
  /** Returns [sources, sinks] of the sub-graph. */
  const build = (s: SpShape): [string[], string[]] => {
    if (s.kind === "leaf") {
      const name = `n${names.length}`;
      names.push(name);
      return [[name], [name]];
    }
    const parts = s.children.map(build);
    if (s.kind === "parallel") return [parts.flatMap((p) => p[0]), parts.flatMap((p) => p[1])];
    for (let i = 1; i < parts.length; i++) {
      for (const from of (parts[i - 1] as [string[], string[]])[1])
        for (const to of (parts[i] as [string[], string[]])[0]) edges.push([from, to]);
    }
    return [(parts[0] as [string[], string[]])[0], (parts[parts.length - 1] as [string[], string[]])[1]];
  };
  build(shape);
  // Keep the model's step order random too.
  const listing = names.map((_, i) => i).sort((a, b) => (order[a] ?? a) - (order[b] ?? b) || a - b);
  return { names, edges, listing };
}

function stepsOf(dag: RandomDag): StepModel[] {
  return dag.listing.map((i) => {
    const name = dag.names[i] as string;
    return testStep(
      name,
      dag.edges.filter(([, to]) => to === name).map(([from]) => from),
    );
  });
}

function compileDag(dag: RandomDag, queryLanguage: QueryLanguage = "JSONPath"): CompileResult {
  return compile(testPipeline(stepsOf(dag)), { integrations: testIntegrations, queryLanguage });
}

/** Ancestors of every node under the given edges. */
function ancestors(names: readonly string[], edges: readonly (readonly [string, string])[]): Map<string, Set<string>> {
  const preds = new Map(names.map((n) => [n, edges.filter(([, to]) => to === n).map(([from]) => from)]));
  const memo = new Map<string, Set<string>>();
  const of = (n: string): Set<string> => {
    const known = memo.get(n);
    if (known) return known;
    const out = new Set<string>();
    for (const p of preds.get(n) ?? []) {
      out.add(p);
      for (const a of of(p)) out.add(a);
    }
    memo.set(n, out);
    return out;
  };
  return new Map(names.map((n) => [n, of(n)]));
}

/** A machine's states as one branch, every state name prefixed (ASL wants unique names machine-wide). */
function prefixed(machine: StateMachineJson, prefix: string): { StartAt: string; States: Record<string, StateJson> } {
  const states = (list: Record<string, StateJson>): Record<string, StateJson> =>
    Object.fromEntries(Object.entries(list).map(([name, state]) => [prefix + name, rename(state)]));
  const rename = (state: StateJson): StateJson => {
    const out: StateJson = { ...state };
    if (typeof out.Next === "string") out.Next = prefix + out.Next;
    if (typeof out.Default === "string") out.Default = prefix + out.Default;
    if (Array.isArray(out.Choices))
      out.Choices = (out.Choices as { Next: string }[]).map((c) => ({ ...c, Next: prefix + c.Next }));
    if (Array.isArray(out.Catch))
      out.Catch = (out.Catch as { Next: string }[]).map((c) => ({ ...c, Next: prefix + c.Next }));
    if (Array.isArray(out.Branches))
      out.Branches = (out.Branches as StateMachineJson[]).map((b) => ({
        StartAt: prefix + b.StartAt,
        States: states(b.States),
      }));
    if (out.ItemProcessor) {
      const p = out.ItemProcessor as StateMachineJson & { ProcessorConfig?: unknown };
      out.ItemProcessor = { ...p, StartAt: prefix + p.StartAt, States: states(p.States) };
    }
    return out;
  };
  return { StartAt: prefix + machine.StartAt, States: states(machine.States) };
}

const sorted = (set: ReadonlySet<string> | undefined) => [...(set ?? [])].sort();

/** Checks the order on the ASL: each step once; exactly the DAG's order plus the reported waits. */
function checkOrder(dag: RandomDag, result: CompileResult): void {
  const facts = orderFacts(result.stateMachine);
  expect(sorted(new Set(facts.occurrences.keys()))).toStrictEqual([...dag.names].sort());
  for (const name of dag.names) expect(facts.occurrences.get(name)).toBe(1);
  for (const [from, to] of dag.edges) expect(facts.before.get(to)?.has(from)).toBe(true);
  const added = result.report.addedWaits.flatMap((w) => {
    expect(w.waitsFor.length).toBeGreaterThan(0);
    return w.waitsFor.map((from) => [from, w.waiter] as const);
  });
  const expected = ancestors(dag.names, [...dag.edges, ...added]);
  for (const name of dag.names) expect(sorted(facts.before.get(name))).toStrictEqual(sorted(expected.get(name)));
}

describe("compiler properties", () => {
  it("keeps every dependency of a random DAG, runs each step once, adds only reported waits", () => {
    fc.assert(
      fc.property(randomDag, (dag) => {
        checkOrder(dag, compileDag(dag));
      }),
      { numRuns: 1000 },
    );
  });

  it("compiles random DAGs to definitions asl-validator accepts", () => {
    // asl-validator costs ~100 ms a call whatever the size: validate 200 machines in a few
    // calls, each machine a branch of one Parallel (state names prefixed to stay unique),
    // then re-check one by one only when a batch fails, to name the culprit.
    const samples = fc.sample(fc.tuple(randomDag, fc.constantFrom<QueryLanguage>("JSONPath", "JSONata")), {
      numRuns: 200,
    });
    for (const language of ["JSONPath", "JSONata"] as const) {
      const machines = samples
        .filter(([, l]) => l === language)
        .map(([dag]) => ({ dag, machine: compileDag(dag, language).stateMachine }));
      for (let i = 0; i < machines.length; i += 50) {
        const batch = machines.slice(i, i + 50);
        const combined: StateMachineJson = {
          ...(language === "JSONata" ? { QueryLanguage: "JSONata" as const } : {}),
          StartAt: "All",
          States: {
            All: { Type: "Parallel", Branches: batch.map(({ machine }, j) => prefixed(machine, `m${j}_`)), End: true },
          },
        };
        if (aslErrors(combined).length === 0) continue;
        for (const { dag, machine } of batch)
          expect({ dag, errors: aslErrors(machine) }).toStrictEqual({ dag, errors: [] });
      }
    }
  });

  it("adds no wait to a series-parallel DAG and keeps exactly its order", () => {
    fc.assert(
      fc.property(
        spShape,
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 64, maxLength: 64 }),
        (shape, order) => {
          const dag = spDag(shape, order);
          fc.pre(dag.names.length <= 40);
          const result = compileDag(dag);
          expect(result.report.addedWaits).toStrictEqual([]);
          expect(result.graph.edges.filter((e) => e.kind === "added")).toStrictEqual([]);
          checkOrder(dag, result);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("gives the same order in JSONPath and JSONata", () => {
    fc.assert(
      fc.property(randomDag, (dag) => {
        const jsonPath = orderFacts(compileDag(dag, "JSONPath").stateMachine);
        const jsonata = orderFacts(compileDag(dag, "JSONata").stateMachine);
        expect(jsonata.occurrences).toStrictEqual(jsonPath.occurrences);
        expect(jsonata.before).toStrictEqual(jsonPath.before);
      }),
      { numRuns: 1000 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(randomDag, (dag) => {
        expect(JSON.stringify(compileDag(dag).stateMachine)).toBe(JSON.stringify(compileDag(dag).stateMachine));
      }),
      { numRuns: 200 },
    );
  });
});
