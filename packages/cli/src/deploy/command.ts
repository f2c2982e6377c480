import type { CompiledPipeline, PipelineModel } from "@stepline/core";
import { compileOptions, load, type PipelineFlags, printWarnings } from "../commands/shared.js";
import type { CommandContext } from "../context.js";
import type { AwsFlags, Connection } from "./connect.js";

/** Flags of plan, deploy and destroy. */
export interface DeployFlags extends PipelineFlags, AwsFlags {
  readonly yes?: boolean;
}

/** Loads and compiles the pipeline exactly as `stepline compile` does. */
export async function compileForDeploy(
  file: string,
  flags: DeployFlags,
  ctx: CommandContext,
): Promise<{ compiled: CompiledPipeline; model: PipelineModel; displayPath: string }> {
  const loaded = await load(file, flags, ctx);
  const options = await compileOptions(loaded, flags);
  const { compile } = await import("@stepline/core");
  const result = compile(loaded.model, options);
  await printWarnings(result.report.warnings, ctx);
  return { compiled: result, model: loaded.model, displayPath: loaded.displayPath };
}

/** `account 123456789012, us-east-1 (http://127.0.0.1:5000)` */
export function whereLine({ identity, aws }: Connection): string {
  const endpoint = aws.options.endpoint === undefined ? "" : ` at ${aws.options.endpoint}`;
  return `account ${identity.accountId}, ${identity.region}${endpoint}`;
}

/**
 * Asks before changing anything: `--yes` answers; on a terminal the user
 * answers y/N; otherwise (CI, pipes) stepline refuses rather than guess.
 */
export async function confirm(
  ctx: CommandContext,
  flags: DeployFlags,
  question: string,
  verb: string,
): Promise<boolean> {
  if (flags.yes === true) return true;
  const stdin = process.stdin;
  if (stdin.isTTY !== true || ctx.io.stdout.isTTY !== true) {
    const { SteplineError } = await import("@stepline/core");
    throw SteplineError.of(
      "SL_DEPLOY_CONFIRM",
      `${verb} needs a confirmation and there is no terminal to ask on`,
      `review the plan above and pass --yes to ${verb.toLowerCase()} without asking (e.g. in CI)`,
    );
  }
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: stdin, output: process.stdout });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
