import type { StateMachineJson } from "../asl/types.js";

/** A resource a run may call: a Task's, or a Map's ItemReader/ResultWriter. */
export interface ResourceUse {
  readonly stateName: string;
  readonly resource: string;
}

/** Every resource of a definition, nested branches and processors included. */
export function resourcesOf(machine: StateMachineJson): ResourceUse[] {
  const uses: ResourceUse[] = [];
  const visit = (m: StateMachineJson | undefined): void => {
    if (!m || typeof m.States !== "object" || m.States === null) return;
    for (const [stateName, state] of Object.entries(m.States)) {
      if (state === null || typeof state !== "object") continue;
      if (state.Type === "Task" && typeof state.Resource === "string")
        uses.push({ stateName, resource: state.Resource });
      for (const field of ["ItemReader", "ResultWriter"]) {
        const resource = (state[field] as { Resource?: unknown } | undefined)?.Resource;
        if (typeof resource === "string") uses.push({ stateName, resource });
      }
      if (Array.isArray(state.Branches)) for (const b of state.Branches as StateMachineJson[]) visit(b);
      visit((state.ItemProcessor ?? state.Iterator) as StateMachineJson | undefined);
    }
  };
  visit(machine);
  return uses;
}
