import { type Case, chain, DOCS, failed, LAMBDA, ok, single } from "../types.js";

const ERRORS = `Handling errors in Step Functions workflows — ${DOCS}concepts-error-handling.html`;
const TUTORIAL = `Handling error conditions using a Step Functions state machine — ${DOCS}tutorial-handling-error-conditions.html`;

const task = (extra: Record<string, unknown> = {}) => ({ Type: "Task", Resource: LAMBDA, ...extra });
const boom = (error: string, cause = "") => ({ throw: { error, cause } }) as const;

/** The tutorial's machine: a Lambda whose error is caught by type. */
const tutorial = {
  StartAt: "HelloWorld",
  States: {
    HelloWorld: {
      Type: "Task",
      Resource: LAMBDA,
      Catch: [
        { ErrorEquals: ["CustomError"], Next: "CustomErrorFallback" },
        { ErrorEquals: ["States.TaskFailed"], Next: "ReservedTypeFallback" },
        { ErrorEquals: ["States.ALL"], Next: "CatchAllFallback" },
      ],
      End: true,
    },
    CustomErrorFallback: {
      Type: "Pass",
      Result: "This is a fallback from a custom Lambda function exception",
      End: true,
    },
    ReservedTypeFallback: { Type: "Pass", Result: "This is a fallback from a reserved error code", End: true },
    CatchAllFallback: { Type: "Pass", Result: "This is a fallback from any error code", End: true },
  },
};

/** A Parallel whose only branch fails with `error`: retry and catch without Task states (runs on moto). */
const failingParallel = (error: string, extra: Record<string, unknown>) => ({
  Type: "Parallel",
  Branches: [{ StartAt: "F", States: { F: { Type: "Fail", Error: error, Cause: "branch failed" } } }],
  ...extra,
});

