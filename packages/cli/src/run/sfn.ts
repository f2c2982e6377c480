import type { HandlerRegistration } from "@stepline/core";
import { listRuns, runProcessAlive } from "./store.js";

/** The Step Functions SDK integration a schedule's overlap guard calls. */
export const LIST_EXECUTIONS = "arn:aws:states:::aws-sdk:sfn:listExecutions";

/**
 * Local stand-ins for Step Functions API calls made from inside a state
 * machine, answered from the runs under `.stepline/runs/`: a run is RUNNING
 * while its process is alive (an interrupted run is not running any more).
 * ARNs have the engine's shape (`arn:aws:states:local:123456789012:…`).
 */
export function runStoreHandlers(cwd: string): HandlerRegistration[] {
  return [
    {
      resource: LIST_EXECUTIONS,
      handler: async (input) => {
        const args = (input ?? {}) as { StateMachineArn?: unknown; StatusFilter?: unknown; MaxResults?: unknown };
        const arn = typeof args.StateMachineArn === "string" ? args.StateMachineArn : "";
        const parts = arn.split(":");
        const name = parts[6];
        const prefix = parts.slice(0, 4).join(":");
        const account = parts[4];
        const max = typeof args.MaxResults === "number" && args.MaxResults > 0 ? args.MaxResults : 100;
        const executions = listRuns(cwd)
          .filter((run) => run.pipeline === name)
          .map((run) => {
            const alive = run.pid === process.pid || runProcessAlive(run.pid);
            const status = run.status === "RUNNING" && !alive ? "ABORTED" : run.status;
            return {
              ExecutionArn: `${prefix}:${account}:execution:${name}:${run.id}`,
              StateMachineArn: arn,
              Name: run.id,
              Status: status,
              StartDate: run.started,
              ...(run.finished === undefined ? {} : { StopDate: run.finished }),
            };
          })
          .filter((e) => args.StatusFilter === undefined || e.Status === args.StatusFilter)
          .slice(0, max);
        return { Executions: executions };
      },
    },
  ];
}
