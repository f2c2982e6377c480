import { type Problem, problem } from "../errors/problem.js";
import {
  type CurrentResource,
  type DesiredResource,
  type FieldChange,
  ownedBy,
  type PlanAction,
  TAG_PIPELINE,
} from "./contract.js";
import { applyOrder, destroyOrder } from "./order.js";

/** What a plan is built from: the desired set and what the drivers read. */
export interface PlanInput {
  readonly pipeline: string;
  readonly region: string;
  readonly desired: readonly DesiredResource[];
  /** By desired key: the resource as it is, or undefined when it does not exist. */
  readonly current: ReadonlyMap<string, CurrentResource | undefined>;
  /** Everything tagged for this pipeline (orphans among them are deleted). */
  readonly owned: readonly CurrentResource[];
  /** The driver's comparison (empty: nothing to do). */
  readonly diff: (desired: DesiredResource, current: CurrentResource) => readonly FieldChange[];
}

export interface Plan {
  readonly pipeline: string;
  /** Creates and updates in apply order, then deletes in destroy order; unchanged and referenced last. */
  readonly actions: readonly PlanAction[];
  /** Referenced resources that do not exist, resources stepline would take over: the plan cannot be applied. */
  readonly problems: readonly Problem[];
}

const TYPE_WORDS: Record<string, string> = {
  "batch.jobQueue": "job queue",
  "batch.jobDefinition": "job definition",
  "batch.computeEnvironment": "compute environment",
  "glue.job": "Glue job",
  "lambda.function": "Lambda function",
  "iam.role": "IAM role",
  "iam.instanceProfile": "instance profile",
  "logs.logGroup": "log group",
  "sfn.stateMachine": "state machine",
  "sfn.alias": "state machine alias",
  "scheduler.schedule": "schedule",
  "events.rule": "EventBridge rule",
};

/** `job queue`, `IAM role`, … */
export function typeWords(type: string): string {
  return TYPE_WORDS[type] ?? type;
}

function usedBy(resource: DesiredResource): string {
  const steps = resource.usedBy ?? [];
  if (steps.length === 0) return "";
  return ` (used by step${steps.length === 1 ? "" : "s"} ${steps.map((s) => `'${s}'`).join(", ")})`;
}

/** The region an ARN names (a Lambda function may live in another region than the deploy). */
function regionOf(name: string): string | undefined {
  return name.startsWith("arn:") ? name.split(":")[3] || undefined : undefined;
}

function missingFix(resource: DesiredResource): string {
  switch (resource.type) {
    case "batch.jobQueue":
      return "create the job queue, point the step's `jobQueue` at an existing queue (name or ARN), or set `deploy.compute` so stepline creates and manages queues";
    case "glue.job":
      return "create the Glue job, or give the step a `scriptLocation` so stepline creates the job";
    case "lambda.function":
      return "deploy the function first (stepline only invokes it), or fix the step's `functionName` (a name, or an ARN naming its region and account)";
    default:
      return "create it first, or change the pipeline so it does not need it";
  }
}

/** Compares desired and current and lists what to do; pure. */
export function buildPlan(input: PlanInput): Plan {
  const problems: Problem[] = [];
  const changes: PlanAction[] = [];
  const quiet: PlanAction[] = [];
  for (const desired of applyOrder(input.desired)) {
    const current = input.current.get(desired.key);
    const base = { key: desired.key, type: desired.type, name: desired.name, desired };
    if (!desired.managed) {
      if (current === undefined) {
        problems.push(
          problem(
            "SL_DEPLOY_MISSING_RESOURCE",
            `${typeWords(desired.type)} '${desired.name}'${usedBy(desired)} does not exist in ${regionOf(desired.name) ?? input.region}`,
            missingFix(desired),
            { field: desired.key },
          ),
        );
      } else {
        quiet.push({ ...base, kind: "referenced", changes: [], current });
      }
      continue;
    }
    if (current === undefined) {
      changes.push({ ...base, kind: "create", changes: [] });
      continue;
    }
    if (!ownedBy(current.tags, input.pipeline)) {
      const owner = current.tags[TAG_PIPELINE];
      problems.push(
        problem(
          "SL_DEPLOY_NOT_OWNED",
          `${typeWords(desired.type)} '${desired.name}' already exists and ${owner === undefined ? "was not created by stepline" : `belongs to pipeline '${owner}'`}: stepline never changes what it does not own`,
          desired.type === "iam.role"
            ? "delete or rename that role, or pass it as `deploy.roles` so stepline uses it as is"
            : `delete or rename the existing ${typeWords(desired.type)}, or rename the pipeline`,
          { field: desired.key },
        ),
      );
      continue;
    }
    const diff = input.diff(desired, current);
    if (diff.length === 0) quiet.push({ ...base, kind: "unchanged", changes: [], current });
    else changes.push({ ...base, kind: "update", changes: diff, current });
  }
  const wanted = new Set(input.desired.map((d) => d.key));
  const orphans = input.owned.filter((c) => !wanted.has(c.key) && ownedBy(c.tags, input.pipeline));
  return { pipeline: input.pipeline, actions: [...changes, ...deleteActions(orphans), ...quiet], problems };
}

/** A delete action for each of `owned`, in destroy order (schedules first, roles last). */
export function deleteActions(owned: readonly CurrentResource[]): PlanAction[] {
  return destroyOrder(owned).map((current) => ({
    kind: "delete",
    key: current.key,
    type: current.type,
    name: current.name,
    changes: [],
    current,
  }));
}

/** Creates, updates and deletes in the plan. */
export function pendingActions(plan: Plan): PlanAction[] {
  return plan.actions.filter((a) => a.kind === "create" || a.kind === "update" || a.kind === "delete");
}
