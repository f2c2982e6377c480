import type { StateJson } from "../asl/types.js";
import { internalError } from "../errors/problem.js";
import type { ChoiceStepModel, ConditionModel, MapStepModel } from "../model/pipeline.js";
import type { Scope } from "../validate/analyze.js";
import { type CompileContext, jsonataSetStep, type ScopeContext, stepResultPath, summarise } from "./context.js";
import { type ExpressionScope, matchesToJsonataRegex, refToJsonata, refToJsonPath } from "./expressions.js";
import { chain, type Fragment, type OpenEnd, single } from "./fragment.js";
import { closeBranch, renderScope } from "./scope.js";
import { effectivePolicy, failureSink, userRetrier } from "./task.js";

/** Fan-outs (Map states) and conditions (Choice states). */

function scopeOf(ctx: CompileContext, id: string): Scope {
  const scope = ctx.analysis.scopes.find((s) => s.id === id);
  if (!scope) throw internalError(`no scope '${id}'`);
  return scope;
}

function withCatch(
  ctx: CompileContext,
  scope: ScopeContext,
  name: string,
  state: StateJson,
  step: MapStepModel,
): Fragment {
  const policy = effectivePolicy(ctx, step);
  if (policy.action === "fail") return single(name, state);
  const sink = failureSink(ctx, scope, name, policy);
  state.Catch = [
    ctx.language === "JSONPath"
      ? { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: sink.entry }
      : {
          ErrorEquals: ["States.ALL"],
          Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}',
          Next: sink.entry,
        },
  ];
  return { start: name, states: [[name, state], ...sink.states], ends: [{ type: "state", state }, ...sink.ends] };
}

export function renderMap(ctx: CompileContext, scope: ScopeContext, step: MapStepModel): Fragment {
  const distributed = step.mode === "distributed";
  const bodyScope: ScopeContext = {
    scope: scopeOf(ctx, step.name),
    expressions: {
      language: ctx.language,
      inputVariable: ctx.language === "JSONata" && !distributed && scope.expressions.inputVariable,
    },
    carried: ["input", "steps", "item", "index"],
  };
  const body = renderScope(ctx, bodyScope);
  const doneName = `${step.name}.ItemDone`;
  const done: StateJson =
    ctx.language === "JSONPath"
      ? { Type: "Pass", Comment: "keep the Map result small: one empty object per item", Result: {} }
      : { Type: "Pass", Comment: "keep the Map result small: one empty object per item", Output: {} };
  summarise(ctx, doneName, done, step.name);
  const processor = closeBranch(ctx, body ? chain([body, single(doneName, done)]) : single(doneName, done));
  const retry = userRetrier(step.retry ?? ctx.model.defaults.retry);
  const state: StateJson = {
    Type: "Map",
    Comment: `fan-out over ${refText(step.items.$ref)}, ${step.maxConcurrency === 0 ? "unbounded" : `at most ${step.maxConcurrency}`} at a time`,
    ...(ctx.language === "JSONPath"
      ? {
          ItemsPath: refToJsonPath(step.items.$ref),
          ItemSelector: {
            "input.$": "$.input",
            "steps.$": "$.steps",
            "item.$": "$$.Map.Item.Value",
            "index.$": "$$.Map.Item.Index",
          },
        }
      : {
          Items: `{% ${refToJsonata(step.items.$ref, scope.expressions)} %}`,
          ItemSelector: {
            input: scope.expressions.inputVariable ? "{% $input %}" : "{% $states.input.input %}",
            steps: "{% $states.input.steps %}",
            item: "{% $states.context.Map.Item.Value %}",
            index: "{% $states.context.Map.Item.Index %}",
          },
        }),
    MaxConcurrency: step.maxConcurrency,
    ItemProcessor: {
      ProcessorConfig: distributed ? { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } : { Mode: "INLINE" },
      ...processor,
    },
    ...(distributed ? { Label: step.name.replace(/[^A-Za-z0-9_]/g, "").slice(0, 40) || "FanOut" } : {}),
    ...(ctx.language === "JSONPath"
      ? { ResultSelector: { "Count.$": "States.ArrayLength($)" }, ResultPath: stepResultPath(step.name) }
      : { Output: jsonataSetStep(step.name, '{"Count": $count($states.result)}') }),
    ...(step.timeoutSeconds !== undefined ? { TimeoutSeconds: step.timeoutSeconds } : {}),
    ...(retry.length > 0 && step.retry ? { Retry: retry } : {}),
  };
  summarise(ctx, step.name, state, step.name, `fan-out (${step.mode})`);
  return withCatch(ctx, scope, step.name, state, step);
}

