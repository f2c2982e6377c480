/**
 * `@stepline/runners/deploy`: AWS access and the resource drivers that plan,
 * deploy and destroy use. Separate from the package's main entry so that
 * compiling never loads it; the SDK itself is imported on first use.
 */
export {
  type AwsCall,
  type AwsContext,
  type AwsIdentity,
  type AwsOptions,
  awsContext,
  CallCounter,
  type CallHook,
  checkRegion,
  partitionOf,
  type SdkModule,
  type SdkModules,
  type ServiceClients,
  type ServiceName,
  sdkModules,
} from "./aws.js";
export { KEPT_REVISIONS } from "./batch.js";
export {
  type ApplyContext,
  type DriverOutput,
  fieldsOnly,
  hashThenFields,
  onlyTagsChanged,
  type ResourceDriver,
  tagList,
  tagRecord,
  tagsWithHash,
  withoutHash,
} from "./driver.js";
export { awsError, errorName, isError, isRoleNotReady, type SdkError } from "./errors.js";
export { iamRoleDriver } from "./iam.js";
export { lambdaFunctionDriver, readFunction } from "./lambda.js";
export { logGroupDriver } from "./logs.js";
export { allDrivers, driverFor, findDriver, registerDriver } from "./registry.js";
export { eventsRuleDriver, normaliseSchedule, schedulerScheduleDriver } from "./schedule.js";
export { aliasDriver, type Rollback, rollbackAlias, stateMachineDriver } from "./sfn.js";
