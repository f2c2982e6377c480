// Deploy benchmark against moto (an AWS emulator): prints figures, asserts nothing.
//   node bench/deploy/run.mjs            (after `pnpm run build`; needs python3 with moto)
// For the nightly-etl example, as whole `stepline` processes:
// 1. the first deploy; 2. a no-op redeploy (target: zero changes, ≤ 2 s); 3. a plan with nothing to do;
// 4. a one-step change (another image for one Batch step): only the calls that change touches.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { awsContext } from "../../packages/runners/dist/deploy/index.js";

// stepline pins the SDK: its notice about future releases needing Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "packages/cli/bin/stepline.js");
const example = "examples/nightly-etl/pipeline.ts";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startMoto() {
  const port = await freePort();
  const logDir = mkdtempSync(join(tmpdir(), "stepline-bench-moto-"));
  const child = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    stdio: "ignore",
    env: { ...process.env, MOTO_PORT: String(port) },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.kill("SIGTERM");
    rmSync(logDir, { recursive: true, force: true });
  };
  process.once("exit", stop);
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`${endpoint}/moto-api/`);
      await r.arrayBuffer();
      if (r.status < 500) break;
    } catch {}
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error("moto did not start (is python3 -m moto installed?)");
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, stop };
}

/** The job queues nightly-etl submits to and the Lambda function it invokes (it references them; stepline does not create them). */
async function seed(endpoint) {
  const aws = awsContext({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    maxAttempts: 1,
  });
  const iam = await aws.client("iam");
  const { CreateRoleCommand } = await aws.sdk("iam");
  await iam.send(
    new CreateRoleCommand({
      RoleName: "batch-service",
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "batch.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }),
  );
  const batch = await aws.client("batch");
  const { CreateComputeEnvironmentCommand, CreateJobQueueCommand } = await aws.sdk("batch");
  const ce = await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: "bench",
      type: "UNMANAGED",
      state: "ENABLED",
      serviceRole: "arn:aws:iam::123456789012:role/batch-service",
    }),
  );
  await iam.send(new CreateRoleCommand({ RoleName: "bench-lambda", AssumeRolePolicyDocument: "{}" }));
  const lambda = await aws.client("lambda", "eu-west-1");
  const { CreateFunctionCommand } = await aws.sdk("lambda");
  // moto stores the code without unpacking it (it would need Docker only to invoke).
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: "data-oncall-notify",
      Role: "arn:aws:iam::123456789012:role/bench-lambda",
      Runtime: "python3.12",
      Handler: "index.handler",
      Code: { ZipFile: new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]) },
    }),
  );
  for (const name of ["stepline-spot-x86_64", "stepline-on-demand-x86_64"]) {
    await batch.send(
      new CreateJobQueueCommand({
        jobQueueName: name,
        state: "ENABLED",
        priority: 1,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce.computeEnvironmentArn }],
      }),
    );
  }
}

function stepline(args, endpoint) {
  const start = performance.now();
  const run = spawnSync(process.execPath, [bin, ...args, "--json"], {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: "bench",
      AWS_SECRET_ACCESS_KEY: "bench",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: endpoint,
      AWS_EC2_METADATA_DISABLED: "true",
      NO_COLOR: "1",
    },
  });
  const wall = (performance.now() - start) / 1000;
  let out;
  try {
    out = JSON.parse(run.stdout);
  } catch {
    throw new Error(`stepline ${args.join(" ")} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  }
  return { wall, status: run.status, out };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const moto = await startMoto();
try {
  await seed(moto.endpoint);
  const rows = [];
  const row = (scenario, runs) => {
    const last = runs[runs.length - 1];
    const changes = Object.entries(last.out.calls.operations ?? {})
      .filter(([op]) => !/:(Describe|Get|List)/.test(op))
      .map(([op, n]) => (n > 1 ? `${op}×${n}` : op));
    rows.push({
      scenario,
      wall: median(runs.map((r) => r.wall)),
      reads: last.out.calls.reads,
      mutations: last.out.calls.mutations,
      changes: changes.join(", ") || "-",
    });
  };
  row("first deploy", [stepline(["deploy", example, "--yes"], moto.endpoint)]);
  const noop = [];
  for (let i = 0; i < 5; i++) noop.push(stepline(["deploy", example], moto.endpoint));
  row("no-op redeploy (median of 5)", noop);
  const plans = [];
  for (let i = 0; i < 5; i++) plans.push(stepline(["plan", example], moto.endpoint));
  row("plan, nothing to do (median of 5)", plans);

  // One step's image changes: a copy of the example next to it (its imports resolve from there).
  const dir = mkdtempSync(join(root, "examples/nightly-etl/.bench-"));
  try {
    const text = readFileSync(join(root, example), "utf8").replace(
      'image: ecrImage("sales-etl", "1.8.2"),\n      command: [\n        "python",\n        "-m",\n        "etl.load"',
      'image: ecrImage("sales-etl", "1.8.3"),\n      command: [\n        "python",\n        "-m",\n        "etl.load"',
    );
    writeFileSync(join(dir, "pipeline.ts"), text.replaceAll('from "./settings.js"', 'from "../settings.js"'));
    row("one-step change (load-warehouse image)", [
      stepline(["deploy", join(dir, "pipeline.ts"), "--yes"], moto.endpoint),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  row("destroy", [stepline(["destroy", example, "--yes"], moto.endpoint)]);

  console.log("deploy benchmark: examples/nightly-etl against moto (whole CLI processes, wall time)\n");
  console.log("| scenario | wall (s) | read calls | mutating calls | mutating operations |");
  console.log("|---|---:|---:|---:|---|");
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${r.wall.toFixed(2)} | ${r.reads} | ${r.mutations} | ${r.changes} |`);
  }
} finally {
  moto.stop();
}
