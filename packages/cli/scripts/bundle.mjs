// Bundles the CLI into packages/cli/bin/ after `tsc -b`: one file for the start-up
// path and a few lazily loaded chunks, instead of ~100 modules across four packages.
// Start-up time is the product here (a whole `stepline compile` should take ~0.1 s).
import { rmSync } from "node:fs";
import { build } from "esbuild";

rmSync(new URL("../bin/", import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { stepline: new URL("../src/bin.ts", import.meta.url).pathname },
  outdir: new URL("../bin/", import.meta.url).pathname,
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Workspace packages are inlined from source; esbuild itself stays an import (native binary).
  conditions: ["stepline-source"],
  external: ["esbuild", "dockerode"],
  minify: true,
  keepNames: true,
  sourcemap: "linked",
  banner: {
    js: 'import { createRequire as __slRequire } from "node:module"; const require = __slRequire(import.meta.url);',
  },
  logLevel: "warning",
});
