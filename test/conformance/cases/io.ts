import { type Case, chain, DOCS, failed, LAMBDA, ok, single } from "../types.js";

const INPUTPATH = `Manipulate parameters in Step Functions workflows (InputPath, Parameters, ResultSelector) — ${DOCS}input-output-inputpath-params.html`;
const RESULTPATH = `Specifying state output using ResultPath in Step Functions — ${DOCS}input-output-resultpath.html`;
const OUTPUTPATH = `Filtering state output using OutputPath in Step Functions — ${DOCS}input-output-example.html`;
const PATHS = `Using JSONPath paths — ${DOCS}amazon-states-language-paths.html`;

const datasets = {
  comment: "Example for InputPath.",
  dataset1: { val1: 1, val2: 2, val3: 3 },
  dataset2: { val1: "a", val2: "b", val3: "c" },
};
const product = {
  comment: "Example for Parameters.",
  product: {
    details: { color: "blue", size: "small", material: "cotton" },
    availability: "in stock",
    sku: "2317",
    cost: "$23",
  },
};
const hello = { comment: "This is a test", details: "Default example", who: "Step Functions" };

export const cases: Case[] = [
  {
    name: "io/inputpath-selects-dataset2",
    source: INPUTPATH,
    definition: single({ Type: "Pass", InputPath: "$.dataset2" }),
    input: datasets,
    expected: ok({ val1: "a", val2: "b", val3: "c" }),
  },
  {
    name: "io/inputpath-into-task",
    source: INPUTPATH,
    definition: single({ Type: "Task", Resource: LAMBDA, InputPath: "$.dataset1" }),
    input: datasets,
    handlers: { S: [{ echo: true }] },
    expected: ok({ val1: 1, val2: 2, val3: 3 }),
  },
  {
    name: "io/parameters-selecting-what-i-care-about",
    source: INPUTPATH,
    definition: single({
      Type: "Pass",
      Parameters: {
        comment: "Selecting what I care about.",
        MyDetails: { "size.$": "$.product.details.size", "exists.$": "$.product.availability", StaticValue: "foo" },
      },
    }),
    input: product,
    expected: ok({
      comment: "Selecting what I care about.",
      MyDetails: { size: "small", exists: "in stock", StaticValue: "foo" },
    }),
  },
  {
    name: "io/parameters-into-task-effective-input",
    source: INPUTPATH,
    definition: single({
      Type: "Task",
      Resource: LAMBDA,
      Parameters: { "sku.$": "$.product.sku", fixed: [1, 2], nested: { "cost.$": "$.product.cost" } },
    }),
    input: product,
    handlers: { S: [{ echo: true }] },
    expected: ok({ sku: "2317", fixed: [1, 2], nested: { cost: "$23" } }),
  },
  {
    name: "io/inputpath-then-parameters",
    source: INPUTPATH,
    definition: single({
      Type: "Pass",
      InputPath: "$.product",
      Parameters: { "color.$": "$.details.color", "sku.$": "$.sku" },
    }),
    input: product,
    expected: ok({ color: "blue", sku: "2317" }),
  },
  {
    name: "io/parameters-path-to-object-and-array",
    source: INPUTPATH,
    definition: single({ Type: "Pass", Parameters: { "d.$": "$.product.details", "all.$": "$.list" } }),
    input: { product: product.product, list: [1, 2, 3] },
    expected: ok({ d: product.product.details, all: [1, 2, 3] }),
  },
  {
    name: "io/parameters-missing-path-is-runtime-error",
    source: "stepline (FACTS: a Parameters path that resolves to nothing gives States.Runtime)",
    definition: single({ Type: "Pass", Parameters: { "x.$": "$.nope" } }),
    input: { a: 1 },
    expected: failed("States.Runtime"),
  },
  {
    name: "io/inputpath-missing-is-runtime-error",
    source: PATHS,
    definition: single({ Type: "Pass", InputPath: "$.missing" }),
    input: { a: 1 },
    expected: failed("States.Runtime"),
  },
  {
    name: "io/inputpath-null-gives-empty-object",
    source: `Input and Output Processing in Step Functions — ${DOCS}concepts-input-output-filtering.html`,
    definition: single({ Type: "Pass", InputPath: null }),
    input: { a: 1 },
    expected: ok({}),
  },
  {
    name: "io/outputpath-null-gives-empty-object",
    source: `Input and Output Processing in Step Functions — ${DOCS}concepts-input-output-filtering.html`,
    definition: single({ Type: "Pass", OutputPath: null }),
    input: { a: 1 },
    expected: ok({}),
  },
  {
    name: "io/resultselector-emr-cluster",
    source: INPUTPATH,
    definition: single({
      Type: "Task",
      Resource: "arn:aws:states:::elasticmapreduce:createCluster.sync",
      ResultSelector: { "ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType" },
      ResultPath: "$.EMROutput",
    }),
    input: { Name: "MyWorkflowCluster" },
    handlers: {
      S: [
        {
          return: {
            resourceType: "elasticmapreduce",
            resource: "createCluster.sync",
            output: {
              SdkHttpMetadata: { HttpHeaders: { "Content-Length": "1112" }, HttpStatusCode: 200 },
              SdkResponseMetadata: { RequestId: "1234-5678-9012" },
              ClusterId: "AKIAIOSFODNN7EXAMPLE",
            },
          },
        },
      ],
    },
    expected: ok({
      Name: "MyWorkflowCluster",
      EMROutput: { ClusterId: "AKIAIOSFODNN7EXAMPLE", ResourceType: "elasticmapreduce" },
    }),
  },
  {
    name: "io/resultselector-flatten-array-of-arrays",
    source: INPUTPATH,
    definition: single({
      Type: "Parallel",
      Branches: [
        { StartAt: "A", States: { A: { Type: "Pass", Result: [{ Val: "1" }, { Val: "2" }], End: true } } },
        { StartAt: "B", States: { B: { Type: "Pass", Result: [{ Val: "3" }, { Val: "4" }], End: true } } },
      ],
      ResultSelector: { "flattenArray.$": "$[*][*]" },
    }),
    input: {},
    expected: ok({ flattenArray: [{ Val: "1" }, { Val: "2" }, { Val: "3" }, { Val: "4" }] }),
  },
  {
    name: "io/resultpath-default-replaces-input",
    source: RESULTPATH,
    definition: single({ Type: "Pass", Result: "Hello, Step Functions!" }),
    input: hello,
    expected: ok("Hello, Step Functions!"),
  },
  {
    name: "io/resultpath-dollar-replaces-input",
    source: RESULTPATH,
    definition: single({ Type: "Task", Resource: LAMBDA, ResultPath: "$" }),
    input: hello,
    handlers: { S: [{ return: "Hello, Step Functions!" }] },
    expected: ok("Hello, Step Functions!"),
  },
  {
    name: "io/resultpath-null-discards-result",
    source: RESULTPATH,
    definition: single({ Type: "Pass", Result: "Hello, Step Functions!", ResultPath: null }),
    input: hello,
    expected: ok(hello),
  },
  {
    name: "io/resultpath-includes-result-with-input",
    source: RESULTPATH,
    definition: single({ Type: "Pass", Result: "Hello, Step Functions!", ResultPath: "$.taskresult" }),
    input: hello,
    expected: ok({ ...hello, taskresult: "Hello, Step Functions!" }),
  },
  {
    name: "io/resultpath-updates-a-node",
    source: RESULTPATH,
    definition: single({ Type: "Pass", Result: "Hello, Step Functions!", ResultPath: "$.comment" }),
    input: hello,
    expected: ok({ ...hello, comment: "Hello, Step Functions!" }),
  },
  {
    name: "io/resultpath-creates-nested-objects",
    source: RESULTPATH,
    definition: single({ Type: "Pass", Result: { x: 1 }, ResultPath: "$.a.b.c" }),
    input: { keep: true },
    expected: ok({ keep: true, a: { b: { c: { x: 1 } } } }),
  },
  {
    name: "io/resultpath-task-result-into-input",
    source: RESULTPATH,
    definition: single({ Type: "Task", Resource: LAMBDA, ResultPath: "$.taskresult" }),
    input: hello,
    handlers: { S: [{ return: { ok: true } }] },
    expected: ok({ ...hello, taskresult: { ok: true } }),
  },
  {
    name: "io/resultpath-on-string-input-fails",
    source: "stepline (ResultPath into a non-object input: States.ResultPathMatchFailure)",
    definition: single({ Type: "Task", Resource: LAMBDA, ResultPath: "$.r" }),
    input: "just a string",
    handlers: { S: [{ return: 1 }] },
    expected: failed("States.ResultPathMatchFailure"),
  },
  {
    name: "io/outputpath-selects-part",
    source: OUTPUTPATH,
    definition: single({
      Type: "Pass",
      Result: { Payload: { a: 1 }, StatusCode: 200 },
      ResultPath: "$.lambda",
      OutputPath: "$.lambda.Payload",
    }),
    input: { x: 1 },
    expected: ok({ a: 1 }),
  },
  {
    name: "io/outputpath-missing-is-runtime-error",
    source: PATHS,
    definition: single({ Type: "Pass", OutputPath: "$.nope" }),
    input: { a: 1 },
    expected: failed("States.Runtime"),
  },
  {
    name: "io/full-pipeline-inputpath-parameters-resultselector-resultpath-outputpath",
    source: `Example: Manipulating state data with paths in Step Functions workflows — ${DOCS}input-output-example.html`,
    definition: single({
      Type: "Task",
      Resource: LAMBDA,
      InputPath: "$.lambda",
      Parameters: { "val1.$": "$.val1", "val2.$": "$.val2" },
      ResultSelector: { "sum.$": "$.Payload.sum" },
      ResultPath: "$.data.lambdaresult",
      OutputPath: "$.data",
    }),
    input: {
      comment: "An input comment.",
      data: { val1: 23, val2: 17 },
      extra: "foo",
      lambda: { who: "AWS Step Functions", val1: 23, val2: 17 },
    },
    handlers: { S: [{ return: { Payload: { sum: 40 }, StatusCode: 200 } }] },
    expected: ok({ val1: 23, val2: 17, lambdaresult: { sum: 40 } }),
  },
  {
    name: "io/pass-result-with-resultpath-and-outputpath",
    source: `Pass workflow state — ${DOCS}state-pass.html`,
    definition: single({
      Type: "Pass",
      Result: { x: 0.381018, y: 622.2269926397355 },
      ResultPath: "$.coords",
    }),
    input: { georefOf: "Home" },
    expected: ok({ georefOf: "Home", coords: { x: 0.381018, y: 622.2269926397355 } }),
  },
  {
    name: "io/jsonpath-array-index",
    source: PATHS,
    definition: single({ Type: "Pass", Parameters: { "first.$": "$.items[0]", "name.$": "$.items[1].name" } }),
    input: { items: [{ name: "a" }, { name: "b" }] },
    expected: ok({ first: { name: "a" }, name: "b" }),
    motoDiffers:
      "moto (found here, not in FACTS): its JSONPath gives a one-item list for a definite path with an index after a field, e.g. $.items[1].name",
    motoExpected: ok({ first: { name: "a" }, name: ["b"] }),
  },
  {
    name: "io/jsonpath-wildcard-projection",
    source: PATHS,
    definition: single({ Type: "Pass", Parameters: { "names.$": "$.items[*].name" } }),
    input: { items: [{ name: "a" }, { name: "b" }, { name: "c" }] },
    expected: ok({ names: ["a", "b", "c"] }),
  },
  {
    name: "io/jsonpath-filter-expression",
    source: PATHS,
    definition: single({ Type: "Pass", Parameters: { "big.$": "$.items[?(@.n > 1)].n" } }),
    input: { items: [{ n: 1 }, { n: 2 }, { n: 3 }] },
    expected: ok({ big: [2, 3] }),
  },
  {
    name: "io/jsonpath-bracket-notation-with-space",
    source: PATHS,
    definition: single({ Type: "Pass", InputPath: "$['a b']" }),
    input: { "a b": { ok: 1 } },
    expected: ok({ ok: 1 }),
  },
  {
    name: "io/jsonpath-slice-last",
    source: PATHS,
    definition: single({ Type: "Pass", Parameters: { "last.$": "$.a[-1:]" } }),
    input: { a: [1, 2, 3] },
    expected: ok({ last: [3] }),
  },
  {
    name: "io/parameters-chain-through-two-states",
    source: "stepline",
    definition: chain({
      One: { Type: "Pass", Parameters: { "v.$": "$.value" } },
      Two: { Type: "Pass", Parameters: { "w.$": "$.v", const: "c" } },
    }),
    input: { value: 7 },
    expected: ok({ w: 7, const: "c" }),
  },
  {
    name: "io/json-null-output",
    source: "stepline",
    definition: single({ Type: "Pass", Result: null }),
    input: { a: 1 },
    expected: ok(null),
  },
];
