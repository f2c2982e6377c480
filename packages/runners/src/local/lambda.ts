import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { type LambdaStepModel, TaskFailure, type TaskHandlerContext } from "@stepline/core";
import { type LocalRunContext, record, steplineVariables, stringOf } from "./context.js";

type LambdaFunction = (event: unknown, context: Record<string, unknown>) => unknown;

function pickHandler(module: Record<string, unknown>): LambdaFunction | undefined {
  const candidates = [module.default, module.handler, record(module.default)?.handler, record(module.default)?.default];
  return candidates.find((candidate): candidate is LambdaFunction => typeof candidate === "function");
}

/** A minimal Lambda context object. */
function lambdaContext(functionName: string, deadline: number): Record<string, unknown> {
  const name = functionName.replace(/^arn:[^:]*:lambda:[^:]*:[^:]*:function:/, "").split(":")[0] ?? functionName;
  return {
    functionName: name,
    functionVersion: "$LATEST",
    invokedFunctionArn: functionName.startsWith("arn:")
      ? functionName
      : `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: "128",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Lambda's JSON round trip: what the function returns, as the Payload Step Functions gets. */
function asPayload(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}

/** Runs an Invoke call with the step's local handler module, in this process. */
export async function runLambda(
  ctx: LocalRunContext,
  step: LambdaStepModel,
  input: unknown,
  context: TaskHandlerContext,
): Promise<unknown> {
  const handlerPath = step.local?.handler;
  if (handlerPath === undefined) {
    throw new TaskFailure(
      "stepline.LocalHandlerMissing",
      `The Lambda step '${step.name}' calls ${step.functionName}, which does not run on this machine: give the step local: { handler: './handlers/${step.name}.ts' } (a module whose default export is the handler).`,
    );
  }
  const path = resolve(ctx.pipelineDir, handlerPath);
  let fn: LambdaFunction | undefined;
  try {
    fn = pickHandler(await ctx.importModule(path));
  } catch (error) {
    throw new TaskFailure(
      "stepline.LocalHandlerMissing",
      `Cannot load the local handler of '${step.name}' (${path}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (fn === undefined) {
    throw new TaskFailure(
      "stepline.LocalHandlerMissing",
      `The local handler module of '${step.name}' (${path}) exports no function: export the handler as default or as 'handler'.`,
    );
  }
  const params = record(input) ?? {};
  const functionName = stringOf(params.FunctionName) ?? step.functionName;
  // The module runs in this process: the variables every local job gets are set here.
  Object.assign(process.env, steplineVariables(ctx));
  const call = Promise.resolve().then(() =>
    fn(params.Payload ?? {}, lambdaContext(functionName, Date.now() + 900_000)),
  );
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(context.signal.reason);
    if (context.signal.aborted) onAbort();
    else context.signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const value = await Promise.race([call, aborted]);
    return { ExecutedVersion: "$LATEST", Payload: asPayload(value), StatusCode: 200 };
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    const errorType = error instanceof Error ? error.name || "Error" : "Error";
    const errorMessage = error instanceof Error ? error.message : String(error);
    const trace = error instanceof Error && error.stack !== undefined ? error.stack.split("\n") : [];
    for (const line of trace) context.log(line);
    throw new TaskFailure(errorType, JSON.stringify({ errorMessage, errorType, trace }));
  } finally {
    if (onAbort !== undefined) context.signal.removeEventListener("abort", onAbort);
    aborted.catch(() => undefined);
  }
}
