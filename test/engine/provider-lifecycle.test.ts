/**
 * ImportExportJob through the real Pulumi engine (CLI v3.248.0, local program, file backend) against the emulator:
 * one stack walked through its life in order — create, unchanged preview with zero API calls, in-place update,
 * replacement of a started job, drift removed by refresh, destroy — plus what the state file must never contain.
 * Issue items (a), (b), (c), (d), (e), (g), (h). The steps share one stack, so they run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportExportClient } from "../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { createProgramStack, emulatorConfig, type ProgramStack } from "./harness";

const STEP = 240_000;

describe("ImportExportJob lifecycle through the engine", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  let direct: ImportExportClient;
  let jobId = "";

  /** Import/Export request counts per action (STS excluded). */
  async function apiCalls(): Promise<Record<string, number>> {
    const s = await emu.admin.stats();
    return Object.fromEntries(Object.entries(s.byAction).filter(([a]) => a !== "GetCallerIdentity"));
  }
  /** What `fn` cost in Import/Export calls, per action (only actions that were called). */
  async function callsDuring(fn: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = await apiCalls();
    await fn();
    const after = await apiCalls();
    return Object.fromEntries(Object.entries(after).map(([a, n]) => [a, n - (before[a] ?? 0)]).filter(([, n]) => n !== 0));
  }

  beforeAll(async () => {
    emu = await startTestEmulator();
    direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
    ws = await createProgramStack({
      fixture: "test/engine/fixtures/provider-jobs",
      config: {
        ...emulatorConfig("importexport", emu.endpoint, emu.account),
      },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    await direct?.destroy();
    await emu?.close();
  });

  it("(a) up creates a job the emulator lists", async () => {
    const r = await ws.up();
    expect(r.changes).toEqual({ create: 2 });
    expect(ws.opsFor(r.events, "job0")).toEqual(["create"]);
    jobId = (r.outputs["jobIds"] as string[])[0] ?? "";
    expect(jobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    const jobs = await emu.admin.jobs();
    expect(jobs.map((j) => j.jobId)).toEqual([jobId]);
    expect(jobs[0]).toMatchObject({ accountId: emu.account.accountId, progressCode: "Pending", isCanceled: false });
    expect(r.outputs["progressCodes"]).toEqual(["Pending"]);
    // job.signature is a getter over the secret `signing` output: the value, and secret.
    expect(r.outputs["signatures"]).toEqual([(await direct.getStatus({ JobId: jobId })).Signature]);
    const stackOutputs = (JSON.parse(ws.stateText()).checkpoint.latest.resources as Array<{ type: string; outputs?: Record<string, unknown[]> }>).find((x) => x.type === "pulumi:pulumi:Stack")?.outputs;
    expect(stackOutputs?.["signatures"]?.[0]).toMatchObject({ ciphertext: expect.any(String) });
    expect(stackOutputs?.["progressCodes"]).toEqual(["Pending"]);
  }, STEP);

  it("(b) preview with no change: only `same`, and zero Import/Export calls", async () => {
    let summary: Record<string, number> = {};
    let ops: string[] = [];
    const cost = await callsDuring(async () => {
      const r = await ws.preview();
      summary = r.changeSummary;
      ops = ws.opsFor(r.events, "job0");
    });
    expect(summary).toEqual({ same: 2 });
    expect(ops).toEqual(["same"]);
    expect(cost).toEqual({});
  }, STEP);

  it("a formatting-only change (the same manifest as YAML text) is no change either", async () => {
    await ws.stack.setConfig("provider-jobs:manifestAs", { value: "yaml" });
    const cost = await callsDuring(async () => {
      const r = await ws.preview();
      expect(r.changeSummary).toEqual({ same: 2 });
    });
    expect(cost).toEqual({});
  }, STEP);

  it("(h) the state file holds no secret key and no plaintext Signature", async () => {
    const status = await direct.getStatus({ JobId: jobId });
    const state = ws.stateText();
    expect(state).toContain(jobId);
    expect(state).not.toContain(emu.account.secretAccessKey);
    expect(status.Signature).toBeTruthy();
    expect(state).not.toContain(status.Signature ?? "<none>");
    expect(state).not.toContain(JSON.stringify(status.SignatureFileContents ?? "<none>").slice(1, -1));
    expect(state).not.toMatch(/sessionToken|SecurityToken/);
    // The engine keeps the stack config as the default dynamic provider's inputs: the secret key only as ciphertext.
    const resources = JSON.parse(state).checkpoint.latest.resources as Array<{ type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
    const dynamicProvider = resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
    expect(dynamicProvider?.inputs?.["importexport:secretAccessKey"]).toMatchObject({ ciphertext: expect.any(String) });
    const job = resources.find((r) => r.id === jobId);
    expect(job?.outputs?.["signing"]).toMatchObject({ ciphertext: expect.any(String) });
    expect(job?.outputs).not.toHaveProperty("signature");
    // The serialized provider in state is the tiny loader, not the implementation.
    expect(state).not.toMatch(/undici|fast-xml-parser|XMLParser|fromNodeProviderChain/);
  }, STEP);

  it("(c) a manifest edit on a Pending job: preview update → up → same JobId, new manifest", async () => {
    await ws.stack.setConfig("provider-jobs:postalCode", { value: "98102" });
    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 1, update: 1 });
    expect(ws.opsFor(plan.events, "job0")).toEqual(["update"]);
    const r = await ws.up();
    expect(r.changes).toEqual({ same: 1, update: 1 });
    expect((r.outputs["jobIds"] as string[])[0]).toBe(jobId);
    const status = await direct.getStatus({ JobId: jobId });
    expect(status.CurrentManifest).toContain("postalCode: 98102");
    expect(await emu.admin.jobs()).toHaveLength(1);
  }, STEP);

  it("(d) once the job is InProgress a manifest edit replaces it; the old job is released, not cancelled", async () => {
    await emu.admin.advance(jobId, { progressCode: "InProgress", locationCode: "AtAWS" });
    await ws.stack.setConfig("provider-jobs:postalCode", { value: "98103" });
    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 1, replace: 1 });
    expect(ws.opsFor(plan.events, "job0")).toEqual(["create-replacement", "replace", "delete-replaced"]);
    const r = await ws.up();
    expect(r.changes).toEqual({ same: 1, replace: 1 });
    const newId = (r.outputs["jobIds"] as string[])[0] ?? "";
    expect(newId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(newId).not.toBe(jobId);
    const jobs = await emu.admin.jobs();
    expect(jobs.find((j) => j.jobId === jobId)).toMatchObject({ progressCode: "InProgress", isCanceled: false });
    expect(jobs.find((j) => j.jobId === newId)).toMatchObject({ progressCode: "Pending", isCanceled: false });
    // The user is told, by JobId and state, that the old job was left alone.
    const said = [r.stdout, ...r.events.all.map((e) => e.diagnosticEvent?.message ?? "")].join("\n");
    expect(said).toContain(`Job ${jobId} (ProgressCode InProgress) was not cancelled`);
    jobId = newId;
  }, STEP);

  it("(e) a job cancelled behind Pulumi's back: refresh removes it, the next up creates a new one", async () => {
    await direct.cancelJob({ JobId: jobId });
    const refreshed = await ws.refresh();
    expect(refreshed.changes["delete"]).toBe(1);
    const ids = (JSON.parse(ws.stateText()).checkpoint.latest.resources as Array<{ id?: string }>).map((r) => r.id);
    expect(ids).not.toContain(jobId);
    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 1, create: 1 });
    const r = await ws.up();
    const recreated = (r.outputs["jobIds"] as string[])[0] ?? "";
    expect(recreated).not.toBe(jobId);
    jobId = recreated;
  }, STEP);

  it("(g) destroy cancels the Pending job", async () => {
    const r = await ws.destroy();
    expect(r.changes).toEqual({ delete: 2 });
    expect(ws.opsFor(r.events, "job0")).toEqual(["delete"]);
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ isCanceled: true });
  }, STEP);
});
