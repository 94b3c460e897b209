#!/usr/bin/env node
/**
 * GetStatus requests/s against the emulator versus a bare node:http server that returns a fixed XML body of the
 * same size, side by side in the same run, keep-alive, concurrency 16. Each server runs in its own process so the
 * load generator does not share its event loop. Prints both figures and the ratio (target: emulator ≥ 0.5 × bare);
 * not a test. Needs `npm run build` first (reads dist/emulator).
 *
 * The emulator does the full work per request: form parsing, SigV4 verification (HMAC chain over the canonical
 * request), account lookup, job lookup and lifecycle check, XML serialization from the model, a fresh RequestId.
 * The request is signed once up front (valid for 15 minutes) so the client's cost is the same for both servers.
 *
 * Usage: node bench/emulator-getstatus.mjs [--seconds 5] [--concurrency 16] [--rounds 3] [--pin]
 *   --pin   run the servers on CPU 1 and the load generator on CPU 0 (Linux, needs taskset)
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { cpus, loadavg } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (!a.startsWith("--")) return acc;
    const next = all[i + 1];
    return [...acc, [a.slice(2), next === undefined || next.startsWith("--") ? "true" : next]];
  }, []),
);

function startProcess(argv) {
  // --pin: servers on CPU 1, this load generator on CPU 0 (Linux taskset), so client and server never share a core.
  const pinned = args.pin !== undefined;
  const child = pinned ? spawn("taskset", ["-c", "1", process.execPath, ...argv], { stdio: ["ignore", "pipe", process.env.BENCH_STDERR ? "inherit" : "ignore"] }) : spawn(process.execPath, argv, { stdio: ["ignore", "pipe", process.env.BENCH_STDERR ? "inherit" : "ignore"] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", (line) => resolve({ child, info: JSON.parse(line) }));
    child.once("exit", (code) => reject(new Error(`${argv.join(" ")} exited with ${code}`)));
  });
}

class NodeSha256 {
  constructor(secret) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", secret);
  }
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

async function signedRequest(endpoint, account, body) {
  const { SignatureV4 } = require("@smithy/signature-v4");
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: account, region: "us-east-1", service: "IngestionService", sha256: NodeSha256 });
  const headers = { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
  const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", query: {}, headers, body });
  const out = { ...signed.headers };
  delete out.host;
  return out;
}

/** CPU seconds (user + system) a process has used so far (Linux /proc; undefined elsewhere). */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

/**
 * Sends the same request from `concurrency` keep-alive connections for `seconds`; returns requests/s and the
 * server's CPU microseconds per request (robust against a busy machine, unlike requests/s).
 */
async function measure(endpoint, headers, body, seconds, concurrency, pid) {
  const { Pool } = require("undici");
  const pool = new Pool(endpoint, { connections: concurrency, pipelining: 1 });
  let count = 0;
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const res = await pool.request({ method: "POST", path: "/", headers, body });
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

async function main() {
  if (args.pin !== undefined) spawnSync("taskset", ["-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
  const SECONDS = Number(args.seconds ?? 5);
  const CONCURRENCY = Number(args.concurrency ?? 16);
  const ROUNDS = Number(args.rounds ?? 3);
  const nodeFlags = process.env.BENCH_EMULATOR_NODE_FLAGS ? process.env.BENCH_EMULATOR_NODE_FLAGS.split(" ") : [];
  const emulatorBin = process.env.BENCH_EMULATOR_BIN ?? join(root, "dist/emulator/bin.js");
  const extraArgs = process.env.BENCH_EMULATOR_ARGS ? process.env.BENCH_EMULATOR_ARGS.split(" ") : [];
  const emulator = await startProcess([...nodeFlags, emulatorBin, "--port", "0", "--log-format", "json", ...extraArgs]);
  try {
    const { endpoint, accounts } = emulator.info;
    const account = accounts[0];
    const manifest = `manifestVersion: 2.0\ndeviceId: 49382\nbucket: ${account.buckets[0].name}\nreturnAddress:\n  name: Jane Roe\n  street1: 123 Any Street\n  city: Anytown\n  stateOrProvince: WA\n  postalCode: 91011\n  phoneNumber: 206-555-1111\n  country: USA\n`;
    const createBody = `Action=CreateJob&Version=2010-06-01&JobType=Import&ValidateOnly=false&Manifest=${encodeURIComponent(manifest)}`;
    const created = await fetch(`${endpoint}/`, { method: "POST", headers: await signedRequest(endpoint, account, createBody), body: createBody });
    const createdText = await created.text();
    const jobId = /<JobId>([^<]+)<\/JobId>/.exec(createdText)?.[1];
    if (!jobId) throw new Error(`CreateJob failed: ${createdText}`);
    const body = `Action=GetStatus&Version=2010-06-01&JobId=${jobId}`;
    const headers = await signedRequest(endpoint, account, body);
    const sample = await fetch(`${endpoint}/`, { method: "POST", headers, body });
    const size = Buffer.byteLength(await sample.text());
    const bare = await startProcess([fileURLToPath(import.meta.url), "--serve-bare", String(size)]);
    try {
      // Warm both up (JIT, connection setup), then alternate rounds so drift on a shared machine hits both.
      await measure(endpoint, headers, body, 1, CONCURRENCY, emulator.child.pid);
      await measure(bare.info.endpoint, headers, body, 1, CONCURRENCY, bare.child.pid);
      const emu = [];
      const raw = [];
      for (let r = 0; r < ROUNDS; r++) {
        raw.push(await measure(bare.info.endpoint, headers, body, SECONDS, CONCURRENCY, bare.child.pid));
        emu.push(await measure(endpoint, headers, body, SECONDS, CONCURRENCY, emulator.child.pid));
      }
      const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const e = median(emu.map((x) => x.rps));
      const b = median(raw.map((x) => x.rps));
      const ec = median(emu.map((x) => x.cpuUsPerRequest));
      const bc = median(raw.map((x) => x.cpuUsPerRequest));
      const load = loadavg()[0].toFixed(1);
      console.log(`GetStatus, keep-alive, concurrency ${CONCURRENCY}, ${ROUNDS} rounds × ${SECONDS}s, response ${size} bytes, ${cpus().length} CPUs, load average ${load} (medians)`);
      console.log(`  bare node:http fixed body : ${b.toFixed(0).padStart(6)} req/s  ${bc.toFixed(0).padStart(4)} µs CPU/request   rounds: ${raw.map((x) => x.rps.toFixed(0)).join(", ")}`);
      console.log(`  emulator (SigV4 verified) : ${e.toFixed(0).padStart(6)} req/s  ${ec.toFixed(0).padStart(4)} µs CPU/request   rounds: ${emu.map((x) => x.rps.toFixed(0)).join(", ")}`);
      console.log(`  ratio emulator / bare     : ${(e / b).toFixed(2)} (throughput, target ≥ 0.50)   ${(bc / ec).toFixed(2)} (CPU cost, bare/emulator)`);
    } finally {
      bare.child.kill();
    }
  } finally {
    emulator.child.kill("SIGINT");
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

