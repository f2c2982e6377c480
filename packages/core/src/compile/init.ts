import type { StateJson } from "../asl/types.js";
import type { InputModel } from "../model/pipeline.js";
import type { CompileContext } from "./context.js";
import { summarise } from "./context.js";
import type { Fragment, OpenEnd } from "./fragment.js";

/**
 * The first states of every pipeline: fail fast, naming the field, when a
 * required input is missing; apply the input schema's defaults; check the
 * types of the fields every run has; start the state document
 * `{ input, steps: {} }`. They run the same whether a run is started from the
 * console, a schedule or the CLI.
 */

const JSON_TYPE: Record<InputModel["types"][string], { jsonPath: string; jsonata: string }> = {
  string: { jsonPath: "IsString", jsonata: "string" },
  number: { jsonPath: "IsNumeric", jsonata: "number" },
  boolean: { jsonPath: "IsBoolean", jsonata: "boolean" },
  array: { jsonPath: "", jsonata: "array" },
  object: { jsonPath: "", jsonata: "object" },
};

function fieldPath(root: string, field: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? `${root}.${field}` : `${root}['${field}']`;
}

function jsonataField(root: string, field: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? `${root}.${field}` : `${root}.\`${field}\``;
}

export function renderInit(ctx: CompileContext): Fragment {
  const input = ctx.model.input;
  const jsonPath = ctx.language === "JSONPath";
  const states: [string, StateJson][] = [];
  const add = (name: string, state: StateJson) => {
    states.push([name, state]);
    summarise(ctx, name, state);
  };

  const required = [...input.required].sort();
  const checked = Object.keys(input.types)
    .filter((field) => required.includes(field) || field in input.defaults)
    // JSONPath Choice rules cannot test for arrays or objects; JSONata checks the same
    // fields so that both query languages accept and reject the same inputs.
    .filter((field) => JSON_TYPE[input.types[field] as keyof typeof JSON_TYPE].jsonPath !== "")
    .sort();
  const defaultsName = "Input.ApplyDefaults";
  const typesName = "Input.CheckTypes";

  if (required.length > 0) {
    add("Input.CheckRequired", {
      Type: "Choice",
      Comment: "fail fast when a required input field is missing",
      Choices: required.map((field) =>
        jsonPath
          ? { Variable: fieldPath("$", field), IsPresent: false, Next: `Input.Missing.${field}` }
          : {
              Condition: `{% $not($exists(${jsonataField("$states.input", field)})) %}`,
              Next: `Input.Missing.${field}`,
            },
      ),
      Default: defaultsName,
    });
    for (const field of required) {
      add(`Input.Missing.${field}`, {
        Type: "Fail",
        Error: "stepline.InputMissing",
        Cause: `required input field '${field}' is missing; start the run with {"${field}": …}`,
      });
    }
  }

  const defaults = input.defaults;
  const apply: StateJson = jsonPath
    ? {
        Type: "Pass",
        Comment: "apply the input schema's defaults and start the state document",
        Parameters: {
          "input.$": "States.JsonMerge($.defaults, $.given, false)",
          steps: {},
        },
      }
    : {
        Type: "Pass",
        Comment: "apply the input schema's defaults and start the state document",
        Assign: { input: `{% $merge([${JSON.stringify(defaults)}, $states.input]) %}` },
        Output: `{% {"input": $merge([${JSON.stringify(defaults)}, $states.input]), "steps": {}} %}`,
      };
  const hasDefaults = Object.keys(defaults).length > 0;
  if (jsonPath && !hasDefaults) apply.Parameters = { "input.$": "$", steps: {} };
  if (!jsonPath && !hasDefaults) {
    apply.Assign = { input: "{% $states.input %}" };
    apply.Output = '{% {"input": $states.input, "steps": {}} %}';
  }
  if (jsonPath && hasDefaults) {
    // Intrinsics take no object literals: a first Pass places the defaults beside the given input.
    add("Input.Defaults", {
      Type: "Pass",
      Comment: "place the input schema's defaults beside the given input",
      Parameters: { defaults, "given.$": "$" },
      Next: defaultsName,
    });
    if (required.length > 0) {
      const check = states[0]?.[1] as StateJson;
      check.Default = "Input.Defaults";
    }
  }
  add(defaultsName, apply);

  const ends: OpenEnd[] = [];
  if (checked.length > 0) {
    apply.Next = typesName;
    add(typesName, {
      Type: "Choice",
      Comment: "fail fast when an input field has the wrong type",
      Choices: checked.map((field) => {
        const type = input.types[field] as keyof typeof JSON_TYPE;
        return jsonPath
          ? {
              Not: { Variable: fieldPath("$.input", field), [JSON_TYPE[type].jsonPath]: true },
              Next: `Input.Invalid.${field}`,
            }
          : {
              Condition: `{% $type(${jsonataField("$states.input.input", field)}) != "${JSON_TYPE[type].jsonata}" %}`,
              Next: `Input.Invalid.${field}`,
            };
      }),
    });
    const choice = states[states.length - 1]?.[1] as StateJson;
    ends.push({ type: "default", state: choice });
    for (const field of checked) {
      add(`Input.Invalid.${field}`, {
        Type: "Fail",
        Error: "stepline.InputInvalid",
        Cause: `input field '${field}' must be ${input.types[field] === "array" || input.types[field] === "object" ? "an" : "a"} ${input.types[field]}`,
      });
    }
  } else ends.push({ type: "state", state: apply });

  const [first] = states;
  return { start: first?.[0] as string, states, ends };
}