export const cases: Case[] = [
  {
    name: "errors/tutorial-custom-error",
    source: TUTORIAL,
    definition: tutorial,
    input: {},
    handlers: { HelloWorld: [boom("CustomError", "This is a custom error!")] },
    expected: ok("This is a fallback from a custom Lambda function exception"),
  },
  {
    name: "errors/tutorial-task-failed",
    source: TUTORIAL,
    definition: tutorial,
    input: {},
    handlers: { HelloWorld: [boom("Lambda.Unknown")] },
    expected: ok("This is a fallback from a reserved error code"),
  },
  {
    name: "errors/tutorial-timeout-skips-task-failed",
    source: `${TUTORIAL}; ${ERRORS} (States.TaskFailed does not match States.Timeout)`,
    definition: {
      ...tutorial,
      States: { ...tutorial.States, HelloWorld: { ...tutorial.States.HelloWorld, TimeoutSeconds: 1 } },
    },
    input: {},
    handlers: { HelloWorld: [{ hang: true }] },
    expected: ok("This is a fallback from any error code"),
  },
  {
    name: "errors/task-timeout-uncaught",
    source: ERRORS,
    definition: single(task({ TimeoutSeconds: 1 })),
    input: {},
    handlers: { S: [{ hang: true }] },
    expected: failed("States.Timeout"),
  },
  {
    name: "errors/heartbeat-timeout",
    source: ERRORS,
    definition: single(task({ TimeoutSeconds: 100, HeartbeatSeconds: 1 })),
    input: {},
    handlers: { S: [{ hang: true }] },
    expected: failed("States.HeartbeatTimeout"),
  },
  {
    name: "errors/retry-timeout-then-succeed",
    source: ERRORS,
    definition: single(
      task({ TimeoutSeconds: 1, Retry: [{ ErrorEquals: ["States.Timeout"], IntervalSeconds: 1, MaxAttempts: 1 }] }),
    ),
    input: {},
    handlers: { S: [{ hang: true }, { return: "second" }] },
    expected: ok("second"),
    // AWS: 1 s timeout + 1 s retry interval = 2 s; stepline's task timers run on wall time (invoke.ts), so only
    // the retry interval shows on the virtual clock. elapsedSeconds is not asserted here (see the report).
  },
  {
    name: "errors/uncaught-task-error-fails-execution",
    source: ERRORS,
    definition: single(task()),
    input: {},
    handlers: { S: [boom("Custom.Error", "details")] },
    expected: failed("Custom.Error", "details"),
  },
  {
    name: "errors/retry-then-succeed",
    source: ERRORS,
    definition: single(
      task({
        Retry: [
          { ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: "NONE" },
        ],
      }),
    ),
    input: {},
    handlers: { S: [boom("E"), boom("E"), { return: "third time" }] },
    expected: ok("third time"),
    elapsedSeconds: 3,
  },
  {
    name: "errors/retry-defaults-interval-1-backoff-2-attempts-3",
    source: ERRORS,
    definition: single(task({ Retry: [{ ErrorEquals: ["States.ALL"] }] })),
    input: {},
    handlers: { S: [boom("E", "always")] },
    expected: failed("E", "always"),
    elapsedSeconds: 7,
  },
  {
    name: "errors/retry-backoff-rate",
    source: ERRORS,
    definition: single(
      task({
        Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3, JitterStrategy: "NONE" }],
      }),
    ),
    input: {},
    handlers: { S: [boom("E"), boom("E"), boom("E"), { return: "done" }] },
    expected: ok("done"),
    elapsedSeconds: 26,
  },
  {
    name: "errors/retry-max-delay-seconds",
    source: ERRORS,
    definition: single(
      task({
        Retry: [
          {
            ErrorEquals: ["E"],
            IntervalSeconds: 2,
            BackoffRate: 3,
            MaxAttempts: 4,
            MaxDelaySeconds: 5,
            JitterStrategy: "NONE",
          },
        ],
      }),
    ),
    input: {},
    handlers: { S: [boom("E"), boom("E"), boom("E"), { return: "done" }] },
    expected: ok("done"),
    elapsedSeconds: 12,
  },
  {
    name: "errors/retry-max-attempts-zero-never-retries",
    source: ERRORS,
    definition: {
      StartAt: "T",
      States: {
        T: {
          ...task(),
          Retry: [{ ErrorEquals: ["E"], MaxAttempts: 0 }],
          Catch: [{ ErrorEquals: ["E"], ResultPath: "$.error", Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    },
    input: { in: 1 },
    handlers: { T: [boom("E", "first"), { return: "would retry" }] },
    expected: ok({ in: 1, error: { Error: "E", Cause: "first" } }),
    elapsedSeconds: 0,
  },
  {
    name: "errors/retry-docs-example-shared-counter",
    source: ERRORS,
    definition: {
      StartAt: "X",
      States: {
        X: {
          ...task(),
          Retry: [
            { ErrorEquals: ["ErrorA", "ErrorB"], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2 },
            { ErrorEquals: ["ErrorC"], IntervalSeconds: 5 },
          ],
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Z" }],
          End: true,
        },
        Z: { Type: "Pass", Result: "caught", End: true },
      },
    },
    input: {},
    handlers: { X: [boom("ErrorA"), boom("ErrorB"), boom("ErrorA")] },
    expected: ok("caught"),
    elapsedSeconds: 3,
  },
  {
    name: "errors/retry-separate-retriers-separate-counters",
    source: ERRORS,
    definition: single(
      task({
        Retry: [
          { ErrorEquals: ["ErrorA"], IntervalSeconds: 1, MaxAttempts: 1, JitterStrategy: "NONE" },
          { ErrorEquals: ["ErrorC"], IntervalSeconds: 5, MaxAttempts: 1, JitterStrategy: "NONE" },
        ],
      }),
    ),
    input: {},
    handlers: { S: [boom("ErrorA"), boom("ErrorC"), { return: "third" }] },
    expected: ok("third"),
    elapsedSeconds: 6,
  },
  {
    name: "errors/retry-not-matching-error-fails-at-once",
    source: ERRORS,
    definition: single(task({ Retry: [{ ErrorEquals: ["ErrorA"], IntervalSeconds: 1, MaxAttempts: 5 }] })),
    input: {},
    handlers: { S: [boom("ErrorB", "b"), { return: "never" }] },
    expected: failed("ErrorB", "b"),
    elapsedSeconds: 0,
  },
  {
    name: "errors/task-failed-retrier-does-not-retry-timeout",
    source: ERRORS,
    definition: single(task({ TimeoutSeconds: 1, Retry: [{ ErrorEquals: ["States.TaskFailed"], MaxAttempts: 3 }] })),
    input: {},
    handlers: { S: [{ hang: true }, { return: "never" }] },
    expected: failed("States.Timeout"),
  },
  {
    name: "errors/catch-default-result-path-replaces-input",
    source: ERRORS,
    definition: {
      StartAt: "T",
      States: {
        T: { ...task(), Catch: [{ ErrorEquals: ["States.ALL"], Next: "H" }], End: true },
        H: { Type: "Pass", End: true },
      },
    },
    input: { lost: true },
    handlers: { T: [boom("Oops", "why")] },
    expected: ok({ Error: "Oops", Cause: "why" }),
  },
  {
    name: "errors/catch-result-path-keeps-input",
    source: ERRORS,
    definition: {
      StartAt: "T",
      States: {
        T: { ...task(), Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error-info", Next: "H" }], End: true },
        H: { Type: "Pass", End: true },
      },
    },
    input: { foo: "bar" },
    handlers: { T: [boom("Oops", "why")] },
    expected: ok({ foo: "bar", "error-info": { Error: "Oops", Cause: "why" } }),
  },
  {
    name: "errors/catch-specific-before-all",
    source: ERRORS,
    definition: {
      StartAt: "T",
      States: {
        T: {
          ...task(),
          Catch: [
            { ErrorEquals: ["java.lang.Exception"], ResultPath: "$.error-info", Next: "RecoveryState" },
            { ErrorEquals: ["States.ALL"], Next: "EndState" },
          ],
          End: true,
        },
        RecoveryState: { Type: "Pass", Result: "recovered", ResultPath: "$.how", End: true },
        EndState: { Type: "Pass", Result: "ended", End: true },
      },
    },
    input: {},
    handlers: { T: [boom("java.lang.Exception", "npe")] },
    expected: ok({ "error-info": { Error: "java.lang.Exception", Cause: "npe" }, how: "recovered" }),
  },
  {
    name: "errors/catch-not-matching-fails",
    source: ERRORS,
    definition: {
      StartAt: "T",
      States: {
        T: { ...task(), Catch: [{ ErrorEquals: ["Other"], Next: "H" }], End: true },
        H: { Type: "Pass", End: true },
      },
    },
    input: {},
    handlers: { T: [boom("Mine", "c")] },
    expected: failed("Mine", "c"),
  },
  {
    name: "errors/retry-exhausted-then-catch",
    source: ERRORS,
    definition: {
      StartAt: "T",
      States: {
        T: {
          ...task(),
          Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 10, MaxAttempts: 2, BackoffRate: 1 }],
          Catch: [{ ErrorEquals: ["E"], Next: "H" }],
          End: true,
        },
        H: { Type: "Pass", End: true },
      },
    },
    input: {},
    handlers: { T: [boom("E", "1"), boom("E", "2"), boom("E", "3")] },
    expected: ok({ Error: "E", Cause: "3" }),
    elapsedSeconds: 20,
  },
  {
    name: "errors/runtime-error-not-caught-by-states-all",
    source: `${ERRORS} (States.Runtime is not caught by States.ALL, FACTS.md)`,
    definition: {
      StartAt: "T",
      States: {
        T: { ...task(), OutputPath: "$.missing", Catch: [{ ErrorEquals: ["States.ALL"], Next: "H" }], End: true },
        H: { Type: "Pass", End: true },
      },
    },
    input: {},
    handlers: { T: [{ return: { present: 1 } }] },
    expected: failed("States.Runtime"),
  },
  {
    name: "errors/runtime-error-not-retried",
    source: ERRORS,
    definition: single(task({ OutputPath: "$.missing", Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 3 }] })),
    input: {},
    handlers: { S: [{ return: { present: 1 } }] },
    expected: failed("States.Runtime"),
    elapsedSeconds: 0,
  },
  {
    name: "errors/result-path-match-failure-is-catchable",
    source: ERRORS,
    definition: {
      StartAt: "T",
      States: {
        T: {
          ...task(),
          ResultPath: "$.r",
          Catch: [{ ErrorEquals: ["States.ResultPathMatchFailure"], Next: "H" }],
          End: true,
        },
        H: { Type: "Pass", Result: "handled", End: true },
      },
    },
    input: "a string",
    handlers: { T: [{ return: 1 }] },
    expected: ok("handled"),
  },
  {
    name: "errors/retry-reuses-the-same-effective-input",
    source: ERRORS,
    definition: chain({
      T: task({ Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 1 }] }),
      After: { Type: "Pass", Parameters: { "got.$": "$" } },
    }),
    input: { v: 1 },
    handlers: { T: [boom("Flaky"), { echo: true }] },
    expected: ok({ got: { v: 1 } }),
  },
  {
    name: "errors/parallel-retry-then-catch",
    source: ERRORS,
    definition: {
      StartAt: "P",
      States: {
        P: failingParallel("Branch.Error", {
          Retry: [{ ErrorEquals: ["Branch.Error"], IntervalSeconds: 1, MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ["Branch.Error"], ResultPath: "$.caught", Next: "H" }],
          End: true,
        }),
        H: { Type: "Pass", End: true },
      },
    },
    input: { x: 1 },
    expected: ok({ x: 1, caught: { Error: "Branch.Error", Cause: "branch failed" } }),
    elapsedSeconds: 1,
  },
  {
    name: "errors/parallel-catch-task-failed-matches-custom",
    source: ERRORS,
    definition: {
      StartAt: "P",
      States: {
        P: failingParallel("Any.Custom", { Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "H" }], End: true }),
        H: { Type: "Pass", Result: "task-failed matched", End: true },
      },
    },
    input: {},
    expected: ok("task-failed matched"),
  },
  {
    name: "errors/parallel-catch-order-specific-first",
    source: ERRORS,
    definition: {
      StartAt: "P",
      States: {
        P: failingParallel("ErrorB", {
          Catch: [
            { ErrorEquals: ["ErrorA"], Next: "A" },
            { ErrorEquals: ["ErrorB"], Next: "B" },
            { ErrorEquals: ["States.ALL"], Next: "All" },
          ],
          End: true,
        }),
        A: { Type: "Pass", Result: "A", End: true },
        B: { Type: "Pass", Result: "B", End: true },
        All: { Type: "Pass", Result: "All", End: true },
      },
    },
    input: {},
    expected: ok("B"),
  },
  {
    name: "errors/parallel-retry-exhausted-uncaught",
    source: ERRORS,
    definition: single(
      failingParallel("E", { Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 1 }] }),
    ),
    input: {},
    expected: failed("E", "branch failed"),
    elapsedSeconds: 1,
  },
  {
    name: "errors/catch-then-continue-chain",
    source: ERRORS,
    definition: {
      StartAt: "P",
      States: {
        P: failingParallel("E", {
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "Next" }],
          Next: "Next",
        }),
        Next: { Type: "Pass", Result: "continued", ResultPath: "$.status", End: true },
      },
    },
    input: { keep: 1 },
    expected: ok({ keep: 1, status: "continued" }),
  },
  {
    name: "errors/parallel-retry-resubmits-the-same-input",
    source: `${ERRORS} (a Parallel evaluates its Parameters once and resubmits that input on retry, $$.State.RetryCount 0 in it, unlike a Task; as moto/LocalStack model it)`,
    definition: single({
      Type: "Parallel",
      Parameters: { "retry.$": "$$.State.RetryCount" },
      Branches: [
        {
          StartAt: "FirstTry",
          States: {
            FirstTry: { Type: "Choice", Choices: [{ Variable: "$.retry", NumericEquals: 0, Next: "F" }], Default: "P" },
            F: { Type: "Fail", Error: "FirstAttempt", Cause: "fails on attempt 0" },
            P: { Type: "Pass", End: true },
          },
        },
      ],
      Retry: [{ ErrorEquals: ["FirstAttempt"], IntervalSeconds: 1, MaxAttempts: 2 }],
    }),
    input: {},
    expected: failed("FirstAttempt", "fails on attempt 0"),
    elapsedSeconds: 3,
  },
  {
    name: "errors/map-retry-then-catch",
    source: ERRORS,
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "F",
            States: { F: { Type: "Fail", Error: "Item.Bad", Cause: "c" } },
          },
          Retry: [{ ErrorEquals: ["Item.Bad"], IntervalSeconds: 2, MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "H" }],
          ItemsPath: "$.items",
          End: true,
        },
        H: { Type: "Pass", End: true },
      },
    },
    input: { items: [1] },
    expected: ok({ items: [1], failure: { Error: "Item.Bad", Cause: "c" } }),
    elapsedSeconds: 2,
  },
];
