#!/usr/bin/env node
// Benchmark (prints ratios; not a test): the cost of ImportExportJob in the real Pulumi engine against the same
// number of no-op dynamic resources, in the same run on the same machine, at several stack sizes.
//
//   node bench/provider-preview.mjs [--sizes 10,100] [--parallel 16] [--previews 3] [--quick] [--profile DIR]
//
// At each size N, two fresh stacks: N ImportExportJobs (test/engine/fixtures/provider-jobs, against an in-process
// emulator) and N no-op dynamic resources (fixtures/provider-noop). Both programs export four stack outputs per
// resource, one of them secret, so the stack outputs cost both sides the same.
// The ImportExportJob program uses the package as users install it: `npm pack` unpacked into the program's own
// node_modules as a real directory (scripts/install-packed.mjs), its dependencies resolving from the repo's
// node_modules by walking up — not the repo's link, which makes Pulumi store the provider by value (docs/provider.md,
// "The serialized provider"). The engine tests use the link; the state figures differ between the two layouts.
// 1. `pulumi up --parallel 16` creating the N resources → ratio.
// 2. `pulumi preview` with no change, the two stacks alternating (--previews rounds, so machine drift hits both) →
//    ratio of the medians; target ≤ 1.10×.
// 3. State bytes per job (the resource's JSON in the checkpoint, the serialized provider included).
// Each figure is given as wall time and as CPU time of every process the Pulumi CLI ran (the CLI, language host,
// program, provider plugins: the bench's reaped children, from /proc/self/stat) — CPU survives a loaded machine
// better than wall time. Per-resource figures (ms / N) show how cost grows with N; the engine's own growth shows in
// the no-op column. The emulator runs in this process, so its CPU is not in the children's.
// --profile DIR: one more preview of each stack at the largest size with a CPU profile of the program and the
// provider process (bench/cpu-profile-hook.cjs), and their CPU time printed per process.
// --quick: sizes 10,100 and 3 previews (what `npm run bench` passes). --jobs N is --sizes N.
// Needs `npm run build` (dist/) and the Pulumi CLI (scripts/pulumi-cli builds it once).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { recordResult } from "./summary.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const { startEmulator } = require(join(root, "dist", "emulator", "index.js"));
const { installPacked, packTarball } = await import(join(root, "scripts", "install-packed.mjs"));

const argValue = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const QUICK = process.argv.includes("--quick");
const SIZES = (argValue("sizes") ?? argValue("jobs") ?? "10,100").split(",").map(Number);
const PARALLEL = Number(argValue("parallel") ?? 16);
const PREVIEWS = Number(argValue("previews") ?? 3);
const PROFILE = argValue("profile") ? resolve(argValue("profile")) : undefined;
if (QUICK) SIZES.splice(0, SIZES.length, 10, 100);

