import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Local stand-in for the `clickstream-list-partitions` Lambda: lists the hour partitions that landed. */
export default async function listPartitions(event: { bucket: string; prefix: string }) {
  const here = dirname(fileURLToPath(import.meta.url));
  const lake = process.env.STEPLINE_LAKE ?? resolve(here, "..", ".stepline", "lake");
  const landing = join(lake, event.bucket, event.prefix);
  // On a laptop nothing lands by itself: simulate six hours of click events the first time.
  mkdirSync(landing, { recursive: true });
  if (readdirSync(landing).length === 0) {
    for (let hour = 0; hour < 6; hour++) {
      const dir = join(landing, `hour=${String(hour).padStart(2, "0")}`);
      mkdirSync(dir, { recursive: true });
      for (let part = 0; part < 3; part++) {
        const lines = Array.from({ length: 50 }, (_, i) =>
          JSON.stringify({
            session: `s${hour}-${i % 7}`,
            page: `/p/${(i * 13 + part) % 11}`,
            at: hour * 3600 + i * 60,
          }),
        );
        writeFileSync(join(dir, `part-${part}.json`), `${lines.join("\n")}\n`);
      }
    }
  }
  const partitions = readdirSync(landing)
    .filter((name) => name.startsWith("hour="))
    .sort()
    .map((name) => `${event.prefix}${name}`);
  return { partitions, count: partitions.length };
}
