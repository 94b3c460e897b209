#!/usr/bin/env node
/**
 * How the emulator's cost grows with the number of jobs (issue 12 item 4, emulator half). Not a test.
 *
 * 1. Start-up with a journal of N jobs (`--data-dir`): wall time to the first stdout line and the process's CPU
 *    time by then; baseline: the same with an empty journal, in the same run (rounds alternate sizes).
 * 2. ListJobs paging through all N jobs of one account with MaxJobs=100 and Marker: emulator CPU µs and wall ms per
 *    page, and CPU µs per listed job; baseline: the smallest size. Linear cost shows as a flat per-job figure
 *    (ratio ≈ 1); a Marker found by scanning and sorting every job shows as a per-job cost growing with N.
 *
 * 3. IoT ListJobs (issue 25 item 4) paging through all N IoT jobs of one account with maxResults=100 and nextToken,
 *    unfiltered and filtered by status (one job in ten matches): emulator CPU µs and wall ms per page; baseline:
 *    the smallest size. A flat page cost shows as a ratio ≈ 1 (target ≤ 1.5× at 20,000 against 1,000); a page that
 *    sorts or scans every job shows as a ratio growing with N.
 * 4. Start-up with an `iot.journal` of 10,000 IoT jobs; baseline: the same emulator with an empty journal.
 * 5. The dashboard's state (`GET /_emulator/ui/state`) with N Import/Export jobs, wall ms per request, capped by
 *    --ui-timeout (a cost that grows faster than N prints "timeout" rather than hanging the run).
 *
 * The journals are written directly (whole records, as CreateJob stores them), so building 20,000 jobs takes no
 * API calls. Needs `npm run build` (reads dist/emulator; BENCH_EMULATOR_BIN points at another build, e.g. main's).
 *
 * Usage: node bench/emulator-scale.mjs [--sizes 100,1000,10000] [--iot-sizes 1000,10000,20000] [--ui-sizes 1000,10000]
 *                                      [--ui-timeout 20000] [--iot-pages 400] [--rounds 3] [--quick] [--pin]
 *   --iot-pages  at least this many IoT ListJobs pages per cell (passes over the jobs repeat)
 *   --quick  sizes 100,1000,3000, IoT sizes 1000,3000,5000, dashboard sizes 1000,3000, 2 rounds
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpuSeconds, median, parseArgs, signIotGet, signV4, startProcess } from "./emulator-lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = parseArgs(process.argv.slice(2));
const quick = args.quick !== undefined;
const SIZES = (args.sizes ?? (quick ? "100,1000,3000" : "100,1000,10000")).split(",").map(Number);
const ROUNDS = Number(args.rounds ?? (quick ? 2 : 3));
const IOT_SIZES = (args["iot-sizes"] ?? (quick ? "1000,3000,5000" : "1000,10000,20000")).split(",").map(Number);
const UI_SIZES = (args["ui-sizes"] ?? (quick ? "1000,3000" : "1000,10000")).split(",").map(Number);
const UI_TIMEOUT_MS = Number(args["ui-timeout"] ?? 20000);
const IOT_STARTUP_JOBS = 10000;
const IOT_MIN_PAGES = Number(args["iot-pages"] ?? (quick ? 100 : 400));
const PAGE = 100;
const emulatorBin = process.env.BENCH_EMULATOR_BIN ?? join(root, "dist/emulator/bin.js");
const ALPHABET = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ";

/** The i-th JobId of a deterministic sequence (distinct for i < 34^5). */
function jobId(i) {
  let id = "";
  for (let k = 0, n = i; k < 5; k++, n = Math.floor(n / ALPHABET.length)) id += ALPHABET[n % ALPHABET.length];
  return id;
}

/** A data dir whose jobs.journal holds `n` jobs of the first default account, one created per second. */
function journalDir(n) {
  const dir = mkdtempSync(join(tmpdir(), "emu-scale-"));
  const t0 = Date.now() - n * 1000;
  const lines = [];
  for (let i = 0; i < n; i++) {
    const at = t0 + i * 1000;
    const job = {
      jobId: jobId(i), accountId: "111111111111", jobType: "Import", createdAt: at, sequence: i + 1, transitionedAt: at,
      manifest: `manifestVersion: 2.0\ndeviceId: ${i}\nbucket: alice-import\nreturnAddress:\n  name: Jane Roe\n  street1: 123 Any Street\n  city: Anytown\n  stateOrProvince: WA\n  postalCode: 91011\n  phoneNumber: 206-555-1111\n  country: USA\n`,
      locationCode: "NotReceived", progressCode: "Pending", isCanceled: false, errorCount: 0, signature: "c2lnbmF0dXJl", region: "us-east-1",
      manifestLogBucket: "alice-import", history: [{ at, cause: "CreateJob", locationCode: "NotReceived", progressCode: "Pending" }],
    };
    lines.push(JSON.stringify({ v: 1, op: "put", job }));
  }
  writeFileSync(join(dir, "jobs.journal"), lines.length > 0 ? `${lines.join("\n")}\n` : "");
  return dir;
}

