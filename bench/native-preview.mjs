#!/usr/bin/env node
// Benchmark (prints ratios; not a test): the native plugin face against the engine's own floor, in the same run.
//
//   node bench/native-preview.mjs [--sizes 10,100] [--previews 3] [--starts 10] [--quick]
//
// 1. Preview of N unchanged ImportExportJobs through the native plugin (test/engine/fixtures/native-many, default
//    provider, in-process emulator) against N no-op dynamic resources (fixtures/provider-noop), both programs
//    exporting four stack outputs per resource. The stacks alternate (--previews rounds) → ratio of the medians, wall
//    and CPU of every process the CLI ran. Goal (issue 23): ≤ 0.9× — the plugin has no closure to deserialize per
//    resource.
// 2. The plugin's start-up: time from spawning bin/pulumi-resource-importexport to its port line, against spawning
//    `node -e "console.log(0)"` (the floor for any Node plugin) → ratio of the medians over --starts runs.
// Needs `npm run build` (dist/) and the Pulumi CLI (scripts/pulumi-cli builds it once). The package is used through
// the repo's node_modules link (scripts/setup.mjs), as the engine tests use it.
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { recordResult } from "./summary.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const { startEmulator } = require(join(root, "dist", "emulator", "index.js"));

const argValue = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const QUICK = process.argv.includes("--quick");
const SIZES = (argValue("sizes") ?? "10,100").split(",").map(Number);
const PREVIEWS = Number(argValue("previews") ?? 3);
const STARTS = Number(argValue("starts") ?? (QUICK ? 5 : 10));
if (QUICK) SIZES.splice(0, SIZES.length, 10, 100);

const binDir = execFileSync(join(root, "scripts", "pulumi-cli"), [], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n").pop();
const pulumiCommand = await PulumiCommand.get({ root: dirname(binDir) });
const base = join(root, ".tmp", "bench", `native-${randomUUID().slice(0, 8)}`);
const pluginDir = join(root, "node_modules", "pulumi-importexport", "bin");

/** A stack of a fixture program in an isolated workspace (file backend, own PULUMI_HOME), as test/engine/harness.ts. */
async function workspace(fixture, n, config) {
  const dir = join(base, `${fixture}-${n}`);
  const workDir = join(dir, "program");
  mkdirSync(join(dir, "backend"), { recursive: true });
  mkdirSync(join(dir, "home"), { recursive: true });
  cpSync(join(root, "test", "engine", "fixtures", fixture), workDir, { recursive: true });
  const yaml = join(workDir, "Pulumi.yaml");
  writeFileSync(yaml, readFileSync(yaml, "utf8").replace(/path: \S+/, `path: ${pluginDir}`));
  const envVars = {
    PULUMI_BACKEND_URL: `file://${join(dir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: join(dir, "home"),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "bench", workDir }, { workDir, pulumiHome: join(dir, "home"), envVars, pulumiCommand });
  await stack.setAllConfig(config);
  return stack;
}

/** CPU ms of this process's reaped children (utime + stime of waited-for descendants; USER_HZ = 100). */
function childrenCpuMs() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) * 10;
}
async function measured(fn) {
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  await fn();
  return { ms: performance.now() - t0, cpu: childrenCpuMs() - c0 };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

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
  console.log(`pulumi ${execFileSync(join(binDir, "pulumi"), ["version"], { encoding: "utf8" }).trim()}, sizes ${SIZES.join(", ")}, previews median of ${PREVIEWS}`);
  const summary = [];
  for (const n of SIZES) {
    const jobs = await workspace("native-many", n, {
      "native-many:count": { value: String(n) },
      "importexport:endpoint": { value: emu.endpoint },
      "importexport:accessKeyId": { value: alice.accessKeyId },
      "importexport:secretAccessKey": { value: alice.secretAccessKey, secret: true },
    });
    const noop = await workspace("provider-noop", n, { "provider-noop:count": { value: String(n) }, "provider-noop:exports": { value: "true" } });
    await Promise.all([jobs.up({ parallel: 16 }), noop.up({ parallel: 16 })]);
    const pNoop = [];
    const pJobs = [];
    for (let i = 0; i < PREVIEWS; i++) {
      pNoop.push(await measured(() => noop.preview()));
      pJobs.push(await measured(() => jobs.preview()));
    }
    const wall = { noop: median(pNoop.map((p) => p.ms)), jobs: median(pJobs.map((p) => p.ms)) };
    const cpu = { noop: median(pNoop.map((p) => p.cpu)), jobs: median(pJobs.map((p) => p.cpu)) };
    console.log(`\n${n} resources\n  preview (same): no-op dynamic ${sec(wall.noop)} (CPU ${sec(cpu.noop)})   native ImportExportJob ${sec(wall.jobs)} (CPU ${sec(cpu.jobs)})   ratio ${ratio(wall.jobs, wall.noop)} wall, ${ratio(cpu.jobs, cpu.noop)} CPU (goal ≤ 0.90×)`);
    summary.push({ n, wall: wall.jobs / wall.noop, cpu: cpu.jobs / cpu.noop });
    await Promise.all([jobs.destroy({ parallel: 16 }), noop.destroy({ parallel: 16 })]);
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

  console.log("\nsize    preview ratio native / no-op dynamic (wall, CPU)");
  for (const s of summary) console.log(`${String(s.n).padEnd(7)} ${s.wall.toFixed(2)}×, ${s.cpu.toFixed(2)}×`);
  // For the summary of `npm run bench` (bench/summary.mjs), when it runs this benchmark.
  for (const s of summary) {
    recordResult({ bench: "native-preview", figure: `native preview, ${s.n} jobs ÷ ${s.n} no-op dynamic resources, wall`, value: s.wall, target: "<= 0.9" });
    recordResult({ bench: "native-preview", figure: `native preview, ${s.n} jobs ÷ ${s.n} no-op dynamic resources, CPU`, value: s.cpu });
  }
  recordResult({ bench: "native-preview", figure: "plugin start-up ÷ node -e start-up", value: startPlugin / startNode });
} finally {
  await emu.close();
  rmSync(base, { recursive: true, force: true });
}
