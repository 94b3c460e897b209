#!/usr/bin/env node
// Benchmark (prints ratios; not a test): the cost of ImportExportJob in the real Pulumi engine, against the same
// number of no-op dynamic resources, in the same run on the same machine.
//
//   node bench/provider-preview.mjs [--jobs 100] [--parallel 16] [--previews 3]
//
// 1. `pulumi up --parallel 16` creating N jobs (against an in-process emulator) vs N no-op resources → ratio.
// 2. `pulumi preview` of both stacks with no change (median of --previews runs) → ratio; target ≤ 1.10×.
// 3. State bytes per job (the job resource's JSON in the checkpoint, including the serialized provider).
// Needs `npm run build` (dist/) and the Pulumi CLI (scripts/pulumi-cli builds it once).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const { startEmulator } = require(join(root, "dist", "emulator", "index.js"));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg("jobs", 100);
const PARALLEL = arg("parallel", 16);
const PREVIEWS = arg("previews", 3);

const binDir = execFileSync(join(root, "scripts", "pulumi-cli"), [], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n").pop();
const pulumiCommand = await PulumiCommand.get({ root: dirname(binDir) });
const base = join(root, ".tmp", "bench", `provider-${randomUUID().slice(0, 8)}`);

/** A stack of a fixture program in an isolated workspace (file backend, own PULUMI_HOME), as test/engine/harness.ts. */
async function workspace(fixture, project, config) {
  const dir = join(base, project);
  const workDir = join(dir, "program");
  mkdirSync(join(dir, "backend"), { recursive: true });
  mkdirSync(join(dir, "home"), { recursive: true });
  cpSync(join(root, "test", "engine", "fixtures", fixture), workDir, { recursive: true });
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
  return { stack, stateFile: join(dir, "backend", ".pulumi", "stacks", project, "bench.json") };
}

async function timed(fn) {
  const t0 = performance.now();
  const r = await fn();
  return { ms: performance.now() - t0, r };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

const emu = await startEmulator({ port: 0 });
const [alice] = emu.accounts;
try {
  const jobs = await workspace("provider-jobs", "provider-jobs", {
    "provider-jobs:count": { value: String(N) },
    "importexport:endpoint": { value: emu.endpoint },
    "importexport:accessKeyId": { value: alice.accessKeyId },
    "importexport:secretAccessKey": { value: alice.secretAccessKey, secret: true },
  });
  const noop = await workspace("provider-noop", "provider-noop", { "provider-noop:count": { value: String(N) } });

  console.log(`pulumi ${execFileSync(join(binDir, "pulumi"), ["version"], { encoding: "utf8" }).trim()}, ${N} resources, --parallel ${PARALLEL}`);
  const upNoop = await timed(() => noop.stack.up({ parallel: PARALLEL }));
  const upJobs = await timed(() => jobs.stack.up({ parallel: PARALLEL }));
  console.log(`up (create):      no-op ${fmt(upNoop.ms)}   ImportExportJob ${fmt(upJobs.ms)}   ratio ${(upJobs.ms / upNoop.ms).toFixed(2)}×`);

  const pNoop = [];
  const pJobs = [];
  for (let i = 0; i < PREVIEWS; i++) {
    // Alternate, so machine noise hits both sides alike.
    pNoop.push((await timed(() => noop.stack.preview())).ms);
    pJobs.push((await timed(() => jobs.stack.preview())).ms);
  }
  const ratio = median(pJobs) / median(pNoop);
  console.log(`preview (same):   no-op ${fmt(median(pNoop))}   ImportExportJob ${fmt(median(pJobs))}   ratio ${ratio.toFixed(2)}× (target ≤ 1.10×; median of ${PREVIEWS})`);

  const state = JSON.parse(readFileSync(jobs.stateFile, "utf8"));
  const jobResources = state.checkpoint.latest.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/importexport:ImportExportJob");
  const perJob = jobResources.reduce((n, r) => n + JSON.stringify(r).length, 0) / jobResources.length;
  const provider = JSON.stringify(jobResources[0].inputs.__provider).length;
  console.log(`state:            ${Math.round(perJob)} bytes per job (of which the serialized provider: ${provider} bytes in inputs, again in outputs)`);

  await Promise.all([jobs.stack.destroy({ parallel: PARALLEL }), noop.stack.destroy({ parallel: PARALLEL })]);
} finally {
  await emu.close();
  rmSync(base, { recursive: true, force: true });
}
