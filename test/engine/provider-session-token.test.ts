/**
 * (h), temporary credentials: a stack whose credentials come from the environment with a session token (as from
 * `aws sts assume-role` or SSO). The emulator account requires that token, so a created job proves it was sent;
 * the state file must hold neither the secret key nor the token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNTS, type Account } from "../../emulator";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { createProgramStack, type ProgramStack } from "./harness";

const SESSION_TOKEN = "EmulatorSessionToken//FQoGZXIvYXdzEXAMPLE+token/0123456789abcdef==";

describe("session credentials from the environment", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  let account: Account;

  beforeAll(async () => {
    const [alice, bob] = DEFAULT_ACCOUNTS;
    if (!alice || !bob) throw new Error("the emulator's default accounts changed");
    emu = await startTestEmulator({ accounts: [{ ...alice, sessionToken: SESSION_TOKEN }, bob] });
    account = emu.account;
    ws = await createProgramStack({
      fixture: "test/engine/fixtures/provider-jobs",
      config: { "importexport:endpoint": { value: emu.endpoint } },
      env: {
        AWS_ACCESS_KEY_ID: account.accessKeyId,
        AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
        AWS_SESSION_TOKEN: SESSION_TOKEN,
      },
    });
  }, 240_000);
  afterAll(async () => {
    ws?.cleanup();
    await emu?.close();
  });

  it("signs with the session token and keeps it, and the secret key, out of the state", async () => {
    const up = await ws.up();
    expect(up.changes).toEqual({ create: 2 });
    const [jobId] = up.outputs["jobIds"] as string[];
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)?.accountId).toBe(account.accountId);

    const state = ws.stateText();
    expect(state).toContain(jobId);
    expect(state).not.toContain(account.secretAccessKey);
    expect(state).not.toContain(SESSION_TOKEN);
    expect(state).not.toContain("FQoGZXIvYXdz");

    await ws.destroy();
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)?.isCanceled).toBe(true);
  }, 300_000);
});
