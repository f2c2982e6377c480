import { expect, test } from "vitest";
import { batchIntegration, glueIntegration, integrations, lambdaIntegration } from "./index.js";

test("the registry maps every task kind to its integration", () => {
  expect(integrations).toStrictEqual({ batch: batchIntegration, glue: glueIntegration, lambda: lambdaIntegration });
  for (const [kind, integration] of Object.entries(integrations)) expect(integration.kind).toBe(kind);
});
