#!/usr/bin/env node
/**
 * GetStatus against the emulator versus a bare node:http server that returns a fixed body of the same size, side by
 * side in the same run, keep-alive, SigV4 and SigV2, at concurrency 16 and 64. Each server runs in its own process
 * so the load generator does not share its event loop. Each cell is several short rounds; a round measures both
 * servers back to back (bare first in even rounds, the emulator first in odd ones, so a load that rises or falls
 * during a round hits both alike) and gives one ratio of each kind; the figure is the median of the per-round ratios,
 * printed with their range, so one disturbed round on a shared machine moves it little. Prints requests/s and the
 * server's CPU µs per request (from /proc; the honest figure when the load generator saturates first) and both
 * ratios (target: emulator ≥ 0.5 × bare). Then, from a second emulator started with
 * `--profile-stages`, CPU µs per request for each stage (parse, auth, dispatch, serialize, write, log) beside the bare
 * server's whole cost. Not a test. Needs `npm run build` first (reads dist/emulator).
 *
 * The emulator does the full work per request: form parsing, signature verification (SigV4: body hash, canonical
 * request, HMAC with the cached signing key; SigV2: HMAC over the sorted parameters), account and job lookup,
 * lifecycle check, XML serialization from the model, a fresh RequestId, a JSON log line. Requests are signed once up
 * front (valid for 15 minutes) so the client's cost is the same for both servers.
 *
 * Usage: node bench/emulator-getstatus.mjs [--seconds 1] [--rounds 9] [--concurrency 16,64] [--sig v4,v2] [--quick] [--pin]
 *   --seconds  length of one server's part of a round; --rounds  rounds per cell (odd, so the median is a round's)
 *   --quick  0.5 s × 5 rounds
 *   --pin    run the servers on CPU 1 and the load generator on CPU 0 (Linux, needs taskset)
 * BENCH_EMULATOR_BIN: another build's dist/emulator/bin.js (e.g. main's, for before/after; stages are skipped when
 * that build has no --profile-stages).
 */
import { spawnSync } from "node:child_process";
import http from "node:http";
import { cpus, loadavg } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpuSeconds, median, parseArgs, signV2Body, signV4, startProcess } from "./emulator-lib.mjs";
import { recordResult } from "./summary.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const args = parseArgs(process.argv.slice(2));
const quick = args.quick !== undefined;
const pinned = args.pin !== undefined;
const STAGES = ["parse", "auth", "dispatch", "serialize", "write", "log"];

/**
 * Sends the same request from `concurrency` keep-alive connections for `seconds`; returns requests/s and the
 * server's CPU microseconds per request (robust against a busy machine, unlike requests/s).
 */
async function measure(endpoint, request, seconds, concurrency, pid) {
  const { Pool } = require("undici");
  const pool = new Pool(endpoint, { connections: concurrency, pipelining: 1 });
  let count = 0;
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const res = await pool.request({ method: "POST", path: "/", headers: request.headers, body: request.body });
      await res.body.arrayBuffer();
      if (res.statusCode === 200) count++;
      else failures++;
    }
  };
  const t0 = performance.now();
  const cpu0 = cpuSeconds(pid);
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds(pid);
  await pool.close();
  if (failures > 0) throw new Error(`${failures} non-200 answers`);
  return { rps: count / elapsed, cpuUsPerRequest: cpu0 === undefined || cpu1 === undefined ? NaN : ((cpu1 - cpu0) * 1e6) / count };
}

