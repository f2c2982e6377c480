import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["stepline-source", "node", "import", "default"] },
  ssr: { resolve: { conditions: ["stepline-source", "node", "import", "default"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The AWS SDK's notice that future releases will need Node 22 (stepline pins the SDK).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
