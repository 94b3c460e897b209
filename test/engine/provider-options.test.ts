/**
 * Issue 21, item 7, through the real engine: Pulumi's resource options with ImportExportJob — `protect` refuses
 * destroy, `retainOnDelete` leaves the job live in the service when the resource goes, `ignoreChanges` keeps a
 * manifest edit out of the plan — and the typed static `ImportExportJob.get` / `IotJob.get` reading jobs made
 * outside Pulumi (the engine sends the registered props to the dynamic provider's `read`; nothing is managed).
 */
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand } from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportExportClient } from "../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotAdmin, iotClient } from "../helpers/iot";
import { createProgramStack, emulatorConfig, type ProgramStack } from "./harness";

const STEP = 240_000;
const PASSWORD = "outside-device-password-9";

describe("resource options and get, with ImportExportJob and IotJob", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  let outsideId = "";
  let groupArn = "";

  beforeAll(async () => {
    emu = await startTestEmulator({ iotDeletionDelayMs: 0 });
    const bucket = emu.account.buckets[0]?.name ?? "";
    const direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
    // An Export job whose manifest holds a device password: get must not write it to the state in clear.
    const manifest = `manifestVersion: 2.0\ndeviceId: OUTSIDE-7\nfileSystem: NTFS\ntrueCryptPassword: ${PASSWORD}\nlogBucket: ${bucket}\noperations:\n  - exportBucket: ${bucket}\nreturnAddress:\n    name: Jane Roe\n    street1: 123 Any Street\n    city: Seattle\n    stateOrProvince: WA\n    postalCode: 98101\n    phoneNumber: 206-555-1111\n    country: USA\n`;
    outsideId = (await direct.createJob({ JobType: "Export", Manifest: manifest, ValidateOnly: false })).JobId ?? "";
    await direct.destroy();
    const iot = iotClient(emu.endpoint, emu.account);
    const group = await iot.send(new CreateThingGroupCommand({ thingGroupName: "fleet" }));
    // A thing in the group, so that the job stays IN_PROGRESS (a job with no thing to run on completes at once).
    await iot.send(new CreateThingCommand({ thingName: "sensor-1" }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: "fleet", thingName: "sensor-1" }));
    groupArn = group.thingGroupArn ?? "";
    await iot.send(new CreateJobCommand({ jobId: "outside-job", targets: [groupArn], document: '{"op":"reboot"}', description: "made outside" }));
    iot.destroy();
    ws = await createProgramStack({
      fixture: "test/engine/fixtures/provider-options",
      config: {
        ...emulatorConfig("importexport", emu.endpoint, emu.account),
        ...emulatorConfig("importexport-iot", emu.endpoint, emu.account),
        "provider-options:bucket": { value: bucket },
        "provider-options:protect": { value: "true" },
        "provider-options:getId": { value: outsideId },
        "provider-options:iotGetId": { value: "outside-job" },
      },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    await emu?.close();
  });

  it("get reads both jobs; ignoreChanges, protect and retainOnDelete behave as in any Pulumi provider", async () => {
    const up = await ws.up();
    expect(up.outputs).toMatchObject({
      gotJobId: outsideId,
      gotJobType: "Export",
      gotProgressCode: "Pending",
      gotIotJobId: "outside-job",
      gotIotStatus: "IN_PROGRESS",
      gotIotArn: `arn:aws:iot:us-east-1:${emu.account.accountId}:job/outside-job`,
      // get names every input, and the read answers each as the service has it.
      gotIotTargets: [groupArn],
      gotIotDescription: "made outside",
    });
    expect(up.outputs["gotManifest"]).toContain("deviceId: OUTSIDE-7");
    // The manifest read holds the device password: a secret output, ciphertext in the state.
    expect(up.outputs["gotManifest"]).toContain(PASSWORD);
    expect(ws.stateText()).not.toContain(PASSWORD);
    const managedId = up.outputs["managedJobId"] as string;
    expect(ws.opsFor(up.events, "got")).toEqual(["read"]);
    expect(ws.opsFor(up.events, "gotIot")).toEqual(["read"]);

    // ignoreChanges: ["manifest"]: a manifest edit is no change, and the job keeps its manifest.
    await ws.stack.setConfig("provider-options:postalCode", { value: "99999" });
    const plan = await ws.preview();
    expect(plan.changeSummary["update"] ?? 0).toBe(0);
    expect(plan.changeSummary["replace"] ?? 0).toBe(0);
    await ws.up();
    const direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
    try {
      expect((await direct.getStatus({ JobId: managedId })).CurrentManifest).toContain("98101");
    } finally {
      await direct.destroy();
    }

    // protect: destroy is refused and the job stays.
    const refused = await ws.destroy().then(() => "", (e: Error) => e.message);
    expect(refused).toMatch(/protected/);
    expect((await emu.admin.jobs()).find((j) => j.jobId === managedId)?.isCanceled).toBe(false);

    // Unprotected, destroy removes the resource; retainOnDelete leaves the job live; read (get) jobs are never touched.
    await ws.stack.setConfig("provider-options:protect", { value: "false" });
    await ws.up();
    const destroyed = await ws.destroy();
    expect(destroyed.changes["delete"]).toBeGreaterThanOrEqual(1);
    const jobs = await emu.admin.jobs();
    expect(jobs.find((j) => j.jobId === managedId)).toMatchObject({ isCanceled: false, progressCode: "Pending" });
    expect(jobs.find((j) => j.jobId === outsideId)).toMatchObject({ isCanceled: false });
    expect((await iotAdmin(emu.endpoint).jobs()).find((j) => j.jobId === "outside-job")?.status).toBe("IN_PROGRESS");
    expect(JSON.parse(ws.stateText()).checkpoint.latest?.resources ?? []).toHaveLength(0);
  }, STEP * 2);
});
