/**
 * Load (issue 13, part 4): 64 concurrent SDK clients (each its own connection pool) against a spawned emulator
 * process, for 60 s in the soak and a few seconds in `npm test` (no timing assertions there). Each client loops over
 * the calls a fleet of stacks makes — GetStatus of existing jobs, ListJobs, CreateJob with ValidateOnly — and one real
 * CreateJob/CancelJob pair in 50 calls. Reported: calls, p50/p99/max latency, errors (expected 0), the emulator's RSS at
 * the start, after warm-up and at the end (expected flat), and the secrets sweep of its log and journal.
 */
import { describe, expect, it } from "vitest";
import { ImportExportClient } from "../../sdk/client";
import { importManifest } from "../helpers/manifests";
import { rssOf, withSpawnedEmulator } from "./spawned";
import { recordFigures, scaled } from "./scale";
import { accountSecrets, filesUnder, sweepSecrets } from "./secrets";

const CLIENTS = 64;
const SECONDS = Number(process.env["LOAD_SECONDS"] ?? scaled({ test: 5, soak: 60 }));
/** RSS may grow this much from the end of warm-up to the end before it counts as not flat (GC noise is ~10 MiB). */
const FLAT_MIB = 64;


describe(`${CLIENTS} concurrent clients for ${SECONDS} s`, () => {
  const spawned = withSpawnedEmulator("load");

  it("0 errors, latency percentiles, flat RSS", async () => {
    const { emu, dataDir } = spawned();
    const [alice, bob] = emu.accounts;
    if (!alice || !bob) throw new Error("two accounts expected");
    const pid = emu.child.pid ?? 0;
    // maxAttempts 1: a retried call would hide an error.
    const clients = Array.from({ length: CLIENTS }, (_, i) => new ImportExportClient({ endpoint: emu.endpoint, credentials: i % 2 === 0 ? alice : bob, maxAttempts: 1, signatureVersion: i % 4 < 2 ? "v2" : "v4" }));
    const seedJobs = new Map<string, string[]>();
    for (const [account, c] of [[alice, clients[0]], [bob, clients[1]]] as const) {
      const ids: string[] = [];
      for (let k = 0; k < 20; k++) ids.push((await c!.createJob({ JobType: "Import", Manifest: importManifest(account.buckets[0]?.name ?? ""), ValidateOnly: false })).JobId ?? "");
      seedJobs.set(account.accessKeyId, ids);
    }
    const latencies: number[] = [];
    const errors: string[] = [];
    const byCall = new Map<string, number>();
    const rssStart = rssOf(pid);
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    let rssWarm = 0;
    const warmAt = started + Math.min(10_000, (SECONDS * 1000) / 4);
    const samples: number[] = [];
    const sampler = setInterval(() => {
      const r = rssOf(pid);
      samples.push(r);
      if (rssWarm === 0 && performance.now() >= warmAt) rssWarm = r;
    }, 250);
    try {
      await Promise.all(
        clients.map(async (c, i) => {
          const account = i % 2 === 0 ? alice : bob;
          const ids = seedJobs.get(account.accessKeyId) ?? [];
          const bucket = account.buckets[0]?.name ?? "";
          for (let n = 0; performance.now() < deadline; n++) {
            const t0 = performance.now();
            // One call in 50 creates (and cancels) a real job: jobs are state the emulator must keep, not a leak.
            const kind = n % 50 === 49 ? 9 : n % 9;
            const name = kind < 5 ? "GetStatus" : kind < 7 ? "ListJobs" : kind < 9 ? "CreateJob(ValidateOnly)" : "CreateJob+CancelJob";
            try {
              if (kind < 5) await c.getStatus({ JobId: ids[(i + n) % ids.length] ?? "" });
              else if (kind < 7) await c.listJobs({ MaxJobs: 10 });
              else if (kind < 9) await c.createJob({ JobType: "Import", Manifest: importManifest(bucket), ValidateOnly: true });
              else {
                const id = (await c.createJob({ JobType: "Import", Manifest: importManifest(bucket), ValidateOnly: false })).JobId ?? "";
                await c.cancelJob({ JobId: id });
              }
              latencies.push(performance.now() - t0);
              byCall.set(name, (byCall.get(name) ?? 0) + 1);
            } catch (e) {
              errors.push(`${name}: ${(e as Error).name}: ${(e as Error).message}`.slice(0, 200));
            }
          }
        }),
      );
    } finally {
      clearInterval(sampler);
      await Promise.all(clients.map((c) => c.destroy()));
    }
    const seconds = (performance.now() - started) / 1000;
    const rssEnd = rssOf(pid);
    if (rssWarm === 0) rssWarm = samples[Math.floor(samples.length / 4)] ?? rssStart;
    latencies.sort((a, b) => a - b);
    const q = (p: number): number => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 10) / 10;
    expect(emu.child.exitCode).toBeNull();
    expect(errors.slice(0, 5)).toEqual([]);
    expect(latencies.length).toBeGreaterThan(CLIENTS);
    // Flat: what the emulator holds after warm-up does not keep growing with the calls it answers.
    expect(rssEnd - rssWarm).toBeLessThan(FLAT_MIB);
    const findings = sweepSecrets([{ name: "emulator stderr", text: emu.stderr() }, ...filesUnder(dataDir, "journal")], accountSecrets(emu.accounts));
    expect(findings).toEqual([]);
    recordFigures("load", {
      clients: CLIENTS, seconds: Math.round(seconds * 10) / 10, calls: latencies.length, callsPerSecond: Math.round(latencies.length / seconds),
      byCall: Object.fromEntries(byCall), errors: errors.length, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: q(1),
      rssStartMiB: rssStart, rssAfterWarmupMiB: rssWarm, rssEndMiB: rssEnd, rssMaxMiB: Math.max(...samples, rssEnd), secretsFound: findings.length,
    });
  }, scaled({ test: 120_000, soak: 300_000 }));
});
