import { describe, expectTypeOf, test } from "vitest";
import { z } from "zod";
import {
  and,
  batch,
  choose,
  eq,
  type Fmt,
  fanOut,
  fmt,
  glue,
  gt,
  isTrue,
  lambda,
  lt,
  matches,
  not,
  pipeline,
  type Ref,
  str,
} from "./index.js";

const image = "etl:1";
const input = z.object({
  date: z.string(),
  bucket: z.string().default("lake"),
  partitions: z.array(z.object({ region: z.string(), size: z.number() })).default([]),
  mode: z.enum(["full", "incremental"]).default("incremental"),
  sampleRate: z.number().default(1),
  dryRun: z.boolean().default(false),
  config: z.object({ region: z.string(), retries: z.number() }),
});

describe("typed references", () => {
  test("input refs follow the zod schema, after defaults", () => {
    pipeline({
      name: "types",
      input,
      steps: ({ input }) => {
        expectTypeOf(input.date).toEqualTypeOf<Ref<string>>();
        expectTypeOf(input.mode).toEqualTypeOf<Ref<"full" | "incremental">>();
        expectTypeOf(input.sampleRate).toEqualTypeOf<Ref<number>>();
        expectTypeOf(input.config.region).toEqualTypeOf<Ref<string>>();
        expectTypeOf(input.config).toExtend<Ref<{ region: string; retries: number }>>();
        expectTypeOf(input.partitions).toEqualTypeOf<Ref<{ region: string; size: number }[]>>();
        // @ts-expect-error the input has no such field
        void input.doesNotExist;
        // @ts-expect-error nested objects are checked too
        void input.config.zone;
        return [];
      },
    });
  });

  test("a number ref where a string is required fails", () => {
    pipeline({
      name: "types",
      input,
      steps: ({ input }) => [
        batch("a", {
          image,
          // @ts-expect-error Ref<number> is not Arg<string>
          environment: { N: input.sampleRate },
        }),
        // @ts-expect-error Ref<number> is not Arg<string>
        batch("b", { image, command: ["run", input.sampleRate] }),
        // @ts-expect-error Ref<boolean> is not Arg<string>
        glue("c", { jobName: "j", arguments: { "--dry": input.dryRun } }),
        batch("d", { image, command: [str(input.sampleRate), fmt`--rate=${input.sampleRate}`, input.mode] }),
      ],
    });
  });

  test("fmt accepts scalar refs only and is string-valued", () => {
    pipeline({
      name: "types",
      input,
      steps: ({ input }) => {
        expectTypeOf(fmt`s3://${input.bucket}/${input.date}/${input.sampleRate}`).toEqualTypeOf<Fmt>();
        // @ts-expect-error an object ref cannot be interpolated
        void fmt`${input.config}`;
        // @ts-expect-error an array ref cannot be interpolated
        void str(input.partitions);
        return [];
      },
    });
  });

  test("conditions are typed by the reference", () => {
    pipeline({
      name: "types",
      input,
      steps: ({ input }) => [
        choose("c", {
          when: and(
            eq(input.mode, "full"),
            lt(input.sampleRate, 0.5),
            gt(input.date, "2024"),
            not(isTrue(input.dryRun)),
          ),
          then: () => [],
        }),
        // @ts-expect-error a string enum ref compared with a number
        choose("d", { when: eq(input.mode, 5), then: () => [] }),
        // @ts-expect-error a value outside the enum
        choose("e", { when: eq(input.mode, "partial"), then: () => [] }),
        // @ts-expect-error a number ref ordered against a string
        choose("f", { when: lt(input.sampleRate, "1"), then: () => [] }),
        // @ts-expect-error matches needs a string ref
        choose("g", { when: matches(input.sampleRate, "1*"), then: () => [] }),
      ],
    });
  });

  test("fan-out item refs are typed from the element type", () => {
    pipeline({
      name: "types",
      input,
      steps: ({ input }) => {
        const files = lambda<{ files: string[] }>("list", { functionName: "list" });
        return [
          fanOut("each", {
            items: input.partitions,
            steps: ({ item, index }) => {
              expectTypeOf(item.region).toEqualTypeOf<Ref<string>>();
              expectTypeOf(item.size).toEqualTypeOf<Ref<number>>();
              expectTypeOf(index).toEqualTypeOf<Ref<number>>();
              // @ts-expect-error no such field on the element type
              void item.zone;
              // @ts-expect-error Ref<number> is not Arg<string>
              return [batch("load", { image, command: [item.region, item.size] })];
            },
          }),
          fanOut("per-file", {
            items: files.result.Payload.files,
            steps: ({ item }) => {
              expectTypeOf(item).toEqualTypeOf<Ref<string>>();
              return [];
            },
          }),
          // @ts-expect-error items must be a list reference
          fanOut("bad", { items: input.date, steps: () => [] }),
        ];
      },
    });
  });

  test("lambda Payload generics flow into result refs", () => {
    const typed = lambda<{ files: string[]; summary: { count: number } }>("list", { functionName: "list" });
    expectTypeOf(typed.result.Payload.files).toEqualTypeOf<Ref<string[]>>();
    expectTypeOf(typed.result.Payload.summary.count).toEqualTypeOf<Ref<number>>();
    expectTypeOf(typed.result.StatusCode).toEqualTypeOf<Ref<number>>();
    // @ts-expect-error not in the declared payload
    void typed.result.Payload.missing;

    const fromSchema = lambda("list2", { functionName: "list", result: z.object({ total: z.number() }) });
    expectTypeOf(fromSchema.result.Payload.total).toEqualTypeOf<Ref<number>>();

    const untyped = lambda("ping", { functionName: "ping" });
    expectTypeOf(untyped.result.Payload).toExtend<Ref<unknown>>();
  });

  test("step results are typed", () => {
    const job = batch("job", { image });
    expectTypeOf(job.result.JobId).toEqualTypeOf<Ref<string>>();
    expectTypeOf(job.result.ExitCode).toEqualTypeOf<Ref<number>>();
    const array = batch("array", { image, arraySize: 10 });
    expectTypeOf(array.result).not.toHaveProperty("ExitCode");
    const run = glue("run", { scriptLocation: "s3://code/job.py" });
    expectTypeOf(run.result.ExecutionTime).toEqualTypeOf<Ref<number>>();
    expectTypeOf(choose("c", { when: eq(job.result.Status, "SUCCEEDED"), then: () => [] }).result.Branch).toEqualTypeOf<
      Ref<"then" | "otherwise">
    >();
    // @ts-expect-error a Glue step needs a job name or a script location
    glue("none", { jobType: "spark" });
    // @ts-expect-error unknown options are rejected
    batch("typo", { image, vcpu: 2 });
  });
});
