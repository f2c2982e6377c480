import { type Problem, problem } from "../errors/problem.js";

const TYPES = new Set(["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]);
const TERMINAL = new Set(["Choice", "Succeed", "Fail"]);
/** Fields only JSONPath states may have. */
const JSONPATH_ONLY = [
  "InputPath",
  "Parameters",
  "ResultSelector",
  "ResultPath",
  "OutputPath",
  "ItemsPath",
  "ErrorPath",
  "CausePath",
  "SecondsPath",
  "TimestampPath",
  "TimeoutSecondsPath",
  "HeartbeatSecondsPath",
  "MaxConcurrencyPath",
  "ToleratedFailureCountPath",
  "ToleratedFailurePercentagePath",
];
/** Fields only JSONata states may have. */
const JSONATA_ONLY = ["Arguments", "Output", "Items"];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Checks that an ASL document can run: every problem names the state (`step`)
 * and the `field`, and says how to fix it. Collects all problems, nested
 * Parallel branches and Map processors included.
 */
export function checkDefinition(definition: unknown): Problem[] {
  const problems: Problem[] = [];
  if (!isObject(definition)) {
    problems.push(
      problem(
        "SL_ASL_NOT_OBJECT",
        "The state machine definition is not a JSON object.",
        "Pass the parsed ASL document ({ StartAt, States }).",
      ),
    );
    return problems;
  }
  const language = definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  checkMachine(definition, "", language, problems);
  return problems;
}

function checkMachine(machine: Json, where: string, language: "JSONPath" | "JSONata", problems: Problem[]): void {
  const label = where === "" ? "The state machine" : `The states of ${where}`;
  const states = machine.States;
  if (!isObject(states)) {
    problems.push(
      problem(
        "SL_ASL_MISSING_STATES",
        `${label} has no States object.`,
        "Add a States object mapping state names to states.",
        {
          field: `${where}States`,
        },
      ),
    );
  }
  if (typeof machine.StartAt !== "string") {
    problems.push(
      problem("SL_ASL_MISSING_START_AT", `${label} has no StartAt.`, "Set StartAt to the name of the first state.", {
        field: `${where}StartAt`,
      }),
    );
  } else if (isObject(states) && !(machine.StartAt in states)) {
    problems.push(
      problem(
        "SL_ASL_UNKNOWN_START_AT",
        `StartAt names '${machine.StartAt}', which is not a state of ${where === "" ? "the state machine" : where}.`,
        `Set StartAt to one of: ${Object.keys(states).join(", ")}.`,
        { field: `${where}StartAt` },
      ),
    );
  }
  if (!isObject(states)) return;
  const names = new Set(Object.keys(states));
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) {
      problems.push(
        problem("SL_ASL_BAD_STATE", `State '${name}' is not an object.`, "Make the state a JSON object with a Type.", {
          step: name,
        }),
      );
      continue;
    }
    checkState(name, state, names, language, problems);
  }
}

function checkTarget(
  target: unknown,
  field: string,
  name: string,
  names: Set<string>,
  code: string,
  problems: Problem[],
): void {
  if (typeof target === "string" && names.has(target)) return;
  problems.push(
    problem(
      code,
      `State '${name}' goes to '${String(target)}' in ${field}, which is not a state in the same scope.`,
      `Set ${field} to one of: ${[...names].join(", ")} (a branch or Map processor can only reach its own states).`,
      { step: name, field },
    ),
  );
}

