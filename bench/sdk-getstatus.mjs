#!/usr/bin/env node
/**
 * GetStatus calls/s at concurrency 16 and client CPU µs per call: this package's ImportExportClient versus the
 * aws-sdk (v2) `AWS.ImportExport` client (the only other JavaScript client for the service). The baseline is
 * aws-sdk v2, measured in the same run, against the same server, in alternating rounds (so drift hits both).
 * Prints figures and ratio lines (throughput, and client CPU per call); not a test. Needs `npm run build` first.
 *
 * Servers (each in its own process, so client and server never share an event loop):
 * - `emulator`: the real emulator (SigV2 verification, job lookup, XML serialization) — the end-to-end figure;
 * - `canned`: a trivial node:http server answering every request with the emulator's exact GetStatus bytes
 *   (status, headers, body; captured from the emulator at start). Where the emulator's CPU saturates first, this
 *   is the figure that measures the clients, not the server.
 * Client CPU per call is `process.cpuUsage()` of this process (the client) over the round, divided by the calls;
 * server CPU per call comes from `/proc/<pid>/stat` (Linux). Both survive a busy machine better than calls/s.
 *
 * Usage: node bench/sdk-getstatus.mjs [--seconds 3] [--concurrency 16] [--rounds 2] [--server both|emulator|canned]
 *          [--pin] [--load N] [--quick] [--sdk DIR]
 *   --pin     server on CPU 1, this client on CPU 0 (Linux, taskset): the server has its own CPU.
 *   --load N  "under load": N busy-loop processes (unpinned, spinning for the whole run) compete with client and
 *             server for the CPUs. Without --load the figures are whatever else runs on the machine.
 *   --quick   1 s rounds, 1 round (a few seconds in all).
 *   --sdk DIR an alternative built SDK (a dist/sdk directory, e.g. one copied from main) in place of ours: the
 *             "before" figure of a change, measured with the same benchmark.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { loadavg } from "node:os";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { recordResult } from "./summary.mjs";

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";
const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), "..");
const require = createRequire(import.meta.url);
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (!a.startsWith("--")) return acc;
    const next = all[i + 1];
    return [...acc, [a.slice(2), next === undefined || next.startsWith("--") ? "true" : next]];
  }, []),
);
const QUICK = args.quick !== undefined;
const SECONDS = Number(args.seconds ?? (QUICK ? 1 : 3));
const CONCURRENCY = Number(args.concurrency ?? 16);
const ROUNDS = Number(args.rounds ?? (QUICK ? 1 : 2));
const PIN = args.pin !== undefined;
const LOAD = args.load === undefined ? 0 : Number(args.load === "true" ? 2 : args.load);
const SERVERS = args.server === undefined || args.server === "both" ? ["emulator", "canned"] : [args.server];

// --pin: run this client on CPU 0 (re-executed under taskset once); servers are started on CPU 1 below.
if (PIN && process.env.SDK_BENCH_PINNED !== "1") {
  const r = spawnSync("taskset", ["-c", "0", process.execPath, here, ...process.argv.slice(2)], { stdio: "inherit", env: { ...process.env, SDK_BENCH_PINNED: "1" } });
  process.exit(r.status ?? 1);
}

const sdkDir = args.sdk ? resolve(args.sdk) : join(root, "dist/sdk");
const { ImportExportClient, stringifyManifest, signV2, canonicalQueryString } = require(join(sdkDir, "index.js"));
const AWS = require("aws-sdk");

function startServerProcess(argv) {
  const cmd = PIN ? ["taskset", ["-c", "1", process.execPath, ...argv]] : [process.execPath, argv];
  const child = spawn(cmd[0], cmd[1], { stdio: ["pipe", "pipe", "ignore"] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", (line) => resolve({ child, info: JSON.parse(line) }));
    child.once("exit", (code) => reject(new Error(`${argv.join(" ")} exited with ${code}`)));
  });
}

/** Clock ticks of user + system CPU of a process (Linux); undefined elsewhere. */
function processTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the whole line)
  } catch {
    return undefined;
  }
}
const TICK_US = 1e6 / Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim() || 100);

