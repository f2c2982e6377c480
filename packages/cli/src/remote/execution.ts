import type { HistoryEvent } from "@stepline/core";
import type { AwsContext } from "@stepline/runners/deploy";
import { guarded } from "../deploy/connect.js";
import { remoteError } from "./errors.js";

/** DescribeExecution, with dates as ISO strings. */
export interface ExecutionInfo {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: string;
  readonly startDate: string;
  readonly stopDate?: string;
  readonly input?: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export async function describeExecution(aws: AwsContext, executionArn: string): Promise<ExecutionInfo> {
  const sfn = await aws.client("sfn");
  const { DescribeExecutionCommand } = await aws.sdk("sfn");
  const d = await guarded(aws, `reading execution ${executionArn}`, () =>
    sfn.send(new DescribeExecutionCommand({ executionArn })).catch(async (error: unknown) => {
      const { isError } = await import("@stepline/runners/deploy");
      if (isError(error, "ExecutionDoesNotExist", "InvalidArn")) {
        throw await remoteError(
          "SL_REMOTE_NO_EXECUTION",
          `No execution ${executionArn} in ${aws.region}.`,
          "List the pipeline's executions with `stepline executions <pipeline>`; check --region and the account.",
        );
      }
      throw error;
    }),
  );
  return {
    executionArn: d.executionArn ?? executionArn,
    stateMachineArn: d.stateMachineArn ?? "",
    name: d.name ?? "",
    status: d.status ?? "RUNNING",
    startDate: (d.startDate ?? new Date()).toISOString(),
    ...(d.stopDate === undefined ? {} : { stopDate: d.stopDate.toISOString() }),
    ...(d.input === undefined ? {} : { input: d.input }),
    ...(d.output === undefined ? {} : { output: d.output }),
    ...(d.error === undefined ? {} : { error: d.error }),
    ...(d.cause === undefined ? {} : { cause: d.cause }),
  };
}

/** The whole history, oldest first (GetExecutionHistory pages of 1,000; ≤ 25,000 events). */
export async function executionHistory(aws: AwsContext, executionArn: string): Promise<HistoryEvent[]> {
  const sfn = await aws.client("sfn");
  const { GetExecutionHistoryCommand } = await aws.sdk("sfn");
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await guarded(aws, `reading the history of ${executionArn}`, () =>
      sfn.send(
        new GetExecutionHistoryCommand({
          executionArn,
          maxResults: 1000,
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      ),
    );
    for (const e of page.events ?? []) {
      const { timestamp, id, previousEventId, type, ...rest } = e;
      events.push({
        ...rest,
        id: id ?? events.length + 1,
        previousEventId: previousEventId ?? 0,
        timestamp: (timestamp ?? new Date(0)).toISOString(),
        type: type ?? "Unknown",
      });
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined && nextToken !== "");
  return events.sort((a, b) => a.id - b.id);
}
