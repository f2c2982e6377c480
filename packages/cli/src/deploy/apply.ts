import type { DesiredResource, PlanAction } from "@stepline/core";
import type { ApplyContext, AwsContext, DriverOutput } from "@stepline/runners/deploy";
import { guarded } from "./connect.js";

/** What happened to each pending action. */
export interface ApplyReport {
  readonly done: readonly PlanAction[];
  /** The action that failed, with the error (a stepline error naming the call). */
  readonly failed?: { readonly action: PlanAction; readonly error: Error };
  /** Not attempted because an earlier one failed. */
  readonly notDone: readonly PlanAction[];
  readonly outputs: ReadonlyMap<string, DriverOutput>;
}

export interface ApplyOptions {
  /** Called before and after each action (progress output). */
  readonly onAction?: (action: PlanAction, phase: "start" | "done") => void;
  /**
   * Waits while AWS refuses a freshly created role, in milliseconds; the
   * sum bounds the wait (IAM propagation usually takes seconds).
   * @default [1000, 2000, 4000, 8000, 10000, 10000, 10000, 10000]
   */
  readonly roleRetryDelays?: readonly number[];
  /**
   * Job definition revisions the plan pinned (name → ARN); the revisions
   * this run registers are added as they come, and the state machine and its
   * alias are pinned again before they are applied.
   */
  readonly revisions?: ReadonlyMap<string, string>;
}

const ROLE_RETRY_DELAYS = [1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000, 10_000];

const VERB = { create: "creating", update: "updating", delete: "deleting" } as const;

/**
 * Applies pending actions in order (the plan's order: creates and updates
 * by dependency, then deletes in reverse). Stops at the first failure and
 * says what was done and what was not; every driver converges from any
 * partial state, so the next deploy finishes the job.
 */
export async function applyActions(
  aws: AwsContext,
  pipeline: string,
  actions: readonly PlanAction[],
  desired: readonly DesiredResource[],
  options: ApplyOptions = {},
): Promise<ApplyReport> {
  const core = await import("@stepline/core");
  const { driverFor, isRoleNotReady } = await import("@stepline/runners/deploy");
  const delays = options.roleRetryDelays ?? ROLE_RETRY_DELAYS;
  const outputs = new Map<string, DriverOutput>();
  const revisions = new Map(options.revisions);
  const desiredByKey = new Map(desired.map((d) => [d.key, d]));
  const ctx: ApplyContext = {
    aws,
    pipeline,
    desired: desiredByKey,
    outputs,
    retryWhileRoleNotReady: async (_what, fn) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await fn();
        } catch (error) {
          const delay = delays[attempt];
          if (delay === undefined || !isRoleNotReady(error)) throw error;
          await aws.sleep(delay);
        }
      }
    },
  };
  const done: PlanAction[] = [];
  for (const [index, planned] of actions.entries()) {
    if (planned.kind !== "create" && planned.kind !== "update" && planned.kind !== "delete") continue;
    let action: PlanAction & { kind: "create" | "update" | "delete" } = { ...planned, kind: planned.kind };
    if ((action.type === "sfn.stateMachine" || action.type === "sfn.alias") && action.kind !== "delete") {
      // Pin the revisions registered so far in this run.
      for (const d of core.pinJobDefinitions([...desiredByKey.values()], revisions)) desiredByKey.set(d.key, d);
      const pinned = desiredByKey.get(action.key);
      if (pinned !== undefined) action = { ...action, desired: pinned };
    }
    options.onAction?.(action, "start");
    const driver = driverFor(action.type);
    const doing = `${VERB[action.kind]} ${core.typeWords(action.type)} '${action.name}'`;
    try {
      const output = await guarded(aws, doing, async () => {
        if (action.kind === "create" && action.desired) return driver.create(ctx, action.desired);
        if (action.kind === "update" && action.desired && action.current)
          return driver.update(ctx, action.desired, action.current, action.changes);
        if (action.kind === "delete" && action.current) {
          await driver.delete(ctx, action.current);
          return undefined;
        }
        throw core.internalError(`plan action ${action.kind} ${action.key} lacks its resource`);
      });
      if (output !== undefined) outputs.set(action.key, output);
      if (action.type === "batch.jobDefinition" && output?.arn !== undefined) revisions.set(action.name, output.arn);
      done.push(action);
      options.onAction?.(action, "done");
    } catch (error) {
      const rest = actions
        .slice(index + 1)
        .filter((a) => a.kind === "create" || a.kind === "update" || a.kind === "delete");
      return {
        done,
        failed: { action, error: error instanceof Error ? error : new Error(String(error)) },
        notDone: rest,
        outputs,
      };
    }
  }
  return { done, notDone: [], outputs };
}
