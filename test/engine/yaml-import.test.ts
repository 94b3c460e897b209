/**
 * `pulumi import importexport:index:ImportExportJob photos <JobId>` into a Pulumi YAML project (issue 24 item 4).
 *
 * What the CLI (v3.248) and the YAML host (v1.25) do, as found here: the import step adopts the job (the plugin's
 * Read answers its inputs and outputs), then the CLI asks the language host to generate code for it and prints that
 * code on stdout, or writes it to the file `--out` names; it does not edit Pulumi.yaml itself. The YAML host writes a
 * `resources:` section (the type in its short form `importexport:ImportExportJob`, the manifest as the service's
 * YAML text, `protect: true` as the CLI's default). A user adds it to the program: after that, `pulumi preview`
 * shows no change.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportExportClient } from "../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { importManifest } from "../helpers/manifests";
import { createYamlStack, providerSettings, stepsOf, type YamlStack } from "./yaml-harness";

const STEP = 240_000;

describe("pulumi import into a YAML project", () => {
  let emu: TestEmulator;
  let ws: YamlStack;
  let direct: ImportExportClient;

  beforeAll(async () => {
    emu = await startTestEmulator();
    direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
    // A project with no resources yet: the import adds the first one.
    ws = await createYamlStack({
      project: "yaml-import",
      body: "",
      config: providerSettings("importexport", emu.endpoint, emu.account),
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    await direct?.destroy();
    await emu?.close();
  });

  it("adopts the job and writes its YAML declaration; added to the program, the next preview shows no change", async () => {
    // A job made outside Pulumi, as a user of the service made it (the manifest's deviceId looks like a number).
    const jobId = (await direct.createJob({ JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: false })).JobId ?? "";
    const out = join(ws.workDir, "imported.yaml");
    const before = await emu.admin.stats();

    const imported = await ws.cli("import", "importexport:index:ImportExportJob", "photos", jobId, "--yes", "--out", out);
    expect(imported.code, imported.out).toBe(0);
    expect(imported.out).not.toContain(emu.account.secretAccessKey);
    const state = JSON.parse(ws.stateText()).checkpoint.latest.resources as Array<{ type: string; id?: string; protect?: boolean }>;
    expect(state.find((r) => r.type === "importexport:index:ImportExportJob")).toMatchObject({ id: jobId, protect: true });

    // The generated declaration: the resource, its inputs as the service holds them, the CLI's default protect.
    const code = readFileSync(out, "utf8");
    expect(code).toMatch(/^resources:\n {2}photos:\n {4}type: importexport:(index:)?ImportExportJob\n/);
    expect(code).toMatch(/\n {6}jobType: Import\n/);
    expect(code).toContain("deviceId: 49382");
    expect(code).toMatch(/\n {4}options:\n {6}protect: true\n/);

    ws.append(code);
    const plan = await ws.preview();
    expect(stepsOf(plan.events.all, "photos").map((s) => [s?.op, s?.detailedDiff ?? {}])).toEqual([["same", {}]]);
    expect(plan.changeSummary).toEqual({ same: 2 });
    // Nothing was created or changed at the service: the job is the one made outside Pulumi.
    const after = await emu.admin.stats();
    for (const action of ["CreateJob", "UpdateJob", "CancelJob"]) expect(after.byAction[action] ?? 0).toBe(before.byAction[action] ?? 0);
    expect((await emu.admin.jobs()).map((j) => j.jobId)).toEqual([jobId]);
  }, STEP);
});
