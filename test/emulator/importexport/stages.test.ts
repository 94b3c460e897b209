/**
 * `--profile-stages` (profileStages): the benchmark's per-stage timing of Import/Export requests. Off by default, so
 * `GET stats` keeps its shape; on, every answered request adds to each stage's sum.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
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
    const stages = (await stats(emu.endpoint))["stages"] as { requests: number; totalMs: Record<string, number> };
    expect(stages.requests).toBe(2);
    expect(Object.keys(stages.totalMs)).toEqual(["parse", "auth", "dispatch", "serialize", "write", "log"]);
    for (const ms of Object.values(stages.totalMs)) expect(ms).toBeGreaterThan(0);
  });
});
