/**
 * `customTimeouts` through the native plugin and the real engine (CLI v3.248.0), against the emulator with a latency
 * rule far longer than the timeout (a hung service). Each stopped operation fails promptly with a message naming
 * the resource, the operation and the timeout as written, and leaves no job untracked:
 * - create: the CreateJob was sent, so the stack keeps an unresolved create; once the service has made the job, the
 *   next `up` adopts it: exactly one job, in the state;
 * - update: the stack keeps the old inputs; the next `up` applies the same edit to the same job;
 * - delete: the job stays in the stack; the next `destroy` finishes;
 * - an IotJob's create: nothing is recorded, and the next `up` adopts the job under the same jobId.
 */
import { CreateThingCommand, type IoTClient } from "@aws-sdk/client-iot";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotAdmin, iotClient } from "../helpers/iot";
import type { ProgramStack } from "./harness";
import { createNativeStack } from "./native-harness";

const STEP = 300_000;
/** How long the hung call is held: far beyond the 2 s timeouts, so "promptly" is well before it ends. */
const HANG_MS = 40_000;

/**
 * A CLI run that must fail: its text (automation's CommandError carries stdout and stderr), and how long the engine
 * saw the operation on `name` take, from its step starting to its failure (engine event timestamps, whole seconds).
 * That span, not the whole command's, is what the timeout bounds: the program's start-up varies with the load.
 */
async function failedRun(run: (onEvent: (e: EngineEvent) => void) => Promise<unknown>, name: string): Promise<{ text: string; opSeconds: number }> {
  const events: EngineEvent[] = [];
  let text: string | undefined;
  try {
    await run((e) => events.push(e));
  } catch (e) {
    text = String(e instanceof Error ? e.message : e);
  }
  if (text === undefined) throw new Error("expected the command to fail");
  const onName = (urn: string | undefined) => urn?.endsWith(`::${name}`) === true;
  const began = events.find((e) => onName(e.resourcePreEvent?.metadata.urn) && e.resourcePreEvent?.metadata.op !== "same")?.timestamp;
  const failed = events.find((e) => onName(e.resOpFailedEvent?.metadata.urn))?.timestamp;
  if (began === undefined || failed === undefined) throw new Error(`no step and failure of ${name} among the engine events:\n${text}`);
  return { text, opSeconds: failed - began };
}

/** The longest a stopped operation may take: its 2 s timeout, the plugin's grace, the engine's whole-second stamps. */
const PROMPT_S = 8;

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `done` every 250 ms for up to `ms`. */
async function until(done: () => Promise<boolean>, ms: number): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await settle(250)) if (await done()) return;
  throw new Error("condition not met in time");
}

interface StateResource {
  type: string;
  urn: string;
  id?: string;
  outputs?: Record<string, unknown>;
  initErrors?: string[];
}

