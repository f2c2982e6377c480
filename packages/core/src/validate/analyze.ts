import { type Problem, problem } from "../errors/problem.js";
import { findCycle } from "../graph/dag.js";
import type { ConditionModel, PipelineModel, StepModel, TaskStepModel } from "../model/pipeline.js";
import { childGraphs, isTaskStep } from "../model/pipeline.js";
import { collectRefs, describeRef, type RefTarget, type ValueModel } from "../model/value.js";

/**
 * Resolves the job graph of a pipeline: which steps live in which sub-graph
 * (the pipeline, a fan-out body, a choice branch), and the dependencies
 * between siblings, explicit (`after`) or inferred from references. A
 * dependency on a step of an outer sub-graph is lifted to the enclosing
 * fan-out or choice, so each sub-graph is a DAG of its own.
 */

export type Branch = "body" | "then" | "otherwise";

export interface Scope {
  /** `pipeline`, or `<step>` for a fan-out body, `<step>.then` / `<step>.otherwise` for a choice. */
  readonly id: string;
  readonly owner?: string;
  readonly branch?: Branch;
  readonly steps: readonly StepModel[];
  /** step → the siblings it depends on, with how the dependency was declared. */
  readonly deps: ReadonlyMap<string, ReadonlyMap<string, "explicit" | "reference">>;
  /** Inside a fan-out body (at any depth). */
  readonly inFanOut: boolean;
  /** Inside a distributed fan-out body (at any depth). */
  readonly inDistributed: boolean;
}

interface StepInfo {
  readonly step: StepModel;
  /** Chain of enclosing scopes, outermost first. */
  readonly scopes: readonly Scope[];
}

export interface Analysis {
  readonly scopes: readonly Scope[];
  readonly steps: ReadonlyMap<string, StepInfo>;
  /** Failure handlers (not part of the job graph). */
  readonly handlers: readonly TaskStepModel[];
  readonly problems: readonly Problem[];
}

const NAME = /^[A-Za-z0-9_-]+$/;
const MAX_NAME = 80;

function checkName(name: string, kind: "step" | "pipeline", problems: Problem[], where: { step?: string }): boolean {
  if (typeof name !== "string" || name.length === 0) {
    problems.push(
      problem("SL_NAME_INVALID", `the ${kind} has no name`, `give the ${kind} a name`, { ...where, field: "name" }),
    );
    return false;
  }
  if (name.length > MAX_NAME) {
    problems.push(
      problem(
        "SL_NAME_TOO_LONG",
        `${kind} name '${name}' is ${name.length} characters long; Step Functions allows at most ${MAX_NAME}`,
        `shorten it to ${MAX_NAME} characters or fewer`,
        { ...where, field: "name" },
      ),
    );
    return false;
  }
  if (!NAME.test(name)) {
    const bad = [...new Set(name.replace(/[A-Za-z0-9_-]/g, ""))].map((c) => JSON.stringify(c)).join(", ");
    problems.push(
      problem(
        "SL_NAME_INVALID",
        `${kind} name '${name}' contains ${bad}; names may hold only letters, digits, '-' and '_'`,
        `rename it, e.g. '${name.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, MAX_NAME)}'`,
        { ...where, field: "name" },
      ),
    );
    return false;
  }
  return true;
}

