/**
 * The native provider's settings with the real engine, against two emulators: `target` (the provider's endpoint)
 * and `other` (the provider's iotEndpoint, and what the CLI's environment names as the Import/Export endpoint).
 * - iotEndpoint: the IotJob of a provider with endpoint and iotEndpoint lives at the iotEndpoint, its
 *   ImportExportJob at the endpoint.
 * - A provider whose endpoint is another resource's output: while that resource is created or replaced, the
 *   endpoint is unknown in preview. Preview then asks no service anything for that provider's job (neither the
 *   environment's endpoint nor any other), and shows the job as changing, with the reason on it, rather than as
 *   unchanged; `up` puts it where the known endpoint says.
 */
import { CreateThingCommand, type IoTClient } from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotClient } from "../helpers/iot";
import { warningsOn } from "./events";
import type { ProgramStack } from "./harness";
import { createNativeStack } from "./native-harness";

const STEP = 300_000;

describe("native provider settings: iotEndpoint, and an endpoint known only after another resource", () => {
  let target: TestEmulator;
  let other: TestEmulator;
  let iot: IoTClient;
  let ws: ProgramStack;

  beforeAll(async () => {
    [target, other] = await Promise.all([startTestEmulator({ iotDeletionDelayMs: 0 }), startTestEmulator({ iotDeletionDelayMs: 0 })]);
    iot = iotClient(other.endpoint, target.account);
    const thing = (await iot.send(new CreateThingCommand({ thingName: "config-a" }))).thingArn ?? "";
    ws = await createNativeStack(
      "test/engine/fixtures/native-config",
      {
        "native-config:endpoint": { value: target.endpoint },
        "native-config:iotEndpoint": { value: other.endpoint },
        "native-config:accessKeyId": { value: target.account.accessKeyId },
        "native-config:secretAccessKey": { value: target.account.secretAccessKey, secret: true },
        "native-config:thing": { value: thing },
      },
      // What a provider would fall back to if it took an unknown endpoint as unset.
      { AWS_ENDPOINT_URL_IMPORTEXPORT: other.endpoint, AWS_ENDPOINT_URL: other.endpoint },
    );
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    iot?.destroy();
    await Promise.all([target?.close(), other?.close()]);
  });

  /** Requests an emulator has answered so far. */
  const requests = async (emu: TestEmulator): Promise<number> => (await emu.admin.stats()).total;

  it("first preview: the follower's provider is not known; nothing reaches the other endpoint", async () => {
    const [before, validations] = [await requests(other), (await target.admin.stats()).byAction["CreateJob"] ?? 0];
    const plan = await ws.preview();
    expect(ws.opsFor(plan.events, "follower")).toEqual(["create"]);
    expect(await requests(other)).toBe(before);
    // The anchor's provider is known: its manifest was validated with the target (the follower's was not).
    expect((await target.admin.stats()).byAction["CreateJob"]).toBe(validations + 1);
  }, STEP);

  it("up: the jobs at the endpoint, the IoT job at the iotEndpoint", async () => {
    const r = await ws.up();
    expect(r.outputs["followerEndpoint"]).toBe(target.endpoint);
    expect(r.outputs["rolloutEndpoint"]).toBe(other.endpoint);
    expect((await target.admin.jobs()).map((j) => j.jobId).sort()).toEqual([r.outputs["anchorId"], r.outputs["followerId"]].sort());
    expect((await other.admin.jobs()).length).toBe(0);
  }, STEP);

  it("replacing the anchor makes the follower's endpoint unknown: preview shows it changing, with the reason, and asks nobody", async () => {
    const before = await requests(other);
    await ws.stack.setConfig("native-config:anchorDevice", { value: "ANCHOR-2" });
    const plan = await ws.preview();
    expect(ws.opsFor(plan.events, "anchor")).toContain("replace");
    const follower = ws.opsFor(plan.events, "follower");
    expect(follower.length).toBeGreaterThan(0);
    expect(follower).not.toEqual(["same"]);
    expect(warningsOn(plan.events.all, "follower").join("\n")).toMatch(/not known during preview|not known until `pulumi up`/);
    expect(await requests(other)).toBe(before);
  }, STEP);

  it("destroy", async () => {
    await ws.destroy();
  }, STEP);
});
