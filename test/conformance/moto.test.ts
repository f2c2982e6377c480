import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { sep } from "node:path";
import type * as Sfn from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MotoSetup, startMoto } from "../helpers/moto.js";
import { allCases, hasTask, usesJsonata, usesVariables } from "./index.js";
import { disagreement, type Outcome } from "./run.js";
import type { Case } from "./types.js";

/**
 * The fidelity suite on moto's Step Functions executor: every case that is
 * classic JSONPath, without variables and without Task states (moto cannot
 * play a case's task behaviours), one execution at a time, a fresh state
 * machine per case. Where moto is known to differ from AWS (FACTS.md), the
 * case says so (`motoDiffers`) and moto's actual behaviour is asserted.
 */
/**
 * The workspace's vitest runs workers with `--conditions module`, so Node resolves the SDK's packages to
 * their dist-es builds, whose extensionless imports Node cannot load. The SDK is therefore required as
 * CommonJS with dist-es resolutions redirected to the matching dist-cjs files while it loads.
 */
function requireSdk(): typeof Sfn {
  const require = createRequire(import.meta.url);
  const Module = require("node:module") as { _resolveFilename: (...args: unknown[]) => string };
  const original = Module._resolveFilename;
  Module._resolveFilename = function (this: unknown, ...args: unknown[]): string {
    const resolved = original.apply(this, args);
    const cjs = resolved.replace(`${sep}dist-es${sep}`, `${sep}dist-cjs${sep}`);
    return cjs !== resolved && existsSync(cjs) ? cjs : resolved;
  };
  try {
    return require("@aws-sdk/client-sfn") as typeof Sfn;
  } finally {
    Module._resolveFilename = original;
  }
}
const {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} = requireSdk();
type SFNClient = Sfn.SFNClient;

const ROLE = "arn:aws:iam::123456789012:role/stepline";
const POLL_MS = 50;
const RUN_LIMIT_MS = 20_000;

const withTask = allCases.filter(hasTask);
const jsonata = allCases.filter((c) => !hasTask(c) && usesJsonata(c));
const variables = allCases.filter((c) => !hasTask(c) && !usesJsonata(c) && usesVariables(c));
const eligible = allCases.filter((c) => !hasTask(c) && !usesJsonata(c) && !usesVariables(c));

let moto: MotoSetup | undefined;
let client: SFNClient | undefined;

async function restart(): Promise<void> {
  await moto?.stop();
  moto = await startMoto();
  client = moto.available
    ? new SFNClient({
        endpoint: moto.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "x", secretAccessKey: "x" },
        maxAttempts: 1,
      })
    : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * DescribeExecution's output as a value. moto omits it when it is JSON null (FACTS), and returns a
 * string output as the bare string instead of its JSON text (AWS: `"\"text\""`): text that is not
 * JSON is therefore read as that string.
 */
function motoOutput(output: string | undefined): unknown {
  if (output === undefined) return null;
  try {
    return JSON.parse(output);
  } catch {
    return output;
  }
}

async function runOnMoto(
  c: Case,
  index: number,
  attempt = 0,
): Promise<{ outcome: Outcome; names: { executionName: string; stateMachineName: string } }> {
  const sfn = client as SFNClient;
  const stateMachineName = `conformance-${index}-${attempt}`;
  const executionName = `exec-${index}-${attempt}-${Date.now().toString(36)}`;
  let created: Sfn.CreateStateMachineCommandOutput;
  try {
    created = await sfn.send(
      new CreateStateMachineCommand({
        name: stateMachineName,
        roleArn: ROLE,
        definition: JSON.stringify(c.definition),
      }),
    );
  } catch (error) {
    // moto's ASL parser rejects some valid definitions (answering with a null error type).
    return { outcome: { status: "REJECTED", cause: String(error) }, names: { executionName, stateMachineName } };
  }
  try {
    let executionArn: string | undefined;
    try {
      executionArn = (
        await sfn.send(
          new StartExecutionCommand({
            stateMachineArn: created.stateMachineArn,
            name: executionName,
            input: JSON.stringify(c.input),
          }),
        )
      ).executionArn;
    } catch (error) {
      // FACTS: moto 5.2.1 can fail a StartExecution ("cannot pickle '_thread.RLock'"): restart moto once.
      if (attempt > 0) throw error;
      await restart();
      return runOnMoto(c, index, attempt + 1);
    }
    const deadline = Date.now() + RUN_LIMIT_MS;
    for (;;) {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (d.status !== "RUNNING") {
        const outcome: Outcome = {
          status: d.status ?? "UNKNOWN",
          // DescribeExecution omits output when it is JSON null (FACTS).
          ...(d.status === "SUCCEEDED" ? { output: motoOutput(d.output) } : {}),
          ...(d.error !== undefined ? { error: d.error } : {}),
          ...(d.cause !== undefined ? { cause: d.cause } : {}),
        };
        return { outcome, names: { executionName, stateMachineName } };
      }
      if (Date.now() > deadline) throw new Error(`execution of ${c.name} still RUNNING after ${RUN_LIMIT_MS} ms`);
      await sleep(POLL_MS);
    }
  } finally {
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn })).catch(() => undefined);
  }
}

describe("fidelity suite on moto", () => {
  beforeAll(async () => {
    await restart();
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });

  it("selects the cases moto can run", () => {
    console.info(
      `[moto] ${allCases.length} cases: ${eligible.length} eligible, excluded ${withTask.length} with Task states ` +
        `(moto cannot play per-call task behaviours), ${jsonata.length} JSONata, ${variables.length} with variables ` +
        `(moto's executor handles neither); ${eligible.filter((c) => c.motoDiffers).length} known differences, ` +
        `${eligible.filter((c) => c.motoSkip).length} skipped`,
    );
    expect(eligible.length).toBeGreaterThanOrEqual(100);
    for (const c of eligible)
      if (c.motoDiffers) expect(c.motoExpected ?? null, `${c.name}: motoDiffers needs motoExpected`).not.toBeNull();
  });

  eligible.forEach((c, index) => {
    const title = c.motoDiffers ? `${c.name} (moto differs: ${c.motoDiffers})` : c.name;
    if (c.motoSkip) {
      it.skip(`${c.name} — skipped on moto: ${c.motoSkip}`, () => {});
      return;
    }
    it(title, async (context) => {
      if (!client) {
        context.skip(moto?.reason ?? "moto is not available");
        return;
      }
      const { outcome, names } = await runOnMoto(c, index);
      const expected = c.motoDiffers && c.motoExpected ? c.motoExpected : c.expected;
      expect(disagreement(outcome, expected, names)).toBeUndefined();
      if (c.motoDiffers) {
        // The difference is real: moto's behaviour is not AWS's.
        expect(disagreement(outcome, c.expected, names)).toBeDefined();
      }
    });
  });
});
