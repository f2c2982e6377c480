import type { IntegrationRegistry } from "@stepline/core";
import { batchIntegration } from "./batch/integration.js";
import { glueIntegration } from "./glue/integration.js";
import { lambdaIntegration } from "./lambda/integration.js";

/** Every integration by step kind: what the CLI hands to core's `compile`. */
export const integrations: IntegrationRegistry = {
  batch: batchIntegration,
  glue: glueIntegration,
  lambda: lambdaIntegration,
};
