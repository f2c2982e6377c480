import type { JournalRecord } from "./types.js";

type StartRecord = Extract<JournalRecord, { kind: "start" }>;

/** Index over the records of an earlier run of the same execution. */
export class Replay {
  readonly start: StartRecord | undefined;
  /** Number of earlier runs that ended without success: the next run is a redrive. */
  readonly redriveCount: number;
  readonly lastEventId: number;
  private readonly tasks = new Map<string, unknown>();
  private readonly values = new Map<string, unknown>();

  constructor(records: readonly JournalRecord[] = []) {
    let start: StartRecord | undefined;
    let failedEnds = 0;
    let lastEventId = 0;
    for (const r of records) {
      switch (r.kind) {
        case "start":
          start ??= r;
          break;
        case "task":
          this.tasks.set(r.key, r.output);
          break;
        case "value":
          this.values.set(r.key, r.value);
          break;
        case "event":
          if (r.event.id > lastEventId) lastEventId = r.event.id;
          break;
        case "end":
          if (r.status !== "SUCCEEDED") failedEnds++;
          break;
      }
    }
    this.start = start;
    this.redriveCount = failedEnds;
    this.lastEventId = lastEventId;
  }

  task(key: string): { found: true; output: unknown } | { found: false } {
    return this.tasks.has(key) ? { found: true, output: this.tasks.get(key) } : { found: false };
  }

  value(key: string): { found: true; value: unknown } | { found: false } {
    return this.values.has(key) ? { found: true, value: this.values.get(key) } : { found: false };
  }
}
