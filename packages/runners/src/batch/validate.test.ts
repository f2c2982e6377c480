import type { BatchStepModel, IntegrationContext, PipelineModel, Problem } from "@stepline/core";
import { describe, expect, test } from "vitest";
import { batchIntegration } from "./integration.js";
import { batchJobName, defaultJobQueue, jobDefinitionName } from "./naming.js";

const pipeline: PipelineModel = {
  kind: "stepline.pipeline",
  version: 1,
  name: "nightly",
  tags: {},
  input: { schema: {}, defaults: {}, required: [], types: {} },
  defaults: {},
  steps: [],
};
const ctx: IntegrationContext = { pipeline, defaults: {} };
const valid: BatchStepModel = {
  kind: "batch",
  name: "extract",
  after: [],
  image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/etl:1.4",
  command: ["python", "extract.py"],
  vcpus: 1,
  memoryMiB: 2048,
  environment: { MODE: "full", API_TOKEN: { $ref: { source: "input", path: ["token"] } } },
  secrets: {
    DB_PASSWORD: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
    API_KEY: "arn:aws:ssm:eu-west-1:123456789012:parameter/etl/api-key",
  },
  architecture: "arm64",
  capacity: "spot",
  gpus: 1,
  arraySize: 2,
  spotAttempts: 10,
  attemptTimeoutSeconds: 60,
  tags: {},
};

function codes(step: BatchStepModel, context = ctx): string[] {
  return batchIntegration.validate(step, context).map((p) => p.code);
}
function only(step: BatchStepModel, code: string): Problem {
  const problems = batchIntegration.validate(step, ctx).filter((p) => p.code === code);
  expect(problems).toHaveLength(1);
  return problems[0] as Problem;
}

