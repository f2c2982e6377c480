import { batch, choose, eq, fanOut, fmt, glue, lambda, pipeline } from "@stepline/dsl";
import { z } from "zod";

/**
 * Clickstream compaction over partitions: a Lambda lists the hour partitions
 * that landed for the day, a fan-out compacts each one (a Batch job per
 * partition, at most 8 at a time), then either a full rebuild of the sessions
 * table or an incremental merge runs, and the catalog is refreshed.
 */
export default pipeline({
  name: "clickstream-compaction",
  description: "Compact each landed clickstream partition, then rebuild or merge sessions.",
  tags: { team: "web-analytics" },
  input: z.object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    bucket: z.string().default("acme-clickstream"),
    mode: z.enum(["incremental", "full"]).default("incremental"),
    targetFileMiB: z.number().int().default(256),
  }),
  defaults: {
    retry: { attempts: 4, intervalSeconds: 30, backoffRate: 2, jitter: "FULL" },
    timeoutSeconds: 7200,
    capacity: "spot",
    jobQueue: "analytics-spot",
  },
  steps: ({ input }) => {
    const list = lambda<{ partitions: string[]; count: number }>("list-partitions", {
      functionName: "clickstream-list-partitions",
      payload: { bucket: input.bucket, prefix: fmt`landing/date=${input.date}/` },
      timeoutSeconds: 60,
      local: { handler: "./handlers/list-partitions.ts" },
    });
    const compact = fanOut("compact-partitions", {
      items: list.result.Payload.partitions,
      maxConcurrency: 8,
      maxItems: 24,
      steps: ({ item }) => [
        batch("compact-partition", {
          image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/compactor:3.2.0",
          command: [
            "compact",
            "--in",
            fmt`s3://${input.bucket}/${item}`,
            "--out",
            fmt`s3://${input.bucket}/compacted/${item}`,
            "--target-mib",
            fmt`${input.targetFileMiB}`,
          ],
          vcpus: 4,
          memoryMiB: 8192,
          attemptTimeoutSeconds: 1800,
          local: {
            command: [
              "python3",
              "./jobs/compact.py",
              "--in",
              fmt`s3://${input.bucket}/${item}`,
              "--out",
              fmt`s3://${input.bucket}/compacted/${item}`,
              "--target-mib",
              fmt`${input.targetFileMiB}`,
            ],
          },
        }),
      ],
    });
    const sessions = choose("sessions-mode", {
      when: eq(input.mode, "full"),
      then: () => [
        glue("rebuild-sessions", {
          jobName: "sessions-full-rebuild",
          workerType: "G.2X",
          numberOfWorkers: 20,
          arguments: { "--date": input.date },
          local: { script: "./jobs/sessions.py" },
        }),
      ],
      otherwise: () => [
        glue("merge-sessions", {
          jobName: "sessions-incremental-merge",
          workerType: "G.1X",
          numberOfWorkers: 5,
          executionClass: "FLEX",
          arguments: { "--date": input.date, "--partitions": fmt`${list.result.Payload.count}` },
          local: { script: "./jobs/sessions.py" },
        }),
      ],
      after: [compact],
    });
    const catalog = lambda("refresh-catalog", {
      functionName: "glue-catalog-refresh",
      payload: { database: "clickstream", table: "sessions", date: input.date },
      after: [sessions],
      onFailure: "continue",
      local: { handler: "./handlers/refresh-catalog.ts" },
    });
    return [list, compact, sessions, catalog];
  },
});
