import type { QueryLanguage, StateMachineJson } from "../asl/types.js";
import type { Problem } from "../errors/problem.js";
import type { InputModel, StepKind } from "../model/pipeline.js";
import type { IamStatement, IntegrationRegistry, ResourceSpec } from "./integration.js";
import type { CompiledSchedule } from "./schedule-target.js";

/** Options of `compile`. */
export interface CompileOptions {
  /** The integrations that render Task states (from `@stepline/runners`). */
  readonly integrations: IntegrationRegistry;
  /** @default "JSONPath" */
  readonly queryLanguage?: QueryLanguage;
  /** The pipeline file, for problem locations. */
  readonly file?: string;
}

/** A node of the job graph: a step, possibly nested in a fan-out or a choice branch. */
export interface JobGraphNode {
  readonly name: string;
  readonly kind: StepKind;
  /** The enclosing fan-out or choice step. */
  readonly parent?: string;
  /** `body` for a fan-out, `then` / `otherwise` for a choice. */
  readonly branch?: "body" | "then" | "otherwise";
}

export interface JobGraphEdge {
  /** `to` depends on `from`. */
  readonly from: string;
  readonly to: string;
  /** Declared with `after`, inferred from a reference, or added by the compiler. */
  readonly kind: "explicit" | "reference" | "added";
}

export interface JobGraph {
  readonly nodes: readonly JobGraphNode[];
  /** Transitively reduced dependencies, plus the waits the compiler added (`kind: "added"`). */
  readonly edges: readonly JobGraphEdge[];
}

/** A dependency the compiler had to add because Step Functions only nests sequences and branches. */
export interface AddedWait {
  readonly waiter: string;
  /** Every step `waiter` now also waits for (never empty), in stable topological order. */
  readonly waitsFor: readonly string[];
  /** `pipeline`, or the fan-out / choice step whose sub-graph holds both. */
  readonly scope: string;
  /** e.g. `d also waits for b`, `d also waits for a and b`, `d also waits for a, b, c, d, e and 12 more`. */
  readonly message: string;
}

export interface StateSummary {
  readonly name: string;
  readonly type: string;
  /** The step this state belongs to, when any. */
  readonly step?: string;
  readonly summary?: string;
}

export interface CompileReport {
  readonly pipeline: string;
  readonly queryLanguage: QueryLanguage;
  readonly stepCount: number;
  readonly states: readonly StateSummary[];
  readonly addedWaits: readonly AddedWait[];
  /** Every IAM action the state machine role needs, sorted. */
  readonly iamActions: readonly string[];
  readonly warnings: readonly Problem[];
  /** Size of the definition as AWS counts it (UTF-8 bytes of the JSON). */
  readonly definitionBytes: number;
}

/** `manifest.json`: everything deploy needs besides the definition. */
export interface Manifest {
  readonly pipeline: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly queryLanguage: QueryLanguage;
  readonly input: InputModel;
  readonly resources: readonly ResourceSpec[];
  readonly iam: { readonly stateMachineRole: { readonly statements: readonly IamStatement[] } };
  readonly schedule?: CompiledSchedule;
  readonly report: CompileReport;
}

export interface CompileResult {
  readonly stateMachine: StateMachineJson;
  readonly manifest: Manifest;
  readonly report: CompileReport;
  readonly graph: JobGraph;
}
