import { readFileSync } from "node:fs";
import { main } from "@stepline/cli";
import { sdkModules as awsSdk } from "@stepline/runners/deploy";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type MotoSetup, startMoto } from "../helpers/moto.js";

/**
 * `stepline logs <execution-arn> [step]` reading real CloudWatch Logs (moto,
 * seeded here: moto's Batch writes no logs without Docker) for a history
 * whose Batch `.sync` steps moto cannot run ('JobName' casing): the history
 * (recorded shape) and Batch DescribeJobs are mocked, the logs are not.
 */

const region = "eu-west-1";
const arn = "arn:aws:states:eu-west-1:123456789012:execution:clicks:run-7";
const history = JSON.parse(readFileSync(new URL("../fixtures/remote/batch-history.json", import.meta.url), "utf8"))
  .events as { timestamp: string }[];

let moto: MotoSetup;

beforeAll(async () => {
  moto = await startMoto({ config: { batch: { use_docker: false } } });
  if (!moto.available) return;
  vi.stubEnv("AWS_ACCESS_KEY_ID", "testing");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "testing");
  const logsSdk = await awsSdk.logs();
  const logs = new logsSdk.CloudWatchLogsClient({
    region,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
  });
  await logs.send(new logsSdk.CreateLogGroupCommand({ logGroupName: "/aws/batch/job" }));
  const streams: Record<string, string[]> = {
    "extract/default/job-1a": ["reading orders", "Traceback: boom"],
    "extract/default/job-2-reclaimed": ["reading orders (attempt reclaimed by Spot)"],
    "extract/default/job-2": ["reading orders", "wrote 1200 rows"],
    "compact/default/job-3": ["compacting partition 0"],
    // compact/default/job-4 is left out: its logs expired.
  };
  let t = Date.now() - 60_000;
  for (const [stream, lines] of Object.entries(streams)) {
    await logs.send(new logsSdk.CreateLogStreamCommand({ logGroupName: "/aws/batch/job", logStreamName: stream }));
    await logs.send(
      new logsSdk.PutLogEventsCommand({
        logGroupName: "/aws/batch/job",
        logStreamName: stream,
        logEvents: lines.map((message) => ({ message, timestamp: t++ })),
      }),
    );
  }
  const sfnSdk = await awsSdk.sfn();
  mockClient(sfnSdk.SFNClient)
    .on(sfnSdk.GetExecutionHistoryCommand)
    .resolves({
      events: history.map((e) => ({ ...e, timestamp: new Date(e.timestamp) })) as never,
    });
  const batchSdk = await awsSdk.batch();
  mockClient(batchSdk.BatchClient)
    .on(batchSdk.DescribeJobsCommand, { jobs: ["job-3"] })
    .resolves({
      jobs: [
        {
          jobId: "job-3",
          jobName: "x",
          jobQueue: "q",
          jobDefinition: "jd",
          status: "RUNNING",
          startedAt: 1,
          container: { logStreamName: "compact/default/job-3" },
        } as never,
      ],
    });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await moto?.stop();
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { AWS_ENDPOINT_URL: moto.endpoint, NO_COLOR: "1" },
  });
  return { code, stdout, stderr };
}

describe("stepline logs <execution-arn>", () => {
  it("prints every Batch job's streams by step, attempt, Map item and Batch attempt", async (t) => {
    if (!moto.available) t.skip();
    const run = await cli(["logs", arn]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "== extract (attempt 1, job job-1) ==",
        "reading orders",
        "Traceback: boom",
        "== extract (attempt 2, job job-2, batch attempt 1) ==",
        "reading orders (attempt reclaimed by Spot)",
        "== extract (attempt 2, job job-2, batch attempt 2) ==",
        "reading orders",
        "wrote 1200 rows",
        // A running job: its stream comes from DescribeJobs.
        "== compact (attempt 1, item 0, job job-3) ==",
        "compacting partition 0",
        "== compact (attempt 1, item 1, job job-4) ==",
        "(no logs: stream compact/default/job-4 not found in log group /aws/batch/job)",
        "",
      ].join("\n"),
    );
  });

  it("one step, one attempt", async (t) => {
    if (!moto.available) t.skip();
    const run = await cli(["logs", arn, "extract", "--attempt", "1"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("reading orders\nTraceback: boom\n");
    const missing = await cli(["logs", arn, "extract", "--attempt", "3"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("SL_REMOTE_UNKNOWN_ATTEMPT");
    expect(missing.stderr).toContain("Attempts: 1, 2.");
  });
});
