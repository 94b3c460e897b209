#!/usr/bin/env node
/**
 * Whole-process time and peak memory of one CLI command, this package's `importexport` against the AWS CLI v1
 * (`aws importexport ...`, the baseline, measured in the same run): `list-jobs` and `get-status` against an emulator
 * started here with a few jobs, and `validate --server` (the local checks, then CreateJob with ValidateOnly=true)
 * against `aws importexport create-job --validate-only`, the AWS CLI's way of asking the same. Runs alternate (ours,
 * aws, ours, aws, ...) so that drift on a loaded machine hits both; prints min/median wall, CPU and peak RSS of each,
 * and the median of the pairwise ratios ours/aws.
 * Targets (issue 25): wall ≤ 0.35×, peak memory ≤ 1.00× for `list-jobs` and `get-status`; `validate` is reported.
 * Not a test; needs `npm run build` first.
 *
 * Each run is started and reaped by one small Python helper (python3 is on every machine that has the AWS CLI v1)
 * with os.wait4, which returns that child's own rusage: its peak resident set (ru_maxrss) and CPU, without a wrapper
 * process in the figures. Wall time is taken around spawn and reap inside the helper.
 *
 * Usage: node bench/cli-start.mjs [--runs 10] [--jobs 3] [--quick] [--before OTHER/dist/cli/bin.js]
 *   --before: another build's CLI (e.g. main's) as a third client in the same rotation, for before/after figures
 *   against the same baseline runs; its ratios are printed, not recorded.
 */
