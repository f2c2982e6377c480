import type { PlanAction } from "@stepline/core";
import type { AwsContext } from "@stepline/runners/deploy";
import { readOwned } from "./plan.js";

/**
 * What destroy removes: exactly the resources tagged
 * `stepline:pipeline=<pipeline>` (schedules: named and described by
 * stepline), schedule first, roles last.
 */
export async function destroyActions(aws: AwsContext, pipeline: string): Promise<PlanAction[]> {
  const { deleteActions } = await import("@stepline/core");
  return deleteActions(await readOwned(aws, pipeline));
}
