import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import type { HistoryEvent, Journal, JournalRecord } from "@stepline/core";
// The errors entry only: the CLI starts without loading the compiler and the engine.
import { SteplineError } from "@stepline/core/errors";

/**
 * The run's journal: one JSON line per record in `journal.jsonl`, appended
 * synchronously so a killed process loses at most the line being written.
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
    const line = record.kind === "event" ? eventLine(record.event) : `${JSON.stringify(record)}\n`;
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
 * `{"kind":"event","event":{…}}` as JSON.stringify writes it, with the fixed members
 * written directly: a Map of many tasks journals several events per item, and this
 * halves their serialisation time. Numbers, the ISO timestamp and the event type need
 * no escaping; anything else (the details member) goes through JSON.stringify.
 */
export function eventLine(event: HistoryEvent): string {
  let line = `{"kind":"event","event":{"id":${event.id},"previousEventId":${event.previousEventId},"timestamp":${quoted(event.timestamp)},"type":${quoted(event.type)}`;
  for (const key in event) {
    if (key === "id" || key === "previousEventId" || key === "timestamp" || key === "type") continue;
    const value = event[key];
    if (value !== undefined) line += `,${quoted(key)}:${JSON.stringify(value)}`;
  }
  return `${line}}}\n`;
}

// Event types, detail keys and timestamps repeat from event to event: quote each once.
const quotedCache = new Map<string, string>();

function quoted(text: string): string {
  let q = quotedCache.get(text);
  if (q === undefined) {
    q = JSON.stringify(text);
    if (quotedCache.size >= 1024) quotedCache.clear();
    quotedCache.set(text, q);
  }
  return q;
}

/** The records of a journal file. A torn last line (the process died mid-write) is left out. */
export function readJournal(file: string): { records: JournalRecord[]; torn: boolean } {
  if (!existsSync(file)) return { records: [], torn: false };
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  const records: JournalRecord[] = [];
  let torn = false;
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch (error) {
      // Only the last line can be cut short by a crash; anything else is a damaged file.
      if (index === lines.length - 1) torn = true;
      else {
        throw SteplineError.of(
          "SL_RUN_JOURNAL_DAMAGED",
          `journal ${file} line ${index + 1} is not JSON: ${(error as Error).message}`,
          "the journal was edited or damaged; it cannot be resumed or redriven: start a new run with `stepline run`",
        );
      }
    }
  });
  return { records, torn };
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
