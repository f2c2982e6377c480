import { batch, choose, fmt, glue, isTrue, lambda, pipeline } from "@stepline/dsl";
import { z } from "zod";

/**
 * Weekly demand-forecast training on Graviton Spot: build features with Glue
 * Spark, train on arm64 Spot instances with checkpoints in S3 (a reclaimed
 * attempt resumes from the last checkpoint; when Spot capacity is gone the
 * same job is resubmitted on-demand), evaluate, and publish when asked.
 */
export default pipeline({
  name: "demand-forecast-training",
  description: "Feature build, Spot training with checkpoints, evaluation and publish.",
  tags: { team: "ml-platform", model: "demand-forecast" },
  input: z.object({
    runDate: z.string(),
    modelVersion: z.string(),
    epochs: z.number().int().default(40),
    publish: z.boolean().default(false),
    artifacts: z.string().default("s3://acme-ml-artifacts/demand-forecast"),
  }),
  defaults: { retry: { attempts: 2, intervalSeconds: 120 }, architecture: "arm64" },
  steps: ({ input }) => {
    const features = glue("build-features", {
      scriptLocation: "s3://acme-ml-code/features/build_features.py",
      jobType: "spark",
      glueVersion: "5.0",
      workerType: "G.2X",
      numberOfWorkers: 10,
      arguments: { "--run-date": input.runDate, "--out": fmt`${input.artifacts}/features/${input.runDate}/` },
      timeoutMinutes: 120,
      local: { script: "./jobs/build_features.py" },
    });
    const train = batch("train", {
      image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/forecast-train:2.5.0-arm64",
      command: [
        "python",
        "train.py",
        "--features",
        fmt`${input.artifacts}/features/${input.runDate}/`,
        "--epochs",
        fmt`${input.epochs}`,
        "--model-version",
        input.modelVersion,
      ],
      architecture: "arm64",
      capacity: "spot-then-on-demand",
      jobQueue: "ml-graviton-spot",
      onDemandJobQueue: "ml-graviton-on-demand",
      vcpus: 16,
      memoryMiB: 65536,
      spotAttempts: 5,
      environment: {
        CHECKPOINT_URI: fmt`${input.artifacts}/checkpoints/${input.modelVersion}/`,
        RESUME_FROM_CHECKPOINT: "true",
      },
      attemptTimeoutSeconds: 4 * 3600,
      timeoutSeconds: 12 * 3600,
      after: [features],
      tags: { workload: "training" },
      local: {
        command: [
          "python3",
          "./jobs/train.py",
          "--features",
          fmt`${input.artifacts}/features/${input.runDate}/`,
          "--epochs",
          fmt`${input.epochs}`,
          "--model-version",
          input.modelVersion,
        ],
      },
    });
    const evaluate = batch("evaluate", {
      image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/forecast-train:2.4.0-arm64",
      command: [
        "python",
        "evaluate.py",
        "--model",
        fmt`${input.artifacts}/models/${input.modelVersion}/`,
        "--train-job",
        train.result.JobId,
      ],
      architecture: "arm64",
      capacity: "spot",
      jobQueue: "ml-graviton-spot",
      vcpus: 4,
      memoryMiB: 16384,
      local: {
        command: [
          "python3",
          "./jobs/evaluate.py",
          "--model",
          fmt`${input.artifacts}/models/${input.modelVersion}/`,
          "--train-job",
          train.result.JobId,
        ],
      },
    });
    const publish = choose("publish-if-requested", {
      when: isTrue(input.publish),
      then: () => [
        lambda("register-model", {
          functionName: "arn:aws:lambda:us-west-2:123456789012:function:model-registry-register",
          payload: { model: "demand-forecast", version: input.modelVersion, evaluationJob: evaluate.result.JobId },
          local: { handler: "./handlers/register-model.ts" },
        }),
      ],
      otherwise: () => [],
    });
    return [features, train, evaluate, publish];
  },
});
