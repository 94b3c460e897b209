/**
 * IotJob through the real Pulumi engine (CLI v3.248.0, local program, file backend) against the emulator's IoT Jobs
 * control plane: one stack walked through its life in order — create, a no-change preview with zero IoT calls,
 * in-place updates (description, abortConfig, timeoutConfig, tags) keeping the jobId, a document edit replacing
 * both jobs (the fixed jobId delete-first), a targets edit replacing, a check failure before any call, the state
 * file holding no secret, drift from an out-of-band UpdateJob / TagResource shown at refresh and put back by up,
 * refresh after an out-of-band delete, and destroy cancelling and deleting.
 * Issue 11, item 5. The steps share one stack, so they run in order.
 */
import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  GetJobDocumentCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateJobCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotAdmin, iotClient } from "../helpers/iot";
import { createProgramStack, emulatorConfig, type ProgramStack } from "./harness";

const STEP = 240_000;
const ROLE_ARN = "arn:aws:iam::123456789012:role/secret-presign-role-7f3a";
const TOKEN = "doc-param-secret-5b1e9c";

describe("IotJob lifecycle through the engine", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  let iot: IoTClient;
  let groupArn = "";
  let thingArn = "";
  let rolloutId = "";

  /** Total API calls the emulator has served (both services). */
  async function totalCalls(): Promise<number> {
    return (await emu.admin.stats()).total;
  }
  async function byAction(): Promise<Record<string, number>> {
    return (await emu.admin.stats()).byAction;
  }
  async function costOf(fn: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = await byAction();
    await fn();
    const after = await byAction();
    return Object.fromEntries(Object.entries(after).map(([a, n]) => [a, n - (before[a] ?? 0)]).filter(([, n]) => n !== 0));
  }
  const job = async (jobId: string) => (await iot.send(new DescribeJobCommand({ jobId }))).job;

  beforeAll(async () => {
    emu = await startTestEmulator({ iotDeletionDelayMs: 1500 });
    iot = iotClient(emu.endpoint, emu.account);
    const group = await iot.send(new CreateThingGroupCommand({ thingGroupName: "fleet" }));
    groupArn = group.thingGroupArn ?? "";
    for (const name of ["sensor-1", "sensor-2"]) {
      const t = await iot.send(new CreateThingCommand({ thingName: name }));
      if (name === "sensor-2") thingArn = t.thingArn ?? "";
      await iot.send(new AddThingToThingGroupCommand({ thingGroupName: "fleet", thingName: name }));
    }
    ws = await createProgramStack({
      fixture: "test/engine/fixtures/provider-iot",
      config: {
        ...emulatorConfig("importexport-iot", emu.endpoint, emu.account),
        "provider-iot:targets": { value: JSON.stringify([groupArn]) },
        "provider-iot:roleArn": { value: ROLE_ARN, secret: true },
        "provider-iot:token": { value: TOKEN, secret: true },
      },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    iot?.destroy();
    await emu?.close();
  });

  it("up creates an auto-named job and a fixed-id job, IN_PROGRESS with an execution per thing", async () => {
    const r = await ws.up();
    expect(r.changes).toEqual({ create: 3 }); // the stack and two jobs
    rolloutId = r.outputs["rolloutJobId"] as string;
    expect(rolloutId).toMatch(/^rollout-[a-z0-9]{7}$/);
    expect(r.outputs["fixedJobId"]).toBe("fixed-job");
    expect(r.outputs["rolloutStatus"]).toBe("IN_PROGRESS");
    const jobs = await iotAdmin(emu.endpoint).jobs();
    expect(jobs.map((j) => j.jobId).sort()).toEqual(["fixed-job", rolloutId].sort());
    expect(jobs.find((j) => j.jobId === rolloutId)?.executions).toHaveLength(2);
    const live = await job(rolloutId);
    expect(live).toMatchObject({ description: "firmware rollout", timeoutConfig: { inProgressTimeoutInMinutes: 30 }, presignedUrlConfig: { expiresInSec: 600 } });
  }, STEP);

  it("a preview with no change: only `same`, and zero API calls", async () => {
    const before = await totalCalls();
    const r = await ws.preview();
    expect(r.changeSummary).toEqual({ same: 3 });
    expect(await totalCalls()).toBe(before);
  }, STEP);

  it("the state file holds no secret: the presigned-URL role, a secret document parameter and the secret key are ciphertext", () => {
    const state = ws.stateText();
    expect(state).toContain(rolloutId);
    expect(state).not.toContain(ROLE_ARN);
    expect(state).not.toContain(TOKEN);
    expect(state).not.toContain(emu.account.secretAccessKey);
    const resources = JSON.parse(state).checkpoint.latest.resources as Array<{ id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
    const rollout = resources.find((r) => r.id === rolloutId);
    for (const bag of [rollout?.inputs, rollout?.outputs]) {
      expect(bag?.["presignedUrlConfig"]).toMatchObject({ ciphertext: expect.any(String) });
      expect(bag?.["documentParameters"]).toMatchObject({ ciphertext: expect.any(String) });
    }
    // The serialized provider in state is the tiny loader, not the implementation.
    expect(state).not.toMatch(/@aws-sdk|fromNodeProviderChain|decideDiff/);
    expect(state).toContain("pulumi-importexport/iot-runtime");
  });

  it("description, abortConfig and timeoutConfig edits: update in place, same jobId, 0 replaces", async () => {
    await ws.stack.setAllConfig({
      "provider-iot:description": { value: "firmware rollout, wave 2" },
      "provider-iot:threshold": { value: "35.5" },
      "provider-iot:timeout": { value: "45" },
    });
    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 2, update: 1 });
    expect(ws.opsFor(plan.events, "rollout")).toEqual(["update"]);
    const cost = await costOf(async () => {
      const r = await ws.up();
      expect(r.changes).toEqual({ same: 2, update: 1 });
      expect(r.outputs["rolloutJobId"]).toBe(rolloutId);
    });
    expect(cost["iot:UpdateJob"]).toBe(1);
    expect(cost["iot:CreateJob"]).toBeUndefined();
    const live = await job(rolloutId);
    expect(live?.description).toBe("firmware rollout, wave 2");
    expect(live?.abortConfig?.criteriaList?.[0]?.thresholdPercentage).toBe(35.5);
    expect(live?.timeoutConfig?.inProgressTimeoutInMinutes).toBe(45);
  }, STEP);

  it("a tags edit: TagResource / UntagResource, key by key, in place", async () => {
    await ws.stack.setConfig("provider-iot:tags", { value: JSON.stringify({ wave: "2" }) });
    const cost = await costOf(async () => {
      const r = await ws.up();
      expect(r.changes).toEqual({ same: 2, update: 1 });
    });
    expect(cost).toMatchObject({ "iot:TagResource": 1, "iot:UntagResource": 1 });
    expect(cost["iot:UpdateJob"]).toBeUndefined();
    const arn = (await job(rolloutId))?.jobArn;
    const tags = await iot.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(tags.tags).toEqual([{ Key: "wave", Value: "2" }]);
  }, STEP);

  it("drift: an out-of-band UpdateJob and TagResource show at refresh, and the next up puts the program's values back", async () => {
    const arn = (await job(rolloutId))?.jobArn;
    await iot.send(new UpdateJobCommand({ jobId: rolloutId, description: "edited in the console", timeoutConfig: { inProgressTimeoutInMinutes: 120 } }));
    await iot.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: "wave", Value: "hand-edited" }] }));

    const refreshed = await ws.refresh();
    expect(refreshed.changes).toEqual({ same: 2, update: 1 });
    expect(ws.opsFor(refreshed.events, "rollout")).toEqual(["refresh"]); // a refresh step that found a change
    const resources = () => JSON.parse(ws.stateText()).checkpoint.latest.resources as Array<{ id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
    const rollout = resources().find((r) => r.id === rolloutId);
    expect(rollout?.outputs).toMatchObject({ description: "edited in the console", timeoutConfig: { inProgressTimeoutInMinutes: 120 }, tags: { wave: "hand-edited" } });
    // Still no secret in state after a refresh rewrote the inputs: the engine keeps presignedUrlConfig secret.
    expect(ws.stateText()).not.toContain(ROLE_ARN);
    expect(rollout?.outputs?.["presignedUrlConfig"]).toMatchObject({ ciphertext: expect.any(String) });

    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 2, update: 1 });
    const cost = await costOf(async () => {
      const r = await ws.up();
      expect(r.changes).toEqual({ same: 2, update: 1 });
      expect(r.outputs["rolloutJobId"]).toBe(rolloutId);
    });
    expect(cost).toMatchObject({ "iot:UpdateJob": 1, "iot:TagResource": 1 });
    expect(cost["iot:CreateJob"]).toBeUndefined();
    const live = await job(rolloutId);
    expect(live).toMatchObject({ description: "firmware rollout, wave 2", timeoutConfig: { inProgressTimeoutInMinutes: 45 } });
    expect((await iot.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ Key: "wave", Value: "2" }]);
    // Back in line: a second refresh reports nothing.
    expect((await ws.refresh()).changes).toEqual({ same: 3 });
  }, STEP);

  it("a bad jobId fails check naming the field and the rule, before any API call", async () => {
    await ws.stack.setConfig("provider-iot:fixedJobId", { value: "bad id!" });
    const before = await totalCalls();
    const err = await ws.preview().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(err)).toMatch(/jobId.*does not match the pattern \[a-zA-Z0-9_-\]\+ \(got "bad id!"\)/);
    expect(String(err)).toContain("InvalidRequestException");
    expect(await totalCalls()).toBe(before);
    await ws.stack.removeConfig("provider-iot:fixedJobId");
  }, STEP);

  it("a document edit replaces both: the auto-named one create-first with a new jobId, the fixed one delete-first; reasons printed", async () => {
    await ws.stack.setConfig("provider-iot:version", { value: "2.0.0" });
    const plan = await ws.preview();
    expect(plan.changeSummary).toMatchObject({ replace: 2 });
    expect(plan.stdout).toContain(`IoT job ${rolloutId} will be replaced: document always forces replacement.`);
    expect(plan.stdout).toContain("IoT job fixed-job will be replaced: document always forces replacement.");
    let r = { changes: {}, outputs: {}, events: plan.events } as Awaited<ReturnType<ProgramStack["up"]>>;
    const cost = await costOf(async () => {
      r = await ws.up();
    });
    expect(r.changes).toEqual({ same: 1, replace: 2 });
    // Both old jobs were cancelled, then deleted (the fixed one before its replacement was created).
    // The fixed one's first CreateJob met the old job DELETION_IN_PROGRESS (409): waited for, then created.
    expect(cost).toMatchObject({ "iot:CreateJob": 3, "iot:CancelJob": 2, "iot:DeleteJob": 2 });
    expect(ws.opsFor(r.events, "rollout")).toEqual(["create-replacement", "replace", "delete-replaced"]);
    expect(ws.opsFor(r.events, "fixed")).toEqual(["delete-replaced", "replace", "create-replacement"]);
    const newId = r.outputs["rolloutJobId"] as string;
    expect(newId).toMatch(/^rollout-[a-z0-9]{7}$/);
    expect(newId).not.toBe(rolloutId);
    expect(r.outputs["fixedJobId"]).toBe("fixed-job");
    const doc = await iot.send(new GetJobDocumentCommand({ jobId: "fixed-job" }));
    expect(JSON.parse(doc.document ?? "{}")).toEqual({ operation: "reboot", version: "2.0.0" });
    rolloutId = newId;
  }, STEP);

  it("targets are a set: reordering is no change, adding one replaces with the reason", async () => {
    await ws.stack.setConfig("provider-iot:targets", { value: JSON.stringify([thingArn, groupArn]) });
    const plan = await ws.preview();
    expect(plan.changeSummary).toMatchObject({ replace: 2 });
    expect(plan.stdout).toContain(`IoT job ${rolloutId} will be replaced: targets always forces replacement.`);
    await ws.stack.setConfig("provider-iot:targets", { value: JSON.stringify([groupArn]) });
    expect((await ws.preview()).changeSummary).toEqual({ same: 3 });
  }, STEP);

  it("refresh after an out-of-band delete drops the job from the stack", async () => {
    await iot.send(new DeleteJobCommand({ jobId: "fixed-job", force: true }));
    const r = await ws.refresh();
    expect(r.changes).toMatchObject({ delete: 1 });
    const resources = JSON.parse(ws.stateText()).checkpoint.latest.resources as Array<{ id?: string }>;
    expect(resources.some((x) => x.id === "fixed-job")).toBe(false);
    expect(resources.some((x) => x.id === rolloutId)).toBe(true);
  }, STEP);

  it("destroy cancels, then deletes; a thing still running its execution is force-cancelled only with forceCancel", async () => {
    // The fixed job is recreated by up (it left the stack at refresh; its deletion must have finished).
    await new Promise((r) => setTimeout(r, 1600));
    await ws.stack.setConfig("provider-iot:forceCancel", { value: "true" });
    await ws.up();
    await iotAdmin(emu.endpoint).execution(rolloutId, "sensor-1", "IN_PROGRESS");
    const cost = await costOf(async () => {
      const r = await ws.destroy();
      expect(r.changes).toEqual({ delete: 3 });
    });
    expect(cost).toMatchObject({ "iot:CancelJob": 2, "iot:DeleteJob": 2 });
    const rollout = await job(rolloutId);
    expect(rollout).toMatchObject({ status: "DELETION_IN_PROGRESS", forceCanceled: true });
  }, STEP);
});
