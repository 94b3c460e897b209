/**
 * IotJob through the native plugin and the real engine, against the emulator: `pulumi import` of an existing IoT job
 * (Read answers every input from the service, so the program declaring the same job previews no change); the
 * refusals (a job of another account, a CANCELED one, one being deleted); the `import` resource option and
 * `IotJob.get`; and IotJobs of two accounts in one program, through two explicit providers, each in its own account.
 */
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DeleteJobCommand, DescribeJobCommand, type IoTClient } from "@aws-sdk/client-iot";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotAdmin, iotClient } from "../helpers/iot";
import type { ProgramStack } from "./harness";
import { createNativeStack, pulumiCli } from "./native-harness";

const STEP = 240_000;
const TOKEN = "importexport:index:IotJob";
const DOCUMENT = JSON.stringify({ operation: "reboot" });

describe("IotJob import and two accounts through the native plugin", () => {
  let emu: TestEmulator;
  let alice: IoTClient;
  let bob: IoTClient;
  let ws: ProgramStack;
  let aliceThing = "";
  let bobThing = "";

  const cli = (...args: string[]) => pulumiCli(ws, STEP, ...args);
  /** A job made outside Pulumi in alice's account, with what the fixture's "rollout" declares. */
  const made = (jobId: string, description = "fleet reboot") =>
    alice.send(new CreateJobCommand({ jobId, targets: [aliceThing], document: DOCUMENT, description, tags: [{ Key: "team", Value: "fleet" }] }));
  const statusIn = (client: IoTClient, jobId: string) => client.send(new DescribeJobCommand({ jobId })).then((r) => r.job?.status, (e: Error) => e.name);
  const iotJobsInState = () => (JSON.parse(ws.stateText()).checkpoint.latest?.resources ?? []).filter((r: { type: string }) => r.type === TOKEN);

  beforeAll(async () => {
    // A deleted job stays DELETION_IN_PROGRESS for the whole test, as a real deletion may for minutes.
    emu = await startTestEmulator({ iotDeletionDelayMs: 600_000 });
    alice = iotClient(emu.endpoint, emu.account);
    bob = iotClient(emu.endpoint, emu.otherAccount);
    aliceThing = (await alice.send(new CreateThingCommand({ thingName: "alice-device" }))).thingArn ?? "";
    bobThing = (await bob.send(new CreateThingCommand({ thingName: "bob-device" }))).thingArn ?? "";
    ws = await createNativeStack("test/engine/fixtures/native-iot-import", {
      "importexport:endpoint": { value: emu.endpoint },
      "importexport:accessKeyId": { value: emu.account.accessKeyId },
      "importexport:secretAccessKey": { value: emu.account.secretAccessKey, secret: true },
      "native-iot-import:target": { value: aliceThing },
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    alice?.destroy();
    bob?.destroy();
    await emu?.close();
  });

  it("a job of another account, a CANCELED one and one being deleted cannot be imported; the message names the job and why", async () => {
    await bob.send(new CreateJobCommand({ jobId: "bobs-job", targets: [bobThing], document: DOCUMENT }));
    await made("cancelled-job");
    await alice.send(new CancelJobCommand({ jobId: "cancelled-job" }));
    await made("deleting-job");
    await alice.send(new CancelJobCommand({ jobId: "deleting-job" }));
    await alice.send(new DeleteJobCommand({ jobId: "deleting-job" }));
    const refused = {
      "bobs-job": `IoT job bobs-job cannot be imported: DescribeJob does not find it (ResourceNotFoundException) in account ${emu.account.accountId}, region us-east-1`,
      "cancelled-job": "IoT job cancelled-job cannot be imported: it is CANCELED",
      "deleting-job": "IoT job deleting-job cannot be imported: it is being deleted (DELETION_IN_PROGRESS)",
    };
    // One run imports all three (an import file), so the engine starts once.
    const file = join(ws.workDir, "import.json");
    writeFileSync(file, JSON.stringify({ resources: Object.keys(refused).map((id) => ({ type: TOKEN, name: id, id })) }));
    const r = await cli("import", "--file", file, "--yes", "--generate-code=false", "--protect=false");
    expect(r.code).not.toBe(0);
    for (const message of Object.values(refused)) expect(r.out).toContain(message);
    expect(r.out).not.toContain(emu.account.secretAccessKey);
    expect(iotJobsInState()).toEqual([]);
  }, STEP);

  it("pulumi import adopts an existing job with every input read from the service; the program declaring it previews no change", async () => {
    await made("fw-imported");
    await ws.stack.setConfig("native-iot-import:jobId", { value: "fw-imported" });
    const imported = await cli("import", TOKEN, "rollout", "fw-imported", "--yes", "--generate-code=false", "--protect=false");
    expect(imported.code, imported.out).toBe(0);
    const [job] = iotJobsInState();
    expect(job?.id).toBe("fw-imported");
    expect(job?.inputs).toEqual({ jobId: "fw-imported", targets: [aliceThing], document: DOCUMENT, description: "fleet reboot", tags: { team: "fleet" } });

    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ same: 2 });

    await ws.destroy();
    expect(["CANCELED", "DELETION_IN_PROGRESS"]).toContain(await statusIn(alice, "fw-imported"));
  }, STEP);

  it("one up: the import option adopts a job, IotJob.get reads one, and two providers create a job each in its own account only", async () => {
    await made("fw-option");
    await made("fw-seen", "seen elsewhere");
    const config = {
      jobId: "fw-option",
      importId: "fw-option",
      getId: "fw-seen",
      endpoint: emu.endpoint,
      aliceAccessKeyId: emu.account.accessKeyId,
      aliceTarget: aliceThing,
      bobAccessKeyId: emu.otherAccount.accessKeyId,
      bobTarget: bobThing,
    };
    for (const [k, value] of Object.entries(config)) await ws.stack.setConfig(`native-iot-import:${k}`, { value });
    await ws.stack.setConfig("native-iot-import:aliceSecretAccessKey", { value: emu.account.secretAccessKey, secret: true });
    await ws.stack.setConfig("native-iot-import:bobSecretAccessKey", { value: emu.otherAccount.secretAccessKey, secret: true });

    const creates = (await emu.admin.stats()).byAction["iot:CreateJob"] ?? 0;
    const r = await ws.up();
    expect(ws.opsFor(r.events, "rollout")).toEqual(["import"]);
    expect(ws.opsFor(r.events, "seen")).toEqual(["read"]);
    expect(ws.opsFor(r.events, "aliceRollout")).toEqual(["create"]);
    expect(ws.opsFor(r.events, "bobRollout")).toEqual(["create"]);
    // The two new jobs only: the import made none.
    expect((await emu.admin.stats()).byAction["iot:CreateJob"] ?? 0).toBe(creates + 2);
    expect(r.outputs).toMatchObject({
      rolloutJobArn: `arn:aws:iot:us-east-1:${emu.account.accountId}:job/fw-option`,
      seenStatus: "IN_PROGRESS",
      seenDescription: "seen elsewhere",
    });

    // Each job in its own account only: the emulator's record, and each account's own view.
    const aliceJob = String(r.outputs["aliceJobArn"]).split("job/")[1] ?? "";
    const bobJob = String(r.outputs["bobJobArn"]).split("job/")[1] ?? "";
    expect(r.outputs["aliceJobArn"]).toBe(`arn:aws:iot:us-east-1:${emu.account.accountId}:job/${aliceJob}`);
    expect(r.outputs["bobJobArn"]).toBe(`arn:aws:iot:us-east-1:${emu.otherAccount.accountId}:job/${bobJob}`);
    const owners = (await iotAdmin(emu.endpoint).jobs()).filter((j) => j.jobId === aliceJob || j.jobId === bobJob).map((j) => [j.jobId, j.accountId]);
    expect(owners.sort()).toEqual([[aliceJob, emu.account.accountId], [bobJob, emu.otherAccount.accountId]].sort());
    expect(await statusIn(alice, aliceJob)).toBe("IN_PROGRESS");
    expect(await statusIn(bob, aliceJob)).toBe("ResourceNotFoundException");
    expect(await statusIn(bob, bobJob)).toBe("IN_PROGRESS");
    expect(await statusIn(alice, bobJob)).toBe("ResourceNotFoundException");

    await ws.stack.removeConfig("native-iot-import:importId");
    const plan = await ws.preview();
    expect(Object.keys(plan.changeSummary).filter((op) => op !== "same")).toEqual([]);

    await ws.destroy();
    expect(["CANCELED", "DELETION_IN_PROGRESS"]).toContain(await statusIn(alice, "fw-option"));
    expect(await statusIn(alice, "fw-seen")).toBe("IN_PROGRESS");
    expect(["CANCELED", "DELETION_IN_PROGRESS"]).toContain(await statusIn(alice, aliceJob));
    expect(["CANCELED", "DELETION_IN_PROGRESS"]).toContain(await statusIn(bob, bobJob));
  }, STEP);
});
