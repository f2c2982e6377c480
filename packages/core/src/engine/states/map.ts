import type { StateMachineJson } from "../../asl/types.js";
import { readPath } from "../expr/index.js";
import { fail, Halt, toFailure } from "../failure.js";
import type { RunStates } from "../interpreter.js";
import { evaluateAssign, exprScope, inputPath, jsonataValue, jsonPathOutput, numberField, template } from "../io.js";
import { withRetry } from "../retry.js";
import { childScope, type ExecutionContext, emitIn, type Scope } from "../runtime.js";
import { StopToken } from "../stop.js";
import { nextOf, type StateVisit, type StepResult } from "../visit.js";
import { batchItems } from "./item-batcher.js";
import { readItems } from "./item-reader.js";
import { runAll } from "./parallel.js";
import { type ChildRun, writeResults } from "./result-writer.js";

/** A failed child of a distributed Map kept within the tolerated failures. */
class Tolerated {
  constructor(
    readonly input: unknown,
    readonly error: string,
    readonly cause: string,
  ) {}
}

/**
 * Map: runs ItemProcessor (or Iterator) once per item — inline iterations
 * share the run's variables read-only; DISTRIBUTED items run as child
 * executions of their own (own context, no outer variables), optionally
 * batched, with tolerated failures, ItemReader and ResultWriter.
 */