/** The emulator's exact answer to a signed GetStatus (status, raw headers, body), for the canned server. */
function captureGetStatus(info, credentials, jobId) {
  const url = new URL(info.endpoint);
  const params = signV2({ Action: "GetStatus", Version: "2010-06-01", JobId: jobId }, { method: "POST", host: url.host, path: "/", credentials, now: new Date() });
  const body = canonicalQueryString(params);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const headers = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          // Hop-by-hop and per-response headers are the canned server's own business.
          if (!/^(date|connection|keep-alive|content-length|transfer-encoding)$/i.test(res.rawHeaders[i])) headers.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
        }
        resolve({ status: res.statusCode, headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.once("error", reject);
    req.end(body);
  });
}

// The canned server: reads the captured response as one JSON line on stdin, then answers every request with it.
const CANNED_SERVER = `
const http = require("node:http");
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.once("end", () => {
  const { status, headers, body } = JSON.parse(input);
  const bytes = Buffer.from(body, "utf8");
  const head = [...headers.flat(), "Content-Length", String(bytes.length)];
  const server = http.createServer((req, res) => {
    req.resume();
    req.once("end", () => res.writeHead(status, head).end(bytes));
  });
  server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ endpoint: "http://127.0.0.1:" + server.address().port })));
});`;

async function startCanned(response) {
  const cmd = PIN ? ["taskset", ["-c", "1", process.execPath, "-e", CANNED_SERVER]] : [process.execPath, ["-e", CANNED_SERVER]];
  const child = spawn(cmd[0], cmd[1], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(JSON.stringify(response));
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`canned server exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) };
}

/** Runs `call` from CONCURRENCY workers for `seconds`; returns calls/s, latency percentiles and CPU per call. */
async function measure(call, seconds, serverPid) {
  const latencies = [];
  const deadline = performance.now() + seconds * 1000;
  let errors = 0;
  let firstError;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      try {
        await call();
        latencies.push(performance.now() - t);
      } catch (err) {
        errors++;
        firstError ??= err;
      }
    }
  };
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const server0 = processTicks(serverPid);
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpu = process.cpuUsage(cpu0);
  const server1 = processTicks(serverPid);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const n = Math.max(1, latencies.length);
  return {
    calls: latencies.length, errors, firstError, perSecond: latencies.length / elapsed, p50: pct(50), p99: pct(99),
    cpuPerCall: (cpu.user + cpu.system) / n,
    serverCpuPerCall: server0 === undefined || server1 === undefined ? NaN : ((server1 - server0) * TICK_US) / n,
  };
}

const fmt = (r) =>
  `${r.perSecond.toFixed(0).padStart(6)} calls/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   ` +
  `client CPU ${r.cpuPerCall.toFixed(0).padStart(4)} µs/call   server CPU ${r.serverCpuPerCall.toFixed(0).padStart(4)} µs/call   (${r.calls} calls, ${r.errors} errors)`;

const loaders = Array.from({ length: LOAD }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
const servers = [];
try {
  const emulator = await startServerProcess([join(root, "dist/emulator/bin.js"), "--port", "0"]);
  servers.push(emulator.child);
  const { info } = emulator;
  const account = info.accounts[0];
  const credentials = { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey };
  const setup = new ImportExportClient({ endpoint: info.endpoint, region: info.region, credentials });
  const manifest = stringifyManifest({
    manifestVersion: "2.0", accessKeyId: account.accessKeyId, deviceId: "BENCH1", eraseDevice: true, bucket: account.buckets[0].name,
    returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Anytown", stateOrProvince: "WA", postalCode: "91011", phoneNumber: "206-555-1111", country: "USA" },
  });
  const { JobId } = await setup.createJob({ JobType: "Import", Manifest: manifest, ValidateOnly: false });
  await setup.destroy();
  const targets = {};
  if (SERVERS.includes("emulator")) targets.emulator = { endpoint: info.endpoint, pid: emulator.child.pid };
  if (SERVERS.includes("canned")) {
    const canned = await startCanned(await captureGetStatus(info, credentials, JobId));
    servers.push(canned.child);
    targets.canned = { endpoint: canned.info.endpoint, pid: canned.child.pid };
  }

  const contenders = {};
  const closers = [];
  for (const [server, target] of Object.entries(targets)) {
    const ours = new ImportExportClient({ endpoint: target.endpoint, region: info.region, credentials });
    // aws-sdk v2 with a keep-alive agent too, so the comparison is of the clients, not of connection reuse.
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const v2 = new AWS.ImportExport({ endpoint: target.endpoint, region: info.region, credentials: new AWS.Credentials(credentials), httpOptions: { agent }, maxRetries: 2 });
    contenders[server] = { ours: () => ours.getStatus({ JobId }), v2: () => v2.getStatus({ JobId }).promise() };
    closers.push(() => ours.destroy(), () => agent.destroy());
    // Both clients must read the same answer: a canned server that broke the exchange would measure nothing.
    const [a, b] = await Promise.all([ours.getStatus({ JobId }), v2.getStatus({ JobId }).promise()]);
    if (a.JobId !== JobId || b.JobId !== JobId || a.ProgressCode !== b.ProgressCode) throw new Error(`${server}: the clients read different answers`);
  }

  const results = {};
  for (const [server, pair] of Object.entries(contenders)) {
    results[server] = { ours: [], v2: [] };
    for (const call of Object.values(pair)) await measure(call, Math.min(1, SECONDS), targets[server].pid); // warm-up: JIT, sockets
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [server, pair] of Object.entries(contenders)) {
      // Alternate which client goes first, so a drift in the machine's load hits both.
      const order = round % 2 === 0 ? ["ours", "v2"] : ["v2", "ours"];
      for (const who of order) results[server][who].push(await measure(pair[who], SECONDS, targets[server].pid));
    }
  }

  const where = PIN ? "server pinned to CPU 1, client to CPU 0" : "unpinned";
  const load = LOAD ? `, under load: ${LOAD} busy-loop processes` : "";
  console.log(`GetStatus, concurrency ${CONCURRENCY}, ${SECONDS}s × ${ROUNDS} rounds each (alternating), ${where}${load}; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`ours = ${args.sdk ? sdkDir : "pulumi-importexport/sdk (dist/sdk)"}; baseline = aws-sdk v2 AWS.ImportExport; best round by calls/s, CPU per call = median round`);
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)];
  for (const server of Object.keys(contenders)) {
    const best = (who) => results[server][who].reduce((x, y) => (y.perSecond > x.perSecond ? y : x));
    const cpu = (who) => median(results[server][who].map((r) => r.cpuPerCall));
    const a = best("ours");
    const b = best("v2");
    const label = server === "emulator" ? "emulator (real server)" : "canned (emulator's bytes, trivial server)";
    console.log(`\n[server: ${label}]`);
    console.log(`  ours         ${fmt(a)}`);
    console.log(`  aws-sdk v2   ${fmt(b)}`);
    for (const r of [a, b]) if (r.firstError) console.log(`  first error: ${r.firstError.name}: ${r.firstError.message}`);
    console.log(`  ratio [${server}] throughput ours/aws-sdk v2: ×${(a.perSecond / b.perSecond).toFixed(2)} (target ≥ 2.5×, issue 21)`);
    console.log(`  ratio [${server}] client CPU per call aws-sdk v2/ours: ×${(cpu("v2") / cpu("ours")).toFixed(2)} (ours ${cpu("ours").toFixed(0)} µs, aws-sdk v2 ${cpu("v2").toFixed(0)} µs)`);
    const setting = [PIN ? "pinned" : "unpinned", ...(LOAD ? [`--load ${LOAD}`] : [])].join(", ");
    recordResult({ bench: "sdk-getstatus", figure: `${server} server (${setting}): calls/s, ours ÷ aws-sdk v2`, value: a.perSecond / b.perSecond, target: ">= 2.5" });
    recordResult({ bench: "sdk-getstatus", figure: `${server} server (${setting}): client CPU per call, aws-sdk v2 ÷ ours`, value: cpu("v2") / cpu("ours") });
  }
  for (const close of closers) await close();
} finally {
  for (const child of servers) child.kill("SIGTERM");
  for (const child of loaders) child.kill("SIGKILL");
}
