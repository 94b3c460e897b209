/**
 * The demo story through a Pulumi YAML program (issue 24 item 4): the real `pulumi` CLI, the YAML language host and
 * the native plugin against the emulator, one stack walked in order, every step asserted on the engine's own events.
 *
 * create → a manifest edit while Pending is an in-place update of `manifest` (UpdateJob on the same JobId) → the
 * transfer starts (emulator admin API) → the same kind of edit is a replacement of `manifest`, its reason a warning
 * on the job's URN → up (a new job; the started one released, saying so on the URN) → destroy.
 *
 * The program writes the manifest as a YAML mapping with quoted "2.0" and postal codes: the gRPC log of the engine
 * (PULUMI_DEBUG_GRPC) shows they reach the plugin's Check as strings.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportExportClient } from "../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { repoRoot } from "./harness";
import { createYamlStack, diagnosticsOn, importExportJobYaml, providerSettings, stepsOf, warningsOn, type YamlStack } from "./yaml-harness";

const STEP = 240_000;

describe("the demo story through a YAML program and the native plugin", () => {
  let emu: TestEmulator;
  let ws: YamlStack;
  let direct: ImportExportClient;
  let jobId = "";
  let replacement = "";
  const grpcLog = join(repoRoot, ".tmp", "engine", `yaml-grpc-${randomUUID().slice(0, 8)}.json`);

  async function calls(action: string): Promise<number> {
    return (await emu.admin.stats()).byAction[action] ?? 0;
  }

  beforeAll(async () => {
    emu = await startTestEmulator();
    direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
    ws = await createYamlStack({
      project: "yaml-demo",
      body: ["resources:", importExportJobYaml("photos", { deviceId: "YAML-DEMO-1", bucket: "alice-import", postalCode: "91011" }), "outputs:", "  jobId: ${photos.jobId}", "  progressCode: ${photos.status.progressCode}", ""].join("\n"),
      // The default provider, configured from stack config as a pulumi-aws YAML user configures `aws:*`.
      config: providerSettings("importexport", emu.endpoint, emu.account),
      env: { PULUMI_DEBUG_GRPC: grpcLog },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    rmSync(grpcLog, { force: true });
    await direct?.destroy();
    await emu?.close();
  });

  it("up creates the job in the configured account; quoted YAML strings reach the plugin as strings", async () => {
    const r = await ws.up();
    expect(stepsOf(r.events.all, "photos").map((s) => s?.op)).toEqual(["create"]);
    jobId = r.outputs["jobId"] as string;
    expect(jobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(r.outputs["progressCode"]).toBe("Pending");
    expect((await emu.admin.jobs()).map((j) => [j.jobId, j.accountId])).toEqual([[jobId, emu.account.accountId]]);
    expect(ws.stateText()).not.toContain(emu.account.secretAccessKey);

    // What the YAML host sent and the plugin's Check received: "2.0" and "91011" stay strings (not 2 and 91011).
    const checks = readFileSync(grpcLog, "utf8")
      .split("\n")
      .filter((line) => line.includes('"/pulumirpc.ResourceProvider/Check"'))
      .map((line) => JSON.parse(line) as { request?: { urn?: string; news?: { manifest?: { manifestVersion?: unknown; returnAddress?: { postalCode?: unknown } } } } })
      .filter((c) => c.request?.urn?.endsWith("::photos") === true);
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) {
      expect(c.request?.news?.manifest?.manifestVersion).toBe("2.0");
      expect(c.request?.news?.manifest?.returnAddress?.postalCode).toBe("91011");
    }
    expect((await direct.getStatus({ JobId: jobId })).CurrentManifest).toMatch(/manifestVersion: '?2\.0'?\n/);
  }, STEP);

  it("a manifest edit while Pending: the diff shows manifest as an update, and up runs UpdateJob on the same JobId", async () => {
    ws.edit('postalCode: "91011"', 'postalCode: "98102"');
    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 1, update: 1 });
    const steps = stepsOf(plan.events.all, "photos");
    expect(steps.map((s) => s?.op)).toEqual(["update"]);
    expect(steps[0]?.detailedDiff).toEqual({ manifest: { diffKind: "update", inputDiff: true } });
    expect(steps[0]?.diffs).toEqual(["manifest"]);

    const before = await calls("UpdateJob");
    const r = await ws.up();
    expect(stepsOf(r.events.all, "photos").map((s) => s?.op)).toEqual(["update"]);
    expect(r.outputs["jobId"]).toBe(jobId);
    expect(await calls("UpdateJob")).toBe(before + 1);
    expect((await direct.getStatus({ JobId: jobId })).CurrentManifest).toMatch(/postalCode: '?98102'?\n/);
  }, STEP);

  it("once the transfer has started, the same edit is a replacement of manifest, the reason a warning on the job's URN", async () => {
    await emu.admin.advance(jobId, { progressCode: "InProgress", locationCode: "AtAWS" });
    ws.edit('postalCode: "98102"', 'postalCode: "98103"');
    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 1, replace: 1 });
    const steps = stepsOf(plan.events.all, "photos");
    expect(steps.map((s) => s?.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
    expect(steps[0]?.detailedDiff).toEqual({ manifest: { diffKind: "update-replace", inputDiff: true } });
    expect(steps[0]?.keys).toEqual(["manifest"]);
    const warnings = warningsOn(plan.events.all, "photos");
    expect(warnings.filter((m) => m.includes(`Job ${jobId} will be replaced: manifest can change in place only while Pending, and it is InProgress`))).toHaveLength(1);
    // Attached to the job, not to the stack.
    expect(diagnosticsOn(plan.events.all, "yaml-demo-test").map((d) => d?.message ?? "").join("\n")).not.toContain("will be replaced");
  }, STEP);

  it("up replaces the job: a new JobId with the edited manifest, the started job released with a warning on the URN", async () => {
    const creates = await calls("CreateJob");
    const r = await ws.up();
    expect(r.changes).toEqual({ same: 1, replace: 1 });
    replacement = r.outputs["jobId"] as string;
    expect(replacement).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(replacement).not.toBe(jobId);
    expect(await calls("CreateJob")).toBeGreaterThan(creates);
    expect((await direct.getStatus({ JobId: replacement })).CurrentManifest).toMatch(/postalCode: '?98103'?\n/);
    const warnings = warningsOn(r.events.all, "photos");
    expect(warnings.join("\n")).toContain(`Job ${jobId} (ProgressCode InProgress) was not cancelled`);
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ progressCode: "InProgress", isCanceled: false });
  }, STEP);

  it("destroy cancels the Pending replacement", async () => {
    const r = await ws.destroy();
    expect(r.changes).toEqual({ delete: 2 });
    expect(stepsOf(r.events.all, "photos").map((s) => s?.op)).toEqual(["delete"]);
    expect((await emu.admin.jobs()).find((j) => j.jobId === replacement)).toMatchObject({ isCanceled: true });
  }, STEP);
});
