/** @stepline/runners: how each integration renders its Task state, IAM statements and AWS resources. */
export { CAPACITY_STATUS_REASONS } from "./batch/fallback.js";
export { jobDefinitionArns, jobQueueArn } from "./batch/iam.js";
export { batchIntegration } from "./batch/integration.js";
export { batchJobName, defaultJobQueue, jobDefinitionName } from "./batch/naming.js";
export { isSecretReference } from "./batch/secrets.js";
export { BATCH_SERVICE_RETRIES, BATCH_SUBMIT_JOB_SYNC } from "./batch/task.js";
export { MAX_CONTAINER_OVERRIDES, MAX_JOB_TAGS } from "./batch/validate.js";
export { glueJobArn } from "./glue/iam.js";
export { glueIntegration } from "./glue/integration.js";
export { GLUE_JOB_TYPES, type GlueJobTypeInfo } from "./glue/job-types.js";
export { glueJobName } from "./glue/naming.js";
export { GLUE_SERVICE_RETRIES, GLUE_START_JOB_RUN_SYNC } from "./glue/task.js";
export { type FunctionReference, functionArn, parseFunctionName } from "./lambda/function-name.js";
export { lambdaIntegration } from "./lambda/integration.js";
export { LAMBDA_INVOKE, LAMBDA_SERVICE_RETRIES } from "./lambda/task.js";
export {
  type BatchMode,
  batchJob,
  batchVariables,
  detectDocker,
  type LocalBatchJob,
  type LocalRunContext,
  localHandlers,
  SPARK_MISSING_MESSAGE,
} from "./local/index.js";
export { integrations } from "./registry.js";
