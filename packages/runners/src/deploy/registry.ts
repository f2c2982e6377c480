import { type DeployResourceType, internalError } from "@stepline/core";
import { batchDrivers } from "./batch.js";
import type { ResourceDriver } from "./driver.js";
import { glueDrivers } from "./glue.js";
import { iamRoleDriver } from "./iam.js";
import { lambdaFunctionDriver } from "./lambda.js";
import { logGroupDriver } from "./logs.js";
import { eventsRuleDriver, schedulerScheduleDriver } from "./schedule.js";
import { aliasDriver, stateMachineDriver } from "./sfn.js";

/**
 * Every resource driver by type. Batch and Glue drivers come from
 * `./batch.js` and `./glue.js` (their `batchDrivers` / `glueDrivers`);
 * {@link registerDriver} adds or replaces one (tests, extensions).
 */
const drivers = new Map<DeployResourceType, ResourceDriver>();
for (const driver of [
  iamRoleDriver,
  logGroupDriver,
  stateMachineDriver,
  aliasDriver,
  schedulerScheduleDriver,
  eventsRuleDriver,
  lambdaFunctionDriver,
  ...batchDrivers,
  ...glueDrivers,
]) {
  drivers.set(driver.type, driver);
}

/** Adds a driver, or replaces the one of its type. */
export function registerDriver(driver: ResourceDriver): void {
  drivers.set(driver.type, driver);
}

/** The driver of a type, or undefined. */
export function findDriver(type: DeployResourceType): ResourceDriver | undefined {
  return drivers.get(type);
}

/** The driver of a type; a missing one is a bug of stepline. */
export function driverFor(type: DeployResourceType): ResourceDriver {
  const driver = drivers.get(type);
  if (driver === undefined) throw internalError(`no deploy driver for resource type '${type}'`);
  return driver;
}

/** Every registered driver, in a stable order. */
export function allDrivers(): ResourceDriver[] {
  return [...drivers.values()].sort((a, b) => (a.type < b.type ? -1 : 1));
}
