/**
 * The native plugin through the real engine: two explicit providers (two accounts) in one program, and the engine's
 * `replaceOnChanges` acting on the plugin's detailed diff; `ignoreChanges` and `protect`. (A dynamic provider can do neither: one config per stack,
 * and no per-property diff for the engine to act on.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { type ProgramStack } from "./harness";
import { createNativeStack } from "./native-harness";

const STEP = 240_000;

describe("native plugin: explicit providers per account, replaceOnChanges", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  let photos = "";
  let archive = "";

  beforeAll(async () => {
    emu = await startTestEmulator();
    ws = await createNativeStack("test/engine/fixtures/native-jobs", {
      "native-jobs:endpoint": { value: emu.endpoint },
      "native-jobs:accessKeyId": { value: emu.account.accessKeyId },
      "native-jobs:secretAccessKey": { value: emu.account.secretAccessKey, secret: true },
      "native-jobs:bobAccessKeyId": { value: emu.otherAccount.accessKeyId },
      "native-jobs:bobSecretAccessKey": { value: emu.otherAccount.secretAccessKey, secret: true },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    await emu?.close();
  });

  it("each provider creates its job in its own account", async () => {
    const r = await ws.up();
    expect(r.changes).toEqual({ create: 5 }); // stack, two providers, two jobs
    photos = r.outputs["jobId"] as string;
    archive = r.outputs["archiveJobId"] as string;
    const owner = Object.fromEntries((await emu.admin.jobs()).map((j) => [j.jobId, j.accountId]));
    expect(owner).toEqual({ [photos]: emu.account.accountId, [archive]: emu.otherAccount.accountId });
    expect(r.outputs["accountId"]).toBe(emu.account.accountId);
    expect(r.outputs["archiveAccountId"]).toBe(emu.otherAccount.accountId);
  }, STEP);

  it("replaceOnChanges: [\"manifest\"] turns a Pending edit (in place by the table) into a replacement", async () => {
    await ws.stack.setConfig("native-jobs:replaceOnChanges", { value: "true" });
    await ws.stack.setConfig("native-jobs:postalCode", { value: "98109" });
    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 4, replace: 1 });
    expect(ws.opsFor(plan.events, "photos")).toEqual(["create-replacement", "replace", "delete-replaced"]);
    const r = await ws.up();
    const replaced = r.outputs["jobId"] as string;
    expect(replaced).not.toBe(photos);
    const jobs = await emu.admin.jobs();
    // The old job was Pending: the table's delete cancels it.
    expect(jobs.find((j) => j.jobId === photos)).toMatchObject({ isCanceled: true });
    expect(jobs.find((j) => j.jobId === replaced)).toMatchObject({ isCanceled: false, accountId: emu.account.accountId });
    expect(r.outputs["archiveJobId"]).toBe(archive);
    photos = replaced;
  }, STEP);

  it("ignoreChanges: [\"manifest\"] hides a manifest edit from the plan; no API call changes the job", async () => {
    await ws.stack.setConfig("native-jobs:replaceOnChanges", { value: "false" });
    await ws.stack.setConfig("native-jobs:ignoreChanges", { value: "true" });
    await ws.stack.setConfig("native-jobs:postalCode", { value: "98110" });
    const updates = (await emu.admin.stats()).byAction["UpdateJob"] ?? 0;
    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 5 });
    const r = await ws.up();
    expect(r.outputs["jobId"]).toBe(photos);
    expect((await emu.admin.stats()).byAction["UpdateJob"] ?? 0).toBe(updates);
  }, STEP);

  it("protect: destroy refuses to delete the protected job and cancels nothing of it", async () => {
    await ws.stack.setConfig("native-jobs:protect", { value: "true" });
    await ws.up();
    await expect(ws.destroy()).rejects.toThrow(/protected/);
    expect((await emu.admin.jobs()).find((j) => j.jobId === photos)).toMatchObject({ isCanceled: false });
    await ws.stack.setConfig("native-jobs:protect", { value: "false" });
    await ws.up();
  }, STEP);

  it("destroy cancels both Pending jobs, each through its own account", async () => {
    const r = await ws.destroy();
    expect(r.changes).toEqual({ delete: 5 });
    const jobs = await emu.admin.jobs();
    expect(jobs.find((j) => j.jobId === photos)).toMatchObject({ isCanceled: true });
    expect(jobs.find((j) => j.jobId === archive)).toMatchObject({ isCanceled: true });
  }, STEP);
});
