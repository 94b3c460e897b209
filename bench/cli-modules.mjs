#!/usr/bin/env node
/**
 * What each module costs when the `importexport` CLI starts: runs one CLI command (default `list-jobs` and
 * `get-status` against an emulator started here) with bench/module-cost-hook.cjs preloaded, and prints per package
 * (and per file of ours) how many files were loaded and the wall milliseconds spent loading them (self: excluding
 * what they required in turn), plus the inclusive cost of every package our code requires directly. Runs each
 * command --runs times (default 3) and prints the median. Not a test; needs `npm run build` first.
 *
 * Usage: node bench/cli-modules.mjs [--runs 3] [--top 25] [-- any importexport arguments]
 *   With arguments after `--`, only that command is measured (no emulator is started unless it names
 *   $ENDPOINT, which is replaced by the started emulator's endpoint).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { median, parseArgs, startProcess } from "./emulator-lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dash = process.argv.indexOf("--");
const args = parseArgs(dash === -1 ? process.argv.slice(2) : process.argv.slice(2, dash));
const RUNS = Number(args.runs ?? 3);
const TOP = Number(args.top ?? 25);
const bin = join(root, "dist/cli/bin.js");
const hook = join(root, "bench/module-cost-hook.cjs");

/** The unit a file is counted under: `pkg` or `@scope/pkg` inside node_modules, else its path from the root. */
function unitOf(file) {
  const i = file.lastIndexOf(`${sep}node_modules${sep}`);
  if (i === -1) return relative(root, file);
  const parts = file.slice(i + 14).split(sep);
  return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}
const isOurs = (file) => !file.includes(`${sep}node_modules${sep}`);

/** One run of the CLI with the hook: its records and its own totals. */
function measure(cliArgs, env) {
  const dir = mkdtempSync(join(tmpdir(), "cli-modules-"));
  const out = join(dir, "cost.json");
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ["-r", hook, bin, ...cliArgs], { env: { ...process.env, ...env, MODULE_COST_OUT: out }, encoding: "utf8" });
    const wallMs = performance.now() - t0;
    if (r.status !== 0) throw new Error(`importexport ${cliArgs.join(" ")} exited with ${r.status}: ${r.stderr}`);
    return { wallMs, ...JSON.parse(readFileSync(out, "utf8")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per unit: files loaded, self ms summed; and per package required from our code: inclusive ms. */
function summarize(run) {
  const units = new Map();
  const entries = new Map();
  for (const r of run.records) {
    const u = unitOf(r.file);
    const cur = units.get(u) ?? { files: 0, selfMs: 0, selfRss: 0 };
    cur.files++;
    cur.selfMs += r.selfMs;
    cur.selfRss += r.selfRss;
    units.set(u, cur);
    // A package entered from our code (or from the preload): what requiring it costs as a whole.
    if (!isOurs(r.file) && (r.parent === undefined || isOurs(r.parent))) {
      const cur2 = entries.get(u) ?? { ms: 0, rss: 0 };
      entries.set(u, { ms: cur2.ms + r.inclusiveMs, rss: cur2.rss + r.inclusiveRss });
    }
  }
  return { units, entries };
}

const MiB = 2 ** 20;
const mib = (bytes) => (bytes / MiB).toFixed(1);

function report(title, cliArgs, env) {
  const runs = Array.from({ length: RUNS }, () => measure(cliArgs, env));
  const sums = runs.map(summarize);
  const med = (pick) => median(runs.map(pick));
  console.log(`\n## ${title}: importexport ${cliArgs.map((a) => (a.startsWith("http") ? "<endpoint>" : a)).join(" ")}`);
  console.log(`process wall ${med((r) => r.wallMs).toFixed(0)} ms (with the hook; median of ${RUNS}); files loaded ${med((r) => r.records.length)}; ` +
    `RSS ${mib(med((r) => r.startRssBytes))} MiB before the first require, ${mib(med((r) => r.rssBytes))} MiB at exit, peak ${mib(med((r) => r.peakBytes ?? 0))} MiB`);
  const names = new Set(sums.flatMap((s) => [...s.units.keys()]));
  const pick = (u, key) => median(sums.map((s) => s.units.get(u)?.[key] ?? 0));
  const rows = [...names].map((u) => ({ unit: u, files: pick(u, "files"), selfMs: pick(u, "selfMs"), selfRss: pick(u, "selfRss") }))
    .sort((a, b) => b.selfMs - a.selfMs);
  const line = (name, rs) => `| ${name} | ${rs.reduce((s, r) => s + r.files, 0)} | ${rs.reduce((s, r) => s + r.selfMs, 0).toFixed(1)} | ${mib(rs.reduce((s, r) => s + r.selfRss, 0))} |`;
  console.log(`\n| module (package, or our file) | files | self ms | self MiB |\n|---|---:|---:|---:|`);
  for (const r of rows.slice(0, TOP)) console.log(line(r.unit, [r]));
  if (rows.length > TOP) console.log(line(`(${rows.length - TOP} more)`, rows.slice(TOP)));
  console.log(line("**all requires**", rows));
  const pkgs = new Set(sums.flatMap((s) => [...s.entries.keys()]));
  if (pkgs.size > 0) {
    const entry = (p, key) => median(sums.map((s) => s.entries.get(p)?.[key] ?? 0));
    console.log(`\n| package required by our code | inclusive ms | inclusive MiB |\n|---|---:|---:|`);
    for (const p of [...pkgs].sort((a, b) => entry(b, "ms") - entry(a, "ms"))) console.log(`| ${p} | ${entry(p, "ms").toFixed(1)} | ${mib(entry(p, "rss"))} |`);
  }
}

console.log(`# CLI start-up: module costs (node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")})`);
const custom = dash === -1 ? undefined : process.argv.slice(dash + 1);
const needsEmulator = custom === undefined || custom.includes("$ENDPOINT");
let emulator;
try {
  let env = {};
  let endpoint;
  if (needsEmulator) {
    emulator = await startProcess([join(root, "dist/emulator/bin.js"), "--port", "0"]);
    endpoint = emulator.info.endpoint;
    const alice = emulator.info.accounts[0];
    env = { AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey, AWS_DEFAULT_REGION: "us-east-1" };
  }
  if (custom !== undefined) {
    report("custom", custom.map((a) => (a === "$ENDPOINT" ? endpoint : a)), env);
  } else {
    const manifest = readFileSync(join(root, "bench/fixtures/cli-manifest.yaml"), "utf8");
    const created = spawnSync(process.execPath, [bin, "create-job", "--job-type", "Import", "--manifest", manifest, "--endpoint-url", endpoint], { env: { ...process.env, ...env }, encoding: "utf8" });
    if (created.status !== 0) throw new Error(`create-job failed: ${created.stderr}`);
    const jobId = JSON.parse(created.stdout).JobId;
    report("list-jobs", ["list-jobs", "--endpoint-url", endpoint], env);
    report("get-status", ["get-status", "--job-id", jobId, "--endpoint-url", endpoint], env);
    report("--version", ["--version"], {});
  }
} finally {
  emulator?.child.kill();
}
