import type { HandlerRegistration, Manifest, PipelineModel, TaskStepModel } from "@stepline/core";

/** What `localHandlers` needs to run a pipeline's Task states on this machine. */
export interface LocalRunContext {
  /** The pipeline (steps with their `local` overrides). */
  readonly model: PipelineModel;
  /** Resources: managed job definitions (image, command, environment…), Glue jobs. */
  readonly manifest: Manifest;
  /** Base of relative paths in `local` overrides; working directory of host processes. */
  readonly pipelineDir: string;
  /** `.stepline/runs/<id>/`: scratch space, given to every job as `STEPLINE_RUN_DIR`. */
  readonly runDir: string;
  /** Extra environment for every job (the CLI passes its own environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `auto` uses Docker for Batch steps when an engine answers. @default "auto" */
  readonly docker?: "auto" | "never";
  /** Loads a handler module (the CLI supplies it: it can load TypeScript). */
  readonly importModule: (absolutePath: string) => Promise<Record<string, unknown>>;
}

export type { HandlerRegistration };

/** Every Task step of a pipeline by name: nested fan-out / choice steps and failure handlers included. */
export function taskSteps(model: PipelineModel): Map<string, TaskStepModel> {
  const out = new Map<string, TaskStepModel>();
  const visit = (step: TaskStepModel | PipelineModel["steps"][number]): void => {
    if (step.onFailure?.action === "handler") visit(step.onFailure.handler);
    if (step.kind === "map") for (const child of step.steps) visit(child);
    else if (step.kind === "choice") for (const child of [...step.then, ...step.otherwise]) visit(child);
    else if (!out.has(step.name)) out.set(step.name, step);
  };
  if (model.defaults.onFailure?.action === "handler") visit(model.defaults.onFailure.handler);
  for (const step of model.steps) visit(step);
  return out;
}

/**
 * The step a Task state runs: state names are step names, and `<step>.<label>`
 * is a second attempt of `<step>` (e.g. `train.on-demand`, the Spot fallback).
 */
export function findStep(steps: ReadonlyMap<string, TaskStepModel>, stateName: string): TaskStepModel | undefined {
  const exact = steps.get(stateName);
  if (exact !== undefined) return exact;
  const dot = stateName.lastIndexOf(".");
  return dot > 0 ? steps.get(stateName.slice(0, dot)) : undefined;
}

/** Names a host-only environment has that must not leak into a container. */
const HOST_ONLY = new Set([
  "PATH",
  "HOME",
  "PWD",
  "OLDPWD",
  "SHELL",
  "SHLVL",
  "USER",
  "LOGNAME",
  "HOSTNAME",
  "TERM",
  "TMPDIR",
  "TEMP",
  "TMP",
  "LANG",
  "LANGUAGE",
  "DISPLAY",
  "EDITOR",
  "PAGER",
  "MAIL",
  "_",
]);
const HOST_ONLY_PREFIXES = [
  "npm_",
  "NODE_",
  "PNPM_",
  "VITEST",
  "XDG_",
  "LC_",
  "SSH_",
  "DBUS_",
  "TERM_",
  "COLOR",
  "DOCKER_",
  "PYENV",
  "VIRTUAL_ENV",
  "CONDA",
  "JAVA_HOME",
];

function defined(env: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env ?? {})) if (value !== undefined) out[name] = value;
  return out;
}

/** The environment of a host process: this process's, the run's extra environment, then the job's. */
export function hostEnvironment(ctx: LocalRunContext, job: Readonly<Record<string, string>>): Record<string, string> {
  return { ...defined(process.env), ...defined(ctx.env), ...job, ...steplineVariables(ctx) };
}

/** The environment of a container: the run's extra environment without host-only variables, then the job's. */
export function containerEnvironment(
  ctx: LocalRunContext,
  job: Readonly<Record<string, string>>,
): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(defined(ctx.env))) {
    if (HOST_ONLY.has(name) || HOST_ONLY_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    extra[name] = value;
  }
  return { ...extra, ...job, ...steplineVariables(ctx) };
}

export function steplineVariables(ctx: LocalRunContext): Record<string, string> {
  return { STEPLINE_LOCAL: "1", STEPLINE_RUN_DIR: ctx.runDir };
}

/** A plain object, or undefined. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function stringOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** A value as a string argument or variable: strings as they are, anything else as JSON. */
export function asText(value: unknown): string {
  return typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
}