const IOT_ACCOUNT = "111111111111";
const IOT_REGION = "us-east-1";

/**
 * A data dir whose iot.journal holds one thing, one thing group with it, and `n` SNAPSHOT jobs of the first account
 * targeting the group, one created per second: nine in ten COMPLETED (their execution SUCCEEDED), one in ten
 * IN_PROGRESS (its execution QUEUED), the mix a fleet's history has.
 */
function iotJournalDir(n) {
  const dir = mkdtempSync(join(tmpdir(), "emu-scale-iot-"));
  const scope = { accountId: IOT_ACCOUNT, region: IOT_REGION };
  const arn = (kind, name) => `arn:aws:iot:${IOT_REGION}:${IOT_ACCOUNT}:${kind}/${name}`;
  const t0 = Date.now() - n * 1000;
  const records = [
    { kind: "group", scope, thingGroupName: "fleet", thingGroupId: "00000000-0000-4000-8000-000000000001", thingGroupArn: arn("thinggroup", "fleet"), creationDate: t0, version: 1, tags: [] },
    { kind: "thing", scope, thingName: "device-1", thingId: "00000000-0000-4000-8000-000000000002", thingArn: arn("thing", "device-1"), attributes: {}, version: 2, groups: ["fleet"] },
  ];
  for (let i = 0; i < n; i++) {
    const at = t0 + i * 1000;
    const done = i % 10 !== 0;
    records.push({
      kind: "job", scope, sequence: i + 1, jobId: `job-${i}`, jobArn: arn("job", `job-${i}`), status: done ? "COMPLETED" : "IN_PROGRESS",
      targetSelection: "SNAPSHOT", targets: [arn("thinggroup", "fleet")], document: '{"operation":"update"}', spec: { description: `rollout ${i}` },
      createdAt: at, lastUpdatedAt: at + 500, ...(done ? { completedAt: at + 500 } : {}),
      executions: [{ thingName: "device-1", thingArn: arn("thing", "device-1"), status: done ? "SUCCEEDED" : "QUEUED", executionNumber: 1, queuedAt: at, ...(done ? { startedAt: at + 100 } : {}), lastUpdatedAt: at + 500 }],
      tags: [],
    });
  }
  writeFileSync(join(dir, "iot.journal"), `${records.map((record) => JSON.stringify({ v: 1, op: "put", record })).join("\n")}\n`);
  return dir;
}

async function startWith(n, makeDir = journalDir) {
  const dir = makeDir(n);
  const emu = await startProcess([emulatorBin, "--port", "0", "--data-dir", dir, "--log-format", "json"], args.pin !== undefined);
  return { ...emu, cpuAtStart: cpuSeconds(emu.child.pid), dir };
}

async function stop(emu, signal = "SIGINT") {
  const exited = new Promise((resolve) => emu.child.once("exit", resolve));
  emu.child.kill(signal);
  await exited;
  rmSync(emu.dir, { recursive: true, force: true });
}

/** Pages through every job `passes` times; returns emulator CPU µs and wall ms per page, and pages per pass. */
async function pageAll(emu, n) {
  const { endpoint, accounts } = emu.info;
  const account = accounts[0];
  const passes = Math.max(1, Math.ceil(200 / Math.ceil(n / PAGE)));
  let pages = 0;
  let wall = 0;
  const cpu0 = cpuSeconds(emu.child.pid);
  for (let p = 0; p < passes; p++) {
    let marker;
    let seen = 0;
    for (;;) {
      const body = `Action=ListJobs&Version=2010-06-01&MaxJobs=${PAGE}${marker ? `&Marker=${marker}` : ""}`;
      const headers = await signV4(endpoint, account, body);
      const t = performance.now();
      const res = await fetch(`${endpoint}/`, { method: "POST", headers, body });
      const text = await res.text();
      wall += performance.now() - t;
      if (res.status !== 200) throw new Error(`ListJobs: ${text}`);
      pages++;
      const ids = [...text.matchAll(/<JobId>([^<]+)<\/JobId>/g)].map((m) => m[1]);
      seen += ids.length;
      if (!text.includes("<IsTruncated>true</IsTruncated>")) break;
      marker = ids[ids.length - 1];
    }
    if (seen !== n) throw new Error(`paged ${seen} jobs, expected ${n}`);
  }
  const cpu1 = cpuSeconds(emu.child.pid);
  return { cpuUsPerPage: ((cpu1 - cpu0) * 1e6) / pages, wallMsPerPage: wall / pages, pagesPerPass: pages / passes };
}