/** Starts an emulator, creates one job and returns the signed GetStatus requests (v4: headers; v2: body) for it. */
async function emulatorWithJob(extraArgs) {
  const nodeFlags = process.env.BENCH_EMULATOR_NODE_FLAGS ? process.env.BENCH_EMULATOR_NODE_FLAGS.split(" ") : [];
  const emulatorBin = process.env.BENCH_EMULATOR_BIN ?? join(root, "dist/emulator/bin.js");
  const emulator = await startProcess([...nodeFlags, emulatorBin, "--port", "0", "--log-format", "json", ...extraArgs], pinned);
  const { endpoint, accounts } = emulator.info;
  const account = accounts[0];
  const manifest = `manifestVersion: 2.0\ndeviceId: 49382\nbucket: ${account.buckets[0].name}\nreturnAddress:\n  name: Jane Roe\n  street1: 123 Any Street\n  city: Anytown\n  stateOrProvince: WA\n  postalCode: 91011\n  phoneNumber: 206-555-1111\n  country: USA\n`;
  const createBody = `Action=CreateJob&Version=2010-06-01&JobType=Import&ValidateOnly=false&Manifest=${encodeURIComponent(manifest)}`;
  const created = await fetch(`${endpoint}/`, { method: "POST", headers: await signV4(endpoint, account, createBody), body: createBody });
  const createdText = await created.text();
  const jobId = /<JobId>([^<]+)<\/JobId>/.exec(createdText)?.[1];
  if (!jobId) throw new Error(`CreateJob failed: ${createdText}`);
  const params = { Action: "GetStatus", Version: "2010-06-01", JobId: jobId };
  const v4Body = new URLSearchParams(params).toString();
  const requests = {
    v4: { headers: await signV4(endpoint, account, v4Body), body: v4Body },
    v2: { headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body: signV2Body(endpoint, account, params) },
  };
  for (const [sig, request] of Object.entries(requests)) {
    const sample = await fetch(`${endpoint}/`, { method: "POST", headers: request.headers, body: request.body });
    const text = await sample.text();
    if (sample.status !== 200) throw new Error(`GetStatus (${sig}) failed: ${text}`);
    request.size = Buffer.byteLength(text);
  }
  return { emulator, endpoint, requests };
}