/** References a step makes, with the field they appear in. */
function stepRefs(step: StepModel): { ref: RefTarget; field: string }[] {
  const out: { ref: RefTarget; field: string }[] = [];
  const add = (value: ValueModel | undefined, field: string) => {
    if (value === undefined) return;
    for (const ref of collectRefs(value)) out.push({ ref, field });
  };
  switch (step.kind) {
    case "batch":
      step.command.forEach((arg, i) => {
        add(arg, `command[${i}]`);
      });
      for (const [key, value] of Object.entries(step.environment)) add(value, `environment.${key}`);
      break;
    case "glue":
      for (const [key, value] of Object.entries(step.arguments)) add(value, `arguments.${key}`);
      break;
    case "lambda":
      add(step.payload, "payload");
      break;
    case "map":
      out.push({ ref: step.items.$ref, field: "items" });
      break;
    case "choice":
      for (const ref of conditionRefs(step.condition)) out.push({ ref, field: "condition" });
      break;
  }
  // A local override may use run-time values too: it must run after what it reads.
  step.local?.command?.forEach((arg, i) => {
    add(arg, `local.command[${i}]`);
  });
  for (const [key, value] of Object.entries(step.local?.environment ?? {})) add(value, `local.environment.${key}`);
  return out;
}

export function conditionRefs(condition: ConditionModel): RefTarget[] {
  switch (condition.op) {
    case "and":
    case "or":
      return condition.conditions.flatMap(conditionRefs);
    case "not":
      return conditionRefs(condition.condition);
    default:
      return [condition.left];
  }
}

function failureHandler(step: { readonly onFailure?: StepModel["onFailure"] }): TaskStepModel | undefined {
  return step.onFailure?.action === "handler" ? step.onFailure.handler : undefined;
}