/**
 * Pages through every IoT job (or those of `status`) `passes` times with IoT ListJobs; returns emulator CPU µs and
 * wall ms per page, and pages per pass.
 */
async function iotPageAll(emu, n, status) {
  const { endpoint, accounts } = emu.info;
  const account = accounts[0];
  const expected = status === undefined ? n : Math.ceil(n / 10);
  // At least IOT_MIN_PAGES pages per cell: /proc CPU time ticks in 10 ms, a few hundred µs per page.
  const passes = Math.max(1, Math.ceil(IOT_MIN_PAGES / Math.ceil(expected / PAGE)));
  let pages = 0;
  let wall = 0;
  const cpu0 = cpuSeconds(emu.child.pid);
  for (let p = 0; p < passes; p++) {
    let nextToken;
    let seen = 0;
    do {
      const query = { maxResults: String(PAGE), ...(status !== undefined ? { status } : {}), ...(nextToken !== undefined ? { nextToken } : {}) };
      const headers = await signIotGet(endpoint, account, "/jobs", query);
      const t = performance.now();
      const res = await fetch(`${endpoint}/jobs?${new URLSearchParams(query)}`, { headers });
      const text = await res.text();
      wall += performance.now() - t;
      if (res.status !== 200) throw new Error(`IoT ListJobs: ${res.status} ${text}`);
      pages++;
      const page = JSON.parse(text);
      seen += page.jobs.length;
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    if (seen !== expected) throw new Error(`paged ${seen} IoT jobs, expected ${expected}`);
  }
  const cpu1 = cpuSeconds(emu.child.pid);
  return { cpuUsPerPage: ((cpu1 - cpu0) * 1e6) / pages, wallMsPerPage: wall / pages, pagesPerPass: pages / passes };
}

/** Wall ms of one `GET /_emulator/ui/state`, or undefined when it took longer than UI_TIMEOUT_MS. */
async function dashboardStateMs(emu) {
  const t = performance.now();
  try {
    const res = await fetch(`${emu.info.endpoint}/_emulator/ui/state`, { signal: AbortSignal.timeout(UI_TIMEOUT_MS) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`ui/state: ${res.status}`);
    return performance.now() - t;
  } catch (e) {
    if (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")) return undefined;
    throw e;
  }
}

const startup = new Map([[0, []], ...SIZES.map((n) => [n, []])]);
const listing = new Map(SIZES.map((n) => [n, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const n of [0, ...SIZES]) {
    const emu = await startWith(n);
    try {
      startup.get(n).push({ ms: emu.startMs, cpuMs: emu.cpuAtStart * 1000 });
      if (n > 0) listing.get(n).push(await pageAll(emu, n));
    } finally {
      await stop(emu);
    }
  }
}

const iotStartup = new Map([[0, []], [IOT_STARTUP_JOBS, []]]);
const iotListing = new Map(IOT_SIZES.map((n) => [n, { all: [], status: [] }]));
const uiState = new Map(UI_SIZES.map((n) => [n, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const n of [...new Set([0, IOT_STARTUP_JOBS, ...IOT_SIZES])]) {
    const emu = await startWith(n, iotJournalDir);
    try {
      iotStartup.get(n)?.push({ ms: emu.startMs, cpuMs: emu.cpuAtStart * 1000 });
      const cells = iotListing.get(n);
      if (cells !== undefined) {
        cells.all.push(await iotPageAll(emu, n));
        cells.status.push(await iotPageAll(emu, n, "IN_PROGRESS"));
      }
    } finally {
      await stop(emu);
    }
  }
}
const timedOut = new Set();
for (let r = 0; r < ROUNDS; r++) {
  for (const n of UI_SIZES) {
    if (timedOut.has(n)) continue; // a size that timed out once is not waited on again
    const emu = await startWith(n);
    let ms;
    try {
      ms = await dashboardStateMs(emu);
      uiState.get(n).push(ms);
    } finally {
      // A server still busy with the timed-out request would only see SIGINT once it is done.
      await stop(emu, ms === undefined ? "SIGKILL" : "SIGINT");
    }
    if (ms === undefined) timedOut.add(n);
  }
}

console.log(`Emulator scale, ${ROUNDS} rounds (medians), load average ${loadavg()[0].toFixed(1)}, ${emulatorBin.replace(root + "/", "")}`);
const s0 = startup.get(0);
const base = { ms: median(s0.map((x) => x.ms)), cpuMs: median(s0.map((x) => x.cpuMs)) };
console.log(`  start-up      jobs   wall ms   CPU ms   ratio to empty journal (wall, CPU)   extra CPU µs per job`);
for (const n of [0, ...SIZES]) {
  const ms = median(startup.get(n).map((x) => x.ms));
  const cpuMs = median(startup.get(n).map((x) => x.cpuMs));
  // /proc CPU time has 10 ms resolution: small journals read as ±10 ms around the empty one.
  const perJob = n === 0 ? "" : Math.max(0, ((cpuMs - base.cpuMs) * 1000) / n).toFixed(1);
  console.log(`  ${String(n).padStart(17)} ${ms.toFixed(0).padStart(9)} ${cpuMs.toFixed(0).padStart(8)}   ${(ms / base.ms).toFixed(2).padStart(5)} ${(cpuMs / base.cpuMs).toFixed(2).padStart(6)}   ${perJob.padStart(30)}`);
}
console.log(`  ListJobs all  jobs  pages   CPU µs/page   wall ms/page   CPU µs per listed job   ratio per job to ${SIZES[0]} jobs`);
let basePerJob;
for (const n of SIZES) {
  const cpu = median(listing.get(n).map((x) => x.cpuUsPerPage));
  const wall = median(listing.get(n).map((x) => x.wallMsPerPage));
  const pages = listing.get(n)[0].pagesPerPass;
  const perJob = (cpu * pages) / n;
  basePerJob ??= perJob;
  console.log(`  ${String(n).padStart(17)} ${String(pages).padStart(6)} ${cpu.toFixed(0).padStart(13)} ${wall.toFixed(2).padStart(14)} ${perJob.toFixed(1).padStart(23)} ${(perJob / basePerJob).toFixed(2).padStart(20)}`);
}

const ratios = [];
console.log(`  IoT ListJobs  jobs  filter        pages   CPU µs/page   wall ms/page   ratio per page to ${IOT_SIZES[0]} jobs (CPU, wall)`);
for (const filter of ["all", "status"]) {
  let base;
  for (const n of IOT_SIZES) {
    const cells = iotListing.get(n)[filter];
    const cpu = median(cells.map((x) => x.cpuUsPerPage));
    const wall = median(cells.map((x) => x.wallMsPerPage));
    base ??= { cpu, wall };
    const name = filter === "all" ? "(none)" : "IN_PROGRESS";
    console.log(`  ${String(n).padStart(17)}  ${name.padEnd(12)} ${String(cells[0].pagesPerPass).padStart(6)} ${cpu.toFixed(0).padStart(13)} ${wall.toFixed(2).padStart(14)} ${(cpu / base.cpu).toFixed(2).padStart(20)} ${(wall / base.wall).toFixed(2).padStart(6)}`);
    if (n === IOT_SIZES[IOT_SIZES.length - 1] && n !== IOT_SIZES[0]) {
      const what = `IoT ListJobs ${filter === "all" ? "" : "status=IN_PROGRESS "}per page, ${n} ÷ ${IOT_SIZES[0]} jobs`;
      ratios.push([`${what}, emulator CPU`, cpu / base.cpu, 1.5], [`${what}, wall`, wall / base.wall, 1.5]);
    }
  }
}
const iot0 = { ms: median(iotStartup.get(0).map((x) => x.ms)), cpuMs: median(iotStartup.get(0).map((x) => x.cpuMs)) };
console.log(`  IoT start-up  jobs   wall ms   CPU ms   ratio to empty journal (wall, CPU)`);
for (const n of [0, IOT_STARTUP_JOBS]) {
  const ms = median(iotStartup.get(n).map((x) => x.ms));
  const cpuMs = median(iotStartup.get(n).map((x) => x.cpuMs));
  console.log(`  ${String(n).padStart(17)} ${ms.toFixed(0).padStart(9)} ${cpuMs.toFixed(0).padStart(8)}   ${(ms / iot0.ms).toFixed(2).padStart(5)} ${(cpuMs / iot0.cpuMs).toFixed(2).padStart(6)}`);
}
console.log(`  ui/state      jobs   wall ms   ratio per job to ${UI_SIZES[0]} jobs (timeout ${UI_TIMEOUT_MS} ms)`);
let uiBasePerJob;
for (const n of UI_SIZES) {
  const runs = uiState.get(n);
  if (runs.includes(undefined)) {
    console.log(`  ${String(n).padStart(17)}   timeout`);
    continue;
  }
  const ms = median(runs);
  uiBasePerJob ??= ms / n;
  console.log(`  ${String(n).padStart(17)} ${ms.toFixed(0).padStart(9)} ${(ms / n / uiBasePerJob).toFixed(2).padStart(8)}`);
}
console.log("  ratios against their targets:");
for (const [what, ratio, target] of ratios) console.log(`    ${what}: ${ratio.toFixed(2)}× (target ≤ ${target}×) ${ratio <= target ? "met" : "NOT met"}`);
