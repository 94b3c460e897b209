/**
 * The setup both admin-guard suites share: one emulator for the describe block, and before each test a reset and a
 * fresh Import job in alice's account, so every refused admin call can be checked to have changed nothing.
 */
import { beforeEach, expect } from "vitest";
import { withEmulator, type TestEmulator } from "../../helpers/emulator";
import { call, importManifest } from "../raw-client";

/** What a guard test reaches through the fixture; call it inside a `describe` block. */
export interface GuardedJob {
  emu: () => TestEmulator;
  /** The emulator's endpoint (`http://127.0.0.1:PORT`). */
  ep: () => string;
  /** The bound `host:port`, the one Host and Origin the guard accepts as the emulator's own. */
  bound: () => string;
  /** The job created before the current test. */
  jobId: () => string;
  /** The job is still untouched (NotReceived, Pending) and no fault rule slipped in. */
  nothingChanged: () => Promise<void>;
}

/** Registers the shared emulator and the per-test reset + CreateJob; returns accessors for the tests. */
export function withGuardedJob(): GuardedJob {
  const emu = withEmulator();
  const ep = (): string => emu().endpoint;
  let jobId = "";

  beforeEach(async () => {
    await emu().admin.reset();
    const created = await call(ep(), "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, { creds: emu().account });
    jobId = /<JobId>(\w+)<\/JobId>/.exec(created.text)?.[1] ?? "";
    expect(jobId).toMatch(/^\w{5}$/);
  });

  async function nothingChanged(): Promise<void> {
    const jobs = await emu().admin.jobs();
    expect(jobs.map((j) => [j.jobId, j.locationCode, j.progressCode])).toEqual([[jobId, "NotReceived", "Pending"]]);
    const faults = (await (await fetch(`${ep()}/_emulator/faults`)).json()) as { rules: unknown[] };
    expect(faults.rules).toEqual([]);
  }

  return { emu, ep, bound: () => new URL(ep()).host, jobId: () => jobId, nothingChanged };
}
