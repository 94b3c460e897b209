#!/usr/bin/env node
// `npm run bench`: every benchmark in turn. Each measures its own baseline in the same run and prints a ratio;
// none asserts a time (machines are noisy). Extra arguments are passed to each benchmark.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
let failed = 0;
for (const bench of ["emulator-getstatus.mjs", "emulator-scale.mjs", "sdk-getstatus.mjs", "provider-preview.mjs", "manifest-parse.mjs", "cli-start.mjs"]) {
  console.log(`\n=== bench/${bench} ===`);
  const r = spawnSync(process.execPath, [join(here, bench), ...process.argv.slice(2)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
