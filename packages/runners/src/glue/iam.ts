import type { GlueStepModel, IamStatement, IntegrationContext } from "@stepline/core";
import { placeholderArn } from "../private/arn.js";
import { stepGlueJob } from "./naming.js";

/** The ARN of a Glue job by name. */
export function glueJobArn(jobName: string): string {
  return placeholderArn("glue", `job/${jobName}`);
}

/** Start, follow and stop runs of the step's Glue job, scoped to that job. */
export function glueIam(step: GlueStepModel, ctx: IntegrationContext): IamStatement[] {
  return [
    {
      Sid: "GlueRunJobs",
      Effect: "Allow",
      Action: ["glue:BatchStopJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:StartJobRun"],
      Resource: [glueJobArn(stepGlueJob(step, ctx.pipeline))],
    },
  ];
}