const binDir = execFileSync(join(root, "scripts", "pulumi-cli"), [], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n").pop();
const pulumiCommand = await PulumiCommand.get({ root: dirname(binDir) });
const base = join(root, ".tmp", "bench", `provider-${randomUUID().slice(0, 8)}`);

/**
 * A stack of a fixture program (its project is named after its directory) in an isolated workspace (file backend,
 * own PULUMI_HOME), as test/engine/harness.ts.
 */
async function workspace(fixture, n, config, tarball) {
  const dir = join(base, `${fixture}-${n}`);
  const workDir = join(dir, "program");
  mkdirSync(join(dir, "backend"), { recursive: true });
  mkdirSync(join(dir, "home"), { recursive: true });
  cpSync(join(root, "test", "engine", "fixtures", fixture), workDir, { recursive: true });
  if (tarball) installPacked(workDir, tarball);
  const envVars = {
    PULUMI_BACKEND_URL: `file://${join(dir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: join(dir, "home"),
    // The AWS SDK's Node-version notice once per provider process is noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "bench", workDir }, { workDir, pulumiHome: join(dir, "home"), envVars, pulumiCommand });
  await stack.setAllConfig(config);
  return { stack, stateFile: join(dir, "backend", ".pulumi", "stacks", fixture, "bench.json") };
}

/** CPU ms of this process's reaped children (utime + stime of waited-for descendants; /proc reports USER_HZ = 100). */
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
const perResource = (ms, n) => `${(ms / n).toFixed(1)} ms`;

/** One preview of each stack with the CPU-profile hook preloaded; prints each Node process's CPU time. */
async function profiledPreviews(stacks, n) {
  for (const [label, s] of stacks) {
    const dir = join(PROFILE, `${label}-${n}`);
    mkdirSync(dir, { recursive: true });
    const env = s.stack.workspace.envVars;
    env.NODE_OPTIONS = `-r ${join(root, "bench", "cpu-profile-hook.cjs")}`;
    env.BENCH_PROFILE_DIR = dir;
    try {
      await s.stack.preview();
    } finally {
      delete env.NODE_OPTIONS;
      delete env.BENCH_PROFILE_DIR;
    }
    const procs = readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
    const cpu = (kind) => procs.filter((p) => p.kind === kind).reduce((t, p) => t + p.cpuMs, 0);
    console.log(`  profiled preview, ${label}: program process ${Math.round(cpu("program"))} ms CPU, provider process ${Math.round(cpu("provider"))} ms CPU (profiles in ${dir})`);
  }
}

/** Records one size's ratios for `npm run bench`'s summary (bench/summary.mjs). */
function record(s) {
  // Issue 25's targets: `up` ≤ 1.10× at 100 jobs; preview ≤ 1.10× at 100 (issue 12) and ≤ 1.05× at 1,000.
  const upTarget = s.n === 100 ? { target: "<= 1.10" } : {};
  const previewTarget = s.n === 100 ? { target: "<= 1.10" } : s.n === 1000 ? { target: "<= 1.05" } : {};
  recordResult({ bench: "provider-preview", figure: `preview, ${s.n} jobs ÷ ${s.n} no-op resources, wall`, value: s.preview, ...previewTarget });
  recordResult({ bench: "provider-preview", figure: `preview, ${s.n} jobs ÷ ${s.n} no-op resources, CPU`, value: s.previewCpu });
  recordResult({ bench: "provider-preview", figure: `up, ${s.n} jobs ÷ ${s.n} no-op resources, wall`, value: s.up, ...upTarget });
  recordResult({ bench: "provider-preview", figure: `up, ${s.n} jobs ÷ ${s.n} no-op resources, CPU`, value: s.upCpu });
}

const emu = await startEmulator({ port: 0 });
const [alice] = emu.accounts;
const summary = [];
mkdirSync(base, { recursive: true });
const tarball = packTarball(base);
try {
  console.log(`pulumi ${execFileSync(join(binDir, "pulumi"), ["version"], { encoding: "utf8" }).trim()}, sizes ${SIZES.join(", ")}, --parallel ${PARALLEL}, previews median of ${PREVIEWS}`);
  for (const n of SIZES) {
    const jobs = await workspace("provider-jobs", n, {
      "provider-jobs:count": { value: String(n) },
      "importexport:endpoint": { value: emu.endpoint },
      "importexport:accessKeyId": { value: alice.accessKeyId },
      "importexport:secretAccessKey": { value: alice.secretAccessKey, secret: true },
    }, tarball);
    const noop = await workspace("provider-noop", n, { "provider-noop:count": { value: String(n) }, "provider-noop:exports": { value: "true" } });

    console.log(`\n${n} resources`);
    const upNoop = await measured(() => noop.stack.up({ parallel: PARALLEL }));
    const upJobs = await measured(() => jobs.stack.up({ parallel: PARALLEL }));
    console.log(`  up (create):    no-op ${sec(upNoop.ms)} (${perResource(upNoop.ms, n)}/res, CPU ${sec(upNoop.cpu)})   ImportExportJob ${sec(upJobs.ms)} (${perResource(upJobs.ms, n)}/res, CPU ${sec(upJobs.cpu)})   ratio ${ratio(upJobs.ms, upNoop.ms)} wall, ${ratio(upJobs.cpu, upNoop.cpu)} CPU`);

    const pNoop = [];
    const pJobs = [];
    for (let i = 0; i < PREVIEWS; i++) {
      pNoop.push(await measured(() => noop.stack.preview()));
      pJobs.push(await measured(() => jobs.stack.preview()));
    }
    const wall = { noop: median(pNoop.map((p) => p.ms)), jobs: median(pJobs.map((p) => p.ms)) };
    const cpu = { noop: median(pNoop.map((p) => p.cpu)), jobs: median(pJobs.map((p) => p.cpu)) };
    console.log(`  preview (same): no-op ${sec(wall.noop)} (${perResource(wall.noop, n)}/res, CPU ${sec(cpu.noop)})   ImportExportJob ${sec(wall.jobs)} (${perResource(wall.jobs, n)}/res, CPU ${sec(cpu.jobs)})   ratio ${ratio(wall.jobs, wall.noop)} wall, ${ratio(cpu.jobs, cpu.noop)} CPU (target ≤ 1.10×)`);

    const state = JSON.parse(readFileSync(jobs.stateFile, "utf8"));
    const jobResources = state.checkpoint.latest.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/importexport:ImportExportJob");
    const perJob = jobResources.reduce((t, r) => t + JSON.stringify(r).length, 0) / jobResources.length;
    const providerText = jobResources[0].inputs.__provider;
    const provider = JSON.stringify(providerText).length;
    const form = providerText.includes('require("pulumi-importexport/') ? "a require() of the installed package" : "by value";
    const stateBytes = readFileSync(jobs.stateFile).length;
    console.log(`  state:          ${Math.round(perJob)} bytes per job (of which the serialized provider, ${form}: ${provider} bytes in inputs, again in outputs); state file ${Math.round(stateBytes / n)} bytes per job`);
    summary.push({ n, up: upJobs.ms / upNoop.ms, upCpu: upJobs.cpu / upNoop.cpu, preview: wall.jobs / wall.noop, previewCpu: cpu.jobs / cpu.noop, noopPer: wall.noop / n, jobsPer: wall.jobs / n, perJob });
    record(summary[summary.length - 1]);

    if (PROFILE && n === SIZES[SIZES.length - 1]) await profiledPreviews([["no-op", noop], ["jobs", jobs]], n);
    await Promise.all([jobs.stack.destroy({ parallel: PARALLEL }), noop.stack.destroy({ parallel: PARALLEL })]);
  }

  console.log("\nsize    up ratio (wall, CPU)   preview ratio (wall, CPU)   preview per resource (no-op, job)   state per job");
  for (const s of summary) {
    console.log(
      `${String(s.n).padEnd(7)} ${`${s.up.toFixed(2)}×, ${s.upCpu.toFixed(2)}×`.padEnd(22)} ${`${s.preview.toFixed(2)}×, ${s.previewCpu.toFixed(2)}×`.padEnd(27)} ${`${s.noopPer.toFixed(1)} ms, ${s.jobsPer.toFixed(1)} ms`.padEnd(35)} ${Math.round(s.perJob)} bytes`,
    );
  }
} finally {
  await emu.close();
  rmSync(base, { recursive: true, force: true });
}
