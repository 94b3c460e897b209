#!/usr/bin/env node
// Benchmark (prints ratios; not a test): the native plugin face against the engine's own floor, in the same run.
//
//   node bench/native-preview.mjs [--sizes 100] [--previews 3] [--starts 10] [--quick] [--profile DIR] [--equal-state]
//
// 1. Preview of N unchanged ImportExportJobs through the native plugin (test/engine/fixtures/native-many, default
//    provider, in-process emulator) against N no-op dynamic resources (fixtures/provider-noop), both programs
//    exporting four stack outputs per resource. The stacks alternate (--previews rounds) → the median of the rounds'
//    ratios (each round pairs two runs under the same load), wall and CPU of every process the CLI ran. Goal
//    (issue 23): ≤ 0.9× — the plugin has no closure to deserialize per resource.
// 2. The plugin's start-up: time from spawning bin/pulumi-resource-importexport to its port line, against spawning
//    `node -e "console.log(0)"` (the floor for any Node plugin) → ratio of the medians over --starts runs.
// The default size is 100, to keep `npm run bench` short (1,000 jobs add several minutes: --sizes 100,1000 judges
// the goal at both). --quick: 5 starts instead of 10.
// --profile DIR: at the largest size, one more preview of each stack with a CPU profile of the program and the
// provider process (bench/cpu-profile-hook.cjs), their CPU time printed per process.
// --equal-state: at each size, also the native jobs against no-op resources padded to the jobs' state bytes per
// resource (a diagnostic: how much of the gap is the size of the state the CLI reads and writes).
// Needs `npm run build` (dist/) and the Pulumi CLI (scripts/pulumi-cli builds it once). The package is used through
// the repo's node_modules link (scripts/setup.mjs), as the engine tests use it: the native face serializes no closure,
// so the layout does not change what is measured.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { alternating, argValue, cpuByKind, fixtureStack, jobsConfig, median, noopStack, pairedRatios, profiledRun, pulumiCli, ratio, root, roundRatios, sec } from "./lib/pulumi-stacks.mjs";
import { recordResult } from "./summary.mjs";

const require = createRequire(join(root, "package.json"));
const { startEmulator } = require(join(root, "dist", "emulator", "index.js"));

const QUICK = process.argv.includes("--quick");
const SIZES = (argValue("sizes") ?? "100").split(",").map(Number);
const PREVIEWS = Number(argValue("previews") ?? 3);
const STARTS = Number(argValue("starts") ?? (QUICK ? 5 : 10));
const PROFILE = argValue("profile") ? resolve(argValue("profile")) : undefined;
// --equal-state: also preview N no-op resources padded to the native jobs' state size (a diagnostic of where the
// remaining gap lies, not the goal's baseline: the goal is against plain no-op resources).
const EQUAL_STATE = process.argv.includes("--equal-state");

const cli = await pulumiCli();
const base = join(root, ".tmp", "bench", `native-${randomUUID().slice(0, 8)}`);
const pluginDir = join(root, "node_modules", "pulumi-importexport", "bin");

/** ms from spawn to the first stdout line of `file args`; the process (group) is killed afterwards. */
function timeToFirstLine(file, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "ignore"], detached: true });
    child.stdout.once("data", () => {
      const ms = performance.now() - t0;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
      child.once("exit", () => resolve(ms));
    });
    child.once("error", reject);
  });
}

