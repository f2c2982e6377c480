import { expect, test } from "vitest";
import { z } from "zod";
import { batch, choose, eq, fanOut, fmt, glue, lambda, pipeline } from "./index.js";

const image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/etl:1.4";

/** The README pipeline: it must type-check and build. */
const nightly = pipeline({
  name: "nightly-sales-etl",
  description: "Extract the day's orders, clean them with Glue, load the warehouse.",
  tags: { team: "data-platform" },
  input: z.object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    bucket: z.string().default("acme-data-lake"),
    partitions: z.array(z.string()).default(["eu", "us"]),
    mode: z.enum(["full", "incremental"]).default("incremental"),
    sampleRate: z.number().default(1),
  }),
  defaults: { retry: { attempts: 3, intervalSeconds: 30 }, timeoutSeconds: 7200, capacity: "spot" },
  schedule: { expression: "cron(0 3 * * ? *)", timezone: "Europe/Paris" },
  onFailure: {
    handler: lambda("notify-failure", {
      functionName: "arn:aws:lambda:eu-west-1:123456789012:function:notify",
      payload: { pipeline: "nightly-sales-etl" },
    }),
  },
  steps: ({ input }) => {
    const extract = batch("extract", {
      image,
      command: ["python", "extract.py", "--date", input.date, "--out", fmt`s3://${input.bucket}/raw/${input.date}/`],
      vcpus: 2,
      memoryMiB: 4096,
      environment: { BUCKET: input.bucket },
      secrets: { DB_PASSWORD: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:warehouse-db" },
    });
    const transform = glue("transform", {
      scriptLocation: "s3://acme-code/transform.py",
      jobType: "pythonshell",
      arguments: { "--date": input.date, "--extract-job": extract.result.JobId },
    });
    const perPartition = fanOut("per-partition", {
      items: input.partitions,
      maxConcurrency: 4,
      maxItems: 50,
      steps: ({ item }) => [batch("load-partition", { image, command: ["load", item] })],
    });
    const full = choose("mode", {
      when: eq(input.mode, "full"),
      then: () => [batch("full-rebuild", { image, command: ["rebuild"] })],
      otherwise: () => [],
    });
    const load = batch("load", {
      image,
      command: ["load", "--date", input.date],
      after: [transform, perPartition, full],
    });
    return [extract, transform, perPartition, full, load];
  },
});

test("the README pipeline builds", () => {
  expect(nightly.steps.map((step) => step.name)).toStrictEqual([
    "extract",
    "transform",
    "per-partition",
    "mode",
    "load",
  ]);
  expect(nightly.input.required).toStrictEqual(["date"]);
  expect(nightly.defaults.retry).toStrictEqual({ attempts: 3, intervalSeconds: 30, backoffRate: 2, jitter: "FULL" });
  expect(nightly.steps[4]?.after).toStrictEqual(["transform", "per-partition", "mode"]);
  expect(nightly.steps[2]).toMatchObject({
    kind: "map",
    steps: [{ command: ["load", { $ref: { source: "item", path: [] } }] }],
  });
});
