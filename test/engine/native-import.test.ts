/**
 * `pulumi import importexport:index:ImportExportJob photos <JobId>` through the native plugin: the engine sends only
 * the id to Read, which answers the job's inputs and outputs; afterwards `pulumi preview` of a program declaring the
 * same job shows no change; a job whose manifest differs previews as an in-place update of `manifest` alone (it is
 * Pending); an Export job imports with its export manifest, its device password a secret. TypeScript programs import
 * with `--generate-code=false` (the v3.68 Node language host cannot generate code).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportExportClient } from "../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { stepsOf } from "./events";
import type { ProgramStack } from "./harness";
import { createNativeStack, pulumiCli } from "./native-harness";

const STEP = 240_000;

/** The manifests' returnAddress, as the fixture declares it (YAML lines). */
const RETURN_ADDRESS = [
  "returnAddress:",
  "  name: Jane Roe",
  "  street1: 123 Any Street",
  "  city: Seattle",
  "  stateOrProvince: WA",
  "  postalCode: '98101'",
  "  phoneNumber: 206-555-1111",
  "  country: USA",
  "",
];

/** The device password of the Export job: it must never be plain in the state. */
const PASSWORD = "native-export-secret-7";

const EXPORT_MANIFEST = (accessKeyId: string) =>
  [
    "manifestVersion: '2.0'",
    `accessKeyId: ${accessKeyId}`,
    "deviceId: NATIVE-EXPORT-1",
    "fileSystem: NTFS",
    `trueCryptPassword: ${PASSWORD}`,
    "logBucket: alice-import",
    "operations:",
    "  - exportBucket: alice-import",
    "    prefix: images/",
    "    targetDirectory: images",
    ...RETURN_ADDRESS,
  ].join("\n");

const MANIFEST = (accessKeyId: string) =>
  [
    "manifestVersion: '2.0'",
    `accessKeyId: ${accessKeyId}`,
    "deviceId: NATIVE-IMPORT-1",
    "eraseDevice: yes",
    "bucket: alice-import",
    ...RETURN_ADDRESS,
  ].join("\n");