const emu = await startEmulator({ port: 0 });
const [alice] = emu.accounts;
mkdirSync(base, { recursive: true });
try {
  console.log(`pulumi ${cli.version}, sizes ${SIZES.join(", ")}, previews median of ${PREVIEWS}`);
  const summary = [];
  for (const n of SIZES) {
    const jobs = await fixtureStack({ base, fixture: "native-many", n, command: cli.command, pluginDir, config: jobsConfig("native-many", n, emu.endpoint, alice) });
    const noop = await noopStack({ base, n, command: cli.command });
    await Promise.all([jobs.stack.up({ parallel: 16 }), noop.stack.up({ parallel: 16 })]);
    const p = await alternating({ noop: noop.stack, jobs: jobs.stack }, PREVIEWS, (stack) => stack.preview());
    const { wall, cpu } = pairedRatios(p.jobs.runs, p.noop.runs);
    console.log(`\n${n} resources\n  preview (same): no-op dynamic ${sec(p.noop.ms)} (CPU ${sec(p.noop.cpu)})   native ImportExportJob ${sec(p.jobs.ms)} (CPU ${sec(p.jobs.cpu)})   ratio ${wall.toFixed(2)}× wall, ${cpu.toFixed(2)}× CPU (the median of the rounds' ratios; goal ≤ 0.90×)`);
    console.log(`  preview per round: ${roundRatios(p.jobs.runs, p.noop.runs)}`);
    console.log(`  CPU by process (sampled): no-op dynamic: ${cpuByKind(p.noop.byKind)}   native: ${cpuByKind(p.jobs.byKind)}`);
    console.log(`  provider process: native plugin ÷ dynamic-provider host ${ratio(p.jobs.byKind.provider, p.noop.byKind.provider)} CPU (what the plugin itself costs; the rest is the engine's and the program's)`);
    summary.push({ n, wall, cpu, provider: p.jobs.byKind.provider / p.noop.byKind.provider });
    if (EQUAL_STATE) {
      const perResource = (file) => statSync(file).size / n;
      const padBytes = Math.max(0, Math.round(perResource(jobs.stateFile) - perResource(noop.stateFile)));
      const padded = await noopStack({ base, n, command: cli.command, padBytes });
      await padded.stack.up({ parallel: 16 });
      const q = await alternating({ padded: padded.stack, jobs: jobs.stack }, PREVIEWS, (stack) => stack.preview());
      const equal = pairedRatios(q.jobs.runs, q.padded.runs);
      console.log(
        `  equal state (${Math.round(perResource(jobs.stateFile))} bytes per job; no-op padded by ${padBytes}, now ${Math.round(perResource(padded.stateFile))}): ` +
          `padded no-op ${sec(q.padded.ms)} (CPU ${sec(q.padded.cpu)})   native ${sec(q.jobs.ms)} (CPU ${sec(q.jobs.cpu)})   ratio ${equal.wall.toFixed(2)}× wall, ${equal.cpu.toFixed(2)}× CPU (the median of the rounds' ratios)`,
      );
      await padded.stack.destroy({ parallel: 16 });
    }
    if (PROFILE && n === SIZES[SIZES.length - 1]) {
      for (const [label, s] of [["no-op", noop], ["native", jobs]]) {
        const dir = join(PROFILE, `preview-${label}-${n}`);
        const cpu = await profiledRun(s.stack, dir, (stack) => stack.preview());
        console.log(`  profiled preview, ${label}: program process ${Math.round(cpu.program ?? 0)} ms CPU, provider process ${Math.round(cpu.provider ?? 0)} ms CPU (profiles in ${dir})`);
      }
    }
    await Promise.all([jobs.stack.destroy({ parallel: 16 }), noop.stack.destroy({ parallel: 16 })]);
  }

  const node = [];
  const plugin = [];
  for (let i = 0; i < STARTS; i++) {
    node.push(await timeToFirstLine(process.execPath, ["-e", "console.log(0)"]));
    plugin.push(await timeToFirstLine(join(pluginDir, "pulumi-resource-importexport"), []));
  }
  const startNode = median(node);
  const startPlugin = median(plugin);
  console.log(`\nplugin start-up (spawn → port line, median of ${STARTS}): node -e ${startNode.toFixed(0)} ms, pulumi-resource-importexport ${startPlugin.toFixed(0)} ms, ratio ${ratio(startPlugin, startNode)}`);

  console.log("\nsize    preview ratio native / no-op dynamic (wall, CPU)   provider process CPU, plugin / host");
  for (const s of summary) console.log(`${String(s.n).padEnd(7)} ${`${s.wall.toFixed(2)}×, ${s.cpu.toFixed(2)}×`.padEnd(42)} ${s.provider.toFixed(2)}×`);
  // For the summary of `npm run bench` (bench/summary.mjs), when it runs this benchmark.
  for (const s of summary) {
    const target = s.n === 100 || s.n === 1000 ? { target: "<= 0.9" } : {};
    recordResult({ bench: "native-preview", figure: `native preview, ${s.n} jobs ÷ ${s.n} no-op dynamic resources, wall`, value: s.wall, ...target });
    recordResult({ bench: "native-preview", figure: `native preview, ${s.n} jobs ÷ ${s.n} no-op dynamic resources, CPU`, value: s.cpu });
    recordResult({ bench: "native-preview", figure: `native preview, ${s.n} jobs: plugin process CPU ÷ dynamic-provider host CPU`, value: s.provider });
  }
  recordResult({ bench: "native-preview", figure: "plugin start-up ÷ node -e start-up", value: startPlugin / startNode });
} finally {
  await emu.close();
  rmSync(base, { recursive: true, force: true });
}
