/**
 * Issue 21 item 1 at the emulator: CreateJob and UpdateJob with a manifest key the service does not know answer
 * InvalidManifestFieldException naming the key (the real service's behaviour is a [gap]; docs/emulator.md), and
 * create nothing; a key of a newer manifestVersion than the job allows likewise.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { withEmulator } from "../../helpers/emulator";
import { call, exportManifest, importManifest, type CallOptions } from "../raw-client";

describe("emulator: unknown manifest keys", () => {
  const emu = withEmulator();
  const alice = (): CallOptions => ({ creds: emu().account });

  beforeEach(async () => {
    await emu().admin.reset();
  });

  it("CreateJob (ValidateOnly or not) refuses eraseDevcie with InvalidManifestFieldException naming it; no job is stored", async () => {
    const typo = importManifest("alice-import").replace("eraseDevice: yes", "eraseDevcie: yes");
    for (const validateOnly of ["true", "false"]) {
      const r = await call(emu().endpoint, "CreateJob", { JobType: "Import", Manifest: typo, ValidateOnly: validateOnly }, alice());
      expect(r.status).toBe(400);
      expect(r.code).toBe("InvalidManifestFieldException");
      expect(r.message).toBe("Manifest field eraseDevcie is not a manifest option; did you mean `eraseDevice`?");
    }
    expect(await emu().admin.jobs()).toHaveLength(0);
  });

  it("UpdateJob refuses a nested typo (returnAddress.stret1) and keeps the job's manifest", async () => {
    const manifest = importManifest("alice-import");
    const created = await call(emu().endpoint, "CreateJob", { JobType: "Import", Manifest: manifest, ValidateOnly: "false" }, alice());
    const JobId = created.result.JobId as string;
    const u = await call(emu().endpoint, "UpdateJob", { JobId, JobType: "Import", Manifest: manifest.replace("street1:", "stret1:"), ValidateOnly: "false" }, alice());
    expect(u.code).toBe("InvalidManifestFieldException");
    expect(u.message).toMatch(/^Manifest field returnAddress\.stret1 is not a returnAddress option; did you mean `street1`\?/);
    const s = await call(emu().endpoint, "GetStatus", { JobId }, alice());
    expect(s.result.CurrentManifest).toBe(manifest);
  });

  it("a 3.0-only operations member in an Export job's 2.0 manifest is refused naming the key and the version", async () => {
    const m = exportManifest("alice-import", "alice-logs").replace("  - exportBucket: alice-import", "  - exportBucket: alice-import\n    region: us-east-1");
    const r = await call(emu().endpoint, "CreateJob", { JobType: "Export", Manifest: m, ValidateOnly: "true" }, alice());
    expect(r.code).toBe("InvalidManifestFieldException");
    expect(r.message).toContain("operations[0].region is a manifestVersion 3.0 option");
  });
});
