import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import type { HistoryEvent, Journal, JournalRecord } from "@stepline/core";
// The errors entry only: the CLI starts without loading the compiler and the engine.
import { SteplineError } from "@stepline/core/errors";

/**
 * The run's journal: one JSON line per record in `journal.jsonl`, appended
 * synchronously so a killed process loses at most the line being written.
 * History events are written compactly (see EventEncoder); `readJournal`
 * gives them back whole.
 */
export class FileJournal implements Journal {
  /** Whether an `end` record went through this journal. */
  ended = false;
  /** Records written so far (for figures). */
  records = 0;
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly events = new EventEncoder();

  constructor(readonly file: string) {}

  /**
   * History events are batched (written within 100 ms, or with the next record that
   * matters for replay); `start`, `task`, `value` and `end` records are written at
   * once, with whatever events precede them, in one write(2). What reached the kernel
   * survives a SIGKILL of the CLI; a crash can lose at most the last 100 ms of history
   * events, never a result that resume or redrive needs.
   */
  append(record: JournalRecord): void | Promise<void> {
    this.records++;
    const line = record.kind === "event" ? this.events.line(record.event, this.pending) : `${JSON.stringify(record)}\n`;
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (record.kind === "end") {
      this.ended = true;
      this.close();
      return;
    }
    if (record.kind === "event") {
      if (this.pendingBytes > 1 << 16) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), 100).unref();
      return;
    }
    // The engine awaits this before it goes on: records that arrive in the same turn of the
    // event loop (a Map's tasks finishing together) share one write(2).
    this.durable ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.durable = undefined;
        try {
          this.flush();
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
    return this.durable;
  }

  private durable: Promise<void> | undefined;

  /** Writes what is pending. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    this.fd ??= openSync(this.file, "a");
    writeSync(this.fd, this.pending.join(""));
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * History events take most of a journal (a Map of 1,000 tasks writes 7,000 of
 * them), and most of each event repeats: its type, its details member, the
 * state's name, the task's resource. So an event is written as a JSON array
 * `[id, id - previousEventId, ms, shape, ...values]`:
 * - `ms` is the event's time in milliseconds after the `base` of the
 *   `{"kind":"events","version":1,"base":…}` line each journal writer puts before its
 *   first event (a resumed run's writer puts its own; it starts a new table of shapes);
 * - `shape` numbers a `{"kind":"shape",…}` line written just before its first use: the
 *   type, the details member's name, and its members in order, each `[name, value]`
 *   when it is the same for every event of the shape, or `[name]` when the event
 *   gives its value (in order, after `shape`).
 * About a seventh of the bytes of whole JSON events, in a third of the time. An event
 * this cannot express exactly (two details members, details that are not an object, a
 * time not written as toISOString writes it) is written whole, as `{"kind":"event",…}`.
 */
export class EventEncoder {
  private base: number | undefined;
  private lastTimestamp = "";
  private lastMs = 0;
  private shapes = 0;
  private readonly root: ShapeNode = new Map();
  /** The shapes of each type used last, most recent first: a Map's iterations repeat a few of them. */
  private readonly recent = new Map<string, Shape[]>();

  /** The event's line; a line that must precede it (header, new shape) goes to `before`. */
  line(event: HistoryEvent, before: string[]): string {
    if (event.timestamp !== this.lastTimestamp) {
      const ms = Date.parse(event.timestamp);
      if (!Number.isFinite(ms) || new Date(ms).toISOString() !== event.timestamp) return whole(event);
      if (this.base === undefined) {
        this.base = ms;
        before.push(`${JSON.stringify({ kind: "events", version: EVENTS_VERSION, base: ms })}\n`);
      }
      this.lastTimestamp = event.timestamp;
      this.lastMs = ms - this.base;
    }
    let detailsKey: string | undefined;
    let details: Record<string, unknown> | undefined;
    for (const key in event) {
      if (key === "id" || key === "previousEventId" || key === "timestamp" || key === "type") continue;
      const value = event[key];
      if (value === undefined) continue;
      if (details !== undefined || value === null || typeof value !== "object" || Array.isArray(value))
        return whole(event);
      detailsKey = key;
      details = value as Record<string, unknown>;
    }
    if (!Number.isSafeInteger(event.id) || !Number.isSafeInteger(event.previousEventId)) return whole(event);
    const shape =
      this.recentShape(event.type, detailsKey, details) ?? this.shapeOf(event.type, detailsKey, details, before);
    let line = `[${event.id},${event.id - event.previousEventId},${this.lastMs}${shape.idText}`;
    for (const key of shape.varying) {
      const value = (details as Record<string, unknown>)[key];
      line += typeof value === "number" && Number.isFinite(value) ? `,${value}` : `,${JSON.stringify(value)}`;
    }
    return `${line}]\n`;
  }

