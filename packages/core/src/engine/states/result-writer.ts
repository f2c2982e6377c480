import { fail, Halt, toFailure } from "../failure.js";
import { invokeHandler } from "../invoke.js";
import { exprScope, jsonataValue, template } from "../io.js";
import type { StateVisit } from "../visit.js";

/** One child execution of a distributed Map, as the ResultWriter reports it. */
export interface ChildRun {
  readonly Name: string;
  readonly Status: "SUCCEEDED" | "FAILED";
  readonly Input: string;
  readonly Output?: string;
  readonly Error?: string;
  readonly Cause?: string;
}

interface WriterJson {
  readonly Resource?: string;
  readonly Parameters?: unknown;
  readonly Arguments?: unknown;
}

/**
 * ResultWriter: writes `SUCCEEDED_0.json`, `FAILED_0.json` and `manifest.json`
 * under `Prefix/<map run>/` through the handler registered for the writer's
 * resource (e.g. `arn:aws:states:::s3:putObject`), each call getting
 * `{ Bucket, Key, Body }`. Returns the Map's result `{ MapRunArn, ResultWriterDetails }`.
 */
export async function writeResults(
  visit: StateVisit,
  writer: WriterJson,
  effective: unknown,
  runs: readonly ChildRun[],
) {
  const resource = writer.Resource ?? "";
  const nd = () => visit.nd();
  const es = exprScope(visit.scope, visit.input, visit.context());
  const params = (
    visit.jsonata
      ? await jsonataValue(writer.Arguments, es, "ResultWriter.Arguments", nd)
      : template(writer.Parameters, effective, es, "ResultWriter.Parameters", nd)
  ) as { Bucket?: string; Prefix?: string };
  const mapRunId = visit.key.replace(/[^\w.-]+/g, "_");
  const mapRunArn = `${visit.scope.rt.stateMachine.Id.replace(":stateMachine:", ":mapRun:")}/${mapRunId}`;
  const prefix = params.Prefix ? `${params.Prefix.replace(/\/$/, "")}/` : "";
  const base = `${prefix}${mapRunId}/`;
  const succeeded = runs.filter((r) => r.Status === "SUCCEEDED");
  const failed = runs.filter((r) => r.Status === "FAILED");
  const manifestKey = `${base}manifest.json`;
  const files: { Key: string; Body: string }[] = [
    { Key: `${base}SUCCEEDED_0.json`, Body: JSON.stringify(succeeded) },
    { Key: `${base}FAILED_0.json`, Body: JSON.stringify(failed) },
  ];
  files.push({
    Key: manifestKey,
    Body: JSON.stringify({
      DestinationBucket: params.Bucket,
      MapRunArn: mapRunArn,
      ResultFiles: {
        SUCCEEDED: [{ Key: files[0]?.Key, Size: files[0]?.Body.length }],
        FAILED: [{ Key: files[1]?.Key, Size: files[1]?.Body.length }],
        PENDING: [],
      },
    }),
  });
  try {
    for (const file of files) {
      await invokeHandler(visit, {
        resource,
        input: { Bucket: params.Bucket, ...file },
        retryCount: 0,
        context: visit.context(),
      });
    }
  } catch (e) {
    if (e instanceof Halt) throw e;
    const failure = toFailure(e);
    throw fail("States.ResultWriterFailed", `${failure.error}: ${failure.cause}`);
  }
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: params.Bucket, Key: manifestKey } };
}
