import { type Case, DOCS, failed, LAMBDA, ok, single } from "../types.js";

const CONTEXT = `Accessing execution data from the Context object in Step Functions — ${DOCS}input-output-contextobject.html`;

export const cases: Case[] = [
  {
    name: "context/execution-input",
    source: CONTEXT,
    definition: single({
      Type: "Pass",
      InputPath: "$.a",
      Parameters: { "original.$": "$$.Execution.Input", "here.$": "$" },
    }),
    input: { a: { b: 1 } },
    expected: ok({ original: { a: { b: 1 } }, here: { b: 1 } }),
  },
  {
    name: "context/execution-name-and-id",
    source: CONTEXT,
    definition: single({ Type: "Pass", Parameters: { "name.$": "$$.Execution.Name", "id.$": "$$.Execution.Id" } }),
    input: {},
    expected: ok({ name: "<<ExecutionName>>", id: "<<ExecutionArn>>" }),
  },
  {
    name: "context/state-machine-name-and-id",
    source: CONTEXT,
    definition: single({
      Type: "Pass",
      Parameters: { "name.$": "$$.StateMachine.Name", "id.$": "$$.StateMachine.Id" },
    }),
    input: {},
    expected: ok({ name: "<<StateMachineName>>", id: "<<StateMachineArn>>" }),
  },
  {
    name: "context/state-name-and-entered-time",
    source: CONTEXT,
    definition: {
      StartAt: "First State",
      States: {
        "First State": {
          Type: "Pass",
          Parameters: { "name.$": "$$.State.Name", "entered.$": "$$.State.EnteredTime" },
          End: true,
        },
      },
    },
    input: {},
    expected: ok({ name: "First State", entered: "<<ISO8601>>" }),
  },
  {
    name: "context/execution-start-time-is-iso8601",
    source: CONTEXT,
    definition: single({ Type: "Pass", Parameters: { "start.$": "$$.Execution.StartTime" } }),
    input: {},
    expected: ok({ start: "<<ISO8601>>" }),
    motoSkip:
      "FACTS: moto's $$.Execution.StartTime is not ISO-8601; here it is a Python datetime, and DescribeExecution answers HTTP 500 (datetime is not JSON serializable)",
  },
  {
    name: "context/execution-start-time-formatted",
    source: CONTEXT,
    definition: single({ Type: "Pass", Parameters: { "start.$": "States.Format('{}', $$.Execution.StartTime)" } }),
    input: {},
    expected: ok({ start: "<<ISO8601>>" }),
    motoDiffers:
      "FACTS: moto's $$.Execution.StartTime is not ISO-8601 (AWS: …T…Z): moto keeps a Python datetime, and States.Format fails on it",
    motoExpected: failed("States.Runtime", "TypeError(Object of type datetime is not JSON serializable)"),
  },
  {
    name: "context/map-item-index-and-value",
    source: CONTEXT,
    definition: single({
      Type: "Map",
      ItemSelector: { "ContextIndex.$": "$$.Map.Item.Index", "ContextValue.$": "$$.Map.Item.Value" },
      ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } },
    }),
    input: [{ who: "bob" }, { who: "meg" }, { who: "joe" }],
    expected: ok([
      { ContextIndex: 0, ContextValue: { who: "bob" } },
      { ContextIndex: 1, ContextValue: { who: "meg" } },
      { ContextIndex: 2, ContextValue: { who: "joe" } },
    ]),
  },
  {
    name: "context/intrinsic-reads-context",
    source: CONTEXT,
    definition: {
      StartAt: "Greet",
      States: {
        Greet: {
          Type: "Pass",
          Parameters: { "msg.$": "States.Format('state {} of {}', $$.State.Name, $.who)" },
          End: true,
        },
      },
    },
    input: { who: "me" },
    expected: ok({ msg: "state Greet of me" }),
  },
  {
    name: "context/retry-count-in-parameters",
    source: CONTEXT,
    definition: single({
      Type: "Task",
      Resource: LAMBDA,
      Parameters: { "retry.$": "$$.State.RetryCount" },
      Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 3 }],
    }),
    input: {},
    handlers: {
      S: [{ throw: { error: "Boom", cause: "1" } }, { throw: { error: "Boom", cause: "2" } }, { echo: true }],
    },
    expected: ok({ retry: 2 }),
  },
  {
    name: "context/whole-context-path-in-resultpath-chain",
    source: CONTEXT,
    definition: single({
      Type: "Pass",
      Parameters: { "input.$": "$$.Execution.Input.list[1]" },
      ResultPath: "$.picked",
    }),
    input: { list: ["a", "b"] },
    expected: ok({ list: ["a", "b"], picked: { input: "b" } }),
  },
  {
    name: "context/jsonata-retry-count-in-arguments",
    source: CONTEXT,
    definition: single(
      {
        Type: "Task",
        Resource: LAMBDA,
        Arguments: { retry: "{% $states.context.State.RetryCount %}" },
        Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 1 }],
      },
      { QueryLanguage: "JSONata" },
    ),
    input: {},
    handlers: { S: [{ throw: { error: "Boom", cause: "" } }, { echo: true }] },
    expected: ok({ retry: 1 }),
  },
];
