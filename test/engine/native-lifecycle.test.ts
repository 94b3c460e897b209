/**
 * The native plugin (`pulumi-resource-importexport`) through the real Pulumi engine (CLI v3.248.0) against the
 * emulator: a TypeScript program using `pulumi-importexport/native` with an explicit Provider, the plugin found
 * through Pulumi.yaml `plugins: providers: [{ name: importexport, path }]`.
 *
 * One stack walked in order: create; a manifest edit while Pending is a detailed in-place update of `manifest` (the
 * same JobId, UpdateJob); once the transfer has started the same edit is a replacement of `manifest`, with the
 * reason as a warning on the job's URN; destroy releases the started job with a warning on its URN.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportExportClient } from "../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { stepsOf, warningsOn } from "./events";
import { type ProgramStack } from "./harness";
import { createNativeStack } from "./native-harness";

const STEP = 240_000;

describe("ImportExportJob through the native plugin", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  let direct: ImportExportClient;
  let jobId = "";

  async function calls(action: string): Promise<number> {
    return (await emu.admin.stats()).byAction[action] ?? 0;
  }

  beforeAll(async () => {
    emu = await startTestEmulator();
    direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
    ws = await createNativeStack("test/engine/fixtures/native-jobs", {
      "native-jobs:endpoint": { value: emu.endpoint },
      "native-jobs:accessKeyId": { value: emu.account.accessKeyId },
      "native-jobs:secretAccessKey": { value: emu.account.secretAccessKey, secret: true },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    await direct?.destroy();
    await emu?.close();
  });

  it("up creates the job in the provider's account, with the signature a secret", async () => {
    const r = await ws.up();
    expect(r.changes).toEqual({ create: 3 }); // stack, provider, job
    jobId = r.outputs["jobId"] as string;
    expect(jobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(r.outputs["progressCode"]).toBe("Pending");
    const jobs = await emu.admin.jobs();
    expect(jobs.map((j) => [j.jobId, j.accountId])).toEqual([[jobId, emu.account.accountId]]);
    const status = await direct.getStatus({ JobId: jobId });
    expect(r.outputs["signature"]).toBe(status.Signature);
    const state = ws.stateText();
    expect(state).not.toContain(emu.account.secretAccessKey);
    expect(state).not.toContain(status.Signature ?? "<none>");
    const resources = JSON.parse(state).checkpoint.latest.resources as Array<{ type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
    expect(resources.find((x) => x.type === "pulumi:providers:importexport")?.inputs?.["secretAccessKey"]).toMatchObject({ ciphertext: expect.any(String) });
    const job = resources.find((x) => x.id === jobId);
    expect(job?.type).toBe("importexport:index:ImportExportJob");
    expect(job?.outputs?.["signing"]).toMatchObject({ ciphertext: expect.any(String) });
  }, STEP);

  it("a manifest edit while Pending: preview shows an in-place update of manifest; up runs UpdateJob on the same job", async () => {
    await ws.stack.setConfig("native-jobs:postalCode", { value: "98102" });
    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 2, update: 1 });
    const [step] = stepsOf(plan.events.all, "photos");
    expect(step?.op).toBe("update");
    expect(step?.detailedDiff).toEqual({ manifest: { diffKind: "update", inputDiff: true } });
    const before = await calls("UpdateJob");
    const r = await ws.up();
    expect(r.changes).toEqual({ same: 2, update: 1 });
    expect(r.outputs["jobId"]).toBe(jobId);
    expect(await calls("UpdateJob")).toBe(before + 1);
    expect((await direct.getStatus({ JobId: jobId })).CurrentManifest).toContain("postalCode: 98102");
  }, STEP);

  it("once the transfer has started, the same edit is a replacement of manifest, the reason a warning on the job", async () => {
    await emu.admin.advance(jobId, { progressCode: "InProgress", locationCode: "AtAWS" });
    await ws.stack.setConfig("native-jobs:postalCode", { value: "98103" });
    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 2, replace: 1 });
    const steps = stepsOf(plan.events.all, "photos");
    expect(steps.map((s) => s?.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
    expect(steps[0]?.detailedDiff).toEqual({ manifest: { diffKind: "update-replace", inputDiff: true } });
    expect(steps[0]?.keys).toEqual(["manifest"]);
    expect(warningsOn(plan.events.all, "photos").join("\n")).toMatch(new RegExp(`Job ${jobId} will be replaced: manifest can change in place only while Pending, and it is InProgress`));
  }, STEP);

  it("destroy releases the started job, saying so on the job's URN", async () => {
    const r = await ws.destroy();
    expect(r.changes).toEqual({ delete: 3 });
    expect(warningsOn(r.events.all, "photos").join("\n")).toContain(`Job ${jobId} (ProgressCode InProgress) was not cancelled`);
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ progressCode: "InProgress", isCanceled: false });
  }, STEP);
});
