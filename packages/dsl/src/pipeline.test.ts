import { SteplineError } from "@stepline/core";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { batch, choose, eq, fanOut, fmt, glue, lambda, pipeline, str } from "./index.js";

const image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/etl:1.4";
const notifyArn = "arn:aws:lambda:eu-west-1:123456789012:function:notify";

function sample() {
  return pipeline({
    name: "nightly",
    tags: { team: "data" },
    input: z.object({
      date: z.string(),
      bucket: z.string().default("lake"),
      partitions: z.array(z.object({ region: z.string() })).default([{ region: "eu" }]),
      mode: z.enum(["full", "incremental"]).default("incremental"),
      sampleRate: z.number().default(1),
      label: z.string().optional(),
    }),
    defaults: { retry: { attempts: 2 }, capacity: "on-demand" },
    onFailure: { handler: lambda("notify", { functionName: notifyArn, payload: { pipeline: "nightly" } }) },
    steps: ({ input }) => {
      const extract = batch("extract", {
        image,
        command: ["extract", input.date, fmt`s3://${input.bucket}/raw/${input.date}/`],
        secrets: { PW: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" },
        environment: { RATE: str(input.sampleRate), CONST: "1" },
      });
      const transform = glue("transform", {
        scriptLocation: "s3://code/transform.py",
        jobType: "pythonshell",
        arguments: { "--date": input.date, "--job": extract.result.JobId },
        retry: { intervalSeconds: 5 },
      });
      const list = lambda<{ files: { first: string } }>("list", {
        functionName: "list-files",
        payload: { prefix: input.bucket },
      });
      const each = fanOut("each", {
        items: input.partitions,
        maxItems: 5,
        steps: ({ item, index }) => [
          batch("load-partition", { image, command: ["load", item.region, str(index)], architecture: "arm64" }),
        ],
      });
      const full = choose("full", {
        when: eq(input.mode, "full"),
        then: () => [batch("rebuild", { image, command: ["rebuild", list.result.Payload.files.first] })],
        after: [each],
        onFailure: "continue",
      });
      return [extract, transform, list, each, full];
    },
  });
}

const ref = (source: string, path: string[], step?: string) => ({
  $ref: step === undefined ? { source, path } : { source, step, path },
});

describe("pipeline", () => {
  test("produces the exact model", () => {
    const batchDefaults = {
      vcpus: 1,
      memoryMiB: 2048,
      environment: {},
      secrets: {},
      architecture: "x86_64",
      capacity: "on-demand",
      tags: {},
    };
    expect(sample()).toStrictEqual({
      kind: "stepline.pipeline",
      version: 1,
      name: "nightly",
      tags: { team: "data" },
      input: {
        schema: {
          $schema: "https://json-schema.org/draft/2020-12/schema",
          type: "object",
          properties: {
            date: { type: "string" },
            bucket: { default: "lake", type: "string" },
            partitions: {
              default: [{ region: "eu" }],
              type: "array",
              items: {
                type: "object",
                properties: { region: { type: "string" } },
                required: ["region"],
              },
            },
            mode: { default: "incremental", type: "string", enum: ["full", "incremental"] },
            sampleRate: { default: 1, type: "number" },
            label: { type: "string" },
          },
          required: ["date"],
        },
        defaults: { bucket: "lake", partitions: [{ region: "eu" }], mode: "incremental", sampleRate: 1 },
        required: ["date"],
        types: {
          date: "string",
          bucket: "string",
          partitions: "array",
          mode: "string",
          sampleRate: "number",
          label: "string",
        },
      },
      defaults: {
        retry: { attempts: 2, intervalSeconds: 1, backoffRate: 2, jitter: "FULL" },
        capacity: "on-demand",
        onFailure: {
          action: "handler",
          handler: {
            kind: "lambda",
            name: "notify",
            after: [],
            functionName: notifyArn,
            payload: { pipeline: "nightly" },
          },
        },
      },
      steps: [
        {
          kind: "batch",
          name: "extract",
          after: [],
          image,
          command: [
            "extract",
            ref("input", ["date"]),
            { $format: ["s3://", ref("input", ["bucket"]), "/raw/", ref("input", ["date"]), "/"] },
          ],
          ...batchDefaults,
          environment: { RATE: { $format: [ref("input", ["sampleRate"])] }, CONST: "1" },
          secrets: { PW: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" },
        },
        {
          kind: "glue",
          name: "transform",
          after: [],
          scriptLocation: "s3://code/transform.py",
          jobType: "pythonshell",
          arguments: { "--date": ref("input", ["date"]), "--job": ref("step", ["JobId"], "extract") },
          executionClass: "STANDARD",
          connections: [],
          retry: { attempts: 3, intervalSeconds: 5, backoffRate: 2, jitter: "FULL" },
        },
        {
          kind: "lambda",
          name: "list",
          after: [],
          functionName: "list-files",
          payload: { prefix: ref("input", ["bucket"]) },
        },
        {
          kind: "map",
          name: "each",
          after: [],
          items: ref("input", ["partitions"]),
          maxConcurrency: 10,
          maxItems: 5,
          mode: "inline",
          steps: [
            {
              kind: "batch",
              name: "load-partition",
              after: [],
              image,
              command: ["load", ref("item", ["region"]), { $format: [ref("index", [])] }],
              ...batchDefaults,
              architecture: "arm64",
            },
          ],
        },
        {
          kind: "choice",
          name: "full",
          after: ["each"],
          condition: { op: "eq", left: { source: "input", path: ["mode"] }, right: "full" },
          then: [
            {
              kind: "batch",
              name: "rebuild",
              after: [],
              image,
              command: ["rebuild", ref("step", ["Payload", "files", "first"], "list")],
              ...batchDefaults,
            },
          ],
          otherwise: [],
          onFailure: { action: "continue" },
        },
      ],
    });
  });

  test("returns a deep-frozen model", () => {
    const model = sample();
    const unfrozen: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (value === null || typeof value !== "object") return;
      if (!Object.isFrozen(value)) unfrozen.push(path);
      for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
    };
    walk(model, "model");
    expect(unfrozen).toStrictEqual([]);
    expect(() => {
      (model as { name: string }).name = "changed";
    }).toThrow(TypeError);
  });

  test("survives a JSON round trip unchanged", () => {
    const model = sample();
    expect(JSON.parse(JSON.stringify(model))).toStrictEqual(model);
  });

  test("is deterministic", () => {
    expect(JSON.stringify(sample())).toBe(JSON.stringify(sample()));
  });

  test("without input has an empty object schema and keeps the schedule", () => {
    const model = pipeline({
      name: "tiny",
      description: "one step",
      schedule: { expression: "rate(1 hour)", timezone: "Europe/Paris" },
      steps: () => [lambda("ping", { functionName: "ping" })],
    });
    expect(model.input).toStrictEqual({ schema: { type: "object" }, defaults: {}, required: [], types: {} });
    expect(model.schedule).toStrictEqual({ expression: "rate(1 hour)", timezone: "Europe/Paris" });
    expect(model.description).toBe("one step");
    expect(model.defaults).toStrictEqual({});
    expect(model.steps[0]).toStrictEqual({
      kind: "lambda",
      name: "ping",
      after: [],
      functionName: "ping",
      payload: {},
    });
  });

  test("pipeline defaults fill Batch capacity and architecture only where unset", () => {
    const model = pipeline({
      name: "caps",
      defaults: { capacity: "spot-then-on-demand", architecture: "arm64", jobQueue: "q" },
      steps: () => [
        batch("a", { image }),
        batch("b", { image, capacity: "spot", architecture: "x86_64", arraySize: 4 }),
      ],
    });
    const [a, b] = model.steps;
    expect(a).toMatchObject({ capacity: "spot-then-on-demand", architecture: "arm64" });
    expect(a).not.toHaveProperty("jobQueue");
    expect(b).toMatchObject({ capacity: "spot", architecture: "x86_64", arraySize: 4 });
  });

  test("explicit dependencies accept handles and names", () => {
    const model = pipeline({
      name: "deps",
      steps: () => {
        const a = batch("a", { image });
        return [a, batch("b", { image, after: [a, "c"] })];
      },
    });
    expect(model.steps[1]?.after).toStrictEqual(["a", "c"]);
  });

  test("step result references point at the step", () => {
    const step = batch("extract", { image });
    expect(step.result.ExitCode).toStrictEqual(ref("step", ["ExitCode"], "extract"));
    expect(glue("g", { jobName: "j" }).result.JobRunState).toStrictEqual(ref("step", ["JobRunState"], "g"));
    expect(JSON.stringify(lambda<{ a: { b: number } }>("l", { functionName: "f" }).result.Payload.a.b)).toBe(
      JSON.stringify(ref("step", ["Payload", "a", "b"], "l")),
    );
    expect(
      fanOut("m", { items: lambda<string[]>("l", { functionName: "f" }).result.Payload, steps: () => [] }).result.Count,
    ).toStrictEqual(ref("step", ["Count"], "m"));
    expect(choose("c", { when: eq(step.result.Status, "SUCCEEDED"), then: () => [] }).result.Branch).toStrictEqual(
      ref("step", ["Branch"], "c"),
    );
  });

  test("a lambda result schema gives plain nested references", () => {
    const step = lambda("l", { functionName: "f", result: z.object({ out: z.object({ key: z.string() }) }) });
    expect(step.result.Payload.out.key).toStrictEqual(ref("step", ["Payload", "out", "key"], "l"));
  });

  test("input object refs serialise as the reference alone", () => {
    let seen: unknown;
    pipeline({
      name: "nested",
      input: z.object({ config: z.object({ region: z.string() }) }),
      steps: ({ input }) => {
        seen = input.config;
        return [lambda("l", { functionName: "f", payload: { config: input.config, region: input.config.region } })];
      },
    });
    expect(JSON.parse(JSON.stringify(seen))).toStrictEqual(ref("input", ["config"]));
  });

  test("rejects what cannot be a step argument or list", () => {
    const bad = () => lambda("l", { functionName: "f", payload: { when: new Date(0) as never } });
    expect(bad).toThrow(SteplineError);
    expect(bad).toThrow(/SL_DSL_BAD_VALUE/);
    expect(() => fanOut("m", { items: ["a"] as never, steps: () => [] })).toThrow(/SL_DSL_BAD_ITEMS/);
    expect(() => pipeline({ name: "p", input: z.string() as never, steps: () => [] })).toThrow(/SL_DSL_INPUT_SCHEMA/);
    expect(() =>
      pipeline({ name: "p", onFailure: "continue", defaults: { onFailure: "fail" }, steps: () => [] }),
    ).toThrow(/SL_DSL_OPTION_CONFLICT/);
  });
});
