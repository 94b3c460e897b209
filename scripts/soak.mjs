#!/usr/bin/env node
/**
 * `npm run soak`: the reliability suite at the sizes (RELIABILITY_SOAK=1: 50 jobs under faults, 5 kill
 * rounds, 30,000 hostile requests, 50,000 manifests, 64 clients for 60 s), then the engine tests (test/engine) next
 * to a bounded CPU burner (2 busy-loop child processes, each ending by itself after SOAK_BURN_MINUTES, default 30,
 * and killed as soon as the engine tests end). Prints every figure the tests recorded, and the engine result.
 * Loopback only; every loop bounded.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const tmp = mkdtempSync(join(tmpdir(), "ie-soak-"));
const figuresFile = join(tmp, "figures.jsonl");
const engineReport = join(tmp, "engine.json");
const vitest = join(root, "node_modules", "vitest", "vitest.mjs");

function run(args, env) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [vitest, "run", ...args], { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return { code: r.status, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/** A busy loop that ends by itself (bounded even if this script dies). */
function burner(minutes) {
  const code = `const end = Date.now() + ${minutes} * 60000; let x = 0; while (Date.now() < end) { x = (x * 31 + 7) % 1000003; }`;
  return spawn(process.execPath, ["-e", code], { stdio: "ignore" });
}

const setup = spawnSync(process.execPath, [join(root, "scripts", "setup.mjs")], { cwd: root, stdio: "inherit" });
if (setup.status !== 0) process.exit(setup.status ?? 1);

console.log("\n== soak: test/reliability at the issue's sizes ==");
const reliability = run(["test/reliability"], { RELIABILITY_SOAK: "1", RELIABILITY_FIGURES: figuresFile });

console.log("\n== soak: test/engine next to 2 CPU burners ==");
const minutes = Number(process.env.SOAK_BURN_MINUTES ?? 30);
const burners = [burner(minutes), burner(minutes)];
let engine;
try {
  engine = run(["test/engine", "--reporter=default", "--reporter=json", `--outputFile.json=${engineReport}`], {});
} finally {
  for (const b of burners) b.kill("SIGKILL");
}
let engineCounts = { passed: 0, failed: 0, total: 0 };
if (existsSync(engineReport)) {
  const r = JSON.parse(readFileSync(engineReport, "utf8"));
  engineCounts = { passed: r.numPassedTests, failed: r.numFailedTests, total: r.numTotalTests };
}

console.log("\n== soak figures ==");
const lines = existsSync(figuresFile) ? readFileSync(figuresFile, "utf8").trim().split("\n").filter(Boolean) : [];
for (const line of lines) {
  const { name, ...figures } = JSON.parse(line);
  console.log(`${name}:`);
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`);
}
console.log(`engine tests next to 2 CPU burners: ${engineCounts.passed}/${engineCounts.total} passed, ${engineCounts.failed} failed (${engine.seconds} s)`);
console.log(`reliability suite: exit ${reliability.code} (${reliability.seconds} s)`);
rmSync(tmp, { recursive: true, force: true });
process.exit(reliability.code === 0 && engine.code === 0 ? 0 : 1);