describe("batch validation", () => {
  test("a valid step (arm64 with a GPU, secrets by ARN, referenced token) has no problem", () => {
    expect(codes(valid)).toStrictEqual([]);
  });

  test.each([
    ["SL_BATCH_ARRAY_SIZE", { arraySize: 1 }, "arraySize"],
    ["SL_BATCH_ARRAY_SIZE", { arraySize: 10_001 }, "arraySize"],
    ["SL_BATCH_SPOT_ATTEMPTS", { spotAttempts: 0 }, "spotAttempts"],
    ["SL_BATCH_SPOT_ATTEMPTS", { spotAttempts: 11 }, "spotAttempts"],
    ["SL_BATCH_ATTEMPT_TIMEOUT", { attemptTimeoutSeconds: 59 }, "attemptTimeoutSeconds"],
    ["SL_BATCH_VCPUS", { vcpus: 0 }, "vcpus"],
    ["SL_BATCH_MEMORY", { memoryMiB: 3 }, "memoryMiB"],
    ["SL_BATCH_GPUS", { gpus: 1.5 }, "gpus"],
    ["SL_BATCH_IMAGE", { image: " " }, "image"],
    ["SL_BATCH_ENV_VALUE", { environment: { CONFIG: { a: 1 } } }, "environment.CONFIG"],
    ["SL_BATCH_ON_DEMAND_QUEUE_UNUSED", { onDemandJobQueue: "od" }, "onDemandJobQueue"],
  ] as const)("%s fires on %j", (code, change, field) => {
    const problem = only({ ...valid, ...change } as BatchStepModel, code);
    expect(problem).toMatchObject({ step: "extract", field });
    expect(problem.message).not.toBe("");
    expect(problem.fix).not.toBe("");
  });

  test("SL_BATCH_ON_DEMAND_QUEUE_UNUSED is a warning", () => {
    expect(only({ ...valid, onDemandJobQueue: "od" }, "SL_BATCH_ON_DEMAND_QUEUE_UNUSED").severity).toBe("warning");
  });

  test("an image is not needed with the user's job definition", () => {
    expect(codes({ ...valid, image: "", secrets: {}, jobDefinition: "legacy" })).toStrictEqual([]);
  });

  test("SL_BATCH_TAGS counts pipeline, step and stepline tags", () => {
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "x"]));
    expect(codes({ ...valid, tags })).toStrictEqual([]);
    const problem = only({ ...valid, tags: { ...tags, one: "more" } }, "SL_BATCH_TAGS");
    expect(problem.message).toContain("51 tags");
  });

  test("SL_BATCH_OVERRIDES_TOO_LARGE counts references as their JSONPath text", () => {
    const ref = { $ref: { source: "input", path: ["a".repeat(100)] } } as const;
    const environment = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`V${i}`, ref]));
    const problem = only({ ...valid, environment }, "SL_BATCH_OVERRIDES_TOO_LARGE");
    expect(problem.field).toBe("environment");
    expect(
      codes({ ...valid, environment: Object.fromEntries(Object.entries(environment).slice(0, 40)) }),
    ).toStrictEqual([]);
  });

  test("SL_SECRET_PLAINTEXT on a secret that is not an ARN, without echoing it", () => {
    const problem = only({ ...valid, secrets: { DB_PASSWORD: "hunter2-very-secret" } }, "SL_SECRET_PLAINTEXT");
    expect(problem.field).toBe("secrets.DB_PASSWORD");
    expect(problem.message).toContain("'hunt…'");
    expect(problem.message).not.toContain("hunter2");
    expect(problem.fix).toContain("arn:aws:secretsmanager:");
  });

  test("SL_SECRET_PLAINTEXT never shows more than half of a short value", () => {
    const problem = only({ ...valid, secrets: { PIN: "1234" } }, "SL_SECRET_PLAINTEXT");
    expect(problem.message).toContain("'12…'");
  });

  test("SL_SECRET_PLAINTEXT on a secret-looking environment variable with a literal", () => {
    for (const name of ["DB_PASSWORD", "client_secret", "GithubToken", "STRIPE_API_KEY", "SSH_PRIVATE_KEY"]) {
      const problem = only({ ...valid, environment: { [name]: "s3cr3t-value" } }, "SL_SECRET_PLAINTEXT");
      expect(problem.field).toBe(`environment.${name}`);
      expect(problem.message).not.toContain("s3cr3t-value");
      expect(problem.fix).toContain(`secrets: { ${name}:`);
    }
  });

  test("SL_BATCH_SECRETS_NEED_DEFINITION when secrets come with the user's job definition", () => {
    const problem = only({ ...valid, jobDefinition: "legacy-etl" }, "SL_BATCH_SECRETS_NEED_DEFINITION");
    expect(problem.field).toBe("secrets");
    expect(problem.message).toContain("API_KEY, DB_PASSWORD");
  });

  test("every problem of a step is collected", () => {
    expect(codes({ ...valid, arraySize: 1, vcpus: 0, secrets: { X: "plain" } })).toStrictEqual([
      "SL_BATCH_ARRAY_SIZE",
      "SL_BATCH_VCPUS",
      "SL_SECRET_PLAINTEXT",
    ]);
  });
});

describe("batch naming", () => {
  test("job definition and job names are sanitised and bounded", () => {
    expect(jobDefinitionName({ name: "nightly.sales" }, { name: "extract orders" })).toBe(
      "nightly-sales-extract-orders",
    );
    const long = jobDefinitionName({ name: "p".repeat(100) }, { name: "s".repeat(100) });
    expect(long).toHaveLength(128);
    expect(long).toMatch(/^p+-s+-[0-9a-f]{8}$/);
    expect(jobDefinitionName({ name: "p".repeat(100) }, { name: `${"s".repeat(99)}t` })).not.toBe(long);
    expect(batchJobName({ name: "_x" }, { name: "y" })).toBe("x-y");
  });

  test("default queues per capacity and architecture", () => {
    expect(defaultJobQueue("spot", "x86_64")).toBe("stepline-spot-x86_64");
    expect(defaultJobQueue("spot-then-on-demand", "arm64")).toBe("stepline-spot-arm64");
    expect(defaultJobQueue("on-demand", "arm64")).toBe("stepline-on-demand-arm64");
  });
});
