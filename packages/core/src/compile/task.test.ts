import { describe, expect, it } from "vitest";
import { expectValidAsl } from "../../../../test/helpers/asl.js";
import {
  compile,
  type IntegrationRegistry,
  type PipelineModel,
  type QueryLanguage,
  type RetryPolicy,
  type StateJson,
  type StepModel,
  type TaskStepModel,
  testIntegrations,
  testPipeline,
  testStep,
} from "../index.js";

function render(
  steps: readonly StepModel[],
  overrides: Partial<PipelineModel> = {},
  queryLanguage: QueryLanguage = "JSONPath",
) {
  const result = compile(testPipeline(steps, overrides), { integrations: testIntegrations, queryLanguage });
  expectValidAsl(result.stateMachine);
  return result.stateMachine;
}

const retry: RetryPolicy = { attempts: 3, intervalSeconds: 2, backoffRate: 2, jitter: "FULL" };
const notify: TaskStepModel = testStep("notify", [], {
  payload: { cause: { $ref: { source: "error", path: ["Cause"] } } },
});

describe("retry policies", () => {
  it("turns attempts into MaxAttempts = attempts - 1 on States.TaskFailed", () => {
    const machine = render([testStep("a", [], { retry }), testStep("b", ["a"], { retry: { ...retry, attempts: 1 } })]);
    expect(machine.States.a?.Retry).toStrictEqual([
      {
        ErrorEquals: ["States.TaskFailed"],
        IntervalSeconds: 2,
        MaxAttempts: 2,
        BackoffRate: 2,
        JitterStrategy: "FULL",
      },
    ]);
    // One attempt means no retry at all.
    expect(machine.States.b?.Retry).toBeUndefined();
  });

  it("keeps the user's errors, MaxDelaySeconds and JitterStrategy NONE", () => {
    const policy: RetryPolicy = {
      attempts: 10,
      intervalSeconds: 5,
      backoffRate: 1.5,
      maxDelaySeconds: 60,
      jitter: "NONE",
      errors: ["States.Timeout", "Custom.Error"],
    };
    const machine = render([testStep("a", [], { retry: policy })]);
    expect(machine.States.a?.Retry).toStrictEqual([
      {
        ErrorEquals: ["States.Timeout", "Custom.Error"],
        IntervalSeconds: 5,
        MaxAttempts: 9,
        BackoffRate: 1.5,
        MaxDelaySeconds: 60,
        JitterStrategy: "NONE",
      },
    ]);
  });

  it("applies the pipeline's default retry and timeout to steps without their own", () => {
    const machine = render(
      [testStep("a"), testStep("b", ["a"], { timeoutSeconds: 30, retry: { ...retry, attempts: 2 } })],
      {
        defaults: { retry, timeoutSeconds: 600 },
      },
    );
    expect(machine.States.a?.TimeoutSeconds).toBe(600);
    expect(machine.States.a?.Retry).toStrictEqual([
      {
        ErrorEquals: ["States.TaskFailed"],
        IntervalSeconds: 2,
        MaxAttempts: 2,
        BackoffRate: 2,
        JitterStrategy: "FULL",
      },
    ]);
    expect(machine.States.b?.TimeoutSeconds).toBe(30);
    expect((machine.States.b?.Retry as { MaxAttempts: number }[] | undefined)?.[0]?.MaxAttempts).toBe(1);
  });

  it("puts the integration's service retries before the user's policy", () => {
    const serviceRetry = {
      ErrorEquals: ["Lambda.ServiceException"],
      IntervalSeconds: 1,
      MaxAttempts: 5,
      BackoffRate: 2,
      JitterStrategy: "FULL" as const,
    };
    const integrations: IntegrationRegistry = {
      ...testIntegrations,
      lambda: {
        ...testIntegrations.lambda,
        task: (step, ctx) => ({ ...testIntegrations.lambda.task(step, ctx), serviceRetries: [serviceRetry] }),
      },
    };
    const { stateMachine } = compile(testPipeline([testStep("a", [], { retry })]), { integrations });
    expect(stateMachine.States.a?.Retry).toStrictEqual([
      serviceRetry,
      {
        ErrorEquals: ["States.TaskFailed"],
        IntervalSeconds: 2,
        MaxAttempts: 2,
        BackoffRate: 2,
        JitterStrategy: "FULL",
      },
    ]);
  });
});

