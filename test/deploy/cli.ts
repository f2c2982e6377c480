import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, type Run, root } from "../cli/run.js";
import { motoEnv } from "./aws.js";

/**
 * Runs the built `stepline` bin against moto with a clean environment: only
 * PATH, an empty HOME (no ~/.aws) and what the test gives, so credentials,
 * region and endpoint come from exactly there.
 */
export function cli(args: readonly string[], env: Readonly<Record<string, string>>): Run {
  const home = mkdtempSync(join(tmpdir(), "stepline-deploy-home-"));
  try {
    const result = spawnSync(process.execPath, [bin, ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        NO_COLOR: "1",
        AWS_CONFIG_FILE: join(home, "config"),
        AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        ...env,
      },
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** `cli` with moto's endpoint and fake credentials. */
export function onMoto(endpoint: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Run {
  return cli(args, { ...motoEnv(endpoint), ...env });
}

/** The JSON a `--json` run printed. */
export function parsed<T = Record<string, unknown>>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}

/**
 * A copy of a pipeline file with a text replaced, in a folder under test/deploy
 * (so its imports of @stepline/dsl and zod resolve); removed by `cleanup`.
 */
export function editedCopy(file: string, from: string, to: string): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(root, "test", "deploy", ".tmp-"));
  const text = readFileSync(join(root, file), "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  const path = join(dir, "pipeline.ts");
  writeFileSync(path, text.replace(from, to));
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
