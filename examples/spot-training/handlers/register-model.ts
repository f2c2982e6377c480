import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Local stand-in for the model-registry Lambda: records the published version. */
export default async function registerModel(event: { model: string; version: string; evaluationJob: string }) {
  const here = dirname(fileURLToPath(import.meta.url));
  const lake = process.env.STEPLINE_LAKE ?? resolve(here, "..", ".stepline", "lake");
  const dir = join(lake, "registry", event.model);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${event.version}.json`), `${JSON.stringify(event)}\n`);
  return { registered: `${event.model}@${event.version}` };
}
