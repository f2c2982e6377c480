import { StatesError } from "../expr/index.js";
import { fail, Halt, toFailure } from "../failure.js";
import { invokeHandler } from "../invoke.js";
import { exprScope, jsonataValue, numberField, template } from "../io.js";
import type { StateVisit } from "../visit.js";

interface ReaderJson {
  readonly Resource?: string;
  readonly Parameters?: unknown;
  readonly Arguments?: unknown;
  readonly ReaderConfig?: {
    readonly InputType?: "JSON" | "JSONL" | "CSV" | "MANIFEST";
    readonly CSVHeaderLocation?: "FIRST_ROW" | "GIVEN";
    readonly CSVHeaders?: readonly string[];
    readonly CSVDelimiter?: "COMMA" | "PIPE" | "SEMICOLON" | "SPACE" | "TAB";
    readonly MaxItems?: number;
    readonly MaxItemsPath?: string;
  };
}

const DELIMITERS = { COMMA: ",", PIPE: "|", SEMICOLON: ";", SPACE: " ", TAB: "\t" } as const;

/** Splits CSV text into rows of fields (RFC 4180 quoting). */
export function parseCsv(text: string, delimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function parseBody(body: string, config: NonNullable<ReaderJson["ReaderConfig"]>): unknown[] {
  switch (config.InputType ?? "JSON") {
    case "JSONL":
      return body
        .split(/\r?\n/)
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as unknown);
    case "CSV": {
      const rows = parseCsv(body, DELIMITERS[config.CSVDelimiter ?? "COMMA"]);
      const headers = config.CSVHeaderLocation === "GIVEN" ? (config.CSVHeaders ?? []) : (rows.shift() ?? []);
      return rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? ""])));
    }
    default: {
      const parsed = JSON.parse(body) as unknown;
      if (!Array.isArray(parsed))
        throw fail("States.ItemReaderFailed", "The JSON object read by the ItemReader is not an array.");
      return parsed;
    }
  }
}

/** What the handler gave back, as items: an array, `{ Contents }` (listObjectsV2), or a body to parse. */
function toItems(result: unknown, resource: string, config: NonNullable<ReaderJson["ReaderConfig"]>): unknown[] {
  if (Array.isArray(result)) return result;
  if (resource.endsWith("listObjectsV2") && result !== null && typeof result === "object") {
    const contents = (result as { Contents?: unknown }).Contents;
    if (Array.isArray(contents)) return contents;
  }
  const body = typeof result === "string" ? result : (result as { Body?: unknown } | null)?.Body;
  if (typeof body === "string") return parseBody(body, config);
  throw fail("States.ItemReaderFailed", `The handler of '${resource}' returned neither items nor an object body.`);
}

/**
 * ItemReader: delegates the read to the Task handler registered for its
 * resource (e.g. `arn:aws:states:::s3:getObject` over a local store), then
 * parses the body per ReaderConfig and applies MaxItems.
 */
export async function readItems(visit: StateVisit, reader: ReaderJson, effective: unknown): Promise<unknown[]> {
  const resource = reader.Resource ?? "";
  const config = reader.ReaderConfig ?? {};
  const nd = () => visit.nd();
  const es = exprScope(visit.scope, visit.input, visit.context());
  const params = visit.jsonata
    ? await jsonataValue(reader.Arguments, es, "ItemReader.Arguments", nd)
    : template(reader.Parameters, effective, es, "ItemReader.Parameters", nd);
  let items: unknown[];
  try {
    const result = await invokeHandler(visit, { resource, input: params, retryCount: 0, context: visit.context() });
    items = toItems(result, resource, config);
  } catch (e) {
    if (e instanceof Halt || (e instanceof StatesError && e.error === "States.ItemReaderFailed")) throw e;
    const failure = toFailure(e);
    throw fail("States.ItemReaderFailed", `${failure.error}: ${failure.cause}`);
  }
  const max = await numberField(config, "MaxItems", effective, es, visit.jsonata, nd);
  return max !== undefined && max > 0 ? items.slice(0, max) : items;
}
