import { type Case, DOCS, failed, LAMBDA, ok, single } from "../types.js";

const MAP = `Map workflow state — ${DOCS}state-map.html`;
const INLINE = `Using Map state in Inline mode in Step Functions workflows — ${DOCS}state-map-inline.html`;
const DISTRIBUTED = `Using Map state in Distributed mode for large-scale parallel workloads — ${DOCS}state-map-distributed.html`;
const BATCHER = `ItemBatcher (Map) — ${DOCS}input-output-itembatcher.html`;
const SELECTOR = `ItemSelector (Map) — ${DOCS}input-output-itemselector.html`;
const TOLERATED = `Setting failure thresholds for Distributed Map states in Step Functions — ${DOCS}maprun-fail-threshold.html`;

const passThrough = { ProcessorConfig: { Mode: "INLINE" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } };
const distributed = (states: Record<string, unknown>, start = "P") => ({
  ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
  StartAt: start,
  States: states,
});

const shipment = {
  "ship-date": "2016-03-14T01:59:00Z",
  detail: {
    "delivery-partner": "UQS",
    shipped: [
      { prod: "R31", "dest-code": 9511, quantity: 1344 },
      { prod: "S39", "dest-code": 9511, quantity: 40 },
      { prod: "R31", "dest-code": 9833, quantity: 12 },
    ],
  },
};

