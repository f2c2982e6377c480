import { appendFileSync, closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import type { HistoryEvent, Journal, JournalRecord } from "@stepline/core";
// The errors entry only: the CLI starts without loading the compiler and the engine.
import { SteplineError } from "@stepline/core/errors";
import { Damage, EventDecoder, EventEncoder } from "./journal-events.js";

/**
 * The run's journal: one JSON line per record in `journal.jsonl`, appended
 * synchronously so a killed process loses at most the line being written.
 * History events are written compactly (see journal-events.ts); `readJournal`
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
    const read = Array.isArray(parsed) ? events.event(parsed) : events.take(parsed as Record<string, unknown>);
    if (read instanceof Damage) throw damaged(file, index, read.why);
    if (Array.isArray(parsed)) records.push({ kind: "event", event: read as HistoryEvent });
    else if (read === false) records.push(parsed as JournalRecord);
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