  private recentShape(
    type: string,
    detailsKey: string | undefined,
    details: Record<string, unknown> | undefined,
  ): Shape | undefined {
    const list = this.recent.get(type);
    if (list === undefined) return undefined;
    for (const shape of list) if (matches(shape, detailsKey, details)) return shape;
    return undefined;
  }

  /**
   * Finds the shape by walking a tree of maps keyed by the type, the details member,
   * then each member's name and (for fixed members) value; makes it when new.
   */
  private shapeOf(
    type: string,
    detailsKey: string | undefined,
    details: Record<string, unknown> | undefined,
    before: string[],
  ): Shape {
    let node = child(this.root, type);
    if (details !== undefined) {
      node = child(node, detailsKey);
      for (const key in details) {
        const value = details[key];
        if (value === undefined) continue;
        node = child(node, key);
        if (FIXED_MEMBERS.has(key)) node = fixedChild(node, value);
      }
    }
    let shape = node.get(SHAPE) as Shape | undefined;
    if (shape === undefined) {
      const members: ([string] | [string, unknown])[] = [];
      const keys: string[] = [];
      const fixed: unknown[] = [];
      const varying: string[] = [];
      for (const key in details) {
        const value = details[key];
        if (value === undefined) continue;
        keys.push(key);
        if (FIXED_MEMBERS.has(key)) {
          members.push([key, value]);
          fixed.push(value);
        } else {
          members.push([key]);
          fixed.push(VARYING);
          varying.push(key);
        }
      }
      const id = this.shapes++;
      shape = {
        id,
        idText: `,${id}`,
        detailsKey: details === undefined ? undefined : detailsKey,
        keys,
        fixed,
        varying,
      };
      node.set(SHAPE, shape);
      before.push(
        `${JSON.stringify({ kind: "shape", id: shape.id, type, detailsKey: shape.detailsKey ?? null, members })}\n`,
      );
    }
    let list = this.recent.get(type);
    if (list === undefined) {
      list = [];
      this.recent.set(type, list);
    }
    list.unshift(shape);
    if (list.length > RECENT_SHAPES) list.pop();
    return shape;
  }
}

const RECENT_SHAPES = 4;
const VARYING = Symbol("varying");

/** Whether the event's details have this shape's members, in order, with its fixed values. */
function matches(shape: Shape, detailsKey: string | undefined, details: Record<string, unknown> | undefined): boolean {
  if (details === undefined) return shape.detailsKey === undefined;
  if (shape.detailsKey !== detailsKey) return false;
  const { keys, fixed } = shape;
  let i = 0;
  for (const key in details) {
    const value = details[key];
    if (value === undefined) continue;
    if (key !== keys[i]) return false;
    const want = fixed[i];
    if (want !== VARYING && want !== value && !sameJson(want, value)) return false;
    i++;
  }
  return i === keys.length;
}

function sameJson(a: unknown, b: unknown): boolean {
  return (
    a !== null && b !== null && typeof a === "object" && typeof b === "object" && fixedJsonOf(a) === fixedJsonOf(b)
  );
}

/** An event as one whole JSON record. */
function whole(event: HistoryEvent): string {
  return `${JSON.stringify({ kind: "event", event })}\n`;
}

const EVENTS_VERSION = 1;
/** Details members that repeat across the events of a state: written once, in the shape. */
const FIXED_MEMBERS = new Set(["name", "resourceType", "resource", "region", "inputDetails", "outputDetails"]);
const SHAPE = Symbol("shape");
type ShapeNode = Map<unknown, ShapeNode | Shape>;
interface Shape {
  readonly id: number;
  /** `,id`, as the event lines write it. */
  readonly idText: string;
  readonly detailsKey: string | undefined;
  /** The members' names, in order. */
  readonly keys: readonly string[];
  /** Each member's fixed value, or VARYING. */
  readonly fixed: readonly unknown[];
  /** The names of the members each event gives. */
  readonly varying: readonly string[];
}

