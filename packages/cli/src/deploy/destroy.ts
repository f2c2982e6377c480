import type { PlanAction } from "@stepline/core";
import type { AwsContext } from "@stepline/runners/deploy";
import { readOwned } from "./plan.js";

/**
 * What destroy removes: exactly the resources tagged
 * `stepline:pipeline=<pipeline>` (schedules: named and described by
 * stepline), schedule first, roles last.
 */
export async function destroyActions(aws: AwsContext, pipeline: string): Promise<PlanAction[]> {
  const { destroyOrder } = await import("@stepline/core");
  const owned = await readOwned(aws, pipeline);
  return destroyOrder(owned).map((current) => ({
    kind: "delete",
    key: current.key,
    type: current.type,
    name: current.name,
    changes: [],
    current,
  }));
}
