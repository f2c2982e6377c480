import type { QueryLanguage, StateJson, StateMachineJson } from "../asl/types.js";
import { internalError, type Problem, problem, SteplineError } from "../errors/problem.js";
import { transitiveReduction } from "../graph/dag.js";
import type { MapStepModel, PipelineModel, StepModel, TaskStepModel } from "../model/pipeline.js";
import { isTaskStep } from "../model/pipeline.js";
import { type Analysis, analyze } from "../validate/analyze.js";
import { checkPipeline, checkStep } from "../validate/policies.js";
import { type CompileContext, type ScopeContext, summarise } from "./context.js";
import { chain, close, type Fragment, single } from "./fragment.js";
import { renderInit } from "./init.js";
import type { IamStatement, Integration, IntegrationContext, ResourceSpec } from "./integration.js";
import { checkDefinitionSize, checkHistory, checkStateNames, definitionBytes } from "./limits.js";
import { normaliseMachine } from "./normalise.js";
import type { CompileOptions, CompileReport, CompileResult, JobGraph, JobGraphEdge, JobGraphNode } from "./result.js";
import { checkSchedule } from "./schedule-check.js";
import { renderScheduleStart } from "./schedule-states.js";
import { compileSchedule, overlapStatements } from "./schedule-target.js";
import { renderScope } from "./scope.js";
import { failState, renderHandler } from "./task.js";

/**
 * Compiles a pipeline model to an AWS Step Functions state machine, with the
 * manifest deploy needs. Pure: no I/O; throws a SteplineError carrying every
 * problem when the pipeline is invalid.
 */
export function compile(model: PipelineModel, options: CompileOptions): CompileResult {
  const { result, problems } = compileCollecting(model, options);
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0 || !result) throw new SteplineError(errors.length > 0 ? errors : problems);
  return result;
}

/** Every problem of a pipeline, errors and warnings; never throws for user mistakes. */
export function validatePipeline(model: PipelineModel, options: CompileOptions): Problem[] {
  return compileCollecting(model, options).problems;
}

function located(problems: readonly Problem[], file: string | undefined): Problem[] {
  return file === undefined ? [...problems] : problems.map((p) => ({ file, ...p }));
}

function allSteps(list: readonly StepModel[], out: StepModel[] = []): StepModel[] {
  for (const step of list) {
    out.push(step);
    if (step.kind === "map") allSteps(step.steps, out);
    if (step.kind === "choice") allSteps([...step.then, ...step.otherwise], out);
  }
  return out;
}

function integrationOf(options: CompileOptions, step: TaskStepModel): Integration<TaskStepModel> {
  return options.integrations[step.kind] as Integration<TaskStepModel>;
}

