#!/usr/bin/env node
// `npm run bench`: every benchmark in turn. Each measures its own baseline in the same run and prints a ratio;
// none asserts a time (machines are noisy). Extra arguments are passed to each benchmark (e.g. `--quick`), except
// `--benches a,b` (run only these, by file name without .mjs), which is run.mjs's own. Each benchmark also records
// its ratios in a file named by BENCH_RESULTS_FILE (bench/summary.mjs); the run ends with one table of them all
// against their targets, with the load average at start and end.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BENCHMARKS as ALL, parseResults, RESULTS_FILE_ENV, summaryTable } from "./summary.mjs";

const here = dirname(fileURLToPath(import.meta.url));

const argv = process.argv.slice(2);
const at = argv.indexOf("--benches");
let benches = ALL;
if (at >= 0) {
  benches = (argv[at + 1] ?? "").split(",").filter((b) => b !== "");
  const unknown = benches.filter((b) => !ALL.includes(b));
  if (benches.length === 0 || unknown.length > 0) {
    console.error(`--benches: ${unknown.length > 0 ? `unknown benchmark ${unknown.join(", ")}` : "names no benchmark"}; one or more of ${ALL.join(", ")}`);
    process.exit(2);
  }
  argv.splice(at, 2);
}

const dir = mkdtempSync(join(tmpdir(), "bench-results-"));
const file = join(dir, "results.jsonl");
writeFileSync(file, "");
const loadStart = loadavg();
const exitCodes = {};
try {
  for (const bench of benches) {
    console.log(`\n=== bench/${bench}.mjs ===`);
    const r = spawnSync(process.execPath, [join(here, `${bench}.mjs`), ...argv], { stdio: "inherit", env: { ...process.env, [RESULTS_FILE_ENV]: file } });
    exitCodes[bench] = r.status;
  }
  console.log("\n=== summary: every ratio against its target ===\n");
  console.log(summaryTable(parseResults(readFileSync(file, "utf8")), { order: benches, loadStart, loadEnd: loadavg(), exitCodes }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(Object.values(exitCodes).some((c) => c !== 0) ? 1 : 0);
