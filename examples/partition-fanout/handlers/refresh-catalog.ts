import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Local stand-in for the `glue-catalog-refresh` Lambda: records the table partition in a catalog file. */
export default async function refreshCatalog(event: { database: string; table: string; date: string }) {
  const here = dirname(fileURLToPath(import.meta.url));
  const lake = process.env.STEPLINE_LAKE ?? resolve(here, "..", ".stepline", "lake");
  const dir = join(lake, "catalog", event.database);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${event.table}.json`),
    `${JSON.stringify({ ...event, refreshedAt: new Date().toISOString() })}\n`,
  );
  return { refreshed: `${event.database}.${event.table}`, partition: `date=${event.date}` };
}
