import type { AwsIdentity } from "@stepline/runners/deploy";

/** ARNs of Step Functions resources, from the names stepline gives them. */

export function stateMachineArn(id: AwsIdentity, pipeline: string): string {
  return `arn:${id.partition}:states:${id.region}:${id.accountId}:stateMachine:${pipeline}`;
}

export function aliasArn(id: AwsIdentity, pipeline: string, alias: string): string {
  return `${stateMachineArn(id, pipeline)}:${alias}`;
}

/** The parts of `arn:<partition>:states:<region>:<account>:execution:<state machine>:<name>`. */
export interface ExecutionArn {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly stateMachine: string;
  readonly name: string;
}

export function parseExecutionArn(arn: string): ExecutionArn | undefined {
  const m = /^arn:([a-z-]+):states:([a-z0-9-]+):(\d{12}):execution:([^:]+):([^:]+)$/.exec(arn);
  if (m === null) return undefined;
  const [, partition = "", region = "", accountId = "", stateMachine = "", name = ""] = m;
  return { arn, partition, region, accountId, stateMachine, name };
}

/** Execution names: 1–80 of letters, digits, `-` and `_`; sortable by start time. */
export function executionName(now: Date = new Date(), random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(".", "");
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  return `${stamp}-${suffix}`;
}