function checkState(
  name: string,
  state: Json,
  names: Set<string>,
  outer: "JSONPath" | "JSONata",
  problems: Problem[],
): void {
  const at = { step: name };
  const type = state.Type;
  if (typeof type !== "string" || !TYPES.has(type)) {
    problems.push(
      problem(
        "SL_ASL_BAD_TYPE",
        `State '${name}' has Type ${JSON.stringify(type)}.`,
        `Set Type to one of ${[...TYPES].join(", ")}.`,
        {
          ...at,
          field: "Type",
        },
      ),
    );
    return;
  }
  const language =
    state.QueryLanguage === "JSONata" ? "JSONata" : state.QueryLanguage === "JSONPath" ? "JSONPath" : outer;
  // Both directions of state-level QueryLanguage run here; FACTS.md and the CDK docs disagree on
  // which one AWS rejects at deploy time, so checkDefinition does not flag either.

  if (!TERMINAL.has(type)) {
    if (state.End !== true && state.Next === undefined) {
      problems.push(
        problem(
          "SL_ASL_NO_NEXT",
          `State '${name}' has neither Next nor "End": true.`,
          'Add Next naming the following state, or "End": true.',
          {
            ...at,
            field: "Next",
          },
        ),
      );
    } else if (state.Next !== undefined) {
      checkTarget(state.Next, "Next", name, names, "SL_ASL_UNKNOWN_NEXT", problems);
    }
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((c, i) => {
      if (isObject(c)) checkTarget(c.Next, `Catch[${i}].Next`, name, names, "SL_ASL_UNKNOWN_CATCH_TARGET", problems);
    });
  }
  if (Array.isArray(state.Retry)) {
    state.Retry.forEach((r, i) => {
      const errors = isObject(r) && Array.isArray(r.ErrorEquals) ? r.ErrorEquals : [];
      if (errors.includes("States.ALL") && (errors.length > 1 || i !== (state.Retry as unknown[]).length - 1)) {
        problems.push(
          problem(
            "SL_ASL_RETRY_ALL_NOT_LAST",
            `State '${name}' uses States.ALL in Retry[${i}] with other errors or before other retriers.`,
            "Put States.ALL alone in the last retrier.",
            { ...at, field: `Retry[${i}].ErrorEquals` },
          ),
        );
      }
    });
  }

  switch (type) {
    case "Task":
      if (typeof state.Resource !== "string" || state.Resource === "") {
        problems.push(
          problem(
            "SL_ASL_TASK_NO_RESOURCE",
            `Task state '${name}' has no Resource.`,
            "Set Resource to the ARN of the integration, e.g. arn:aws:states:::lambda:invoke.",
            {
              ...at,
              field: "Resource",
            },
          ),
        );
      }
      break;
    case "Choice": {
      const choices = state.Choices;
      if (!Array.isArray(choices) || choices.length === 0) {
        problems.push(
          problem(
            "SL_ASL_CHOICE_NO_CHOICES",
            `Choice state '${name}' has no Choices.`,
            "Add a non-empty Choices array of rules, each with a Next.",
            {
              ...at,
              field: "Choices",
            },
          ),
        );
      } else {
        choices.forEach((rule, i) => {
          if (!isObject(rule)) return;
          checkTarget(rule.Next, `Choices[${i}].Next`, name, names, "SL_ASL_UNKNOWN_NEXT", problems);
          if (language === "JSONPath" && rule.Condition !== undefined)
            mixed(name, `Choices[${i}].Condition`, language, problems);
          if (language === "JSONata" && rule.Variable !== undefined)
            mixed(name, `Choices[${i}].Variable`, language, problems);
        });
      }
      if (state.Default !== undefined)
        checkTarget(state.Default, "Default", name, names, "SL_ASL_UNKNOWN_DEFAULT", problems);
      break;
    }
    case "Parallel":
      if (!Array.isArray(state.Branches) || state.Branches.length === 0) {
        problems.push(
          problem(
            "SL_ASL_PARALLEL_NO_BRANCHES",
            `Parallel state '${name}' has no Branches.`,
            "Add Branches: an array of { StartAt, States } machines.",
            {
              ...at,
              field: "Branches",
            },
          ),
        );
      } else {
        state.Branches.forEach((branch, i) => {
          if (isObject(branch)) checkMachine(branch, `Branches[${i}] of '${name}'.`, language, problems);
          else
            problems.push(
              problem(
                "SL_ASL_MISSING_STATES",
                `Branch ${i} of '${name}' is not an object.`,
                "Make each branch { StartAt, States }.",
                { ...at, field: `Branches[${i}]` },
              ),
            );
        });
      }
      break;
    case "Map": {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (!isObject(processor)) {
        problems.push(
          problem(
            "SL_ASL_MAP_NO_PROCESSOR",
            `Map state '${name}' has no ItemProcessor.`,
            "Add ItemProcessor: { StartAt, States } run for every item.",
            {
              ...at,
              field: "ItemProcessor",
            },
          ),
        );
      } else {
        checkMachine(
          processor,
          `the ItemProcessor of '${name}'.`,
          processor.QueryLanguage === "JSONata" ? "JSONata" : language,
          problems,
        );
      }
      break;
    }
  }

  const forbidden = language === "JSONata" ? JSONPATH_ONLY : JSONATA_ONLY;
  for (const field of forbidden) if (state[field] !== undefined) mixed(name, field, language, problems);
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((c, i) => {
      if (!isObject(c)) return;
      if (language === "JSONata" && c.ResultPath !== undefined)
        mixed(name, `Catch[${i}].ResultPath`, language, problems);
      if (language === "JSONPath" && c.Output !== undefined) mixed(name, `Catch[${i}].Output`, language, problems);
    });
  }
}

function mixed(name: string, field: string, language: "JSONPath" | "JSONata", problems: Problem[]): void {
  const fix =
    language === "JSONata"
      ? `Use the JSONata fields (Arguments, Output, Items, Condition, Assign with {% %} expressions) or set "QueryLanguage": "JSONPath" on the state.`
      : `Use the JSONPath fields (InputPath, Parameters, ResultSelector, ResultPath, OutputPath, ItemsPath, Variable rules) or set "QueryLanguage": "JSONata" on the state.`;
  problems.push(
    problem(
      "SL_ASL_QUERY_LANGUAGE_MIX",
      `State '${name}' uses ${language} but has the field ${field}, which belongs to the other query language.`,
      fix,
      {
        step: name,
        field,
      },
    ),
  );
}
