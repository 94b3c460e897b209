/**
 * Every job keeps a history of its transitions (what the dashboard's History table shows): the API calls, the admin
 * API, time-based progression (one entry per step, at the step's due time) and expiry, each with the state after
 * it; it survives a restart on the same --data-dir and stays bounded.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_HISTORY } from "../../../emulator/importexport/backend/job";
import { startTestEmulator, type AdminJob } from "../../helpers/emulator";
import { call, importManifest } from "../raw-client";

interface Transition {
  at: number;
  cause: string;
  locationCode: string;
  progressCode: string;
}

const historyOf = (job: AdminJob | undefined): Transition[] => (job?.["history"] as Transition[] | undefined) ?? [];
const steps = (h: Transition[]): string[] => h.map((t) => `${t.cause} ${t.locationCode}/${t.progressCode}`);

describe("job history", () => {
  it("records CreateJob, UpdateJob, admin changes and CancelJob; survives a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ie-history-"));
    const emu = await startTestEmulator({ dataDir });
    let id = "";
    try {
      const creds = { creds: emu.account };
      id = (await call(emu.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, creds)).result.JobId as string;
      await call(emu.endpoint, "UpdateJob", { JobId: id, JobType: "Import", Manifest: importManifest("alice-import", "generator: x"), ValidateOnly: "false" }, creds);
      await call(emu.endpoint, "UpdateJob", { JobId: id, JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "true" }, creds);
      await emu.admin.advance(id);
      await emu.admin.advance(id, { progressCode: "InProgress" });
      await call(emu.endpoint, "CancelJob", { JobId: id }, creds);
    } finally {
      await emu.close();
    }
    const again = await startTestEmulator({ dataDir });
    try {
      const history = historyOf((await again.admin.jobs()).find((j) => j.jobId === id));
      expect(steps(history)).toEqual([
        "CreateJob NotReceived/Pending",
        "UpdateJob NotReceived/Pending", // the dry run (ValidateOnly) left no entry
        "admin AtAWS/Pending",
        "admin AtAWS/InProgress",
        "CancelJob AtAWS/Canceled",
      ]);
      expect(history.map((t) => t.at)).toEqual([...history.map((t) => t.at)].sort((a, b) => a - b));
    } finally {
      await again.close();
    }
  });

  it("records each time-based step at its due time, and expiry", async () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const emu = await startTestEmulator({ advanceAfterMs: 30_000, clock: () => now });
    try {
      const opts = () => ({ creds: emu.account, now: new Date(now) });
      const created = now;
      const id = (await call(emu.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, opts())).result.JobId as string;
      now += 95_000; // three steps due at +30 s, +60 s, +90 s
      const history = historyOf((await emu.admin.jobs())[0]);
      expect(steps(history)).toEqual(["CreateJob NotReceived/Pending", "time AtAWS/Pending", "time AtAWS/InProgress", "time AtAWS/Complete"]);
      expect(history.map((t) => t.at - created)).toEqual([0, 30_000, 60_000, 90_000]);
      expect(id).toMatch(/^\w{5}$/);
    } finally {
      await emu.close();
    }
    const manual = await startTestEmulator();
    try {
      const id = (await call(manual.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, { creds: manual.account })).result.JobId as string;
      await manual.admin.advanceClock(31 * 24 * 60 * 60 * 1000);
      expect(steps(historyOf((await manual.admin.jobs()).find((j) => j.jobId === id)))).toEqual(["CreateJob NotReceived/Pending", "expiry NotReceived/Expired"]);
    } finally {
      await manual.close();
    }
  });

  it(`keeps at most ${MAX_HISTORY} entries, dropping the oldest`, async () => {
    const emu = await startTestEmulator();
    try {
      const id = (await call(emu.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, { creds: emu.account })).result.JobId as string;
      for (let i = 0; i < MAX_HISTORY + 5; i++) await emu.admin.advance(id, { errorCount: i });
      const history = historyOf((await emu.admin.jobs())[0]);
      expect(history).toHaveLength(MAX_HISTORY);
      expect(history.every((t) => t.cause === "admin")).toBe(true);
    } finally {
      await emu.close();
    }
  });
});
