import type { FieldChange, JsonValue, PlanAction } from "@stepline/core";
import type { CallCounter } from "@stepline/runners/deploy";
import type { Palette } from "../color.js";
import type { ApplyReport } from "./apply.js";

const SIGN = { create: "+", update: "~", delete: "-", unchanged: "=", referenced: "·" } as const;

function short(value: JsonValue | undefined): string {
  if (value === undefined) return "(none)";
  const text = JSON.stringify(value);
  return text.length > 72 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
}

function change(c: FieldChange): string {
  if (c.from !== undefined && c.to !== undefined && JSON.stringify(c.to).length > 72) return `${c.field} (changed)`;
  return `${c.field}: ${short(c.from)} → ${short(c.to)}`;
}

/** One line per action (`+ create  iam.role  stepline-x-sfn`), update lines followed by their fields. */
export function renderActions(
  actions: readonly PlanAction[],
  p: Palette,
  options: { unchanged?: boolean } = {},
): string[] {
  const width = Math.max(0, ...actions.map((a) => a.type.length));
  const lines: string[] = [];
  for (const a of actions) {
    if (!options.unchanged && (a.kind === "unchanged" || a.kind === "referenced")) continue;
    const color = a.kind === "create" ? p.green : a.kind === "update" ? p.yellow : a.kind === "delete" ? p.red : p.dim;
    lines.push(`  ${color(`${SIGN[a.kind]} ${a.kind.padEnd(10)}`)} ${a.type.padEnd(width)}  ${a.name}`);
    if (a.kind === "update") for (const c of a.changes) lines.push(p.dim(`        ${change(c)}`));
  }
  return lines;
}

/** `2 to create, 1 to update, 0 to delete, 7 unchanged, 3 referenced` */
export function countLine(actions: readonly PlanAction[]): string {
  const n = (kind: PlanAction["kind"]) => actions.filter((a) => a.kind === kind).length;
  return `${n("create")} to create, ${n("update")} to update, ${n("delete")} to delete, ${n("unchanged")} unchanged, ${n("referenced")} referenced`;
}

/** `12 AWS calls (12 reads, 0 changes)` */
export function callsLine(calls: CallCounter): string {
  return `${calls.total} AWS call${calls.total === 1 ? "" : "s"} (${calls.reads} read${calls.reads === 1 ? "" : "s"}, ${calls.mutations} change${calls.mutations === 1 ? "" : "s"})`;
}

/** The actions as JSON for `--json`. */
export function actionsJson(actions: readonly PlanAction[]): unknown[] {
  return actions.map((a) => ({
    action: a.kind,
    type: a.type,
    name: a.name,
    ...(a.kind === "update" ? { changes: a.changes } : {}),
  }));
}

/** After a failed apply: what was done, what failed, what was not done. */
export function renderPartial(report: ApplyReport, p: Palette): string[] {
  const line = (a: PlanAction) => `    ${a.kind} ${a.type} ${a.name}`;
  const lines = [p.red("deploy stopped part-way; run it again to finish (it continues from here)")];
  lines.push(`  done (${report.done.length}):`, ...report.done.map(line));
  if (report.failed) lines.push(p.red(`  failed:`), line(report.failed.action));
  lines.push(`  not done (${report.notDone.length}):`, ...report.notDone.map(line));
  return lines;
}