/** Analyses the pipeline's graph; collects every problem instead of stopping at the first. */
export function analyze(model: PipelineModel): Analysis {
  const problems: Problem[] = [];
  checkName(model.name, "pipeline", problems, {});

  const steps = new Map<string, StepInfo>();
  const handlers: TaskStepModel[] = [];
  const scopes: Scope[] = [];
  const seen = new Map<string, string>();

  const register = (step: StepModel, where: string): boolean => {
    const ok = checkName(step.name, "step", problems, { step: step.name });
    const previous = seen.get(step.name);
    if (previous !== undefined) {
      problems.push(
        problem(
          "SL_NAME_DUPLICATE",
          `step name '${step.name}' is used twice: ${previous} and ${where}`,
          "give each step, failure handler included, a unique name: it becomes a state name",
          { step: step.name, field: "name" },
        ),
      );
      return false;
    }
    seen.set(step.name, where);
    return ok;
  };

  // The pipeline's failure handler wraps the run in a Parallel state named `Pipeline` (compile.ts).
  if (failureHandler(model.defaults)) seen.set("Pipeline", "the state that runs the pipeline for its failure handler");

  // Pass 1: collect scopes and steps.
  const collect = (
    list: readonly StepModel[],
    chain: readonly Scope[],
    id: string,
    owner: string | undefined,
    branch: Branch | undefined,
    inFanOut: boolean,
    inDistributed: boolean,
  ): void => {
    const scope: Scope = {
      id,
      steps: list,
      deps: new Map(),
      inFanOut,
      inDistributed,
      ...(owner !== undefined ? { owner } : {}),
      ...(branch !== undefined ? { branch } : {}),
    };
    scopes.push(scope);
    const here = [...chain, scope];
    list.forEach((step, index) => {
      // The position too: two steps of one sub-graph would otherwise read "the pipeline and the pipeline".
      const position = `${branch === undefined || branch === "body" ? "steps" : branch}[${index}]`;
      const where =
        owner === undefined
          ? `the pipeline (${position})`
          : `${branch === "body" ? "fan-out" : "choice"} '${owner}' (${position})`;
      if (register(step, where)) steps.set(step.name, { step, scopes: here });
      const handler = failureHandler(step);
      if (handler && register(handler, `the failure handler of '${step.name}'`)) handlers.push(handler);
      if (step.kind === "map") {
        collect(step.steps, here, step.name, step.name, "body", true, inDistributed || step.mode === "distributed");
      } else if (step.kind === "choice") {
        collect(step.then, here, `${step.name}.then`, step.name, "then", inFanOut, inDistributed);
        collect(step.otherwise, here, `${step.name}.otherwise`, step.name, "otherwise", inFanOut, inDistributed);
      }
    });
  };
  collect(model.steps, [], "pipeline", undefined, undefined, false, false);
  const defaultHandler = failureHandler(model.defaults);
  if (defaultHandler && register(defaultHandler, "the pipeline's failure handler")) handlers.push(defaultHandler);

  const inputFields = declaredInputFields(model);

  // Pass 2: dependencies and references.
  for (const info of steps.values()) {
    const { step } = info;
    const scope = info.scopes[info.scopes.length - 1] as Scope;
    const deps = scope.deps as Map<string, Map<string, "explicit" | "reference">>;
    if (!deps.has(step.name)) deps.set(step.name, new Map());
    const addDependency = (target: string, kind: "explicit" | "reference", field: string): void => {
      const other = steps.get(target);
      if (!other) {
        const known = [...steps.keys()].filter((n) => similar(n, target));
        problems.push(
          problem(
            "SL_REF_UNKNOWN",
            `step '${step.name}' ${kind === "explicit" ? "waits for" : "references"} '${target}', which is not a step of this pipeline`,
            known.length > 0
              ? `did you mean ${known.map((n) => `'${n}'`).join(" or ")}? Otherwise add the step to the pipeline's steps`
              : "add that step to the pipeline's steps, or remove the reference",
            { step: step.name, field },
          ),
        );
        return;
      }
      lift(info, other, kind, field);
    };
    const lift = (from: StepInfo, to: StepInfo, kind: "explicit" | "reference", field: string): void => {
      // The deepest scope holding both: where the dependency becomes an edge between siblings.
      let depth = 0;
      while (depth < from.scopes.length && depth < to.scopes.length && from.scopes[depth] === to.scopes[depth]) depth++;
      const common = from.scopes[depth - 1] as Scope;
      const waiter = depth < from.scopes.length ? ((from.scopes[depth] as Scope).owner as string) : from.step.name;
      const target = depth < to.scopes.length ? ((to.scopes[depth] as Scope).owner as string) : to.step.name;
      if (depth < to.scopes.length && kind === "reference") {
        const owner = (to.scopes[depth] as Scope).owner as string;
        problems.push(
          problem(
            "SL_REF_NESTED",
            `step '${from.step.name}' references the result of '${to.step.name}', which runs inside '${owner}' and may run many times or not at all`,
            `reference '${owner}' instead (its result holds ${steps.get(owner)?.step.kind === "map" ? "Count" : "Branch"}), or move '${from.step.name}' into '${owner}'`,
            { step: from.step.name, field },
          ),
        );
        return;
      }
      if (waiter === target && waiter !== from.step.name && waiter !== to.step.name) {
        // Both sit in different branches of one choice: only one of them ever runs.
        problems.push(
          problem(
            "SL_REF_NESTED",
            `step '${from.step.name}' waits for '${to.step.name}', which runs in the other branch of '${waiter}': only one branch runs`,
            `remove the dependency, or move '${to.step.name}' before '${waiter}'`,
            { step: from.step.name, field },
          ),
        );
        return;
      }
      if (waiter === target) {
        problems.push(
          problem(
            "SL_GRAPH_CYCLE",
            `step '${from.step.name}' depends on '${to.step.name}', which ${waiter === to.step.name && from !== to ? "contains it" : "is itself"}: ${from.step.name} => ${to.step.name}`,
            from === to
              ? `remove '${to.step.name}' from its own dependencies`
              : "remove the dependency: a step inside a fan-out or choice cannot wait for its own container",
            { step: from.step.name, field },
          ),
        );
        return;
      }
      const commonDeps = common.deps as Map<string, Map<string, "explicit" | "reference">>;
      let set = commonDeps.get(waiter);
      if (!set) {
        set = new Map();
        commonDeps.set(waiter, set);
      }
      if (set.get(target) !== "explicit") set.set(target, kind);
    };

    step.after.forEach((name, i) => {
      addDependency(name, "explicit", `after[${i}]`);
    });
    for (const { ref, field } of stepRefs(step)) {
      checkRef(ref, step.name, field, scope, inputFields, problems, "step");
      if (ref.source === "step" && ref.step !== undefined) addDependency(ref.step, "reference", field);
    }
  }

  for (const handler of handlers) {
    for (const { ref, field } of stepRefs(handler))
      checkRef(ref, handler.name, field, undefined, inputFields, problems, "handler");
  }

  // Pass 3: cycles, per scope.
  for (const scope of scopes) {
    const nodes = scope.steps.filter((s) => steps.get(s.name)?.step === s).map((s) => s.name);
    const edges: [string, string][] = [];
    for (const [waiter, targets] of scope.deps) for (const target of targets.keys()) edges.push([target, waiter]);
    const cycle = findCycle({ nodes, edges });
    if (cycle) {
      problems.push(
        problem(
          "SL_GRAPH_CYCLE",
          `the steps depend on each other in a cycle: ${cycle.join(" => ")}`,
          `remove one of these dependencies (an 'after' entry or a reference to an upstream result)`,
          { step: cycle[0] as string, field: "after" },
        ),
      );
    }
  }

  for (const info of steps.values()) {
    if (!isTaskStep(info.step) && childGraphs(info.step).every((g) => g.length === 0) && info.step.kind === "map") {
      problems.push(
        problem(
          "SL_FANOUT_EMPTY",
          `fan-out '${info.step.name}' has no steps`,
          "give it at least one step to run per item",
          {
            step: info.step.name,
            field: "steps",
          },
        ),
      );
    }
  }

  return { scopes, steps, handlers, problems };
}