describe("failure policies (JSONPath)", () => {
  it("continue: catches into <step>.Continue, which records the error and goes on", () => {
    const machine = render([testStep("a", [], { onFailure: { action: "continue" } }), testStep("b", ["a"])]);
    expect(machine.States.a?.Catch).toStrictEqual([
      { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "a.Continue" },
    ]);
    expect(machine.States.a?.Next).toBe("b");
    expect(machine.States["a.Continue"]).toStrictEqual({
      Type: "Pass",
      Comment: "a failed; the run goes on with its error",
      InputPath: "$.error",
      ResultPath: "$.steps.a",
      Next: "b",
    });
  });

  it("continue on the last step ends the run after recording the error", () => {
    const machine = render([testStep("a", [], { onFailure: { action: "continue" } })]);
    expect(machine.States["a.Continue"]?.End).toBe(true);
    expect(machine.States.a?.End).toBe(true);
  });

  it("continue inside a Parallel branch stays in the branch", () => {
    const machine = render([testStep("a", [], { onFailure: { action: "continue" } }), testStep("b")]);
    const parallel = machine.States["Parallel.1"] as StateJson;
    const [first] = parallel.Branches as { StartAt: string; States: Record<string, StateJson> }[];
    expect(Object.keys(first?.States ?? {})).toStrictEqual(["a", "a.Continue"]);
    expect(first?.States["a.Continue"]?.End).toBe(true);
  });

  it("step handler: runs the handler, then <step>.Failed re-raises the original error", () => {
    const machine = render([
      testStep("a", [], { onFailure: { action: "handler", handler: notify } }),
      testStep("b", ["a"]),
    ]);
    expect(machine.States.a?.Catch).toStrictEqual([
      { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "notify" },
    ]);
    expect(machine.States.notify).toStrictEqual({
      Type: "Task",
      Comment: "failure handler: lambda step (test integration)",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "notify", Payload: { "cause.$": "$.error.Cause" } },
      ResultPath: null,
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "a.Failed" }],
      Next: "a.Failed",
    });
    expect(machine.States["a.Failed"]).toStrictEqual({
      Type: "Fail",
      Comment: "a failed",
      ErrorPath: "$.error.Error",
      CausePath: "$.error.Cause",
    });
  });

  it("pipeline handler: wraps the run in the Pipeline Parallel and fails through Pipeline.Failed", () => {
    const machine = render([testStep("a"), testStep("b", ["a"])], {
      defaults: { onFailure: { action: "handler", handler: notify } },
    });
    expect(Object.keys(machine.States)).toStrictEqual(["Input.ApplyDefaults", "Pipeline", "notify", "Pipeline.Failed"]);
    const wrapper = machine.States.Pipeline as StateJson;
    expect({ ...wrapper, Branches: undefined }).toStrictEqual({
      Type: "Parallel",
      Comment: "runs the pipeline; on failure runs notify, then fails with the original error",
      Branches: undefined,
      OutputPath: "$[0]",
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "notify" }],
      End: true,
    });
    const [branch] = wrapper.Branches as { StartAt: string; States: Record<string, StateJson> }[];
    expect(branch?.StartAt).toBe("a");
    expect(Object.keys(branch?.States ?? {})).toStrictEqual(["a", "b"]);
    // Steps get no Catch of their own: the wrapper catches once.
    expect(branch?.States.a?.Catch).toBeUndefined();
    expect(machine.States.notify?.Next).toBe("Pipeline.Failed");
    expect(machine.States["Pipeline.Failed"]).toStrictEqual({
      Type: "Fail",
      Comment: "the pipeline failed; its handler has run",
      ErrorPath: "$.error.Error",
      CausePath: "$.error.Cause",
    });
  });

  it("pipeline-level continue applies to every step", () => {
    const machine = render([testStep("a"), testStep("b", ["a"])], { defaults: { onFailure: { action: "continue" } } });
    expect(machine.States["a.Continue"]?.Next).toBe("b");
    expect(machine.States["b.Continue"]?.End).toBe(true);
  });
});