function compileCollecting(
  model: PipelineModel,
  options: CompileOptions,
): { result?: CompileResult; problems: Problem[] } {
  const language: QueryLanguage = options.queryLanguage ?? "JSONPath";
  const analysis = analyze(model);
  const problems: Problem[] = [...analysis.problems, ...checkPipeline(model)];
  const integrationContext: IntegrationContext = { pipeline: model, defaults: model.defaults };
  const steps = allSteps(model.steps);
  if (steps.length === 0) {
    problems.push(
      problem("SL_PIPELINE_EMPTY", `pipeline '${model.name}' has no steps`, "return at least one step from `steps`", {
        field: "steps",
      }),
    );
  }
  const tasks = [...steps.filter(isTaskStep), ...analysis.handlers];
  problems.push(...checkSchedule(model));
  for (const step of steps) problems.push(...checkStep(step));
  for (const step of tasks) {
    if (!isTaskStep(step) || step !== analysis.steps.get(step.name)?.step) {
      if (!analysis.handlers.includes(step)) continue;
    }
    problems.push(...integrationOf(options, step).validate(step, integrationContext));
  }
  if (problems.some((p) => p.severity === "error")) return { problems: located(problems, options.file) };

  const ctx: CompileContext = {
    model,
    language,
    analysis,
    integrations: options.integrations,
    integrationContext,
    summaries: [],
    addedWaits: [],
    parallelCount: 0,
  };
  let stateMachine: StateMachineJson;
  try {
    stateMachine = render(ctx);
  } catch (error) {
    if (error instanceof SteplineError) return { problems: located([...problems, ...error.problems], options.file) };
    throw error;
  }
  const bytes = definitionBytes(stateMachine);
  const maps = new Map(steps.filter((s): s is MapStepModel => s.kind === "map").map((s) => [s.name, s]));
  problems.push(
    ...checkStateNames(stateMachine),
    ...checkDefinitionSize(bytes, steps.length),
    ...checkHistory(stateMachine, maps),
  );

  const statements = mergeStatements([
    ...tasks.flatMap((step) => integrationOf(options, step).iam(step, integrationContext)),
    ...distributedMapStatements(model, [...maps.values()]),
    ...overlapStatements(model.name, model.schedule),
  ]);
  const report: CompileReport = {
    pipeline: model.name,
    queryLanguage: language,
    stepCount: steps.length,
    states: ctx.summaries,
    addedWaits: ctx.addedWaits,
    iamActions: [...new Set(statements.flatMap((s) => s.Action))].sort(),
    warnings: located(
      problems.filter((p) => p.severity === "warning"),
      options.file,
    ),
    definitionBytes: bytes,
  };
  let graph: JobGraph | undefined;
  const result: CompileResult = {
    stateMachine,
    report,
    // Computed on first use: `compile` alone does not need it, and for large graphs with
    // many added waits it is the largest part of the result.
    get graph(): JobGraph {
      graph ??= jobGraph(analysis, ctx);
      return graph;
    },
    manifest: {
      pipeline: model.name,
      ...(model.description !== undefined ? { description: model.description } : {}),
      tags: model.tags,
      queryLanguage: language,
      input: model.input,
      resources: mergeResources(
        tasks.flatMap((step) => integrationOf(options, step).resources(step, integrationContext)),
      ),
      iam: { stateMachineRole: { statements } },
      ...(model.schedule !== undefined ? { schedule: compileSchedule(model.name, model.schedule) } : {}),
      report,
    },
  };
  return { result, problems: located(problems, options.file) };
}

function render(ctx: CompileContext): StateMachineJson {
  const top = ctx.analysis.scopes[0];
  if (!top) throw internalError("no pipeline scope");
  const scope: ScopeContext = {
    scope: top,
    expressions: { language: ctx.language, inputVariable: ctx.language === "JSONata" },
    carried: ["input", "steps"],
  };
  const start = renderScheduleStart(ctx);
  const init = start ? chain([start, renderInit(ctx)]) : renderInit(ctx);
  const body = renderScope(ctx, scope) as Fragment;
  const handler = ctx.model.defaults.onFailure?.action === "handler" ? ctx.model.defaults.onFailure.handler : undefined;
  const main = handler ? wrapWithHandler(ctx, scope, body, handler) : body;
  const closed = close(chain([init, main]), (owner) => {
    const state: StateJson = { Type: "Pass", Comment: `${owner} failed; the run goes on` };
    summarise(ctx, `${owner}.Continue`, state, owner);
    return state;
  });
  return normaliseMachine({
    Comment: ctx.model.description ?? `stepline pipeline ${ctx.model.name}`,
    ...(ctx.language === "JSONata" ? { QueryLanguage: "JSONata" as const } : {}),
    StartAt: closed.startAt,
    States: closed.states,
  });
}

/** Runs the pipeline inside one Parallel so that any failure runs the pipeline's handler once. */
function wrapWithHandler(ctx: CompileContext, scope: ScopeContext, body: Fragment, handler: TaskStepModel): Fragment {
  const closed = close(body, (owner) => ({ Type: "Pass", Comment: `${owner} failed; the run goes on` }));
  const name = "Pipeline";
  const failed = "Pipeline.Failed";
  const jsonPath = ctx.language === "JSONPath";
  const state: StateJson = {
    Type: "Parallel",
    Comment: `runs the pipeline; on failure runs ${handler.name}, then fails with the original error`,
    Branches: [{ StartAt: closed.startAt, States: closed.states }],
    ...(jsonPath ? { OutputPath: "$[0]" } : { Output: "{% $states.result[0] %}" }),
    Catch: [
      jsonPath
        ? { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: handler.name }
        : {
            ErrorEquals: ["States.ALL"],
            Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}',
            Next: handler.name,
          },
    ],
  };
  summarise(ctx, name, state, undefined, "wraps the pipeline for its failure handler");
  const handlerFragment = renderHandler(ctx, scope, handler, failed);
  const fail = failState(ctx, "the pipeline failed; its handler has run");
  summarise(ctx, failed, fail);
  const wrapper = single(name, state);
  return { start: name, states: [...wrapper.states, ...handlerFragment.states, [failed, fail]], ends: wrapper.ends };
}

