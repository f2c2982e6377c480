/**
 * Amazon States Language types, loose enough to describe any valid document
 * (the local engine reads documents stepline did not write) and precise where
 * stepline writes them.
 */

export type QueryLanguage = "JSONPath" | "JSONata";

export interface RetrierJson {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
  Comment?: string;
}

export interface CatcherJson {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Comment?: string;
}

/** One state. Fields follow ASL spelling; which ones apply depends on `Type`. */
export interface StateJson {
  Type: "Task" | "Pass" | "Choice" | "Wait" | "Succeed" | "Fail" | "Parallel" | "Map";
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  Next?: string;
  End?: boolean;
  [field: string]: unknown;
}

export interface StateMachineJson {
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  StartAt: string;
  States: Record<string, StateJson>;
  TimeoutSeconds?: number;
  Version?: string;
}
