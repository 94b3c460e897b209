/**
 * ImportExportJob through the real Pulumi engine: what goes wrong, and what must not happen then.
 * (f) a bad manifest fails preview naming the field and the service error code, and nothing is created;
 * (j) faults injected into CreateJob (throttling, then a connection dropped after the job was created) still end
 *     with exactly one job per resource.
 */
import { describe, expect, it } from "vitest";
import { emulatorConfig, withEmulatorStacks, type ProgramStack } from "./harness";

const STEP = 240_000;

/** Everything the engine reported for an operation that failed (the Automation API throws a CommandError). */
async function failure(op: Promise<unknown>): Promise<string> {
  try {
    await op;
  } catch (e) {
    return String((e as Error).message ?? e);
  }
  throw new Error("the operation was expected to fail");
}

describe("ImportExportJob failures through the engine", () => {
  const { emu, stack: newStack } = withEmulatorStacks();
  const stack = (name: string, config: Record<string, string>): Promise<ProgramStack> =>
    newStack({
      fixture: "test/engine/fixtures/provider-jobs",
      stackName: name,
      config: {
        ...emulatorConfig("importexport", emu().endpoint, emu().account),
        ...Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: v }])),
      },
    });

  it("(f) a manifest the service rejects fails preview with the field and code; nothing is created", async () => {
    const ws = await stack("badbucket", { "provider-jobs:bucket": "no-such-bucket" });
    const message = await failure(ws.preview());
    expect(message).toContain("NoSuchBucketException");
    expect(message).toContain("property manifest.bucket");
    expect(message).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    const local = await stack("badpostal", { "provider-jobs:postalCode": "" });
    const localMessage = await failure(local.preview());
    expect(localMessage).toContain("manifest.returnAddress.postalCode");
    expect(localMessage).toContain("InvalidAddressException");
    // `up` fails too, with nothing created: during an update a new job's check leaves the service's validation to its
    // CreateJob (provider/core/update-run), which refuses the manifest with the same code and field.
    const upMessage = await failure(ws.up());
    expect(upMessage).toContain("NoSuchBucketException");
    expect(upMessage).toContain("manifest field bucket");
    expect(upMessage).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(await emu().admin.jobs()).toEqual([]);
  }, STEP);

  it("(j) throttled and dropped-after-create CreateJob calls end with exactly one job per resource", async () => {
    // validateOnPreview off, so every CreateJob the emulator sees is a real one and the faults hit those.
    const ws = await stack("faults", { "provider-jobs:count": "3", "importexport:validateOnPreview": "false" });
    await emu().admin.setFaults([
      { action: "CreateJob", kind: "throttle", count: 2 },
      { action: "CreateJob", kind: "drop-after", count: 2 },
    ]);
    const r = await ws.up();
    await emu().admin.clearFaults();
    expect(r.changes).toEqual({ create: 4 });
    const ids = r.outputs["jobIds"] as string[];
    expect(new Set(ids).size).toBe(3);
    const live = (await emu().admin.jobs()).filter((j) => !j.isCanceled);
    expect(live.map((j) => j.jobId).sort()).toEqual([...ids].sort());
    const stats = await emu().admin.stats();
    expect(stats.faultsInjected).toBe(4);
    await ws.destroy();
  }, STEP);
});