export async function runMap(visit: StateVisit, runStates: RunStates): Promise<StepResult> {
  const { state, scope, input, key, name } = visit;
  const nd = () => visit.nd();
  const es = exprScope(scope, input, visit.context());
  const effective = visit.jsonata ? input : inputPath(state, input, es);
  const processor = (state.ItemProcessor ?? state.Iterator) as
    | (StateMachineJson & { ProcessorConfig?: { Mode?: string } })
    | undefined;
  if (!processor) throw fail("States.Runtime", `The Map state '${name}' has no ItemProcessor.`);
  const config = (processor.ProcessorConfig ?? state.ProcessorConfig) as { Mode?: string } | undefined;
  const distributed = config?.Mode === "DISTRIBUTED";

  let items: unknown;
  if (state.ItemReader !== undefined) items = await readItems(visit, state.ItemReader as never, effective);
  else if (visit.jsonata) items = state.Items === undefined ? input : await jsonataValue(state.Items, es, "Items", nd);
  else items = typeof state.ItemsPath === "string" ? readPath(state.ItemsPath, effective, es, "ItemsPath") : effective;
  if (!Array.isArray(items)) {
    throw fail(
      "States.Runtime",
      `The Map state '${name}' needs an array of items, got ${JSON.stringify(items)?.slice(0, 200)}.`,
    );
  }
  const list: readonly unknown[] = items;

  const selector = state.ItemSelector ?? state.Parameters;
  const select = async (index: number): Promise<unknown> => {
    const value = list[index];
    if (selector === undefined) return value;
    const itemScope = exprScope(scope, input, visit.contextWithItem(index, value));
    return visit.jsonata
      ? jsonataValue(selector, itemScope, "ItemSelector", nd)
      : template(selector, effective, itemScope, "ItemSelector", nd);
  };
  let inputs: readonly unknown[] | undefined;
  if (state.ItemBatcher !== undefined) {
    const selected: unknown[] = [];
    for (let i = 0; i < list.length; i++) selected.push(await select(i));
    inputs = await batchItems(visit, state.ItemBatcher as never, selected, effective, es, nd);
  }
  const count = inputs ? inputs.length : list.length;
  const maxConcurrency = (await numberField(state, "MaxConcurrency", effective, es, visit.jsonata, nd)) ?? 0;
  const toleratedCount = distributed
    ? await numberField(state, "ToleratedFailureCount", effective, es, visit.jsonata, nd)
    : undefined;
  const toleratedPercentage = distributed
    ? await numberField(state, "ToleratedFailurePercentage", effective, es, visit.jsonata, nd)
    : undefined;
  const language = processor.QueryLanguage ?? (visit.jsonata ? "JSONata" : "JSONPath");
  const label = typeof state.Label === "string" ? state.Label : name;

  const result = await withRetry(visit, async () => {
    emitIn(scope, "MapStateStarted", "mapStateStartedEventDetails", { length: count });
    const stop = new StopToken(scope.stop);
    // Iterations and branches interleave their events; the state's next event follows the latest.
    let latest = scope.lastEventId;
    const track = (child: Scope): void => {
      if (child.lastEventId > latest) latest = child.lastEventId;
    };
    const sync = (): void => {
      scope.lastEventId = latest;
    };
    let failures = 0;
    const exceeded = (): boolean =>
      (toleratedCount === undefined && toleratedPercentage === undefined) ||
      (toleratedCount !== undefined && failures > toleratedCount) ||
      (toleratedPercentage !== undefined && (failures * 100) / count > toleratedPercentage);

    const iteration = async (index: number): Promise<unknown> => {
      const itemInput = inputs ? inputs[index] : selector === undefined ? list[index] : await select(index);
      const mapItem = { Index: index, Value: inputs ? itemInput : list[index] };
      const execution: ExecutionContext = distributed
        ? {
            ...scope.execution,
            Id: `${scope.execution.Id}/${label}:${index}`,
            Name: `${label}:${index}`,
            Input: itemInput,
            StartTime: scope.rt.timestamp(),
          }
        : scope.execution;
      const child = childScope(
        scope,
        { machine: processor, path: `${key}/${index}/`, mapItem, stop, queryLanguage: language },
        execution,
        distributed,
      );
      const details = { name, index };
      emitIn(child, "MapIterationStarted", "mapIterationStartedEventDetails", details);
      try {
        const output = await runStates(child, itemInput);
        emitIn(child, "MapIterationSucceeded", "mapIterationSucceededEventDetails", details);
        track(child);
        return output;
      } catch (e) {
        if (e instanceof Halt) {
          emitIn(child, "MapIterationAborted", "mapIterationAbortedEventDetails", details);
          track(child);
          throw e;
        }
        emitIn(child, "MapIterationFailed", "mapIterationFailedEventDetails", details);
        track(child);
        if (!distributed) throw e;
        failures++;
        const failure = toFailure(e);
        if (exceeded()) {
          throw fail(
            "States.ExceedToleratedFailureThreshold",
            `The Map Run failed: ${failures} of ${count} items failed (last: ${failure.error}: ${failure.cause}).`,
          );
        }
        return new Tolerated(itemInput, failure.error, failure.cause);
      }
    };

    try {
      const outputs = await runAll(count, maxConcurrency, stop, iteration);
      sync();
      emitIn(scope, "MapStateSucceeded");
      return outputs;
    } catch (e) {
      sync();
      // A Halt here comes from above (abort, timeout, an outer sibling failing): pass it on.
      if (e instanceof Halt) throw e;
      emitIn(scope, "MapStateFailed");
      throw e;
    }
  });

  let mapResult: unknown;
  if (distributed && state.ResultWriter !== undefined) {
    const runs: ChildRun[] = result.map((r, index): ChildRun => {
      const childInput = JSON.stringify(inputs ? inputs[index] : list[index]) ?? "null";
      return r instanceof Tolerated
        ? { Name: `${label}:${index}`, Status: "FAILED", Input: childInput, Error: r.error, Cause: r.cause }
        : { Name: `${label}:${index}`, Status: "SUCCEEDED", Input: childInput, Output: JSON.stringify(r) ?? "null" };
    });
    mapResult = await writeResults(visit, state.ResultWriter as never, effective, runs);
  } else {
    mapResult = result.map((r) => (r instanceof Tolerated ? { Error: r.error, Cause: r.cause } : r));
  }

  const next = nextOf(state);
  if (visit.jsonata) {
    const after = exprScope(scope, input, visit.context(), { result: mapResult });
    const output = state.Output === undefined ? mapResult : await jsonataValue(state.Output, after, "Output", nd);
    return { output, next, assign: await evaluateAssign(state.Assign, true, mapResult, after, nd) };
  }
  const { selected, output } = jsonPathOutput(state, input, mapResult, es, nd);
  return { output, next, assign: await evaluateAssign(state.Assign, false, selected, es, nd) };
}
