/**
 * Issue 21, item 2, at the runtime level (both providers called as the dynamic-provider host calls them, against the
 * emulator): with another account's credentials a job is never "gone". diff replaces naming both accounts, read fails
 * naming both (the stack keeps the job as recorded), delete releases it with a warning naming its account (and cancels nothing),
 * and an unchanged stack with the job's own keys still costs no call at all (not even STS).
 * test/engine/provider-accounts.test.ts runs the same story through the real engine.
 */
import { CreateThingCommand } from "@aws-sdk/client-iot";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { compareAccount, accountOfArn } from "../../../provider/core/account-check";
import * as ie from "../../../provider/importexport/runtime";
import * as iotRuntime from "../../../provider/iot/runtime";
import { startTestEmulator, type Account, type TestEmulator } from "../../helpers/emulator";
import { iotAdmin, iotClient } from "../../helpers/iot";

let emu: TestEmulator;
const PROVIDER = "exports.handler = () => ({})";

const config = (ns: string, account: Account) => {
  const values: Record<string, string> = { [`${ns}:endpoint`]: emu.endpoint, [`${ns}:accessKeyId`]: account.accessKeyId, [`${ns}:secretAccessKey`]: account.secretAccessKey };
  return { config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } };
};

/** What the provider printed (warnings and the replacement reason go to stdout, which the CLI shows). */
function printed(): { lines: () => string } {
  const spy = vi.spyOn(console, "log").mockImplementation(() => {});
  return { lines: () => spy.mock.calls.map((c) => c.join(" ")).join("\n") };
}

beforeAll(async () => {
  emu = await startTestEmulator({ iotDeletionDelayMs: 0 });
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await ie.resetForTests();
  await iotRuntime.resetForTests();
  await emu?.close();
});

describe("compareAccount", () => {
  const probe = (key: string | undefined, account: string | undefined) => {
    const calls = { sts: 0 };
    return { calls, probe: { signingKey: async () => key, callerAccount: async () => (calls.sts++, account) } };
  };
  it("the job's own key: the same account, without asking STS", async () => {
    const p = probe("AKIDA", "111");
    expect(await compareAccount({ accountId: "111", accessKeyId: "AKIDA" }, p.probe)).toEqual({ kind: "same" });
    expect(p.calls.sts).toBe(0);
  });
  it("another key: STS decides (a rotated key of the same account is the same)", async () => {
    expect(await compareAccount({ accountId: "111", accessKeyId: "AKIDA" }, probe("AKIDB", "222").probe)).toEqual({ kind: "other", recorded: "111", current: "222" });
    expect(await compareAccount({ accountId: "111", accessKeyId: "AKIDA" }, probe("AKIDA2", "111").probe)).toEqual({ kind: "same" });
  });
  it("nothing recorded, no credentials, or no STS: unknown (the behaviour before)", async () => {
    expect(await compareAccount({}, probe("K", "1").probe)).toEqual({ kind: "unknown" });
    expect(await compareAccount({ accountId: "1" }, probe(undefined, "2").probe)).toEqual({ kind: "unknown" });
    expect(await compareAccount({ accountId: "1" }, probe("K", undefined).probe)).toEqual({ kind: "unknown" });
  });
  it("reads the account of an ARN", () => {
    expect(accountOfArn("arn:aws:iot:us-east-1:123456789012:job/x")).toBe("123456789012");
    expect(accountOfArn("nonsense")).toBeUndefined();
  });
});