export const cases: Case[] = [
  {
    name: "map/items-path-and-item-selector-docs",
    source: SELECTOR,
    definition: single({
      Type: "Map",
      InputPath: "$.detail",
      ItemsPath: "$.shipped",
      MaxConcurrency: 0,
      ItemSelector: { "parcel.$": "$$.Map.Item.Value", "courier.$": "$.delivery-partner" },
      ItemProcessor: passThrough,
      ResultPath: "$.detail.shipped",
    }),
    input: shipment,
    expected: ok({
      ...shipment,
      detail: { ...shipment.detail, shipped: shipment.detail.shipped.map((parcel) => ({ parcel, courier: "UQS" })) },
    }),
  },
  {
    name: "map/iterates-array-input",
    source: INLINE,
    definition: single({
      Type: "Map",
      ItemProcessor: {
        ...passThrough,
        States: { P: { Type: "Pass", Parameters: { "double.$": "States.MathAdd($.n, $.n)" }, End: true } },
      },
    }),
    input: [{ n: 1 }, { n: 2 }, { n: 3 }],
    expected: ok([{ double: 2 }, { double: 4 }, { double: 6 }]),
  },
  {
    name: "map/empty-array",
    source: INLINE,
    definition: single({ Type: "Map", ItemsPath: "$.items", ItemProcessor: passThrough }),
    input: { items: [] },
    expected: ok([]),
  },
  {
    name: "map/max-concurrency-one-keeps-order",
    source: INLINE,
    definition: single({ Type: "Map", MaxConcurrency: 1, ItemsPath: "$.items", ItemProcessor: passThrough }),
    input: { items: ["a", "b", "c", "d"] },
    expected: ok(["a", "b", "c", "d"]),
  },
  {
    name: "map/result-selector-and-result-path",
    source: MAP,
    definition: single({
      Type: "Map",
      ItemsPath: "$.items",
      ItemProcessor: passThrough,
      ResultSelector: { "count.$": "States.ArrayLength($)", "all.$": "$" },
      ResultPath: "$.summary",
    }),
    input: { items: [1, 2] },
    expected: ok({ items: [1, 2], summary: { count: 2, all: [1, 2] } }),
  },
  {
    name: "map/legacy-iterator-and-parameters",
    source: MAP,
    definition: single({
      Type: "Map",
      ItemsPath: "$.items",
      Parameters: { "v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index" },
      Iterator: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
    }),
    input: { items: ["x", "y"] },
    expected: ok([
      { v: "x", i: 0 },
      { v: "y", i: 1 },
    ]),
  },
  {
    name: "map/nested-map",
    source: INLINE,
    definition: single({
      Type: "Map",
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "Inner",
        States: { Inner: { Type: "Map", ItemsPath: "$.xs", ItemProcessor: passThrough, End: true } },
      },
    }),
    input: [{ xs: [1, 2] }, { xs: [3] }],
    expected: ok([[1, 2], [3]]),
  },
  {
    name: "map/iteration-fail-fails-map",
    source: INLINE,
    definition: single({
      Type: "Map",
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "C",
        States: {
          C: { Type: "Choice", Choices: [{ Variable: "$", NumericEquals: 2, Next: "F" }], Default: "P" },
          P: { Type: "Pass", End: true },
          F: { Type: "Fail", Error: "BadItem", Cause: "two" },
        },
      },
    }),
    input: [1, 2, 3],
    expected: failed("BadItem", "two"),
  },
  {
    name: "map/iteration-fail-caught",
    source: INLINE,
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "F",
            States: { F: { Type: "Fail", Error: "BadItem", Cause: "nope" } },
          },
          Catch: [{ ErrorEquals: ["BadItem"], ResultPath: "$.err", Next: "Handled" }],
          ItemsPath: "$.items",
          End: true,
        },
        Handled: { Type: "Pass", End: true },
      },
    },
    input: { items: [1] },
    expected: ok({ items: [1], err: { Error: "BadItem", Cause: "nope" } }),
  },
  {
    name: "map/items-path-not-array-fails",
    source: "stepline (ItemsPath must select an array: States.Runtime)",
    definition: single({ Type: "Map", ItemsPath: "$.items", ItemProcessor: passThrough }),
    input: { items: "nope" },
    expected: failed("States.Runtime"),
    motoSkip:
      "AWS's error name here is not verified (moto: States.QueryEvaluationError, with a TODO in its source; stepline: States.Runtime)",
  },
  {
    name: "map/task-per-item",
    source: INLINE,
    definition: single({
      Type: "Map",
      ItemsPath: "$.ids",
      ItemSelector: { "id.$": "$$.Map.Item.Value" },
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "Work",
        States: { Work: { Type: "Task", Resource: LAMBDA, End: true } },
      },
    }),
    input: { ids: [10, 20, 30] },
    handlers: { Work: [{ echo: true }] },
    expected: ok([{ id: 10 }, { id: 20 }, { id: 30 }]),
  },
  {
    name: "map/task-failure-in-item",
    source: INLINE,
    definition: single({
      Type: "Map",
      MaxConcurrency: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "Work",
        States: { Work: { Type: "Task", Resource: LAMBDA, End: true } },
      },
    }),
    input: [1, 2, 3],
    handlers: { Work: [{ return: "ok" }, { throw: { error: "Item.Failed", cause: "second item" } }] },
    expected: failed("Item.Failed", "second item"),
  },
  {
    name: "map/distributed-inline-items",
    source: DISTRIBUTED,
    definition: single({ Type: "Map", ItemProcessor: distributed({ P: { Type: "Pass", End: true } }) }),
    input: [1, 2, 3],
    expected: ok([1, 2, 3]),
  },
  {
    name: "map/item-batcher-max-items",
    source: BATCHER,
    definition: single({
      Type: "Map",
      ItemBatcher: { MaxItemsPerBatch: 2 },
      ItemProcessor: distributed({ P: { Type: "Pass", End: true } }),
    }),
    input: [1, 2, 3, 4, 5],
    expected: ok([{ Items: [1, 2] }, { Items: [3, 4] }, { Items: [5] }]),
    motoDiffers: "moto (found here, not in FACTS): its ASL parser rejects ItemBatcher, so CreateStateMachine fails",
    motoExpected: { status: "REJECTED" },
  },
  {
    name: "map/item-batcher-batch-input",
    source: BATCHER,
    definition: single({
      Type: "Map",
      ItemsPath: "$.items",
      ItemBatcher: { MaxItemsPerBatch: 3, BatchInput: { "factCheck.$": "$.tag", fixed: "x" } },
      ItemProcessor: distributed({ P: { Type: "Pass", End: true } }),
    }),
    input: { tag: "T", items: ["a", "b", "c", "d"] },
    expected: ok([
      { BatchInput: { factCheck: "T", fixed: "x" }, Items: ["a", "b", "c"] },
      { BatchInput: { factCheck: "T", fixed: "x" }, Items: ["d"] },
    ]),
    motoDiffers: "moto (found here, not in FACTS): its ASL parser rejects ItemBatcher, so CreateStateMachine fails",
    motoExpected: { status: "REJECTED" },
  },
  {
    name: "map/tolerated-failure-count-exceeded",
    source: TOLERATED,
    definition: single({
      Type: "Map",
      ToleratedFailureCount: 1,
      ItemProcessor: distributed(
        {
          C: { Type: "Choice", Choices: [{ Variable: "$", NumericGreaterThan: 1, Next: "F" }], Default: "P" },
          P: { Type: "Pass", End: true },
          F: { Type: "Fail", Error: "Bad" },
        },
        "C",
      ),
    }),
    input: [1, 2, 3],
    expected: failed("States.ExceedToleratedFailureThreshold"),
    motoDiffers:
      "moto (found here, not in FACTS): ignores ToleratedFailureCount and failed child workflows: the Map succeeds with null for each failed item",
    motoExpected: ok([1, null, null]),
  },
  {
    name: "map/tolerated-failure-percentage-zero",
    source: TOLERATED,
    definition: single({
      Type: "Map",
      ToleratedFailurePercentage: 0,
      ItemProcessor: distributed({ F: { Type: "Fail", Error: "Bad" } }, "F"),
    }),
    input: [1, 2],
    expected: failed("States.ExceedToleratedFailureThreshold"),
    motoDiffers:
      "moto (found here, not in FACTS): its ASL parser rejects ToleratedFailurePercentage, so CreateStateMachine fails",
    motoExpected: { status: "REJECTED" },
  },
  {
    name: "map/tolerated-failure-percentage-not-exceeded-all-ok",
    source: TOLERATED,
    definition: single({
      Type: "Map",
      ToleratedFailurePercentage: 50,
      ItemProcessor: distributed({ P: { Type: "Pass", Parameters: { "ok.$": "$" }, End: true } }),
    }),
    input: [1, 2],
    expected: ok([{ ok: 1 }, { ok: 2 }]),
    motoDiffers:
      "moto (found here, not in FACTS): its ASL parser rejects ToleratedFailurePercentage, so CreateStateMachine fails",
    motoExpected: { status: "REJECTED" },
  },
  {
    name: "map/max-concurrency-path",
    source: MAP,
    definition: single({
      Type: "Map",
      ItemsPath: "$.items",
      MaxConcurrencyPath: "$.limit",
      ItemProcessor: passThrough,
    }),
    input: { limit: 2, items: [3, 2, 1] },
    expected: ok([3, 2, 1]),
  },
  {
    name: "map/item-selector-reads-state-input",
    source: SELECTOR,
    definition: single({
      Type: "Map",
      ItemsPath: "$.items",
      ItemSelector: { "item.$": "$$.Map.Item.Value", "all.$": "$.items", constant: 1 },
      ItemProcessor: passThrough,
    }),
    input: { items: ["a", "b"] },
    expected: ok([
      { item: "a", all: ["a", "b"], constant: 1 },
      { item: "b", all: ["a", "b"], constant: 1 },
    ]),
  },
];
