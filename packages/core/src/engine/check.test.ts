import { describe, expect, it } from "vitest";
import type { StateMachineJson } from "../asl/types.js";
import { isSteplineError } from "../errors/problem.js";
import { checkDefinition } from "./check.js";
import { execute } from "./execute.js";

const codes = (definition: unknown) => checkDefinition(definition).map((p) => [p.code, p.step, p.field]);

describe("checkDefinition", () => {
  it("accepts a valid machine", () => {
    expect(checkDefinition({ StartAt: "A", States: { A: { Type: "Pass", End: true } } })).toStrictEqual([]);
  });

  it("reports missing StartAt/States and an unknown StartAt", () => {
    expect(codes({})).toStrictEqual([
      ["SL_ASL_MISSING_STATES", undefined, "States"],
      ["SL_ASL_MISSING_START_AT", undefined, "StartAt"],
    ]);
    expect(codes({ StartAt: "X", States: { A: { Type: "Succeed" } } })).toStrictEqual([
      ["SL_ASL_UNKNOWN_START_AT", undefined, "StartAt"],
    ]);
  });

  it("names the state and field of every problem, nested ones included", () => {
    const problems = codes({
      StartAt: "A",
      States: {
        A: { Type: "Pass", Next: "Nowhere" },
        B: { Type: "Task", End: true },
        C: { Type: "Choice", Default: "Gone" },
        D: { Type: "Pass" },
        E: { Type: "Sleep", End: true },
        F: { Type: "Map", End: true },
        G: { Type: "Parallel", End: true },
        H: { Type: "Task", Resource: "r", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Lost" }], End: true },
        I: {
          Type: "Parallel",
          Branches: [{ StartAt: "In", States: { In: { Type: "Pass", Next: "A" } } }],
          End: true,
        },
      },
    });
    expect(problems).toStrictEqual([
      ["SL_ASL_UNKNOWN_NEXT", "A", "Next"],
      ["SL_ASL_TASK_NO_RESOURCE", "B", "Resource"],
      ["SL_ASL_CHOICE_NO_CHOICES", "C", "Choices"],
      ["SL_ASL_UNKNOWN_DEFAULT", "C", "Default"],
      ["SL_ASL_NO_NEXT", "D", "Next"],
      ["SL_ASL_BAD_TYPE", "E", "Type"],
      ["SL_ASL_MAP_NO_PROCESSOR", "F", "ItemProcessor"],
      ["SL_ASL_PARALLEL_NO_BRANCHES", "G", "Branches"],
      ["SL_ASL_UNKNOWN_CATCH_TARGET", "H", "Catch[0].Next"],
      ["SL_ASL_UNKNOWN_NEXT", "In", "Next"],
    ]);
    for (const p of checkDefinition({ StartAt: "A", States: { A: { Type: "Pass" } } }))
      expect(p.fix).toMatch(/Next|End/);
  });

  it("reports fields of the other query language", () => {
    expect(
      codes({
        QueryLanguage: "JSONata",
        StartAt: "A",
        States: {
          A: { Type: "Pass", InputPath: "$.x", Next: "B" },
          B: { Type: "Pass", QueryLanguage: "JSONPath", Output: "{% 1 %}", Next: "C" },
          C: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "A" }], Default: "A" },
        },
      }),
    ).toStrictEqual([
      ["SL_ASL_QUERY_LANGUAGE_MIX", "A", "InputPath"],
      ["SL_ASL_QUERY_LANGUAGE_MIX", "B", "Output"],
      ["SL_ASL_QUERY_LANGUAGE_MIX", "C", "Choices[0].Variable"],
    ]);
  });
});

describe("execute preconditions", () => {
  it("throws SL_ENGINE_NO_HANDLER listing every state and resource without a handler", async () => {
    const definition = {
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: "arn:aws:states:::batch:submitJob.sync", Next: "B" },
        B: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", End: true },
      },
    } as StateMachineJson;
    const error = await execute({ definition, handlers: [{ resource: /batch/, handler: async () => null }] }).catch(
      (e: unknown) => e,
    );
    expect(isSteplineError(error)).toBe(true);
    const problems = (error as { problems: { code: string; step?: string; message: string }[] }).problems;
    expect(problems.map((p) => [p.code, p.step])).toStrictEqual([["SL_ENGINE_NO_HANDLER", "B"]]);
    expect(problems[0]?.message).toContain("arn:aws:states:::glue:startJobRun.sync");
  });

  it("throws the definition's problems before running", async () => {
    const error = await execute({ definition: { StartAt: "A", States: {} } as StateMachineJson }).catch(
      (e: unknown) => e,
    );
    expect((error as { code: string }).code).toBe("SL_ASL_UNKNOWN_START_AT");
  });
});
