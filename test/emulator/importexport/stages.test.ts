/**
 * `--profile-stages` (profileStages): the benchmark's per-stage timing of Import/Export requests. Off by default, so
 * `GET stats` keeps its shape; on, every answered request adds to each stage's sum, and each stage has the median of
 * its recent requests (what the benchmark prints on a loaded machine, where a descheduled request inflates a sum).
 */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { StageTimes } from "../../../emulator/core/stats";
import { call } from "../raw-client";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function stats(endpoint: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${endpoint}/_emulator/stats`)).json()) as Record<string, unknown>;
}

describe("per-stage timing", () => {
  it("is absent unless asked for", async () => {
    emu = await startEmulator();
    const creds = emu.accounts[0];
    if (creds === undefined) throw new Error("no account");
    expect((await call(emu.endpoint, "ListJobs", {}, { creds })).status).toBe(200);
    expect(await stats(emu.endpoint)).not.toHaveProperty("stages");
  });

  it("sums each stage over the answered requests, SigV4 and SigV2", async () => {
    emu = await startEmulator({ profileStages: true });
    const creds = emu.accounts[0];
    if (creds === undefined) throw new Error("no account");
    for (const sign of ["v4", "v2"] as const) expect((await call(emu.endpoint, "ListJobs", {}, { creds, sign })).status).toBe(200);
    const stages = (await stats(emu.endpoint))["stages"] as { requests: number; totalMs: Record<string, number>; recentMedianUs: Record<string, number> };
    expect(stages.requests).toBe(2);
    expect(Object.keys(stages.totalMs)).toEqual(["parse", "auth", "dispatch", "serialize", "write", "log"]);
    for (const ms of Object.values(stages.totalMs)) expect(ms).toBeGreaterThan(0);
    expect(Object.keys(stages.recentMedianUs)).toEqual(Object.keys(stages.totalMs));
    // Two requests: the median is the later one's lap, never more than the two summed.
    for (const [stage, us] of Object.entries(stages.recentMedianUs)) {
      expect(us, stage).toBeGreaterThan(0);
      expect(us, stage).toBeLessThanOrEqual((stages.totalMs[stage] ?? 0) * 1000);
    }
  });

  it("the recent median is robust to one request that was held up in a stage", () => {
    const t = new StageTimes();
    // Nine requests of ~0 µs per stage and one whose `write` lost 50 ms (a descheduled process).
    for (let i = 0; i < 10; i++) {
      let mark = performance.now();
      for (const stage of ["parse", "auth", "dispatch", "serialize", "write", "log"] as const) {
        if (stage === "write" && i === 3) mark -= 50;
        mark = t.lap(stage, mark);
      }
      t.done();
    }
    const s = t.snapshot();
    expect(s.totalMs.write).toBeGreaterThanOrEqual(50);
    expect(s.recentMedianUs.write).toBeLessThan(1_000);
    t.reset();
    expect(t.snapshot().recentMedianUs.write).toBe(0);
  });
});