describe("failure policies (JSONata)", () => {
  it("continue merges the error into steps.<step>", () => {
    const machine = render(
      [testStep("a", [], { onFailure: { action: "continue" } }), testStep("b", ["a"])],
      {},
      "JSONata",
    );
    expect(machine.States.a?.Catch).toStrictEqual([
      {
        ErrorEquals: ["States.ALL"],
        Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}',
        Next: "a.Continue",
      },
    ]);
    expect(machine.States["a.Continue"]).toStrictEqual({
      Type: "Pass",
      Comment: "a failed; the run goes on with its error",
      Output: '{% $merge([$states.input, {"steps": $merge([$states.input.steps, {"a": $states.input.error}])}]) %}',
      Next: "b",
    });
  });

  it("step handler and Fail use JSONata Error/Cause", () => {
    const machine = render([testStep("a", [], { onFailure: { action: "handler", handler: notify } })], {}, "JSONata");
    expect(machine.States.notify).toStrictEqual({
      Type: "Task",
      Comment: "failure handler: lambda step (test integration)",
      Resource: "arn:aws:states:::lambda:invoke",
      Arguments: { FunctionName: "notify", Payload: { cause: "{% $states.input.error.Cause %}" } },
      Output: "{% $states.input %}",
      Catch: [{ ErrorEquals: ["States.ALL"], Output: "{% $states.input %}", Next: "a.Failed" }],
      Next: "a.Failed",
    });
    expect(machine.States["a.Failed"]).toStrictEqual({
      Type: "Fail",
      Comment: "a failed",
      Error: "{% $states.input.error.Error %}",
      Cause: "{% $states.input.error.Cause %}",
    });
  });

  it("pipeline handler wrapper outputs $states.result[0]", () => {
    const machine = render(
      [testStep("a")],
      { defaults: { onFailure: { action: "handler", handler: notify } } },
      "JSONata",
    );
    const wrapper = machine.States.Pipeline as StateJson;
    expect(wrapper.Output).toBe("{% $states.result[0] %}");
    expect(wrapper.OutputPath).toBeUndefined();
    expect(wrapper.Catch).toStrictEqual([
      {
        ErrorEquals: ["States.ALL"],
        Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}',
        Next: "notify",
      },
    ]);
    expect(machine.States["Pipeline.Failed"]).toStrictEqual({
      Type: "Fail",
      Comment: "the pipeline failed; its handler has run",
      Error: "{% $states.input.error.Error %}",
      Cause: "{% $states.input.error.Cause %}",
    });
  });
});

describe("capacity fallback", () => {
  const integrations: IntegrationRegistry = {
    ...testIntegrations,
    batch: {
      ...testIntegrations.batch,
      task: (step, ctx) => ({
        ...testIntegrations.batch.task(step, ctx),
        resource: "arn:aws:states:::batch:submitJob.sync",
        parameters: { JobName: step.name, JobQueue: "spot" },
        fallback: {
          label: "on demand",
          comment: "second attempt on on-demand capacity",
          parameters: { JobName: step.name, JobQueue: "on-demand" },
          causeField: "StatusReason",
          causeMatches: ["Host EC2*"],
          onTimeout: true,
          firstAttemptTimeoutSeconds: 900,
        },
      }),
    },
  };
  const batch = (name: string, extra: Partial<TaskStepModel> = {}): StepModel =>
    ({
      kind: "batch",
      name,
      after: [],
      image: "busybox",
      command: ["true"],
      vcpus: 1,
      memoryMiB: 2048,
      environment: {},
      secrets: {},
      architecture: "x86_64",
      capacity: "spot-then-on-demand",
      tags: {},
      ...extra,
    }) as StepModel;

  for (const language of ["JSONPath", "JSONata"] as const) {
    it(`goes to the second attempt only on a reclaim or a timeout (${language})`, () => {
      const { stateMachine } = compile(testPipeline([batch("job"), testStep("after", ["job"])]), {
        integrations,
        queryLanguage: language,
      });
      expectValidAsl(stateMachine);
      const first = stateMachine.States.job as StateJson;
      expect(first.TimeoutSeconds).toBe(900);
      const catches = first.Catch as { ErrorEquals: string[]; Next: string }[];
      expect(catches.map((c) => [c.ErrorEquals, c.Next])).toStrictEqual([
        [["States.Timeout"], "job.on-demand"],
        [["States.ALL"], language === "JSONPath" ? "job.IsJobFailure" : "job.CheckReason"],
      ]);
      if (language === "JSONPath") {
        // Errors without a job description (throttling, client errors) fail without parsing a cause.
        expect(stateMachine.States["job.IsJobFailure"]).toStrictEqual({
          Type: "Choice",
          Comment: "only a failed job carries its description in the error cause",
          Choices: [
            { Not: { Variable: "$.error.Error", StringEquals: "States.TaskFailed" }, Next: "job.Failed" },
            { Variable: "$.error.Cause", IsPresent: false, Next: "job.Failed" },
            { Not: { Variable: "$.error.Cause", StringMatches: "{*" }, Next: "job.Failed" },
          ],
          Default: "job.ParseCause",
        });
      } else {
        const choices = stateMachine.States["job.CheckReason"]?.Choices as { Condition: string }[] | undefined;
        const condition = choices?.[0]?.Condition;
        expect(condition).toContain('$states.input.error.Error = "States.TaskFailed"');
        expect(condition).toMatch(/\? \(\$exists\(\$parse/);
      }
      expect(first.Next).toBe("after");
      expect(stateMachine.States["job.on-demand"]?.Next).toBe("after");
      expect(stateMachine.States["job.CheckReason"]?.Default).toBe("job.Failed");
      expect(stateMachine.States["job.Failed"]?.Type).toBe("Fail");
    });
  }
});
