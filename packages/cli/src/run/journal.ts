import { appendFileSync, closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
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
    if (record.kind === "event") {
      this.pushEvent(this.events.line(record.event, this.pending));
      return;
    }
    this.records++;
    const line = `${JSON.stringify(record)}\n`;
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (record.kind === "end") {
      this.ended = true;
      this.close();
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

  /** `append({ kind: "event", … })` without the event object: what the engine calls. */
  appendEvent(
    id: number,
    previousEventId: number,
    timestamp: string,
    type: string,
    detailsKey: string | undefined,
    details: Record<string, unknown> | undefined,
  ): void {
    this.pushEvent(this.events.parts(id, previousEventId, timestamp, type, detailsKey, details, this.pending));
  }

  /** Queues an event's line (a header or shape line may have gone in before it). */
  private pushEvent(line: string): void {
    this.records++;
    this.pending.push(line);
    this.pendingBytes += line.length + this.events.takeWritten();
    if (this.pendingBytes > 1 << 16) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), 100).unref();
  }

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
  /** Characters of header and shape lines put in `before` since the last `takeWritten`. */
  private written = 0;

  /** The characters of header and shape lines written since the last call. */
  takeWritten(): number {
    const n = this.written;
    this.written = 0;
    return n;
  }

  /** The event's line; a line that must precede it (header, new shape) goes to `before`. */
  line(event: HistoryEvent, before: string[]): string {
    let detailsKey: string | undefined;
    let details: unknown;
    for (const key in event) {
      if (key === "id" || key === "previousEventId" || key === "timestamp" || key === "type") continue;
      const value = event[key];
      if (value === undefined) continue;
      if (details !== undefined) return whole(event);
      detailsKey = key;
      details = value;
    }
    return this.parts(event.id, event.previousEventId, event.timestamp, event.type, detailsKey, details, before);
  }

  /** `line`, given the event's members (the engine's way: it need not build the event). */
  parts(
    id: number,
    previousEventId: number,
    timestamp: string,
    type: string,
    detailsKey: string | undefined,
    details: unknown,
    before: string[],
  ): string {
    if (timestamp !== this.lastTimestamp) {
      const ms = Date.parse(timestamp);
      if (!Number.isFinite(ms) || new Date(ms).toISOString() !== timestamp)
        return whole(eventOf(id, previousEventId, timestamp, type, detailsKey, details));
      if (this.base === undefined) {
        this.base = ms;
        const header = `${JSON.stringify({ kind: "events", version: EVENTS_VERSION, base: ms })}\n`;
        before.push(header);
        this.written += header.length;
      }
      this.lastTimestamp = timestamp;
      this.lastMs = ms - this.base;
    }
    if (details === undefined) detailsKey = undefined;
    else if (details === null || typeof details !== "object" || Array.isArray(details))
      return whole(eventOf(id, previousEventId, timestamp, type, detailsKey, details));
    if (!Number.isSafeInteger(id) || !Number.isSafeInteger(previousEventId))
      return whole(eventOf(id, previousEventId, timestamp, type, detailsKey, details));
    const members = details as Record<string, unknown> | undefined;
    const shape = this.recentShape(type, detailsKey, members) ?? this.shapeOf(type, detailsKey, members, before);
    if (shape.whole) return whole(eventOf(id, previousEventId, timestamp, type, detailsKey, details));
    let line = `[${id},${id - previousEventId},${this.lastMs}${shape.idText}`;
    for (const key of shape.varying) {
      const value = (members as Record<string, unknown>)[key];
      if (typeof value === "number" && Number.isFinite(value)) line += `,${value}`;
      else {
        // A value JSON cannot hold (a function, a symbol) must not leave `,undefined` in the file.
        const text = JSON.stringify(value) as string | undefined;
        if (text === undefined) return whole(eventOf(id, previousEventId, timestamp, type, detailsKey, details));
        line += `,${text}`;
      }
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
        // A fixed value JSON would not give back as it is (a function, a Date): such events go whole.
        whole: fixed.some((value) => value !== VARYING && !plainJson(value)),
      };
      node.set(SHAPE, shape);
      if (!shape.whole) {
        const text = `${JSON.stringify({ kind: "shape", id: shape.id, type, detailsKey: shape.detailsKey ?? null, members })}\n`;
        before.push(text);
        this.written += text.length;
      }
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

function eventOf(
  id: number,
  previousEventId: number,
  timestamp: string,
  type: string,
  detailsKey: string | undefined,
  details: unknown,
): HistoryEvent {
  const event: Record<string, unknown> = { id, previousEventId, timestamp, type };
  if (detailsKey !== undefined)
    Object.defineProperty(event, detailsKey, { value: details, enumerable: true, writable: true, configurable: true });
  return event as HistoryEvent;
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
  /** Events of this shape are written whole. */
  readonly whole: boolean;
}

/** Whether JSON gives `value` back as it is: primitives, and arrays and plain objects of them. */
function plainJson(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object") return false;
  if (Array.isArray(value)) return value.every(plainJson);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every(plainJson);
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
      for (const [name, ...fixed] of shape.members) {
        const value = fixed.length === 1 ? fixed[0] : line[next++];
        // As JSON.parse does: `__proto__` is a member like any other.
        if (name === "__proto__")
          Object.defineProperty(details, name, { value, enumerable: true, writable: true, configurable: true });
        else details[name] = value;
      }
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
  if (!existsSync(file)) return records;
  const text = readFileSync(file, "utf8");
  if (torn) truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf("\n") + 1)));
  // A whole last record whose newline did not make it is kept: it was read above.
  else if (text !== "" && !text.endsWith("\n")) appendFileSync(file, "\n");
  return records;
}