describe("pulumi import of an existing job through the native plugin", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  let direct: ImportExportClient;

  const cli = (...args: string[]) => pulumiCli(ws, STEP, ...args);

  beforeAll(async () => {
    emu = await startTestEmulator();
    direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
    ws = await createNativeStack("test/engine/fixtures/native-default", {
      "importexport:endpoint": { value: emu.endpoint },
      "importexport:accessKeyId": { value: emu.account.accessKeyId },
      "importexport:secretAccessKey": { value: emu.account.secretAccessKey, secret: true },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    await direct?.destroy();
    await emu?.close();
  });

  it("a job of another account, or a cancelled one, cannot be imported, and the message says why", async () => {
    const other = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.otherAccount });
    try {
      const bobs = (await other.createJob({ JobType: "Import", Manifest: MANIFEST(emu.otherAccount.accessKeyId).replace("alice-import", "bob-import"), ValidateOnly: false })).JobId ?? "";
      const cancelled = (await direct.createJob({ JobType: "Import", Manifest: MANIFEST(emu.account.accessKeyId), ValidateOnly: false })).JobId ?? "";
      await direct.cancelJob({ JobId: cancelled });
      for (const jobId of [bobs, cancelled]) {
        const r = await cli("import", "importexport:index:ImportExportJob", "photos", jobId, "--yes", "--generate-code=false", "--protect=false");
        expect(r.code).not.toBe(0);
        expect(r.out).toContain(`Job ${jobId} cannot be imported: the service does not find it for the account of this provider's credentials, or it is cancelled, deleted or expired`);
        expect(r.out).not.toContain(emu.account.secretAccessKey);
      }
      expect(JSON.parse(ws.stateText()).checkpoint.latest?.resources ?? []).not.toContainEqual(expect.objectContaining({ type: "importexport:index:ImportExportJob" }));
    } finally {
      await other.destroy();
    }
  }, STEP);

  it("adopts the job; the next preview of the same declaration shows no change; destroy cancels it", async () => {
    const made = await direct.createJob({ JobType: "Import", Manifest: MANIFEST(emu.account.accessKeyId), ValidateOnly: false });
    const jobId = made.JobId ?? "";
    const imported = await cli("import", "importexport:index:ImportExportJob", "photos", jobId, "--yes", "--generate-code=false", "--protect=false");
    expect(imported.code, imported.out).toBe(0);
    const resources = JSON.parse(ws.stateText()).checkpoint.latest.resources as Array<{ type: string; id?: string; inputs?: Record<string, unknown> }>;
    const job = resources.find((r) => r.type === "importexport:index:ImportExportJob");
    expect(job?.id).toBe(jobId);
    expect(job?.inputs).toMatchObject({ jobType: "Import", manifest: expect.stringContaining("deviceId: NATIVE-IMPORT-1") });

    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 2 });

    const r = await ws.destroy();
    expect(ws.opsFor(r.events, "photos")).toEqual(["delete"]);
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ isCanceled: true });
  }, STEP);

  it("a job whose manifest differs from the program's: the next preview shows manifest alone, as an in-place update while Pending; up runs UpdateJob on that job", async () => {
    const jobId = (await direct.createJob({ JobType: "Import", Manifest: MANIFEST(emu.account.accessKeyId).replace("98101", "98109"), ValidateOnly: false })).JobId ?? "";
    const imported = await cli("import", "importexport:index:ImportExportJob", "photos", jobId, "--yes", "--generate-code=false", "--protect=false");
    expect(imported.code, imported.out).toBe(0);

    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 1, update: 1 });
    const [step] = stepsOf(plan.events.all, "photos");
    expect(step?.op).toBe("update");
    expect(step?.detailedDiff).toEqual({ manifest: { diffKind: "update", inputDiff: true } });

    const jobsBefore = (await emu.admin.jobs()).map((j) => j.jobId).sort();
    const updatesBefore = (await emu.admin.stats()).byAction["UpdateJob"] ?? 0;
    const r = await ws.up();
    expect(ws.opsFor(r.events, "photos")).toEqual(["update"]);
    expect(r.outputs["jobId"]).toBe(jobId);
    expect((await emu.admin.stats()).byAction["UpdateJob"] ?? 0).toBe(updatesBefore + 1);
    expect((await emu.admin.jobs()).map((j) => j.jobId).sort()).toEqual(jobsBefore);
    expect((await direct.getStatus({ JobId: jobId })).CurrentManifest).toContain("98101");

    await ws.destroy();
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ isCanceled: true });
  }, STEP);

  it("an Export job: imported with jobType Export and its manifest, the device password a secret in the state; the program declaring it previews no change", async () => {
    const jobId = (await direct.createJob({ JobType: "Export", Manifest: EXPORT_MANIFEST(emu.account.accessKeyId), ValidateOnly: false })).JobId ?? "";
    await ws.stack.setConfig("native-default:devicePassword", { value: PASSWORD, secret: true });
    try {
      const imported = await cli("import", "importexport:index:ImportExportJob", "photos", jobId, "--yes", "--generate-code=false", "--protect=false");
      expect(imported.code, imported.out).toBe(0);
      expect(imported.out).not.toContain(PASSWORD);
      const state = ws.stateText();
      expect(state).not.toContain(PASSWORD);
      const job = (JSON.parse(state).checkpoint.latest.resources as Array<{ type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>).find(
        (r) => r.type === "importexport:index:ImportExportJob",
      );
      expect(job?.inputs?.["jobType"]).toBe("Export");
      expect(job?.inputs?.["manifest"]).toHaveProperty("ciphertext");
      expect(job?.outputs?.["manifest"]).toHaveProperty("ciphertext");

      expect((await ws.preview()).changeSummary).toEqual({ same: 2 });
      await ws.destroy();
      expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ isCanceled: true, jobType: "Export" });
    } finally {
      await ws.stack.removeConfig("native-default:devicePassword");
    }
  }, STEP);

  it("ImportExportJob.get reads an existing job without managing it; destroy leaves it alone", async () => {
    const jobId = (await direct.createJob({ JobType: "Import", Manifest: MANIFEST(emu.account.accessKeyId).replace("NATIVE-IMPORT-1", "SEEN-1"), ValidateOnly: false })).JobId ?? "";
    await emu.admin.advance(jobId, { progressCode: "InProgress", locationCode: "AtAWS" });
    await ws.stack.setConfig("native-default:getId", { value: jobId });
    try {
      const r = await ws.up();
      expect(ws.opsFor(r.events, "seen")).toEqual(["read"]);
      expect(r.outputs).toMatchObject({ seenProgress: "InProgress", seenJobType: "Import" });
      await ws.stack.removeConfig("native-default:getId");
      await ws.destroy();
      expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ isCanceled: false, progressCode: "InProgress" });
    } finally {
      await ws.stack.removeConfig("native-default:getId").catch(() => undefined);
    }
  }, STEP);

  it("the `import` resource option adopts an existing job in `up` (an import step, no CreateJob)", async () => {
    const jobId = (await direct.createJob({ JobType: "Import", Manifest: MANIFEST(emu.account.accessKeyId), ValidateOnly: false })).JobId ?? "";
    const before = (await emu.admin.jobs()).map((j) => j.jobId).sort();
    await ws.stack.setConfig("native-default:importId", { value: jobId });
    const r = await ws.up();
    expect(ws.opsFor(r.events, "photos")).toEqual(["import"]);
    expect(r.outputs["jobId"]).toBe(jobId);
    // No job was made: the service holds exactly the jobs it held before.
    expect((await emu.admin.jobs()).map((j) => j.jobId).sort()).toEqual(before);
    await ws.stack.removeConfig("native-default:importId");
    expect((await ws.preview()).changeSummary).toEqual({ same: 2 });
    await ws.destroy();
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ isCanceled: true });
  }, STEP);
});
