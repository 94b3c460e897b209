/**
 * Issue 10, defect 1, through the real engine: a stack whose credentials come from a `credential_process` profile
 * (the AWS default chain; no keys in stack config) that hands out short-lived keys and then rotated ones, during
 * one long `pulumi up` of several jobs (job1 and job2 are declared 1.5 s and 3 s after job0 exists, so the provider
 * process outlives the first keys). The emulator knows both keys as one account and refuses a manifest accessKeyId
 * that is not the signing key, so a provider that kept signing with the first keys fails the later creates.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNTS } from "../../emulator";
import { credentialProcessProfile, type CredentialProcessProfile } from "../helpers/credential-process";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { createProgramStack, type ProgramStack } from "./harness";

const [alice, bob] = DEFAULT_ACCOUNTS;
if (!alice || !bob) throw new Error("the emulator's default accounts changed");
const rotated = { accountId: alice.accountId, accessKeyId: "EMULATORALICEROTATED2", secretAccessKey: "emulator-alice-rotated-secret-0000000002", buckets: [] };

describe("temporary credentials that expire during `pulumi up`", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  let source: CredentialProcessProfile;

  beforeAll(async () => {
    emu = await startTestEmulator({ accounts: [alice, rotated, bob] });
    source = credentialProcessProfile(alice, rotated, 2_000);
    ws = await createProgramStack({
      fixture: "test/engine/fixtures/provider-jobs",
      config: {
        "importexport:endpoint": { value: emu.endpoint },
        "importexport:profile": { value: source.profile },
        "provider-jobs:count": { value: "3" },
        "provider-jobs:delayMs": { value: "1500" },
      },
      env: source.env,
    });
  }, 240_000);
  afterAll(async () => {
    ws?.cleanup();
    source?.cleanup();
    await emu?.close();
  });

  it("are fetched again and signed with, for every job, and stay out of the state", async () => {
    const up = await ws.up();
    expect(up.changes).toEqual({ create: 4 }); // the stack and three jobs
    const yamls = up.outputs["manifestYamls"] as string[];
    expect(yamls[0]).toContain(`accessKeyId: ${alice.accessKeyId}\n`);
    expect(yamls[2]).toContain(`accessKeyId: ${rotated.accessKeyId}\n`);
    expect(source.invocations()).toBeGreaterThanOrEqual(2);
    const jobs = await emu.admin.jobs();
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs.map((j) => j.accountId))).toEqual(new Set([alice.accountId]));

    const state = ws.stateText();
    expect(state).not.toContain(alice.secretAccessKey);
    expect(state).not.toContain(rotated.secretAccessKey);

    await ws.destroy();
    expect((await emu.admin.jobs()).every((j) => j.isCanceled)).toBe(true);
  }, 300_000);
});
