import type { HistoryEvent } from "@stepline/core";

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

/** Why a line cannot be read (readJournal reports it with the file and line). */
export class Damage {
  constructor(readonly why: string) {}
}

/** Turns the compact event lines of a journal back into history events. */
export class EventDecoder {
  private base: number | undefined;
  private readonly shapes = new Map<number, ShapeLine>();

  /** Takes a header or shape line; false when the line is neither. */
  take(line: Record<string, unknown>): boolean | Damage {
    if (line.kind === "events") {
      if (line.version !== EVENTS_VERSION || typeof line.base !== "number")
        return new Damage(`is an events header of an unknown version: ${JSON.stringify(line)}`);
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

  event(line: unknown[]): HistoryEvent | Damage {
    const [id, back, ms, shapeId] = line;
    const shape = this.shapes.get(shapeId as number);
    if (
      this.base === undefined ||
      shape === undefined ||
      typeof id !== "number" ||
      typeof back !== "number" ||
      typeof ms !== "number"
    )
      return new Damage(`an event of no known shape: ${JSON.stringify(line).slice(0, 200)}`);
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