describe("ImportExportJob with another account's credentials", () => {
  it("diff replaces, read fails (keeps), delete releases naming account A; the job stays Pending in A", async () => {
    const A = emu.account;
    const B = emu.otherAccount;
    await ie.resetForTests();
    await ie.configure(config("importexport", A));
    const manifest = { manifestVersion: "2.0", deviceId: "SW1", eraseDevice: true, bucket: A.buckets[0]?.name, returnAddress: { name: "Jane Roe", street1: "1 St", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", phoneNumber: "206-555-1111", country: "USA" } };
    const checked = await ie.check({}, { jobType: "Import", manifest, __provider: PROVIDER });
    const inputs = { ...checked.inputs, __provider: PROVIDER };
    const { id, outs } = await ie.create(inputs);
    const state = { ...outs, __provider: PROVIDER } as Record<string, unknown>;

    // With A's keys an unchanged stack costs nothing, not even GetCallerIdentity.
    await ie.resetForTests();
    await ie.configure(config("importexport", A));
    const before = (await emu.admin.stats()).total;
    expect(await ie.diff(id, state, inputs)).toMatchObject({ changes: false });
    expect((await emu.admin.stats()).total).toBe(before);

    await ie.resetForTests();
    await ie.configure(config("importexport", B));
    const out = printed();
    expect(await ie.diff(id, state, inputs)).toMatchObject({ changes: true, replaces: ["accountId"] });
    expect(out.lines()).toContain(`Job ${id} will be replaced: accountId changed from ${A.accountId} to ${B.accountId}.`);

    // Not "gone" (an empty id would drop it from the stack): refresh fails naming both accounts and what to do.
    await expect(ie.read(id, state)).rejects.toThrow(
      `Job ${id} lives in account ${A.accountId}, but the stack's credentials sign as account ${B.accountId}, which cannot see it, so it was not refreshed; it stays in the stack`,
    );

    await ie.delete(id, state);
    expect(out.lines()).toContain(`Job ${id} lives in account ${A.accountId} and was not cancelled`);
    expect((await emu.admin.jobs()).find((j) => j.jobId === id)).toMatchObject({ accountId: A.accountId, isCanceled: false, progressCode: "Pending" });
  });
});

describe("IotJob with another account's credentials", () => {
  it("diff replaces, read fails (keeps), delete releases naming account A; the job is untouched in A", async () => {
    const A = emu.account;
    const B = emu.otherAccount;
    const iot = iotClient(emu.endpoint, A);
    const thingArn = (await iot.send(new CreateThingCommand({ thingName: "switch-1" }))).thingArn ?? "";
    iot.destroy();
    await iotRuntime.resetForTests();
    await iotRuntime.configure(config("importexport-iot", A));
    const c = await iotRuntime.check({}, { targets: [thingArn], document: '{"op":"reboot"}', autoNamePrefix: "switch" });
    const { id, outs } = await iotRuntime.create(c.inputs as Record<string, unknown>);
    const state = outs as Record<string, unknown>;
    expect(state["job"]).toMatchObject({ accessKeyId: A.accessKeyId });

    await iotRuntime.resetForTests();
    await iotRuntime.configure(config("importexport-iot", A));
    const before = (await emu.admin.stats()).total;
    expect(await iotRuntime.diff(id, state, c.inputs as Record<string, unknown>)).toMatchObject({ changes: false });
    expect((await emu.admin.stats()).total).toBe(before);

    await iotRuntime.resetForTests();
    await iotRuntime.configure(config("importexport-iot", B));
    const out = printed();
    expect(await iotRuntime.diff(id, state, c.inputs as Record<string, unknown>)).toMatchObject({ changes: true, replaces: ["accountId"] });
    expect(out.lines()).toContain(`IoT job ${id} will be replaced: accountId changed from ${A.accountId} to ${B.accountId}.`);
    await expect(iotRuntime.read(id, state)).rejects.toThrow(`IoT job ${id} lives in account ${A.accountId}, but the stack's credentials sign as account ${B.accountId}, which cannot see it`);
    await iotRuntime.delete(id, state);
    expect(out.lines()).toContain(`IoT job ${id} lives in account ${A.accountId} and was not cancelled`);
    expect((await iotAdmin(emu.endpoint).jobs()).find((j) => j.jobId === id)).toMatchObject({ accountId: A.accountId, status: "IN_PROGRESS" });
  });
});