function mergeStatements(statements: readonly IamStatement[]): IamStatement[] {
  const bySid = new Map<string, { actions: Set<string>; resources: Set<string> }>();
  for (const statement of statements) {
    const sid = statement.Sid ?? statement.Action.join(",");
    const entry = bySid.get(sid) ?? { actions: new Set(), resources: new Set() };
    for (const action of statement.Action) entry.actions.add(action);
    for (const resource of statement.Resource) entry.resources.add(resource);
    bySid.set(sid, entry);
  }
  return [...bySid.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sid, entry]) => ({
      Sid: sid,
      Effect: "Allow" as const,
      Action: [...entry.actions].sort(),
      Resource: [...entry.resources].sort(),
    }));
}

function distributedMapStatements(model: PipelineModel, maps: readonly MapStepModel[]): IamStatement[] {
  if (!maps.some((m) => m.mode === "distributed")) return [];
  const base = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}";
  return [
    {
      Sid: "DistributedMapStart",
      Effect: "Allow",
      Action: ["states:StartExecution"],
      Resource: [`${base}:stateMachine:${model.name}`],
    },
    {
      Sid: "DistributedMapChildren",
      Effect: "Allow",
      Action: ["states:DescribeExecution", "states:StopExecution"],
      Resource: [`${base}:execution:${model.name}/*`],
    },
  ];
}

function mergeResources(resources: readonly ResourceSpec[]): ResourceSpec[] {
  const byKey = new Map<string, { resource: ResourceSpec; usedBy: Set<string> }>();
  for (const resource of resources) {
    const key = `${resource.type}\u0000${resource.name}`;
    const existing = byKey.get(key);
    if (existing) for (const step of resource.usedBy) existing.usedBy.add(step);
    else byKey.set(key, { resource, usedBy: new Set(resource.usedBy) });
  }
  return [...byKey.values()]
    .map(({ resource, usedBy }) => ({ ...resource, usedBy: [...usedBy].sort() }))
    .sort((a, b) => (a.type === b.type ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.type < b.type ? -1 : 1));
}

function jobGraph(analysis: Analysis, ctx: CompileContext): JobGraph {
  const nodes: JobGraphNode[] = [];
  const edges: JobGraphEdge[] = [];
  for (const scope of analysis.scopes) {
    const members = scope.steps.filter((s) => analysis.steps.get(s.name)?.step === s);
    for (const step of members) {
      nodes.push({
        name: step.name,
        kind: step.kind,
        ...(scope.owner !== undefined ? { parent: scope.owner } : {}),
        ...(scope.branch !== undefined ? { branch: scope.branch } : {}),
      });
    }
    const names = members.map((s) => s.name);
    const raw: [string, string][] = [];
    for (const [waiter, targets] of scope.deps) for (const target of targets.keys()) raw.push([target, waiter]);
    const reduced = transitiveReduction({ nodes: names, edges: raw });
    for (const [from, to] of reduced.edges) {
      const kind = scope.deps.get(to)?.get(from) ?? "explicit";
      edges.push({ from, to, kind });
    }
    const owner = scope.owner ?? "pipeline";
    const inScope = new Set(names);
    for (const wait of ctx.addedWaits) {
      if (wait.scope !== owner || !inScope.has(wait.waiter)) continue;
      for (const from of wait.waitsFor) edges.push({ from, to: wait.waiter, kind: "added" });
    }
  }
  return { nodes, edges };
}
