import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { runError } from "./errors.js";
import { jsonErrorPosition } from "./json-position.js";

/** `--input '{"date":"2026-11-24"}'` or `--input @path.json`; `{}` when absent. */
export async function parseInput(value: string | undefined, cwd: string): Promise<unknown> {
  if (value === undefined) return {};
  let text = value;
  let where = "--input";
  if (value.startsWith("@")) {
    const file = resolve(cwd, value.slice(1));
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw await runError(
        "SL_RUN_INPUT_FILE",
        `Cannot read the input file ${value.slice(1)}: ${(error as Error).message}`,
        "Give `--input @<file.json>` with a path relative to the current directory, or inline JSON.",
      );
    }
    where = value.slice(1);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? jsonErrorPosition(text));
    const at = Number.isFinite(position) ? ` at ${lineColumn(text, position)} (position ${position})` : "";
    throw await runError(
      "SL_RUN_INPUT_JSON",
      `The run input is not valid JSON${at}: ${message}`,
      `Fix the JSON in ${where}; e.g. --input '{"date":"2026-11-24"}' (quote it for the shell).`,
    );
  }
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  return `line ${before.split("\n").length}, column ${position - before.lastIndexOf("\n")}`;
}
