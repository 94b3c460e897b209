import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startTestEmulator } from "../../helpers/emulator";
import { call, importManifest } from "../raw-client";
import { withSpawnedEmulators } from "../spawn";

describe("importexport-emulator bin and durability", () => {
  const { tempDir, start } = withSpawnedEmulators();
  const dataDir = tempDir("ie-emulator-data-");

  it("prints the start-up JSON first and logs to stderr without secrets", async () => {
    const e = await start(["--port", "0", "--log-format", "json"]);
    expect(e.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(e.region).toBe("us-east-1");
    expect(e.accounts.length).toBeGreaterThanOrEqual(2);
    for (const a of e.accounts) {
      expect(a.buckets.filter((b) => b.region === "us-east-1").length).toBeGreaterThanOrEqual(2);
      expect(a.buckets.filter((b) => b.region === "eu-west-1").length).toBeGreaterThanOrEqual(1);
    }
    const [alice] = e.accounts;
    const r = await call(e.endpoint, "ListJobs", {}, { creds: alice! });
    expect(r.status).toBe(200);
    await call(e.endpoint, "ListJobs", {}, { creds: { ...alice!, secretAccessKey: "wrong" } });
    await new Promise((res) => setTimeout(res, 100));
    const log = e.stderr();
    expect(log).toContain('"action":"ListJobs"');
    expect(log).not.toContain(alice!.secretAccessKey);
    expect(log).not.toMatch(/Signature=|"signature"/i);
    e.child.kill("SIGTERM");
    expect(await e.exited).toBe(0);
  });

  it("keeps every acknowledged job across kill -9 and restart (--data-dir)", async () => {
    const first = await start(["--port", "0", "--data-dir", dataDir]);
    const creds = first.accounts[0]!;
    const acknowledged: string[] = [];
    // A stream of CreateJob calls; kill -9 lands while some are in flight.
    let stop = false;
    const worker = async (): Promise<void> => {
      while (!stop) {
        try {
          const r = await call(first.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, { creds });
          if (r.status === 200) acknowledged.push(r.result.JobId as string);
        } catch {
          return; // connection died with the process
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    while (acknowledged.length < 30) await new Promise((res) => setTimeout(res, 5));
    const canceled = acknowledged[0]!;
    const advanced = acknowledged[1]!;
    expect((await call(first.endpoint, "CancelJob", { JobId: canceled }, { creds })).status).toBe(200);
    const adv = await fetch(`${first.endpoint}/_emulator/jobs/${advanced}/advance`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(adv.status).toBe(200);
    first.child.kill("SIGKILL");
    stop = true;
    await Promise.all(workers);
    await first.exited;

    const second = await start(["--port", "0", "--data-dir", dataDir]);
    const list = await call(second.endpoint, "ListJobs", {}, { creds });
    const ids = new Set((list.result.Jobs?.member ?? []).map((j: { JobId: string }) => j.JobId));
    const lost = acknowledged.filter((id) => !ids.has(id));
    expect(lost).toEqual([]);
    expect((await call(second.endpoint, "GetStatus", { JobId: canceled }, { creds })).code).toBe("CanceledJobIdException");
    const s = await call(second.endpoint, "GetStatus", { JobId: advanced }, { creds });
    expect(s.result.LocationCode).toBe("AtAWS");
    // New jobs get fresh ids and land after the old ones (newest first).
    const fresh = await call(second.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, { creds });
    const top = await call(second.endpoint, "ListJobs", { MaxJobs: "1" }, { creds });
    expect(top.result.Jobs.member[0].JobId).toBe(fresh.result.JobId);
    console.log(`durability: ${acknowledged.length} acknowledged CreateJob calls before kill -9, ${ids.size} jobs after restart, 0 lost`);
  });

  it("refuses an accounts file with real-looking keys, naming the problem", async () => {
    const { writeFileSync } = await import("node:fs");
    const file = join(dataDir, "accounts.json");
    writeFileSync(file, JSON.stringify([{ accountId: "123456789012", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x", buckets: [] }]));
    await expect(start(["--port", "0", "--accounts", file])).rejects.toThrow(/looks like a real AWS access key/);
  });

  it("GET /_emulator/health writes nothing: a job due to expire stays unjournaled until an API call reads it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ie-emulator-health-"));
    const emu = await startTestEmulator({ dataDir: dir });
    try {
      const created = await call(emu.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, { creds: emu.account });
      expect(created.status).toBe(200);
      // 31 days on and no device: reading the job now expires it, and persists that.
      await emu.admin.advanceClock(31 * 24 * 60 * 60 * 1000);
      const journal = join(dir, "jobs.journal");
      const before = statSync(journal).size;
      for (let i = 0; i < 3; i++) expect(await emu.admin.health()).toMatchObject({ status: "ok", jobs: 1 });
      expect(statSync(journal).size).toBe(before);
      // The same job read through the API does change (so the health check above had something it could have written).
      const status = await call(emu.endpoint, "GetStatus", { JobId: created.result.JobId as string }, { creds: emu.account });
      expect(status.code).toBe("ExpiredJobIdException");
      expect(statSync(journal).size).toBeGreaterThan(before);
    } finally {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
