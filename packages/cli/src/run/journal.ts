import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import type { Journal, JournalRecord } from "@stepline/core";

/**
 * The run's journal: one JSON line per record in `journal.jsonl`, appended
 * synchronously so a killed process loses at most the line being written.
 */
export class FileJournal implements Journal {
  /** Whether an `end` record went through this journal. */
  ended = false;
  /** Kept open: one write(2) per record, no open/close each time (the engine writes several per transition). */
  private fd: number | undefined;

  constructor(readonly file: string) {}

  append(record: JournalRecord): void {
    this.fd ??= openSync(this.file, "a");
    // A synchronous write per record: what reached the kernel survives a SIGKILL of the CLI.
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    if (record.kind === "end") {
      this.ended = true;
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
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
      else throw new Error(`journal ${file} line ${index + 1} is not JSON: ${(error as Error).message}`);
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
