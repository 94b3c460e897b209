#!/usr/bin/env node
/**
 * GetStatus throughput and latency at concurrency 16: this package's ImportExportClient versus the aws-sdk (v2)
 * `AWS.ImportExport` client (the only other JavaScript client for the service), in the same run, against the same
 * emulator (a separate process, so client and server do not share one event loop). Prints figures and the ratio;
 * not a test. Needs `npm run build` first (reads dist/).
 *
 * Usage: node bench/sdk-getstatus.mjs [--seconds 5] [--concurrency 16] [--rounds 2]
 */
import { spawn } from "node:child_process";
import http from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { ImportExportClient, stringifyManifest } = require(join(root, "dist/sdk/index.js"));
const AWS = require("aws-sdk");

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const SECONDS = Number(args.seconds ?? 5);
const CONCURRENCY = Number(args.concurrency ?? 16);
const ROUNDS = Number(args.rounds ?? 2);

async function startEmulatorProcess() {
  const child = spawn(process.execPath, [join(root, "dist/emulator/bin.js"), "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) };
}

/** Runs `call` from CONCURRENCY workers for SECONDS; returns calls/s and latency percentiles. */
async function measure(call, seconds) {
  const latencies = [];
  const deadline = performance.now() + seconds * 1000;
  let errors = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      try {
        await call();
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  };
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpu = process.cpuUsage(cpu0);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const cpuPerCall = (cpu.user + cpu.system) / Math.max(1, latencies.length);
  return { calls: latencies.length, errors, perSecond: latencies.length / elapsed, p50: pct(50), p99: pct(99), cpuPerCall };
}

const fmt = (r) => `${r.perSecond.toFixed(0).padStart(6)} calls/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   client CPU ${r.cpuPerCall.toFixed(0).padStart(5)} µs/call   (${r.calls} calls, ${r.errors} errors)`;

const { child, info } = await startEmulatorProcess();
try {
  const account = info.accounts[0];
  const credentials = { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey };
  const ours = new ImportExportClient({ endpoint: info.endpoint, region: info.region, credentials });
  const manifest = stringifyManifest({
    manifestVersion: "2.0", accessKeyId: account.accessKeyId, deviceId: "BENCH1", eraseDevice: true, bucket: account.buckets[0].name,
    returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Anytown", stateOrProvince: "WA", postalCode: "91011", phoneNumber: "206-555-1111", country: "USA" },
  });
  const { JobId } = await ours.createJob({ JobType: "Import", Manifest: manifest, ValidateOnly: false });

  // aws-sdk v2 with a keep-alive agent too, so the comparison is of the clients, not of connection reuse.
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const v2 = new AWS.ImportExport({ endpoint: info.endpoint, region: info.region, credentials: new AWS.Credentials(credentials), httpOptions: { agent }, maxRetries: 2 });

  const contenders = {
    "pulumi-importexport/sdk": () => ours.getStatus({ JobId }),
    "aws-sdk v2 ImportExport": () => v2.getStatus({ JobId }).promise(),
  };
  for (const call of Object.values(contenders)) await measure(call, 1); // warm-up: JIT, sockets
  const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, call] of Object.entries(contenders)) results[name].push(await measure(call, SECONDS));
  }
  const best = (name) => results[name].reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  console.log(`GetStatus, concurrency ${CONCURRENCY}, ${SECONDS}s × ${ROUNDS} rounds each, emulator in a separate process (best round shown)`);
  for (const name of Object.keys(contenders)) console.log(`${name.padEnd(26)} ${fmt(best(name))}`);
  const a = best("pulumi-importexport/sdk");
  const b = best("aws-sdk v2 ImportExport");
  console.log(`ratio (ours / aws-sdk v2): throughput ×${(a.perSecond / b.perSecond).toFixed(2)}, p50 ×${(b.p50 / a.p50).toFixed(2)} faster, p99 ×${(b.p99 / a.p99).toFixed(2)} faster (target: ≥ 3× throughput)`);
  console.log(`client CPU per call: aws-sdk v2 uses ×${(b.cpuPerCall / a.cpuPerCall).toFixed(2)} ours (when both saturate the emulator, throughput is the emulator's, not the clients')`);
  await ours.destroy();
  agent.destroy();
} finally {
  child.kill("SIGTERM");
}
