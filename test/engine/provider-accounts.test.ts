/**
 * Issue 21, item 2, through the real engine: a stack's credentials switched from account A to account B on the same
 * endpoint. A job is visible only to its own account, so before the fix preview said "unchanged", refresh said
 * "unchanged", and after one `up` the next refresh dropped the job (`- 1 deleted`) while it was still live in A.
 * Now: preview plans a replacement and says why; a plain refresh reads with the provider configuration recorded at
 * the last `up` (account A's) and finds the job; a refresh with the program's configuration (`--run-program`, or any
 * refresh after an `up` that recorded B's) fails naming both accounts and keeps the job; `up` creates the new job in
 * B and releases the one in A with a warning naming A and the job; and the next refresh drops nothing. The same for ImportExportJob (status.accountId) and IotJob (the account in its ARN).
 */
import { AddThingToThingGroupCommand, CreateThingCommand, CreateThingGroupCommand } from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotAdmin, iotClient } from "../helpers/iot";
import { accountConfig, createProgramStack, emulatorConfig, type ProgramStack } from "./harness";

const STEP = 300_000;

interface StateResource {
  urn: string;
  id?: string;
  type: string;
  delete?: boolean;
  outputs?: Record<string, unknown>;
}
const resourcesOf = (ws: ProgramStack): StateResource[] => JSON.parse(ws.stateText()).checkpoint.latest.resources as StateResource[];

describe("ImportExportJob: credentials switched to another account", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;

  beforeAll(async () => {
    emu = await startTestEmulator();
    ws = await createProgramStack({
      fixture: "test/engine/fixtures/provider-jobs",
      config: {
        ...emulatorConfig("importexport", emu.endpoint, emu.account),
        "provider-jobs:bucket": { value: emu.account.buckets[0]?.name ?? "" },
      },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    await emu?.close();
  });

  it("preview replaces with the reason, refresh fails and keeps the job, up releases it naming account A, nothing is dropped", async () => {
    const A = emu.account.accountId;
    const B = emu.otherAccount.accountId;
    const first = await ws.up();
    const jobA = (first.outputs["jobIds"] as string[])[0] ?? "";
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobA)?.accountId).toBe(A);

    // The same program and endpoint, account B's keys.
    await ws.stack.setAllConfig({
      ...accountConfig("importexport", emu.otherAccount),
    });

    // The replacement is planned with its reason; its validation in account B then (rightly) refuses A's bucket.
    const refused = await ws.preview().then(() => "", (e: Error) => e.message);
    expect(refused).toContain(`Job ${jobA} will be replaced: accountId changed from ${A} to ${B}.`);
    expect(refused).toContain(`Job ${jobA} lives in account ${A}, but the stack's credentials now sign as account ${B}`);
    expect(refused).toContain("BucketPermissionException");

    expect((await ws.refresh()).changes["delete"] ?? 0).toBe(0);
    const refresh = await ws.stack.refresh({ runProgram: true, color: "never" }).then(() => "", (e: Error) => e.message);
    expect(refresh).toContain(`Job ${jobA} lives in account ${A}, but the stack's credentials sign as account ${B}, which cannot see it, so it was not refreshed`);
    expect(refresh).not.toContain(" deleted");
    expect(resourcesOf(ws).some((r) => r.id === jobA)).toBe(true);

    // Account B's bucket, so that the replacement can be created there.
    await ws.stack.setConfig("provider-jobs:bucket", { value: emu.otherAccount.buckets[0]?.name ?? "" });
    const plan = await ws.preview();
    expect(plan.changeSummary).toMatchObject({ replace: 1 });
    expect(plan.stdout).toContain(`Job ${jobA} will be replaced: accountId changed from ${A} to ${B}.`);
    const up = await ws.up();
    expect(up.changes).toMatchObject({ replace: 1 });
    const jobB = (up.outputs["jobIds"] as string[])[0] ?? "";
    expect(jobB).not.toBe(jobA);
    // The old job is accounted for: named with its account in the warning, and still live (Pending) in A.
    expect(up.stdout).toContain(`Job ${jobA} lives in account ${A} and was not cancelled`);
    expect(up.stdout).toContain(`importexport cancel-job --job-id ${jobA}`);
    const jobs = await emu.admin.jobs();
    expect(jobs.find((j) => j.jobId === jobA)).toMatchObject({ accountId: A, isCanceled: false, progressCode: "Pending" });
    expect(jobs.find((j) => j.jobId === jobB)).toMatchObject({ accountId: B, isCanceled: false });
    expect(ws.stateText()).toContain(`"accountId":"${B}"`);

    for (const runProgram of [false, true]) {
      const again = await ws.stack.refresh({ runProgram, color: "never" });
      expect(again.summary.resourceChanges?.["delete"] ?? 0).toBe(0);
    }
    expect(resourcesOf(ws).some((r) => r.id === jobB)).toBe(true);
    expect((await ws.preview()).changeSummary).toEqual({ same: 2 });

    await ws.destroy();
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobB)?.isCanceled).toBe(true);
  }, STEP * 2);
});