function refText(ref: { source: string; step?: string; path: readonly string[] }): string {
  return [ref.source === "step" ? `steps.${ref.step}` : ref.source, ...ref.path].join(".");
}

/** A Choice rule (JSONPath) for a condition. */
export function jsonPathRule(condition: ConditionModel): Record<string, unknown> {
  switch (condition.op) {
    case "and":
      return { And: condition.conditions.map(jsonPathRule) };
    case "or":
      return { Or: condition.conditions.map(jsonPathRule) };
    case "not":
      return { Not: jsonPathRule(condition.condition) };
    case "present":
      return { Variable: refToJsonPath(condition.left), IsPresent: true };
    case "absent":
      return { Variable: refToJsonPath(condition.left), IsPresent: false };
    case "isTrue":
      return { Variable: refToJsonPath(condition.left), BooleanEquals: true };
    case "isFalse":
      return { Variable: refToJsonPath(condition.left), BooleanEquals: false };
    case "matches":
      return { Variable: refToJsonPath(condition.left), StringMatches: condition.right };
    case "ne":
      return { Not: jsonPathRule({ ...condition, op: "eq" }) };
    default: {
      const type =
        typeof condition.right === "number" ? "Numeric" : typeof condition.right === "boolean" ? "Boolean" : "String";
      const operator = {
        eq: "Equals",
        lt: "LessThan",
        le: "LessThanEquals",
        gt: "GreaterThan",
        ge: "GreaterThanEquals",
      }[condition.op];
      return { Variable: refToJsonPath(condition.left), [`${type}${operator}`]: condition.right };
    }
  }
}

/** A JSONata boolean expression for a condition. */
export function jsonataCondition(condition: ConditionModel, scope: ExpressionScope): string {
  switch (condition.op) {
    case "and":
    case "or":
      return condition.conditions.map((c) => `(${jsonataCondition(c, scope)})`).join(` ${condition.op} `);
    case "not":
      return `$not(${jsonataCondition(condition.condition, scope)})`;
    case "present":
      return `$exists(${refToJsonata(condition.left, scope)})`;
    case "absent":
      return `$not($exists(${refToJsonata(condition.left, scope)}))`;
    case "isTrue":
      return `${refToJsonata(condition.left, scope)} = true`;
    case "isFalse":
      return `${refToJsonata(condition.left, scope)} = false`;
    case "matches":
      return `$contains(${refToJsonata(condition.left, scope)}, ${matchesToJsonataRegex(condition.right)})`;
    default: {
      const operator = { eq: "=", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=" }[condition.op];
      return `${refToJsonata(condition.left, scope)} ${operator} ${JSON.stringify(condition.right)}`;
    }
  }
}

export function renderChoice(ctx: CompileContext, scope: ScopeContext, step: ChoiceStepModel): Fragment {
  const branches = (["then", "otherwise"] as const).map((branch) => {
    const marker = `${step.name}.${branch === "then" ? "Then" : "Otherwise"}`;
    const value = { Branch: branch };
    const state: StateJson =
      ctx.language === "JSONPath"
        ? {
            Type: "Pass",
            Comment: `${step.name} took the '${branch}' branch`,
            Result: value,
            ResultPath: stepResultPath(step.name),
          }
        : {
            Type: "Pass",
            Comment: `${step.name} took the '${branch}' branch`,
            Output: jsonataSetStep(step.name, JSON.stringify(value)),
          };
    summarise(ctx, marker, state, step.name);
    const inner = renderScope(ctx, { ...scope, scope: scopeOf(ctx, `${step.name}.${branch}`) });
    return inner ? chain([single(marker, state), inner]) : single(marker, state);
  });
  const [then, otherwise] = branches as [Fragment, Fragment];
  const choice: StateJson = {
    Type: "Choice",
    Comment: step.description ?? `choose between the 'then' and 'otherwise' branches of ${step.name}`,
    Choices: [
      ctx.language === "JSONPath"
        ? { ...jsonPathRule(step.condition), Next: then.start }
        : { Condition: `{% ${jsonataCondition(step.condition, scope.expressions)} %}`, Next: then.start },
    ],
    Default: otherwise.start,
  };
  summarise(ctx, step.name, choice, step.name, "condition");
  const ends: OpenEnd[] = [...then.ends, ...otherwise.ends];
  return { start: step.name, states: [[step.name, choice], ...then.states, ...otherwise.states], ends };
}
