/**
 * Issue 21, item 6, through the real engine: an IotJob without a jobId gets the same name in `pulumi preview` as in
 * `pulumi up` (before: `firmware-diuulqo` previewed, `firmware-y4plac6` created), and a replacement's display lists
 * only what the user changed (before: `[diff: ~document,jobId]`), while the replacement still gets a new jobId.
 */
import { CreateThingGroupCommand } from "@aws-sdk/client-iot";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotAdmin, iotClient } from "../helpers/iot";
import { createProgramStack, emulatorConfig, type ProgramStack } from "./harness";

const STEP = 240_000;

/** The auto-name the engine planned for `rollout`: its internal `__jobId` input in the step's new state. */
function plannedJobId(events: EngineEvent[]): unknown {
  const step = events.find((e) => e.resourcePreEvent?.metadata.urn.endsWith("::rollout") && e.resourcePreEvent.metadata.op !== "same");
  return step?.resourcePreEvent?.metadata.new?.inputs?.["__jobId"];
}

describe("IotJob auto-named jobId through the engine", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;

  beforeAll(async () => {
    emu = await startTestEmulator({ iotDeletionDelayMs: 0 });
    const iot = iotClient(emu.endpoint, emu.account);
    const group = await iot.send(new CreateThingGroupCommand({ thingGroupName: "fleet" }));
    iot.destroy();
    ws = await createProgramStack({
      fixture: "test/engine/fixtures/provider-iot",
      config: {
        ...emulatorConfig("importexport-iot", emu.endpoint, emu.account),
        "provider-iot:targets": { value: JSON.stringify([group.thingGroupArn]) },
      },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    await emu?.close();
  });

  it("preview and up name the job the same; a replacement shows ~document only and gets the name its preview planned", async () => {
    const plan = await ws.preview();
    const planned = plannedJobId(plan.events.all);
    expect(planned).toMatch(/^rollout-[a-z0-9]{7}$/);
    const up = await ws.up();
    expect(up.outputs["rolloutJobId"]).toBe(planned);
    expect(plannedJobId(up.events.all)).toBe(planned);

    await ws.stack.setConfig("provider-iot:version", { value: "2.0.0" });
    const replacing = await ws.preview();
    expect(replacing.changeSummary).toMatchObject({ replace: 2 });
    const rolloutLines = replacing.stdout.split("\n").filter((l) => /IotJob rollout\b/.test(l));
    expect(rolloutLines.join("\n")).toContain("[diff: ~document]");
    expect(replacing.stdout).not.toMatch(/\[diff: [^\]]*jobId/);
    const next = plannedJobId(replacing.events.all);
    expect(next).toMatch(/^rollout-[a-z0-9]{7}$/);
    expect(next).not.toBe(planned);

    const replaced = await ws.up();
    expect(replaced.outputs["rolloutJobId"]).toBe(next);
    expect(replaced.stdout).not.toMatch(/\[diff: [^\]]*jobId/);
    const live = (await iotAdmin(emu.endpoint).jobs()).map((j) => j.jobId);
    expect(live).toContain(next);
    expect((await ws.preview()).changeSummary).toEqual({ same: 3 });
    await ws.destroy();
  }, STEP * 2);
});