function declaredInputFields(model: PipelineModel): Set<string> | undefined {
  const properties = model.input.schema.properties;
  if (properties === null || typeof properties !== "object" || Array.isArray(properties)) return undefined;
  return new Set(Object.keys(properties));
}

function checkRef(
  ref: RefTarget,
  stepName: string,
  field: string,
  scope: Scope | undefined,
  inputFields: Set<string> | undefined,
  problems: Problem[],
  context: "step" | "handler",
): void {
  if ((ref.source === "item" || ref.source === "index") && !scope?.inFanOut) {
    problems.push(
      problem(
        "SL_REF_ITEM_OUTSIDE_FANOUT",
        `step '${stepName}' uses ${describeRef(ref)}, but it is not inside a fan-out`,
        "use the item only in steps created inside fanOut({ steps: ({ item }) => [...] })",
        { step: stepName, field },
      ),
    );
  }
  if (ref.source === "error" && context !== "handler") {
    problems.push(
      problem(
        "SL_REF_ERROR_OUTSIDE_HANDLER",
        `step '${stepName}' uses ${describeRef(ref)}, which exists only in a failure handler`,
        "use the error only in the payload of an onFailure handler step",
        { step: stepName, field },
      ),
    );
  }
  if (ref.source === "step" && context === "handler") {
    problems.push(
      problem(
        "SL_REF_IN_HANDLER",
        `failure handler '${stepName}' references ${describeRef(ref)}, which may not have run when the failure happened`,
        "pass the pipeline input or the error (Error, Cause) to the handler instead",
        { step: stepName, field },
      ),
    );
  }
  if (ref.source === "input" && inputFields !== undefined) {
    const head = ref.path[0];
    if (head === undefined || !inputFields.has(head)) {
      problems.push(
        problem(
          "SL_REF_INPUT_UNKNOWN",
          `step '${stepName}' references input field '${head ?? ""}', which the input schema does not declare`,
          inputFields.size > 0
            ? `use one of: ${[...inputFields].sort().join(", ")}; or add '${head ?? ""}' to the input schema`
            : `add '${head ?? ""}' to the input schema`,
          { step: stepName, field },
        ),
      );
    }
  }
}

function similar(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.includes(y) || y.includes(x) || editDistance(x, y) <= 2;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}
