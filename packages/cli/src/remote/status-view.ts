import type { Palette } from "../color.js";
import { duration } from "../table.js";
import type { ExecutionInfo } from "./execution.js";
import type { StepRow } from "./history.js";
import { shortCause } from "./history.js";
import { statusColor, stepTable, when } from "./table.js";

function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}… (${text.length} characters; --json for all)`;
}

/** The execution (status, times, input, output, error), then one line per step. */
export function renderStatus(info: ExecutionInfo, rows: readonly StepRow[], style: Palette, now = Date.now()): string {
  const end = info.stopDate === undefined ? now : Date.parse(info.stopDate);
  const lines = [
    `${style.bold("execution")}  ${info.executionArn}`,
    `${style.bold("status")}     ${statusColor(info.status, style)(info.status)}`,
    `${style.bold("started")}    ${when(info.startDate)}`,
    `${style.bold("stopped")}    ${info.stopDate === undefined ? "-" : when(info.stopDate)}  ${style.dim(`(${duration(end - Date.parse(info.startDate))})`)}`,
  ];
  if (info.input !== undefined) lines.push(`${style.bold("input")}      ${clip(info.input)}`);
  if (info.output !== undefined) lines.push(`${style.bold("output")}     ${clip(info.output)}`);
  if (info.error !== undefined || info.cause !== undefined) {
    lines.push(
      `${style.bold("error")}      ${style.red(info.error ?? "")}${info.cause ? `: ${clip(shortCause(info.cause) ?? "")}` : ""}`,
    );
  }
  return `${lines.join("\n")}\n\n${stepTable(rows, style)}`;
}

/** `--json`: the execution and its steps (input and output parsed when they are JSON). */
export function statusJson(info: ExecutionInfo, rows: readonly StepRow[]): unknown {
  const parse = (value: string | undefined) => {
    if (value === undefined) return null;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  return {
    execution: {
      ...info,
      input: parse(info.input),
      output: parse(info.output),
      stopDate: info.stopDate ?? null,
      error: info.error ?? null,
      cause: info.cause ?? null,
    },
    steps: rows,
  };
}
