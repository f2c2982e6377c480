import { computeEnvironmentDriver } from "./batch/compute-environment.js";
import { instanceProfileDriver } from "./batch/instance-profile.js";
import { inactiveRevisions, jobDefinitionDriver, KEPT_REVISIONS } from "./batch/job-definition.js";
import { jobQueueDriver } from "./batch/job-queue.js";
import type { ResourceDriver } from "./driver.js";

/**
 * The Batch drivers: job definitions (a new revision only when the content
 * hash changes), and, for `deploy.compute`, the container instances'
 * instance profile, compute environments and job queues.
 */
export const batchDrivers: ResourceDriver[] = [
  instanceProfileDriver,
  computeEnvironmentDriver,
  jobQueueDriver,
  jobDefinitionDriver,
];

export {
  computeEnvironmentDriver,
  inactiveRevisions,
  instanceProfileDriver,
  jobDefinitionDriver,
  jobQueueDriver,
  KEPT_REVISIONS,
};
