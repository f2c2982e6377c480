import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface FailureNotice {
  readonly pipeline: string;
  readonly error: string;
  readonly cause: string;
}

/**
 * Local stand-in for the `data-oncall-notify` Lambda: instead of paging the
 * on-call channel, appends the notice to `notifications.jsonl` in the run's
 * folder ($STEPLINE_RUN_DIR, else the local lake) and logs it.
 */
export default async function notify(event: FailureNotice) {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = process.env.STEPLINE_RUN_DIR ?? process.env.STEPLINE_LAKE ?? resolve(here, "..", ".stepline", "lake");
  const file = join(dir, "notifications.jsonl");
  mkdirSync(dir, { recursive: true });
  const notice = { ...event, notifiedAt: new Date().toISOString() };
  appendFileSync(file, `${JSON.stringify(notice)}\n`);
  console.error(`[on-call] ${event.pipeline} failed: ${event.error}: ${event.cause} (written to ${file})`);
  return { notified: true, file };
}
