import { afterAll, beforeAll, beforeEach } from "vitest";
import type { MotoSetup } from "./moto.js";

/**
 * The hooks of a test file on one moto server: `start` runs once before the
 * file's tests and the server stops after them; before each test the test is
 * skipped when moto is not available, otherwise `prepare` runs (by default
 * `reset`, which wipes every resource). The returned setup reads through to
 * the server once it has started.
 */
export function useMoto(
  start: () => Promise<MotoSetup>,
  prepare: (moto: MotoSetup) => Promise<void> = (moto) => moto.reset(),
): MotoSetup {
  let setup: MotoSetup | undefined;
  const started = (): MotoSetup => {
    if (setup === undefined) throw new Error("moto is started in beforeAll: use it inside tests and hooks");
    return setup;
  };
  beforeAll(async () => {
    setup = await start();
  });
  afterAll(async () => {
    await setup?.stop();
  });
  beforeEach(async (context) => {
    if (!started().available) context.skip();
    await prepare(started());
  });
  return {
    get available() {
      return started().available;
    },
    get endpoint() {
      return started().endpoint;
    },
    stop: () => started().stop(),
    reset: () => started().reset(),
  };
}
