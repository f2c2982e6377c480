import { readPath } from "../expr/index.js";
import { fail } from "../failure.js";
import { evaluateAssign, exprScope, inputPath, jsonataValue, numberField, outputPath } from "../io.js";
import { sleepIn } from "../sleep.js";
import { nextOf, type StateVisit, type StepResult } from "../visit.js";

function parseTimestamp(value: unknown): number {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw fail("States.Runtime", `The Timestamp ${JSON.stringify(value)} is not an ISO-8601 timestamp.`);
  return ms;
}

/**
 * Wait: Seconds/SecondsPath/Timestamp/TimestampPath (or JSONata forms). The
 * start of the wait is journaled, so a resumed run only waits what is left.
 */
export async function runWait(visit: StateVisit): Promise<StepResult> {
  const { state, scope, input, key } = visit;
  const { rt } = scope;
  const nd = () => visit.nd();
  const es = exprScope(scope, input, visit.context());
  const effective = visit.jsonata ? input : inputPath(state, input, es);

  const startKey = `${key}/waitStart`;
  const replayed = rt.replay.value(startKey);
  const start = replayed.found ? (replayed.value as number) : rt.clock.now();
  rt.record({ kind: "value", key: startKey, value: start });

  let until: number;
  const seconds = await numberField(state, "Seconds", effective, es, visit.jsonata, nd);
  if (seconds !== undefined) {
    until = start + seconds * 1000;
  } else if (visit.jsonata) {
    until = parseTimestamp(await jsonataValue(state.Timestamp, es, "Timestamp", nd));
  } else if (state.Timestamp !== undefined) {
    until = parseTimestamp(state.Timestamp);
  } else if (typeof state.TimestampPath === "string") {
    until = parseTimestamp(readPath(state.TimestampPath, effective, es, "TimestampPath"));
  } else {
    throw fail(
      "States.Runtime",
      `The Wait state '${visit.name}' has none of Seconds, SecondsPath, Timestamp, TimestampPath.`,
    );
  }
  await sleepIn(scope, until - rt.clock.now());

  const next = nextOf(state);
  if (visit.jsonata) {
    const output = state.Output === undefined ? input : await jsonataValue(state.Output, es, "Output", nd);
    return { output, next, assign: await evaluateAssign(state.Assign, true, input, es, nd) };
  }
  const assign = await evaluateAssign(state.Assign, false, effective, es, nd);
  return { output: outputPath(state, effective, es), next, assign };
}
