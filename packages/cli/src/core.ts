/**
 * What the compile path (compile, validate, graph, schedule, loading a pipeline, printing
 * problems) takes from @stepline/core, re-exported by name: the bundle then loads only
 * these modules for those commands, not the engine nor the deploy planner (start-up time).
 */
export {
  checkTimezone,
  compile,
  formatProblem,
  internalError,
  isSteplineError,
  nextFireTimes,
  parseScheduleExpression,
  problem,
  renderDot,
  renderMermaid,
  SteplineError,
  validatePipeline,
} from "@stepline/core";
