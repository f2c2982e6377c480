import { batch, daily, failure, fmt, glue, lambda, pipeline, scheduled } from "@stepline/dsl";
import { z } from "zod";
import { ecrImage, lake } from "./settings.js";

/**
 * Nightly sales ETL: extract the day's orders and the customer table from the
 * shop database (Batch), clean and join them (Glue, Python shell), refresh the
 * customer dimension (Glue), and load the warehouse (Batch). Any failure
 * notifies the on-call channel through a Lambda, then fails the run.
 */
export default pipeline({
  name: "nightly-sales-etl",
  description: "Extract the day's orders, clean them with Glue, load the warehouse.",
  tags: { team: "data-platform", "cost-center": "analytics" },
  input: z.object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    bucket: z.string().default(lake.bucket),
    warehouseSchema: z.string().default("sales"),
    fullRefresh: z.boolean().default(false),
  }),
  defaults: {
    retry: { attempts: 3, intervalSeconds: 60, backoffRate: 2, maxDelaySeconds: 600 },
    timeoutSeconds: 3 * 3600,
    capacity: "spot",
  },
  // 02:30 in Paris every night, for the day before (in Paris); a run still going skips the next.
  schedule: daily("02:30", {
    timezone: "Europe/Paris",
    input: { date: scheduled.date({ offsetDays: -1 }) },
    overlap: "skip",
  }),
  // The extract and load jobs read secrets: stepline creates the execution role that may read exactly
  // those (and pull the image), and a job role for the jobs' own AWS calls.
  deploy: { batchRoles: true },
  onFailure: {
    handler: lambda("notify-failure", {
      functionName: "arn:aws:lambda:eu-west-1:123456789012:function:data-oncall-notify",
      payload: { pipeline: "nightly-sales-etl", error: failure.Error, cause: failure.Cause },
      timeoutSeconds: 30,
      local: { handler: "./handlers/notify.ts" },
    }),
  },
  steps: ({ input }) => {
    const extractOrders = batch("extract-orders", {
      image: ecrImage("sales-etl", "1.8.2"),
      command: [
        "python",
        "-m",
        "etl.extract",
        "--table",
        "orders",
        "--date",
        input.date,
        "--out",
        fmt`s3://${input.bucket}/raw/orders/date=${input.date}/`,
      ],
      vcpus: 2,
      memoryMiB: 4096,
      environment: { SOURCE_DB_HOST: "shop-db.internal.example.com" },
      secrets: { SOURCE_DB_PASSWORD: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-db-readonly" },
      attemptTimeoutSeconds: 3600,
      expectedDurationSeconds: 900,
      // `stepline run`: no shop database on a laptop, the day's orders are generated from the date.
      local: {
        command: [
          "python3",
          "./jobs/extract.py",
          "--table",
          "orders",
          "--date",
          input.date,
          "--out",
          fmt`s3://${input.bucket}/raw/orders/date=${input.date}/`,
        ],
        environment: { SOURCE_DB_HOST: "generated" },
      },
    });
    const extractCustomers = batch("extract-customers", {
      image: ecrImage("sales-etl", "1.8.2"),
      command: [
        "python",
        "-m",
        "etl.extract",
        "--table",
        "customers",
        "--out",
        fmt`s3://${input.bucket}/raw/customers/date=${input.date}/`,
      ],
      secrets: { SOURCE_DB_PASSWORD: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-db-readonly" },
      attemptTimeoutSeconds: 1800,
      expectedDurationSeconds: 300,
      local: {
        command: [
          "python3",
          "./jobs/extract.py",
          "--table",
          "customers",
          "--date",
          input.date,
          "--out",
          fmt`s3://${input.bucket}/raw/customers/date=${input.date}/`,
        ],
        environment: { SOURCE_DB_HOST: "generated" },
      },
    });
    const transform = glue("transform-orders", {
      scriptLocation: "s3://acme-code/etl/transform_orders.py",
      jobType: "pythonshell",
      maxCapacity: 1,
      arguments: {
        "--orders": fmt`s3://${input.bucket}/raw/orders/date=${input.date}/`,
        "--customers": fmt`s3://${input.bucket}/raw/customers/date=${input.date}/`,
        "--out": fmt`s3://${input.bucket}/clean/orders/date=${input.date}/`,
        "--extract-job-id": extractOrders.result.JobId,
      },
      after: [extractCustomers],
      timeoutMinutes: 60,
      expectedDurationSeconds: 1200,
      local: { script: "./jobs/transform_orders.py" },
    });
    const customerDim = glue("refresh-customer-dim", {
      scriptLocation: "s3://acme-code/etl/customer_dim.py",
      jobType: "spark",
      workerType: "G.1X",
      numberOfWorkers: 4,
      executionClass: "FLEX",
      arguments: { "--customers": fmt`s3://${input.bucket}/raw/customers/date=${input.date}/` },
      after: [extractCustomers],
      expectedDurationSeconds: 600,
      // No Spark here: the same job in plain Python (writes s3://<bucket>/curated/customer_dim/date=<date>/).
      local: { script: "./jobs/customer_dim.py" },
    });
    const load = batch("load-warehouse", {
      image: ecrImage("sales-etl", "1.8.2"),
      command: [
        "python",
        "-m",
        "etl.load",
        "--schema",
        input.warehouseSchema,
        "--date",
        input.date,
        "--in",
        fmt`s3://${input.bucket}/clean/orders/date=${input.date}/`,
      ],
      capacity: "on-demand",
      secrets: { WAREHOUSE_PASSWORD: "arn:aws:ssm:eu-west-1:123456789012:parameter/warehouse/loader-password" },
      after: [transform, customerDim],
      attemptTimeoutSeconds: 3600,
      expectedDurationSeconds: 600,
      // Loads SQLite at <lake>/warehouse/<schema>.db instead of the warehouse.
      local: {
        command: [
          "python3",
          "./jobs/load.py",
          "--schema",
          input.warehouseSchema,
          "--date",
          input.date,
          "--in",
          fmt`s3://${input.bucket}/clean/orders/date=${input.date}/`,
          "--customer-dim",
          fmt`s3://${input.bucket}/curated/customer_dim/date=${input.date}/`,
        ],
      },
    });
    return [extractOrders, extractCustomers, transform, customerDim, load];
  },
});
