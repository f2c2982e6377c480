import type { BatchStepModel, IamStatement, IntegrationContext } from "@stepline/core";
import { isArn, placeholderArn } from "../private/arn.js";
import { fallbackJobQueue, primaryJobQueue, stepJobDefinition } from "./naming.js";

/** The rule Step Functions creates to follow `.sync` Batch jobs. */
export const BATCH_EVENTS_RULE = placeholderArn("events", "rule/StepFunctionsGetEventsForBatchJobsRule");

/** A job queue ARN from a name (ARNs are kept as given). */
export function jobQueueArn(queue: string): string {
  return isArn(queue) ? queue : placeholderArn("batch", `job-queue/${queue}`);
}

/**
 * Job definition ARNs from a name: every revision (`name:*`) and the bare
 * name; a name with a revision (`name:3`) or an ARN is kept as given.
 */
export function jobDefinitionArns(definition: string): string[] {
  if (isArn(definition)) return [definition];
  const arn = placeholderArn("batch", `job-definition/${definition}`);
  return definition.includes(":") ? [arn] : [arn, `${arn}:*`];
}

/**
 * What the state machine role needs for a Batch step: SubmitJob on its
 * definition and queue(s); DescribeJobs and TerminateJob (job ids are known
 * only at run time, so `*`); TagResource on jobs (stepline always tags them);
 * and the managed EventBridge rule `.sync` relies on. Ids are fixed per
 * purpose: core merges statements by id, so a pipeline's Batch steps share
 * one SubmitJob statement listing every definition and queue (policy size).
 */
export function batchIam(step: BatchStepModel, ctx: IntegrationContext): IamStatement[] {
  const queues = [primaryJobQueue(step, ctx)];
  if (step.capacity === "spot-then-on-demand") queues.push(fallbackJobQueue(step, ctx));
  return [
    {
      Sid: "BatchSubmitJob",
      Effect: "Allow",
      Action: ["batch:SubmitJob"],
      Resource: [...jobDefinitionArns(stepJobDefinition(step, ctx)), ...new Set(queues.map(jobQueueArn))],
    },
    {
      Sid: "BatchDescribeTerminateJobs",
      Effect: "Allow",
      Action: ["batch:DescribeJobs", "batch:TerminateJob"],
      Resource: ["*"],
    },
    {
      Sid: "BatchTagJobs",
      Effect: "Allow",
      Action: ["batch:TagResource"],
      Resource: [placeholderArn("batch", "job/*")],
    },
    {
      Sid: "BatchJobEventsRule",
      Effect: "Allow",
      Action: ["events:DescribeRule", "events:PutRule", "events:PutTargets"],
      Resource: [BATCH_EVENTS_RULE],
    },
  ];
}