async function main() {
  if (pinned) spawnSync("taskset", ["-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
  const SECONDS = Number(args.seconds ?? (quick ? 0.5 : 1));
  const ROUNDS = Number(args.rounds ?? (quick ? 5 : 9));
  const CONCURRENCIES = String(args.concurrency ?? "16,64").split(",").map(Number);
  const SIGS = String(args.sig ?? "v4,v2").split(",");
  const extraArgs = process.env.BENCH_EMULATOR_ARGS ? process.env.BENCH_EMULATOR_ARGS.split(" ") : [];
  const { emulator, endpoint, requests } = await emulatorWithJob(extraArgs);
  const size = requests.v4.size;
  const bare = await startProcess([fileURLToPath(import.meta.url), "--serve-bare", String(size)], pinned);
  const bareCpu = {};
  const range = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
  try {
    console.log(`GetStatus, keep-alive, ${ROUNDS} rounds × ${SECONDS}s per server per cell (bare and emulator back to back, order alternating), response ${size} bytes, ${cpus().length} CPUs${pinned ? ", pinned" : ""}`);
    console.log(`  ratios: median of the per-round ratios [range]; req/s and µs: medians`);
    console.log(`  sig  conc   bare req/s  µs CPU/req   emulator req/s  µs CPU/req   ratio throughput [range]   ratio CPU bare/emu [range]   load`);
    for (const sig of SIGS) {
      for (const concurrency of CONCURRENCIES) {
        const request = requests[sig];
        const servers = [
          { endpoint: bare.info.endpoint, pid: bare.child.pid, runs: [] },
          { endpoint, pid: emulator.child.pid, runs: [] },
        ];
        // Warm both up (JIT, connections), then the rounds.
        for (const srv of servers) await measure(srv.endpoint, request, 1, concurrency, srv.pid);
        for (let r = 0; r < ROUNDS; r++) {
          for (const srv of r % 2 === 0 ? servers : [...servers].reverse()) srv.runs.push(await measure(srv.endpoint, request, SECONDS, concurrency, srv.pid));
        }
        const [raw, emu] = servers.map((srv) => srv.runs);
        const throughput = emu.map((x, i) => x.rps / raw[i].rps);
        const cpu = emu.map((x, i) => raw[i].cpuUsPerRequest / x.cpuUsPerRequest);
        const e = median(emu.map((x) => x.rps));
        const b = median(raw.map((x) => x.rps));
        const ec = median(emu.map((x) => x.cpuUsPerRequest));
        const bc = median(raw.map((x) => x.cpuUsPerRequest));
        bareCpu[sig] ??= bc;
        const t = median(throughput);
        const c = median(cpu);
        console.log(`  ${sig}  ${String(concurrency).padStart(4)} ${b.toFixed(0).padStart(12)} ${bc.toFixed(1).padStart(11)} ${e.toFixed(0).padStart(16)} ${ec.toFixed(1).padStart(11)} ${`${t.toFixed(2)} [${range(throughput)}]`.padStart(26)} ${`${c.toFixed(2)} [${range(cpu)}]`.padStart(28)} ${loadavg()[0].toFixed(1).padStart(6)}`);
        const cellName = `${sig === "v4" ? "SigV4" : "SigV2"}, concurrency ${concurrency}`;
        recordResult({ bench: "emulator-getstatus", figure: `${cellName}: throughput, emulator ÷ bare node:http`, value: t, target: ">= 0.5" });
        recordResult({ bench: "emulator-getstatus", figure: `${cellName}: CPU per request, bare ÷ emulator`, value: c });
      }
    }
    console.log(`  load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}; target: throughput ratio ≥ 0.50`);
  } finally {
    emulator.child.kill("SIGINT");
  }
  try {
    await stageTable(SECONDS, bareCpu, SIGS);
  } finally {
    bare.child.kill();
  }
}

/** Per-stage CPU µs per request, from a second emulator with --profile-stages (its normal path stays unmeasured). */
async function stageTable(seconds, bareCpu, sigs) {
  let profiled;
  try {
    profiled = await emulatorWithJob(["--profile-stages"]);
  } catch {
    console.log("  stages: this emulator build has no --profile-stages");
    return;
  }
  try {
    const stats = async () => (await (await fetch(`${profiled.endpoint}/_emulator/stats`)).json()).stages;
    console.log(`  stage µs/request (--profile-stages, concurrency 16, ${seconds} s; load average ${loadavg()[0].toFixed(1)}): mean over the run, then the median of the last 4,096 requests`);
    console.log(`  (the mean counts the time slices a loaded machine takes from the process inside a stage; the median does not)`);
    console.log(`    ${"".padEnd(40)}${STAGES.map((s) => s.padStart(10)).join("")}       sum   bare whole request`);
    for (const sig of sigs) {
      await measure(profiled.endpoint, profiled.requests[sig], 0.5, 16, profiled.emulator.child.pid);
      const before = await stats();
      const run = await measure(profiled.endpoint, profiled.requests[sig], seconds, 16, profiled.emulator.child.pid);
      const after = await stats();
      const n = after.requests - before.requests;
      const rows = [
        [`${sig} mean (process total ${run.cpuUsPerRequest.toFixed(1)} µs CPU)`, STAGES.map((s) => ((after.totalMs[s] - before.totalMs[s]) * 1000) / n)],
        [`${sig} median`, STAGES.map((s) => after.recentMedianUs?.[s] ?? NaN)],
      ];
      for (const [label, us] of rows) {
        const sum = us.reduce((a, b) => a + b, 0);
        console.log(`    ${label.padEnd(40)}${us.map((x) => x.toFixed(1).padStart(10)).join("")} ${sum.toFixed(1).padStart(9)}   ${(bareCpu[sig] ?? NaN).toFixed(1).padStart(6)}`);
      }
    }
  } finally {
    profiled.emulator.child.kill("SIGINT");
  }
}

// Child mode: a bare server answering every request with the same body.
if (args["serve-bare"] !== undefined) {
  const body = Buffer.from("x".repeat(Number(args["serve-bare"])));
  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "Content-Type": "text/xml", "Content-Length": body.length, "x-amzn-RequestId": "00000000-0000-0000-0000-000000000000" });
      res.end(body);
    });
  });
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${JSON.stringify({ endpoint: `http://127.0.0.1:${server.address().port}` })}\n`));
} else {
  await main();
}
