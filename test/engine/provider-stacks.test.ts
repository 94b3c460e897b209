/**
 * (i) One program, two stacks whose config points at two different emulator accounts: each stack's job lives in
 * its own account, and each stack's provider uses only its own stack's credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { createProgramStack, emulatorConfig, type ProgramStack } from "./harness";

describe("one program, two stacks, two accounts", () => {
  let emu: TestEmulator;
  let dev: ProgramStack;
  let prod: ProgramStack;

  beforeAll(async () => {
    emu = await startTestEmulator();
    dev = await createProgramStack({
      fixture: "test/engine/fixtures/provider-jobs",
      stackName: "dev",
      config: {
        ...emulatorConfig("importexport", emu.endpoint, emu.account),
        "provider-jobs:bucket": { value: emu.account.buckets[0]?.name ?? "" },
      },
    });
    prod = await createProgramStack({
      fixture: "test/engine/fixtures/provider-jobs",
      stackName: "prod",
      shareWith: dev,
      config: {
        ...emulatorConfig("importexport", emu.endpoint, emu.otherAccount),
        "provider-jobs:bucket": { value: emu.otherAccount.buckets[0]?.name ?? "" },
      },
    });
  }, 240_000);
  afterAll(async () => {
    prod?.cleanup();
    dev?.cleanup();
    await emu?.close();
  });

  it("(i) each stack creates its job in its own account", async () => {
    const a = await dev.up();
    const b = await prod.up();
    const devId = (a.outputs["jobIds"] as string[])[0];
    const prodId = (b.outputs["jobIds"] as string[])[0];
    expect(devId).not.toBe(prodId);
    const jobs = await emu.admin.jobs();
    expect(jobs.find((j) => j.jobId === devId)?.accountId).toBe(emu.account.accountId);
    expect(jobs.find((j) => j.jobId === prodId)?.accountId).toBe(emu.otherAccount.accountId);
    // Each stack's state records the account its job belongs to, and no stack sees the other's key.
    expect(dev.stateText()).toContain(`"accountId":"${emu.account.accountId}"`);
    expect(prod.stateText()).toContain(`"accountId":"${emu.otherAccount.accountId}"`);
    expect(dev.stateText()).not.toContain(emu.otherAccount.accessKeyId);
    // Unchanged previews of both stay `same`.
    expect((await dev.preview()).changeSummary).toEqual({ same: 2 });
    expect((await prod.preview()).changeSummary).toEqual({ same: 2 });
    await dev.destroy();
    await prod.destroy();
    expect((await emu.admin.jobs()).every((j) => j.isCanceled)).toBe(true);
  }, 400_000);
});
