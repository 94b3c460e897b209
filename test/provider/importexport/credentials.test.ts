/**
 * Defect 1 of issue 10: temporary credentials must be refreshed on the provider path too. The provider runtime is
 * called as the dynamic-provider host calls it, against a real emulator, with credentials from a real
 * `credential_process` profile (the AWS default chain, no keys in stack config).
 *
 * The source hands out key 1 first, expiring 2 s into the SDK's refresh margin, then key 2. The emulator knows both
 * keys as the same account, and refuses a CreateJob whose manifest `accessKeyId` (filled from the signing
 * credentials) is not the key that signed it. So a provider that kept signing with the first set after it expired
 * would send key 2 in the manifest and sign with key 1 → InvalidAccessKeyIdException: the second create fails.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNTS } from "../../../emulator";
import * as runtime from "../../../provider/importexport/runtime";
import { credentialProcessProfile, type CredentialProcessProfile } from "../../helpers/credential-process";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { status as statusOf } from "../../helpers/job-state";
import { importManifest } from "../../helpers/manifests";

const [alice, bob] = DEFAULT_ACCOUNTS;
if (!alice || !bob) throw new Error("the emulator's default accounts changed");
const rotated = { accountId: alice.accountId, accessKeyId: "EMULATORALICEROTATED2", secretAccessKey: "emulator-alice-rotated-secret-0000000002", buckets: [] };
const FIRST_LIFETIME_MS = 2_000;

let emu: TestEmulator;
let source: CredentialProcessProfile;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  emu = await startTestEmulator({ accounts: [alice, rotated, bob] });
  source = credentialProcessProfile(alice, rotated, FIRST_LIFETIME_MS);
  for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", ...Object.keys(source.env)]) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  Object.assign(process.env, source.env);
});
afterAll(async () => {
  await runtime.resetForTests();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  source?.cleanup();
  await emu?.close();
});

async function createJob(deviceId: string): Promise<{ id: string; outs: Record<string, unknown> }> {
  const checked = await runtime.check({}, { jobType: "Import", manifest: importManifest("alice-import").replace("deviceId: 49382", `deviceId: ${deviceId}`) });
  expect(checked.failures ?? []).toEqual([]);
  const created = await runtime.create({ ...checked.inputs });
  return { id: created.id, outs: created.outs as Record<string, unknown> };
}

describe("temporary credentials through the provider", () => {
  afterEach(async () => {
    await emu.admin.clearFaults();
  });

  it("are fetched again once they expire, and the client signs with the new ones", async () => {
    await runtime.resetForTests();
    const values: Record<string, string> = { "importexport:endpoint": emu.endpoint, "importexport:profile": source.profile };
    await runtime.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } });

    const first = await createJob("CRED-1");
    expect(String(statusOf(first.outs)["manifestYaml"])).toMatch(/accessKeyId: EMULATORALICE/);
    const afterFirst = source.invocations();
    expect(afterFirst).toBeGreaterThanOrEqual(1);

    await new Promise((r) => setTimeout(r, FIRST_LIFETIME_MS + 500));
    const second = await createJob("CRED-2");
    expect(source.invocations()).toBeGreaterThan(afterFirst);
    expect(String(statusOf(second.outs)["manifestYaml"])).toContain(`accessKeyId: ${rotated.accessKeyId}`);

    // Both jobs belong to the one account, and the provider can still read, update and cancel with the new key.
    const jobs = await emu.admin.jobs();
    expect(jobs.map((j) => j.accountId).sort()).toEqual([alice.accountId, alice.accountId]);
    await runtime.delete(first.id, first.outs);
    await runtime.delete(second.id, second.outs);
    expect((await emu.admin.jobs()).every((j) => j.isCanceled)).toBe(true);
    // The credential source's keys never reach the state.
    expect(JSON.stringify([first.outs, second.outs])).not.toContain(rotated.secretAccessKey);
  });

  it("a manifest filled with a key that expired before the call was signed is filled again and sent once more", async () => {
    // Fresh credential source and provider: key 1 for 1.5 s. CreateJob is held 2 s by the service and then refused
    // with InvalidAccessKeyIdException — what the service answers when the manifest's key (filled in before the
    // refresh) is not the signing key. By then key 2 signs, so the provider fills it in and sends again.
    const fresh = credentialProcessProfile(alice, rotated, 1_500);
    Object.assign(process.env, fresh.env);
    try {
      await runtime.resetForTests();
      const values: Record<string, string> = {
        "importexport:endpoint": emu.endpoint,
        "importexport:profile": fresh.profile,
        "importexport:validateOnPreview": "false",
      };
      await runtime.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } });
      await emu.admin.reset();
      await emu.admin.setFaults([
        { action: "CreateJob", kind: "latency", latencyMs: 2_000, count: 1 },
        { action: "CreateJob", kind: "error", code: "InvalidAccessKeyIdException", status: 400, count: 1 },
      ]);
      const job = await createJob("CRED-3");
      expect(String(statusOf(job.outs)["manifestYaml"])).toContain(`accessKeyId: ${rotated.accessKeyId}`);
      expect((await emu.admin.stats()).byAction["CreateJob"]).toBe(2);
      expect(await emu.admin.jobs()).toHaveLength(1);
    } finally {
      Object.assign(process.env, source.env);
      fresh.cleanup();
    }
  });

  it("a refused accessKeyId with unchanged credentials is not retried: the error names it", async () => {
    await runtime.resetForTests();
    const values: Record<string, string> = {
      "importexport:endpoint": emu.endpoint,
      "importexport:accessKeyId": alice.accessKeyId,
      "importexport:secretAccessKey": alice.secretAccessKey,
      "importexport:validateOnPreview": "false",
    };
    await runtime.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } });
    await emu.admin.reset();
    await emu.admin.setFaults({ action: "CreateJob", kind: "error", code: "InvalidAccessKeyIdException", status: 400, count: 1 });
    await expect(createJob("CRED-4")).rejects.toThrow(/^CreateJob failed: .*\(InvalidAccessKeyIdException\)$/);
    expect((await emu.admin.stats()).byAction["CreateJob"]).toBe(1);
    expect(await emu.admin.jobs()).toEqual([]);
  });
});