describe("customTimeouts through the native plugin", () => {
  let emu: TestEmulator;
  let iot: IoTClient;
  let ws: ProgramStack;
  let jobId = "";

  const resources = (): StateResource[] => JSON.parse(ws.stateText()).checkpoint.latest?.resources ?? [];
  const photos = (): StateResource | undefined => resources().find((r) => r.urn.endsWith("::photos"));

  beforeAll(async () => {
    emu = await startTestEmulator({ iotDeletionDelayMs: 0 });
    iot = iotClient(emu.endpoint, emu.account);
    ws = await createNativeStack("test/engine/fixtures/native-timeouts", {
      "native-timeouts:endpoint": { value: emu.endpoint },
      "native-timeouts:accessKeyId": { value: emu.account.accessKeyId },
      "native-timeouts:secretAccessKey": { value: emu.account.secretAccessKey, secret: true },
      "native-timeouts:createTimeout": { value: "2s" },
    });
  }, STEP);
  // A failed step must not leave its hung service to the next one.
  afterEach(async () => {
    await emu?.admin.clearFaults();
  });
  afterAll(async () => {
    ws?.cleanup();
    iot?.destroy();
    await emu?.close();
  });

  it("create timeout against a hung CreateJob: up fails promptly, then the next up adopts the job the request made", async () => {
    await emu.admin.setFaults({ action: "CreateJob", kind: "latency", latencyMs: HANG_MS });
    const { text, opSeconds } = await failedRun((onEvent) => ws.stack.up({ onEvent, color: "never" }), "photos");
    expect(opSeconds).toBeLessThanOrEqual(PROMPT_S); // the request is held for 40 s; the SDK's own deadline is 30 s
    expect(text).toContain("ImportExportJob photos: create timed out after 2s (customTimeouts)");
    expect(text).toContain("the next `pulumi up` looks for the job that request made");
    // The stack keeps the unresolved create (the engine's init failure), so the next up knows to look.
    const pending = photos();
    expect(pending?.id).toMatch(/^unresolved-create-[0-9a-f]{16}$/);
    expect(pending?.initErrors?.length).toBeGreaterThan(0);

    await emu.admin.clearFaults();
    await until(async () => (await emu.admin.jobs()).length === 1, HANG_MS + 10_000); // the held request ran at last
    const [made] = await emu.admin.jobs();
    const r = await ws.up();
    expect(r.changes).toMatchObject({ replace: 1 });
    jobId = r.outputs["jobId"] as string;
    expect(jobId).toBe(made?.jobId);
    expect(r.outputs["progressCode"]).toBe("Pending");
    const jobs = await emu.admin.jobs();
    expect(jobs.map((j) => [j.jobId, j.isCanceled])).toEqual([[jobId, false]]);
    expect(photos()?.id).toBe(jobId);
    expect(resources().filter((x) => x.type === "importexport:index:ImportExportJob")).toHaveLength(1);
  }, STEP);

  it("update timeout against a hung UpdateJob: up fails promptly, the state keeps the old inputs, the next up applies the edit", async () => {
    await ws.stack.setAllConfig({ "native-timeouts:updateTimeout": { value: "2s" }, "native-timeouts:postalCode": { value: "98102" } });
    await emu.admin.setFaults({ action: "UpdateJob", kind: "latency", latencyMs: HANG_MS, count: 1 });
    const { text, opSeconds } = await failedRun((onEvent) => ws.stack.up({ onEvent, color: "never" }), "photos");
    expect(opSeconds).toBeLessThanOrEqual(PROMPT_S);
    expect(text).toContain("ImportExportJob photos: update timed out after 2s (customTimeouts)");
    expect(text).toContain("The stack keeps the previous inputs");
    expect(JSON.stringify(photos()?.outputs)).toContain("98101");
    await emu.admin.clearFaults();
    const plan = await ws.preview();
    expect(plan.changeSummary).toMatchObject({ update: 1 });
    const r = await ws.up();
    expect(r.changes).toMatchObject({ update: 1 });
    expect(r.outputs["jobId"]).toBe(jobId);
    expect(JSON.stringify(photos()?.outputs)).toContain("98102");
  }, STEP);

  it("IotJob create timeout against a hung CreateJob: up fails promptly; the next up adopts the job under the same jobId", async () => {
    const thing = (await iot.send(new CreateThingCommand({ thingName: "timeouts-a" }))).thingArn ?? "";
    await ws.stack.setAllConfig({ "native-timeouts:iotTarget": { value: thing }, "native-timeouts:iotCreateTimeout": { value: "2s" } });
    await emu.admin.setFaults({ action: "iot:CreateJob", kind: "latency", latencyMs: HANG_MS, count: 1 });
    const { text, opSeconds } = await failedRun((onEvent) => ws.stack.up({ onEvent, color: "never" }), "rollout");
    expect(opSeconds).toBeLessThanOrEqual(PROMPT_S);
    expect(text).toContain("IotJob rollout: create timed out after 2s (customTimeouts)");
    expect(text).toMatch(/the next `pulumi up` sends CreateJob for rollout-[a-z0-9]{7} again/);
    expect(resources().find((x) => x.urn.endsWith("::rollout"))).toBeUndefined();
    await emu.admin.clearFaults();
    await until(async () => (await iotAdmin(emu.endpoint).jobs()).length === 1, HANG_MS + 10_000);
    const [made] = await iotAdmin(emu.endpoint).jobs();
    const r = await ws.up();
    expect(r.outputs["iotJobId"]).toBe(made?.jobId);
    expect((await iotAdmin(emu.endpoint).jobs()).map((j) => j.jobId)).toEqual([made?.jobId]);
  }, STEP);

  it("delete timeout against a hung CancelJob: destroy fails promptly and the job stays in the stack; the next destroy finishes", async () => {
    await ws.stack.setConfig("native-timeouts:deleteTimeout", { value: "2s" });
    await ws.up(); // records the delete timeout in the state (the engine reads it from there on destroy)
    await emu.admin.setFaults({ action: "CancelJob", kind: "latency", latencyMs: HANG_MS, count: 1 });
    const { text, opSeconds } = await failedRun((onEvent) => ws.stack.destroy({ onEvent, color: "never" }), "photos");
    expect(opSeconds).toBeLessThanOrEqual(PROMPT_S);
    expect(text).toContain("ImportExportJob photos: delete timed out after 2s (customTimeouts)");
    expect(text).toContain("The job stays in the stack");
    expect(photos()?.id).toBe(jobId);
    await emu.admin.clearFaults();
    const r = await ws.destroy();
    expect(r.changes).toMatchObject({ delete: expect.any(Number) });
    expect(photos()).toBeUndefined();
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)?.isCanceled).toBe(true);
  }, STEP);
});
