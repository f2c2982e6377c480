import { type Case, chain, DOCS, failed, ok, single } from "../types.js";

const WAIT = `Wait workflow state — ${DOCS}state-wait.html`;
const PASS = `Pass workflow state — ${DOCS}state-pass.html`;
const SUCCEED = `Succeed workflow state — ${DOCS}state-succeed.html`;
const FAIL = `Fail workflow state — ${DOCS}state-fail.html`;

export const cases: Case[] = [
  {
    name: "flow/wait-seconds",
    source: WAIT,
    definition: single({ Type: "Wait", Seconds: 1 }),
    input: { a: 1 },
    expected: ok({ a: 1 }),
  },
  {
    name: "flow/wait-seconds-path",
    source: WAIT,
    definition: single({ Type: "Wait", SecondsPath: "$.expirydate" }),
    input: { expirydate: 1, keep: "x" },
    expected: ok({ expirydate: 1, keep: "x" }),
  },
  {
    name: "flow/wait-timestamp-in-past",
    source: WAIT,
    definition: single({ Type: "Wait", Timestamp: "2016-03-14T01:59:00Z" }),
    input: { a: 1 },
    expected: ok({ a: 1 }),
  },
  {
    name: "flow/wait-timestamp-path",
    source: WAIT,
    definition: single({ Type: "Wait", TimestampPath: "$.expirydate" }),
    input: { expirydate: "2016-03-14T01:59:00Z" },
    expected: ok({ expirydate: "2016-03-14T01:59:00Z" }),
  },
  {
    name: "flow/wait-with-input-and-output-path",
    source: WAIT,
    definition: single({ Type: "Wait", Seconds: 0, InputPath: "$.a", OutputPath: "$.b" }),
    input: { a: { b: 2 } },
    expected: ok(2),
  },
  {
    name: "flow/wait-seconds-path-missing-fails",
    source: WAIT,
    definition: single({ Type: "Wait", SecondsPath: "$.nope" }),
    input: {},
    expected: failed("States.Runtime"),
  },
  {
    name: "flow/wait-hour-advances-entered-time",
    source: `${WAIT} (virtual time: a one-hour Wait moves $$.State.EnteredTime forward)`,
    definition: {
      StartAt: "Before",
      States: {
        Before: { Type: "Pass", Parameters: { "t0.$": "$$.State.EnteredTime" }, Next: "Hour" },
        Hour: { Type: "Wait", Seconds: 3600, Next: "After" },
        After: { Type: "Pass", Parameters: { "t0.$": "$.t0", "t1.$": "$$.State.EnteredTime" }, Next: "Check" },
        Check: {
          Type: "Choice",
          Choices: [{ Variable: "$.t1", TimestampGreaterThanPath: "$.t0", Next: "Later" }],
          Default: "NotLater",
        },
        Later: { Type: "Pass", Result: "later", End: true },
        NotLater: { Type: "Fail", Error: "NotLater" },
      },
    },
    input: {},
    expected: ok("later"),
    motoSkip: "waits one hour in real time on moto",
  },
  {
    name: "flow/pass-passes-input",
    source: PASS,
    definition: single({ Type: "Pass" }),
    input: { a: [1, 2] },
    expected: ok({ a: [1, 2] }),
  },
  {
    name: "flow/pass-result-docs-example",
    source: PASS,
    definition: single({ Type: "Pass", Result: { x: 0.381018, y: 622.2269926397355 }, ResultPath: "$.coords" }),
    input: { georefOf: "Home" },
    expected: ok({ georefOf: "Home", coords: { x: 0.381018, y: 622.2269926397355 } }),
  },
  {
    name: "flow/pass-result-ignores-parameters-paths-in-result",
    source: PASS,
    definition: single({ Type: "Pass", Result: { "notAPath.$": "$.a" } }),
    input: { a: 1 },
    expected: ok({ "notAPath.$": "$.a" }),
  },
  {
    name: "flow/pass-chain-of-three",
    source: PASS,
    definition: chain({
      A: { Type: "Pass", Result: 1, ResultPath: "$.a" },
      B: { Type: "Pass", Result: 2, ResultPath: "$.b" },
      C: { Type: "Pass", Result: 3, ResultPath: "$.c" },
    }),
    input: {},
    expected: ok({ a: 1, b: 2, c: 3 }),
  },
  {
    name: "flow/succeed-passes-input",
    source: SUCCEED,
    definition: single({ Type: "Succeed" }),
    input: { done: true },
    expected: ok({ done: true }),
  },
  {
    name: "flow/succeed-with-output-path",
    source: SUCCEED,
    definition: single({ Type: "Succeed", InputPath: "$.a", OutputPath: "$.b" }),
    input: { a: { b: "x" } },
    expected: ok("x"),
  },
  {
    name: "flow/fail-error-and-cause",
    source: FAIL,
    definition: single({ Type: "Fail", Error: "ErrorA", Cause: "Kaiju attack" }),
    input: {},
    expected: failed("ErrorA", "Kaiju attack"),
  },
  {
    name: "flow/fail-after-pass",
    source: FAIL,
    definition: chain({ P: { Type: "Pass" }, F: { Type: "Fail", Error: "Custom.Error", Cause: "after pass" } }),
    input: { a: 1 },
    expected: failed("Custom.Error", "after pass"),
  },
  {
    name: "flow/fail-error-path-and-cause-path",
    source: FAIL,
    definition: single({ Type: "Fail", ErrorPath: "$.e", CausePath: "$.c" }),
    input: { e: "Dynamic", c: "from input" },
    expected: failed("Dynamic", "from input"),
  },
  {
    name: "flow/fail-cause-path-intrinsic",
    source: FAIL,
    definition: single({ Type: "Fail", Error: "Formatted", CausePath: "States.Format('item {} failed', $.id)" }),
    input: { id: 7 },
    expected: failed("Formatted", "item 7 failed"),
  },
  {
    name: "flow/choice-loop-counts-to-three",
    source: "stepline",
    definition: {
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Result: 0, ResultPath: "$.n", Next: "Inc" },
        Inc: { Type: "Pass", Parameters: { "n.$": "States.MathAdd($.n, 1)" }, Next: "Loop" },
        Loop: { Type: "Choice", Choices: [{ Variable: "$.n", NumericLessThan: 3, Next: "Inc" }], Default: "Done" },
        Done: { Type: "Succeed" },
      },
    },
    input: {},
    expected: ok({ n: 3 }),
  },
  {
    name: "flow/state-machine-timeout",
    source: `Amazon States Language state machine structure (TimeoutSeconds) — ${DOCS}statemachine-structure.html`,
    definition: { TimeoutSeconds: 5, StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, End: true } } },
    input: {},
    expected: { status: "TIMED_OUT", error: "States.Timeout" },
    motoSkip: "moto does not enforce the state machine TimeoutSeconds and would wait 60 s",
  },
];
