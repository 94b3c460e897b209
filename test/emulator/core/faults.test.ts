import { beforeEach, describe, expect, it } from "vitest";
import { withEmulator } from "../../helpers/emulator";
import { call, importManifest } from "../raw-client";

describe("emulator fault injection and stats", () => {
  const emu = withEmulator();
  const alice = () => ({ creds: emu().account });
  const createJob = () => call(emu().endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, alice());

  beforeEach(async () => {
    await emu().admin.reset();
  });

  it("count: fails exactly the next N calls of that Action with the given status and code", async () => {
    await emu().admin.setFaults({ action: "ListJobs", kind: "error", status: 503, code: "ServiceUnavailable", count: 2 });
    const codes: (string | number)[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(emu().endpoint, "ListJobs", {}, alice());
      codes.push(r.code ?? r.status);
    }
    expect(codes).toEqual(["ServiceUnavailable", "ServiceUnavailable", 200]);
    const other = await call(emu().endpoint, "GetStatus", { JobId: "ZZZZZ" }, alice());
    expect(other.code).toBe("InvalidJobIdException");
    const stats = await emu().admin.stats();
    expect(stats.byAction).toEqual({ ListJobs: 3, GetStatus: 1 });
    expect(stats.faultsInjected).toBe(2);
  });

  it("throttle answers Throttling (a retryable code) with a Receiver/Sender type matching the status", async () => {
    await emu().admin.setFaults({ action: "*", kind: "throttle", count: 1 });
    const r = await call(emu().endpoint, "ListJobs", {}, alice());
    expect([r.status, r.code]).toEqual([400, "Throttling"]);
    expect(r.text).toContain("<Type>Sender</Type>");
    await emu().admin.setFaults({ action: "*", kind: "error", count: 1 });
    const e = await call(emu().endpoint, "ListJobs", {}, alice());
    expect([e.status, e.code]).toEqual([500, "InternalFailure"]);
    expect(e.text).toContain("<Type>Receiver</Type>");
  });

  it("probability with a seed is reproducible", async () => {
    const run = async (): Promise<string> => {
      await emu().admin.reset();
      await emu().admin.setFaults({ action: "ListJobs", kind: "throttle", probability: 0.5, seed: 7 });
      let pattern = "";
      for (let i = 0; i < 20; i++) pattern += (await call(emu().endpoint, "ListJobs", {}, alice())).status === 200 ? "." : "T";
      return pattern;
    };
    const first = await run();
    expect(first).toMatch(/T/);
    expect(first).toMatch(/\./);
    expect(await run()).toBe(first);
  });

  it("reset-before drops the connection and creates nothing", async () => {
    await emu().admin.setFaults({ action: "CreateJob", kind: "reset-before", count: 1 });
    await expect(createJob()).rejects.toThrow();
    expect(await emu().admin.jobs()).toHaveLength(0);
    expect((await createJob()).status).toBe(200);
  });

  it("drop-after creates the job but the client never hears about it (the ambiguous CreateJob case)", async () => {
    await emu().admin.setFaults({ action: "CreateJob", kind: "drop-after", count: 1 });
    await expect(createJob()).rejects.toThrow();
    const jobs = await emu().admin.jobs();
    expect(jobs).toHaveLength(1);
    const list = await call(emu().endpoint, "ListJobs", {}, alice());
    expect(list.result.Jobs.member[0].JobId).toBe(jobs[0]?.jobId);
  });

  it("latency delays the answer; clearFaults removes every rule", async () => {
    await emu().admin.setFaults({ action: "GetStatus", kind: "latency", latencyMs: 300 });
    const t0 = Date.now();
    const r = await call(emu().endpoint, "GetStatus", { JobId: "ZZZZZ" }, alice());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(r.code).toBe("InvalidJobIdException");
    await emu().admin.clearFaults();
    const rules = (await (await fetch(`${emu().endpoint}/_emulator/faults`)).json()) as { rules: unknown[] };
    expect(rules.rules).toEqual([]);
  });

  it("rejects malformed rules with a clear message", async () => {
    await expect(emu().admin.setFaults({ action: "CreateJob", kind: "explode" as never })).rejects.toThrow(/kind must be one of/);
    await expect(emu().admin.setFaults({ action: "CreateJob", kind: "error", probability: 2 })).rejects.toThrow(/probability must be between 0 and 1/);
  });
});
