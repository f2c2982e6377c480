import { compile, pendingActions } from "@stepline/core";
import { integrations } from "@stepline/runners";
import type { AwsCall } from "@stepline/runners/deploy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pipeline from "../../examples/nightly-etl/pipeline.js";
import { type DeployOptions, deployPipeline, planPipeline } from "../../packages/cli/src/deploy/index.js";
import { type MotoSetup, startMoto } from "../helpers/moto.js";
import { fakeCredentials, motoAws, NIGHTLY_ETL_FUNCTIONS, REGION, seedReferences } from "./aws.js";
import { deployedState } from "./snapshot.js";

/**
 * For every N up to the number of AWS calls of a clean deploy, the Nth call
 * fails (before AWS sees it for odd N, after AWS did it for even N: the
 * answer is lost); the next deploy must converge to exactly the state of a
 * clean deploy, with no duplicate and nothing left to do.
 */

const compiled = compile(pipeline, { integrations });
const QUEUES = ["stepline-spot-x86_64", "stepline-on-demand-x86_64"];

/** Two servers: the Ns are split between them and run side by side. */
let servers: MotoSetup[] = [];
beforeAll(async () => {
  servers = await Promise.all([startMoto({ executor: false }), startMoto({ executor: false })]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

function options(moto: MotoSetup, hook?: DeployOptions["hook"]): DeployOptions {
  return {
    flags: { region: REGION, endpointUrl: moto.endpoint },
    env: {},
    credentials: fakeCredentials,
    maxAttempts: 1,
    sleep: async () => {},
    roleRetryDelays: [],
    concurrency: 1,
    ...(hook === undefined ? {} : { hook }),
  };
}

async function fresh(moto: MotoSetup): Promise<void> {
  await moto.reset();
  await seedReferences(motoAws(moto.endpoint), QUEUES, [], NIGHTLY_ETL_FUNCTIONS);
}

class Injected extends Error {
  override readonly name = "InjectedFault";
}

describe("deploy converges after a failure at any call", () => {
  it("fails the Nth call for every N, then deploys again", async (context) => {
    if (!servers.every((s) => s.available)) context.skip();
    const [first] = servers as [MotoSetup];
    await fresh(first);
    const clean = await deployPipeline(compiled, pipeline, options(first));
    expect(clean.report.failed).toBeUndefined();
    const calls = clean.connection.aws.calls.total;
    const expected = await deployedState(motoAws(first.endpoint), pipeline.name);
    expect(Object.keys(expected).length).toBeGreaterThan(8);
    expect(calls).toBeGreaterThan(30);

    const failures: string[] = [];
    const check = async (moto: MotoSetup, n: number): Promise<void> => {
      // Even N: fail after AWS did the call; a call that fails anyway (a read of something
      // missing) never gets there, so it fails before instead.
      let failed: AwsCall | undefined;
      let phase: "before" | "after" = n % 2 === 1 ? "before" : "after";
      for (;;) {
        await fresh(moto);
        const fail = (call: AwsCall) => {
          if (call.index !== n) return;
          failed = call;
          throw new Injected(`injected failure of call ${n} (${call.service}:${call.operation}, ${phase})`);
        };
        const broken = await deployPipeline(
          compiled,
          pipeline,
          options(moto, phase === "before" ? { before: fail } : { after: fail }),
        ).catch((error: unknown) => error);
        const stopped =
          broken instanceof Error || (broken as { report: { failed?: unknown } }).report.failed !== undefined;
        if (failed !== undefined && !stopped) failures.push(`N=${n}: the injected failure did not stop the deploy`);
        if (failed !== undefined || phase === "before") break;
        phase = "before";
      }
      if (failed === undefined) {
        failures.push(`N=${n}: there was no call ${n}`);
        return;
      }
      const again = await deployPipeline(compiled, pipeline, options(moto));
      if (again.report.failed) {
        failures.push(`N=${n} (${failed.operation}): the next deploy failed: ${again.report.failed.error.message}`);
        return;
      }
      const { deployPlan } = await planPipeline(compiled, pipeline, options(moto));
      const left = pendingActions(deployPlan.plan).map((a) => `${a.kind} ${a.key}`);
      if (left.length > 0) failures.push(`N=${n} (${failed.operation}): still pending: ${left.join(", ")}`);
      const state = await deployedState(motoAws(moto.endpoint), pipeline.name);
      try {
        expect(state).toEqual(expected);
      } catch (error) {
        const extra = Object.keys(state).filter((k) => !(k in expected));
        const missing = Object.keys(expected).filter((k) => !(k in state));
        failures.push(
          `N=${n} (${failed.service}:${failed.operation} ${phase}): extra ${extra.join(", ")}; missing ${missing.join(", ")}; ${String(error).slice(0, 600)}`,
        );
      }
    };
    await Promise.all(
      servers.map(async (moto, lane) => {
        for (let n = 1 + lane; n <= calls; n += servers.length) await check(moto, n);
      }),
    );
    failures.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
    expect(failures).toEqual([]);
  });
});
