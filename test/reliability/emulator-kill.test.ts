/**
 * The emulator under kill -9 with `--data-dir` (issue 13, part 5, the service half), in rounds on one journal: 8
 * clients create, update and cancel jobs; the process is SIGKILLed after a seeded number of acknowledged calls;
 * a new process on the same data dir must know every acknowledged change — each acknowledged job exists, each
 * acknowledged cancel is cancelled, each job's manifest is its last acknowledged one (or the one of an update that
 * was in flight at the kill; a job whose cancel was in flight may be either). test/emulator/importexport/durability.test.ts checks one kill and the journal tail; this repeats it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prng } from "../../emulator/core/faults";
import { ImportExportClient } from "../../sdk/client";
import { importManifest } from "../helpers/manifests";
import { spawnEmulator, type SpawnedEmulator } from "../emulator/spawn";
import { recordFigures, scaled } from "./scale";
import { accountSecrets, filesUnder, sweepSecrets } from "./secrets";

const ROUNDS = scaled({ test: 3, soak: 10 });
const CLIENTS = 8;

describe(`kill -9 of the emulator with --data-dir, ${ROUNDS} rounds`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ie-rel-kill-"));
  const running: SpawnedEmulator[] = [];
  afterAll(async () => {
    for (const e of running) e.child.kill("SIGKILL");
    await Promise.all(running.map((e) => e.exited));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("0 acknowledged changes lost in any round", async () => {
    const rand = prng(1357);
    // `cancelInFlight`: a CancelJob was under way when the process died. Like an update in flight, it may or may not have
    // reached the journal before the kill, so either answer is right for it (it was never acknowledged).
    const acknowledged = new Map<string, { manifest: string; inFlight?: string; canceled: boolean; cancelInFlight?: boolean }>();
    const rounds: Record<string, unknown>[] = [];
    let stderr = "";
    for (let round = 0; round < ROUNDS; round++) {
      const emu = await spawnEmulator(["--port", "0", "--data-dir", dataDir, "--log-format", "json"]);
      running.push(emu);
      const account = emu.accounts[0];
      if (!account) throw new Error("no account");
      // What the restarted process must know from the earlier rounds.
      const check = new ImportExportClient({ endpoint: emu.endpoint, credentials: account, maxAttempts: 1 });
      let verified = 0;
      for (const [id, want] of acknowledged) {
        if (want.canceled) {
          await expect(check.getStatus({ JobId: id }), `job ${id} after round ${round - 1}`).rejects.toMatchObject({ name: "CanceledJobIdException" });
        } else if (want.cancelInFlight && (await check.getStatus({ JobId: id }).then(() => false, (e: { name?: string }) => e.name === "CanceledJobIdException"))) {
          want.canceled = true;
        } else {
          const s = await check.getStatus({ JobId: id });
          expect([want.manifest, want.inFlight], `manifest of ${id} after round ${round - 1}`).toContain(s.CurrentManifest);
          if (s.CurrentManifest !== undefined) want.manifest = s.CurrentManifest;
        }
        delete want.inFlight;
        delete want.cancelInFlight;
        verified++;
      }
      await check.destroy();

      const killAfter = 20 + Math.floor(rand() * 100);
      let acks = 0;
      let stop = false;
      const clients = Array.from({ length: CLIENTS }, () => new ImportExportClient({ endpoint: emu.endpoint, credentials: account, maxAttempts: 1 }));
      const work = clients.map(async (c, i) => {
        for (let n = 0; !stop; n++) {
          const live = [...acknowledged].filter(([, j]) => !j.canceled);
          const pickJob = live[(i * 7 + n) % Math.max(1, live.length)];
          try {
            if (n % 3 !== 2 || !pickJob) {
              const manifest = importManifest("alice-import", `generator: r${round}c${i}n${n}`);
              const r = await c.createJob({ JobType: "Import", Manifest: manifest, ValidateOnly: false });
              if (r.JobId) acknowledged.set(r.JobId, { manifest, canceled: false });
            } else if (n % 2 === 0) {
              const manifest = importManifest("alice-import", `generator: u${round}c${i}n${n}`);
              pickJob[1].inFlight = manifest;
              await c.updateJob({ JobId: pickJob[0], JobType: "Import", Manifest: manifest, ValidateOnly: false });
              pickJob[1].manifest = manifest;
              delete pickJob[1].inFlight;
            } else {
              pickJob[1].cancelInFlight = true;
              await c.cancelJob({ JobId: pickJob[0] });
              pickJob[1].canceled = true;
              delete pickJob[1].cancelInFlight;
            }
            acks++;
          } catch {
            return; // the process died under the call: not acknowledged
          }
          if (acks >= killAfter && !stop) {
            stop = true;
            emu.child.kill("SIGKILL");
          }
        }
      });
      await Promise.all(work);
      await emu.exited;
      await Promise.all(clients.map((c) => c.destroy()));
      stderr += emu.stderr();
      rounds.push({ round, verifiedFromEarlierRounds: verified, acknowledgedThisRound: acks, jobsKnown: acknowledged.size });
    }
    // A last restart checks the last round.
    const emu = await spawnEmulator(["--port", "0", "--data-dir", dataDir]);
    running.push(emu);
    const check = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.accounts[0]!, maxAttempts: 1 });
    let lost = 0;
    for (const [id, want] of acknowledged) {
      const s = await check.getStatus({ JobId: id }).catch((e: { name?: string }) => e);
      const canceled = (s as { name?: string }).name === "CanceledJobIdException";
      const ok = want.canceled ? canceled : (want.cancelInFlight === true && canceled) || [want.manifest, want.inFlight].includes((s as { CurrentManifest?: string }).CurrentManifest);
      if (!ok) lost++;
    }
    await check.destroy();
    expect(lost).toBe(0);
    const findings = sweepSecrets([{ name: "emulator stderr", text: stderr }, ...filesUnder(dataDir, "journal")], accountSecrets(emu.accounts));
    expect(findings).toEqual([]);
    recordFigures("emulator-kill-9", { rounds: ROUNDS, acknowledgedChanges: rounds.reduce((a, r) => a + Number(r["acknowledgedThisRound"]), 0), jobs: acknowledged.size, lost, perRound: rounds, secretsFound: findings.length });
  }, scaled({ test: 180_000, soak: 600_000 }));
});
