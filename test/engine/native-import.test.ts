/**
 * `pulumi import importexport:index:ImportExportJob photos <JobId>` through the native plugin: the engine sends only
 * the id to Read, which answers the job's inputs and outputs; afterwards `pulumi preview` of a program declaring the
 * same job shows no change. TypeScript programs import with `--generate-code=false` (the v3.68 Node language host
 * cannot generate code).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportExportClient } from "../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { pulumiBinDir, type ProgramStack } from "./harness";
import { createNativeStack } from "./native-harness";

const STEP = 240_000;

const MANIFEST = (accessKeyId: string) =>
  [
    "manifestVersion: '2.0'",
    `accessKeyId: ${accessKeyId}`,
    "deviceId: NATIVE-IMPORT-1",
    "eraseDevice: yes",
    "bucket: alice-import",
    "returnAddress:",
    "  name: Jane Roe",
    "  street1: 123 Any Street",
    "  city: Seattle",
    "  stateOrProvince: WA",
    "  postalCode: '98101'",
    "  phoneNumber: 206-555-1111",
    "  country: USA",
    "",
  ].join("\n");

describe("pulumi import of an existing job through the native plugin", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  let direct: ImportExportClient;

  /** Runs the CLI in the program directory with the workspace's environment; resolves with exit code and output. */
  const cli = (...args: string[]): Promise<{ code: number; out: string }> =>
    new Promise((resolve) =>
      execFile(
        join(pulumiBinDir(), "pulumi"),
        [...args, "--stack", "test", "--non-interactive", "--color", "never"],
        { cwd: ws.workDir, env: { ...process.env, ...ws.env, PATH: `${pulumiBinDir()}:${process.env["PATH"] ?? ""}` }, timeout: STEP, maxBuffer: 16 << 20 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, out: `${stdout}\n${stderr}` }),
      ),
    );

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
