/**
 * IotJob through the native plugin and the real engine, against the emulator: create with an auto-named jobId (the
 * one preview showed); a description edit is an in-place update of `description`; a new target is a replacement of
 * `targets` (a new auto-name); destroy.
 */
import { CreateThingCommand, DescribeJobCommand, type IoTClient } from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotClient } from "../helpers/iot";
import { stepsOf } from "./events";
import type { ProgramStack } from "./harness";
import { createNativeStack } from "./native-harness";

const STEP = 240_000;

describe("IotJob through the native plugin", () => {
  let emu: TestEmulator;
  let iot: IoTClient;
  let ws: ProgramStack;
  let thingB = "";
  let jobId = "";

  beforeAll(async () => {
    emu = await startTestEmulator({ iotDeletionDelayMs: 0 });
    iot = iotClient(emu.endpoint, emu.account);
    const thingA = (await iot.send(new CreateThingCommand({ thingName: "native-a" }))).thingArn ?? "";
    thingB = (await iot.send(new CreateThingCommand({ thingName: "native-b" }))).thingArn ?? "";
    ws = await createNativeStack("test/engine/fixtures/native-iot", {
      "native-iot:endpoint": { value: emu.endpoint },
      "native-iot:accessKeyId": { value: emu.account.accessKeyId },
      "native-iot:secretAccessKey": { value: emu.account.secretAccessKey, secret: true },
      "native-iot:target": { value: thingA },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    iot?.destroy();
    await emu?.close();
  });

  it("up creates the job under the auto-name the preview showed", async () => {
    const plan = await ws.preview();
    const planned = JSON.stringify(stepsOf(plan.events.all, "rollout")[0]?.new?.inputs ?? {});
    const r = await ws.up();
    jobId = r.outputs["jobId"] as string;
    expect(jobId).toMatch(/^rollout-[a-z0-9]{7}$/);
    expect(planned).toContain(jobId);
    expect(r.outputs["jobArn"]).toBe(`arn:aws:iot:us-east-1:${emu.account.accountId}:job/${jobId}`);
    expect((await iot.send(new DescribeJobCommand({ jobId }))).job?.description).toBe("first");
  }, STEP);

  it("a description edit is an in-place update of description", async () => {
    await ws.stack.setConfig("native-iot:description", { value: "second" });
    const plan = await ws.preview();
    const [step] = stepsOf(plan.events.all, "rollout");
    expect(step?.op).toBe("update");
    expect(step?.detailedDiff).toEqual({ description: { diffKind: "update", inputDiff: true } });
    const r = await ws.up();
    expect(r.outputs["jobId"]).toBe(jobId);
    expect((await iot.send(new DescribeJobCommand({ jobId }))).job?.description).toBe("second");
  }, STEP);

  it("a new target replaces the job (targets always replaces), under a new name", async () => {
    await ws.stack.setConfig("native-iot:target", { value: thingB });
    const plan = await ws.preview();
    const steps = stepsOf(plan.events.all, "rollout");
    expect(steps.map((s) => s?.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
    expect(steps[0]?.detailedDiff?.["targets"]).toEqual({ diffKind: "update-replace", inputDiff: true });
    const r = await ws.up();
    const replaced = r.outputs["jobId"] as string;
    expect(replaced).toMatch(/^rollout-[a-z0-9]{7}$/);
    expect(replaced).not.toBe(jobId);
    expect((await iot.send(new DescribeJobCommand({ jobId: replaced }))).job?.targets).toEqual([thingB]);
    jobId = replaced;
  }, STEP);

  it("destroy removes the job", async () => {
    const r = await ws.destroy();
    expect(r.changes).toEqual({ delete: 3 });
    const after = await iot.send(new DescribeJobCommand({ jobId })).then((x) => x.job?.status, (e: Error) => e.name);
    expect(["CANCELED", "DELETION_IN_PROGRESS", "ResourceNotFoundException"]).toContain(after);
  }, STEP);
});