function child(node: ShapeNode, key: unknown): ShapeNode {
  let next = node.get(key) as ShapeNode | undefined;
  if (next === undefined) {
    next = new Map();
    node.set(key, next);
  }
  return next;
}

// `inputDetails` objects are one frozen object in the engine: their JSON is made once.
const fixedJson = new WeakMap<object, string>();
const OBJECT = Symbol("object");

/** The node under a fixed member's value: primitives as they are, objects by their JSON (on a branch of their own). */
function fixedChild(node: ShapeNode, value: unknown): ShapeNode {
  if (value === null || typeof value !== "object") return child(node, value);
  return child(child(node, OBJECT), fixedJsonOf(value));
}

function fixedJsonOf(value: object): string {
  let json = fixedJson.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    fixedJson.set(value, json);
  }
  return json;
}

/** Turns the compact event lines of a journal back into history events. */
class EventDecoder {
  private base: number | undefined;
  private readonly shapes = new Map<number, ShapeLine>();

  /** Takes a header or shape line; false when the line is neither. */
  take(line: Record<string, unknown>): boolean {
    if (line.kind === "events") {
      if (line.version !== EVENTS_VERSION || typeof line.base !== "number")
        throw new Error(`an events header of an unknown version: ${JSON.stringify(line)}`);
      this.base = line.base;
      this.shapes.clear();
      return true;
    }
    if (line.kind === "shape") {
      this.shapes.set(line.id as number, line as unknown as ShapeLine);
      return true;
    }
    return false;
  }

  event(line: unknown[]): HistoryEvent {
    const [id, back, ms, shapeId] = line;
    const shape = this.shapes.get(shapeId as number);
    if (
      this.base === undefined ||
      shape === undefined ||
      typeof id !== "number" ||
      typeof back !== "number" ||
      typeof ms !== "number"
    )
      throw new Error(`an event of no known shape: ${JSON.stringify(line).slice(0, 200)}`);
    const event: Record<string, unknown> = {
      id,
      previousEventId: id - back,
      timestamp: new Date(this.base + ms).toISOString(),
      type: shape.type,
    };
    if (shape.detailsKey !== null) {
      const details: Record<string, unknown> = {};
      let next = 4;
      for (const member of shape.members) details[member[0]] = member.length === 2 ? member[1] : line[next++];
      event[shape.detailsKey] = details;
    }
    return event as HistoryEvent;
  }
}

interface ShapeLine {
  readonly type: string;
  readonly detailsKey: string | null;
  readonly members: readonly ([string] | [string, unknown])[];
}

/** The records of a journal file. A torn last line (the process died mid-write) is left out. */
export function readJournal(file: string): { records: JournalRecord[]; torn: boolean } {
  if (!existsSync(file)) return { records: [], torn: false };
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  const records: JournalRecord[] = [];
  let torn = false;
  const events = new EventDecoder();
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      // Only the last line can be cut short by a crash; anything else is a damaged file.
      if (index === lines.length - 1) {
        torn = true;
        return;
      }
      throw damaged(file, index, `is not JSON: ${(error as Error).message}`);
    }
    try {
      if (Array.isArray(parsed)) records.push({ kind: "event", event: events.event(parsed) });
      else if (!events.take(parsed as Record<string, unknown>)) records.push(parsed as JournalRecord);
    } catch (error) {
      throw damaged(file, index, (error as Error).message);
    }
  });
  return { records, torn };
}

function damaged(file: string, index: number, what: string): SteplineError {
  return SteplineError.of(
    "SL_RUN_JOURNAL_DAMAGED",
    `journal ${file} line ${index + 1} ${what}`,
    "the journal was edited or damaged; it cannot be resumed or redriven: start a new run with `stepline run`",
  );
}

/**
 * Cuts a torn last line off, so that appending after a crash starts on a
 * line of its own. Returns the records kept.
 */
export function repairJournal(file: string): JournalRecord[] {
  const { records, torn } = readJournal(file);
  if (torn || (existsSync(file) && !readFileSync(file, "utf8").endsWith("\n"))) {
    const text = readFileSync(file, "utf8");
    truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf("\n") + 1)));
  }
  return records;
}
