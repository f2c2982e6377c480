import type { ExprScope, Nondeterminism } from "../expr/index.js";
import { fail } from "../failure.js";
import { jsonataValue, numberField, template } from "../io.js";
import type { StateVisit } from "../visit.js";

type BatcherJson = {
  readonly MaxItemsPerBatch?: number;
  readonly MaxItemsPerBatchPath?: string;
  readonly MaxInputBytesPerBatch?: number;
  readonly MaxInputBytesPerBatchPath?: string;
  readonly BatchInput?: unknown;
};

/**
 * ItemBatcher: groups the (selected) items into `{ Items: [...], BatchInput }`
 * inputs of at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes.
 */
export async function batchItems(
  visit: StateVisit,
  batcher: BatcherJson,
  items: readonly unknown[],
  effective: unknown,
  es: ExprScope,
  nd: () => Nondeterminism,
): Promise<unknown[]> {
  const maxItems = (await numberField(batcher, "MaxItemsPerBatch", effective, es, visit.jsonata, nd)) ?? 0;
  const maxBytes =
    (await numberField(batcher, "MaxInputBytesPerBatch", effective, es, visit.jsonata, nd)) ?? 256 * 1024;
  const batchInput =
    batcher.BatchInput === undefined
      ? undefined
      : visit.jsonata
        ? await jsonataValue(batcher.BatchInput, es, "BatchInput", nd)
        : template(batcher.BatchInput, effective, es, "BatchInput", nd);
  const overhead = (
    JSON.stringify({ Items: [], ...(batchInput === undefined ? {} : { BatchInput: batchInput }) }) ?? ""
  ).length;
  const batches: unknown[] = [];
  let current: unknown[] = [];
  let bytes = overhead;
  const flush = (): void => {
    if (current.length === 0) return;
    batches.push(batchInput === undefined ? { Items: current } : { Items: current, BatchInput: batchInput });
    current = [];
    bytes = overhead;
  };
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item) ?? "null", "utf8") + 1;
    if (overhead + size > maxBytes) {
      throw fail("States.Runtime", `An item of ${size} bytes does not fit MaxInputBytesPerBatch (${maxBytes}).`);
    }
    if ((maxItems > 0 && current.length >= maxItems) || bytes + size > maxBytes) flush();
    current.push(item);
    bytes += size;
  }
  flush();
  return batches;
}
