import type { GlueJobType, GlueWorkerType } from "@stepline/core";

/** What stepline knows of each Glue job type. */
export interface GlueJobTypeInfo {
  /** `Command.Name` of CreateJob. */
  readonly command: "glueetl" | "pythonshell" | "glueray";
  /** `Command.PythonVersion`. */
  readonly pythonVersion: string;
  /** `Command.Runtime` (Ray only). */
  readonly runtime?: string;
  /** Glue version of a managed job when the step does not say. */
  readonly defaultGlueVersion: string;
  /**
   * Versions a new job can be created with. Spark 0.9–2.0 and Python shell 1.0
   * (Python 3.6) reached end of support (AWS Glue version support policy);
   * Python shell 3.9 runs on 3.0; Ray needs 4.0.
   */
  readonly glueVersions: readonly string[];
  /** Worker types the type accepts; none for Python shell (it uses maxCapacity). */
  readonly workerTypes: readonly GlueWorkerType[];
  readonly defaultWorkerType?: GlueWorkerType;
}

export const GLUE_JOB_TYPES: { readonly [T in GlueJobType]: GlueJobTypeInfo } = {
  spark: {
    command: "glueetl",
    pythonVersion: "3",
    defaultGlueVersion: "5.0",
    glueVersions: ["3.0", "4.0", "5.0", "5.1"],
    // G.025X is for streaming jobs, which stepline does not run.
    workerTypes: ["G.1X", "G.2X", "G.4X", "G.8X"],
    defaultWorkerType: "G.1X",
  },
  pythonshell: {
    command: "pythonshell",
    pythonVersion: "3.9",
    defaultGlueVersion: "3.0",
    glueVersions: ["3.0"],
    workerTypes: [],
  },
  ray: {
    command: "glueray",
    pythonVersion: "3.9",
    runtime: "Ray2.4",
    defaultGlueVersion: "4.0",
    glueVersions: ["4.0"],
    workerTypes: ["Z.2X"],
    defaultWorkerType: "Z.2X",
  },
};

/** Workers of a managed Spark or Ray job when the step does not say (Spark's minimum). */
export const DEFAULT_NUMBER_OF_WORKERS = 2;
/** Python-shell capacity when the step does not say: 1/16 DPU, the cheapest. */
export const DEFAULT_PYTHON_SHELL_CAPACITY = 0.0625;
/** The capacities a Python-shell job accepts, in DPU. */
export const PYTHON_SHELL_CAPACITIES: readonly number[] = [0.0625, 1];