describe("IotJob: credentials switched to another account", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  const groups: Record<string, string> = {};

  beforeAll(async () => {
    emu = await startTestEmulator({ iotDeletionDelayMs: 0 });
    for (const account of [emu.account, emu.otherAccount]) {
      const iot = iotClient(emu.endpoint, account);
      const group = await iot.send(new CreateThingGroupCommand({ thingGroupName: "fleet" }));
      await iot.send(new CreateThingCommand({ thingName: "sensor-1" }));
      await iot.send(new AddThingToThingGroupCommand({ thingGroupName: "fleet", thingName: "sensor-1" }));
      groups[account.accountId] = group.thingGroupArn ?? "";
      iot.destroy();
    }
    ws = await createProgramStack({
      fixture: "test/engine/fixtures/provider-iot",
      config: {
        ...emulatorConfig("importexport-iot", emu.endpoint, emu.account),
        "provider-iot:targets": { value: JSON.stringify([groups[emu.account.accountId]]) },
      },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    await emu?.close();
  });

  it("preview replaces with the reason, refresh fails and keeps both jobs, up releases them naming account A", async () => {
    const A = emu.account.accountId;
    const B = emu.otherAccount.accountId;
    const first = await ws.up();
    const rollout = first.outputs["rolloutJobId"] as string;
    await ws.stack.setAllConfig({
      ...accountConfig("importexport-iot", emu.otherAccount),
    });

    const plan = await ws.preview();
    expect(plan.changeSummary).toMatchObject({ replace: 2 });
    expect(plan.stdout).toContain(`IoT job ${rollout} will be replaced: accountId changed from ${A} to ${B}.`);
    expect(plan.stdout).toContain(`IoT job fixed-job will be replaced: accountId changed from ${A} to ${B}.`);

    expect((await ws.refresh()).changes["delete"] ?? 0).toBe(0);
    const refresh = await ws.stack.refresh({ runProgram: true, color: "never" }).then(() => "", (e: Error) => e.message);
    expect(refresh).toMatch(new RegExp(`IoT job (${rollout}|fixed-job) lives in account ${A}, but the stack's credentials sign as account ${B}, which cannot see it`));
    const kept = resourcesOf(ws);
    expect(kept.some((r) => r.id === rollout)).toBe(true);
    expect(kept.some((r) => r.id === "fixed-job")).toBe(true);

    await ws.stack.setConfig("provider-iot:targets", { value: JSON.stringify([groups[B]]) });
    const up = await ws.up();
    expect(up.changes).toMatchObject({ replace: 2 });
    expect(up.stdout).toContain(`IoT job ${rollout} lives in account ${A} and was not cancelled`);
    expect(up.stdout).toContain(`IoT job fixed-job lives in account ${A} and was not cancelled`);
    const jobs = await iotAdmin(emu.endpoint).jobs();
    // The jobs in A are still there, untouched; the new ones (fixed-job again, a new auto-name) are in B.
    expect(jobs.filter((j) => j.accountId === A).map((j) => [j.jobId, j.status]).sort()).toEqual([["fixed-job", "IN_PROGRESS"], [rollout, "IN_PROGRESS"]].sort());
    const newRollout = up.outputs["rolloutJobId"] as string;
    expect(newRollout).not.toBe(rollout);
    expect(jobs.filter((j) => j.accountId === B).map((j) => j.jobId).sort()).toEqual(["fixed-job", newRollout].sort());

    for (const runProgram of [false, true]) {
      const again = await ws.stack.refresh({ runProgram, color: "never" });
      expect(again.summary.resourceChanges?.["delete"] ?? 0).toBe(0);
    }
    expect((await ws.preview()).changeSummary).toEqual({ same: 3 });
    await ws.destroy();
  }, STEP * 2);
});