import { spawn, spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { median, parseArgs, startProcess } from "./emulator-lib.mjs";
import { recordResult } from "./summary.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = parseArgs(process.argv.slice(2));
const RUNS = Number(args.runs ?? (args.quick !== undefined ? 4 : 10));
const JOBS = Number(args.jobs ?? 3);
const bin = join(root, "dist/cli/bin.js");
const before = args.before;
if (before === "true") throw new Error("--before needs the path of another build's dist/cli/bin.js");

// The helper: one JSON command per stdin line, one JSON answer per stdout line.
const HELPER = String.raw`
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    t0 = time.perf_counter()
    p = subprocess.Popen(job["argv"], env=job["env"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    print(json.dumps({"wallMs": wall * 1000, "cpuMs": (ru.ru_utime + ru.ru_stime) * 1000, "peakKiB": ru.ru_maxrss, "code": p.returncode}), flush=True)
`;

function startHelper() {
  const child = spawn("python3", ["-u", "-c", HELPER], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on("line", (l) => waiting.shift()?.(JSON.parse(l)));
  return {
    run: (argv, env) => new Promise((done) => {
      waiting.push(done);
      child.stdin.write(`${JSON.stringify({ argv, env })}\n`);
    }),
    close: () => child.stdin.end(),
  };
}

const fmt = (xs, digits = 0) => `${Math.min(...xs).toFixed(digits)} / ${median(xs).toFixed(digits)}`;

let emulator;
let helper;
try {
  console.log(`# CLI start: importexport vs AWS CLI v1 (node ${process.version}, ${RUNS} runs each, alternating; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")})`);
  const aws = spawnSync("aws", ["--version"], { encoding: "utf8" });
  if (aws.status !== 0) throw new Error("the AWS CLI v1 (`aws`) is not on PATH: it is the baseline of this benchmark");
  console.log(`baseline: ${(aws.stdout || aws.stderr).trim()}`);
  emulator = await startProcess([join(root, "dist/emulator/bin.js"), "--port", "0"]);
  const endpoint = emulator.info.endpoint;
  const alice = emulator.info.accounts[0];
  // The environment of a user's shell pointed at the emulator, with nothing from this machine's AWS setup.
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    AWS_ACCESS_KEY_ID: alice.accessKeyId,
    AWS_SECRET_ACCESS_KEY: alice.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
  };
  const manifest = readFileSync(join(root, "bench/fixtures/cli-manifest.yaml"), "utf8");
  let jobId;
  for (let i = 0; i < JOBS; i++) {
    const r = spawnSync(process.execPath, [bin, "create-job", "--job-type", "Import", "--manifest", manifest, "--endpoint-url", endpoint], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`create-job failed: ${r.stderr}`);
    jobId = JSON.parse(r.stdout).JobId;
  }
  const manifestFile = join(root, "bench/fixtures/cli-manifest.yaml");
  // [name, our arguments, the AWS CLI's arguments (after `importexport`), whether the target applies]
  const verbs = [
    ["list-jobs", ["list-jobs", "--endpoint-url", endpoint], ["list-jobs", "--endpoint-url", endpoint], true],
    ["get-status", ["get-status", "--job-id", jobId, "--endpoint-url", endpoint], ["get-status", "--job-id", jobId, "--endpoint-url", endpoint], true],
    [
      "validate",
      ["validate", "--server", "--job-type", "Import", "--endpoint-url", endpoint, manifestFile],
      ["create-job", "--job-type", "Import", "--manifest", `file://${manifestFile}`, "--validate-only", "--endpoint-url", endpoint],
      false,
    ],
  ];
  // Both clients must print the same answer, or the comparison is meaningless.
  for (const [name, oursArgs, awsArgs] of verbs) {
    const ours = spawnSync(process.execPath, [bin, ...oursArgs], { env, encoding: "utf8" });
    const theirs = spawnSync("aws", ["importexport", ...awsArgs], { env, encoding: "utf8" });
    if (ours.status !== 0 || theirs.status !== 0) throw new Error(`${name}: importexport exited ${ours.status} (${ours.stderr.trim()}), aws exited ${theirs.status} (${theirs.stderr.trim()})`);
    if (name === "validate") {
      // Both asked the service, and it accepted the manifest without creating a job.
      if (!/accepted it \(ValidateOnly\)/.test(ours.stdout)) throw new Error(`validate: importexport did not report the service's acceptance: ${ours.stdout.trim()}`);
      if (!/no job was created/.test(JSON.parse(theirs.stdout).WarningMessage ?? "")) throw new Error(`validate: aws did not report a ValidateOnly answer: ${theirs.stdout.trim()}`);
      continue;
    }
    const a = JSON.parse(ours.stdout);
    const b = JSON.parse(theirs.stdout);
    if (name === "list-jobs" && JSON.stringify(a.Jobs.map((j) => j.JobId)) !== JSON.stringify(b.Jobs.map((j) => j.JobId))) throw new Error("list-jobs: the two CLIs list different jobs");
    if (name === "get-status" && a.JobId !== b.JobId) throw new Error("get-status: the two CLIs answer about different jobs");
  }

  helper = startHelper();
  const clients = [
    { who: "importexport", argv: (verbArgs) => [process.execPath, bin, ...verbArgs] },
    ...(before === undefined ? [] : [{ who: "importexport (before)", argv: (verbArgs) => [process.execPath, before, ...verbArgs] }]),
  ];
  const awsArgv = (verbArgs) => ["aws", "importexport", ...verbArgs];
  const rows = [];
  for (const [name, oursArgs, awsArgs, judged] of verbs) {
    const runs = clients.map(() => []);
    const theirs = [];
    // One warm-up each (file cache), not counted.
    for (const c of clients) await helper.run(c.argv(oursArgs), env);
    await helper.run(awsArgv(awsArgs), env);
    for (let i = 0; i < RUNS; i++) {
      for (const [k, c] of clients.entries()) runs[k].push(await helper.run(c.argv(oursArgs), env));
      theirs.push(await helper.run(awsArgv(awsArgs), env));
    }
    const failed = [...runs.flat(), ...theirs].filter((r) => r.code !== 0).length;
    if (failed > 0) throw new Error(`${name}: ${failed} runs exited non-zero`);
    for (const [k, c] of clients.entries()) {
      const ours = runs[k];
      const ratio = (key) => median(ours.map((o, i) => o[key] / theirs[i][key]));
      rows.push({ name, who: c.who, ours, theirs, judged, wall: ratio("wallMs"), cpu: ratio("cpuMs"), peak: ratio("peakKiB") });
    }
  }

  console.log(`\n| command | client | wall ms min / median | CPU ms min / median | peak MiB min / median |\n|---|---|---:|---:|---:|`);
  for (const name of verbs.map(([n]) => n)) {
    const mine = rows.filter((r) => r.name === name);
    for (const [who, runs] of [...mine.map((r) => [r.who, r.ours]), ["aws (v1)", mine[0].theirs]]) {
      console.log(`| ${name} | ${who} | ${fmt(runs.map((x) => x.wallMs))} | ${fmt(runs.map((x) => x.cpuMs))} | ${fmt(runs.map((x) => x.peakKiB / 1024), 1)} |`);
    }
  }
  console.log("");
  for (const r of rows) {
    const [wallTarget, peakTarget] = r.judged ? [" (target <= 0.35x)", " (target <= 1.00x)"] : ["", ""];
    console.log(`ratio ${r.name} ${r.who}/aws: wall ${r.wall.toFixed(2)}x${wallTarget}, CPU ${r.cpu.toFixed(2)}x, peak memory ${r.peak.toFixed(2)}x${peakTarget}`);
    if (r.who !== "importexport") continue;
    const baseline = r.name === "validate" ? "aws (v1) create-job --validate-only" : "aws (v1)";
    recordResult({ bench: "cli-start", figure: `${r.name} wall, importexport ÷ ${baseline}`, value: r.wall, ...(r.judged ? { target: "<= 0.35" } : {}) });
    recordResult({ bench: "cli-start", figure: `${r.name} CPU, importexport ÷ ${baseline}`, value: r.cpu });
    recordResult({ bench: "cli-start", figure: `${r.name} peak memory, importexport ÷ ${baseline}`, value: r.peak, ...(r.judged ? { target: "<= 1.00" } : {}) });
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
} finally {
  helper?.close();
  emulator?.child.kill();
}
