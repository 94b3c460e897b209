/**
 * IotJob through a Pulumi YAML program (issue 24 item 4), with an explicit provider declared in the program
 * (`type: pulumi:providers:importexport`) whose keys come from stack config, the secret one as a secret.
 *
 * The fields, from provider/iot/definition.ts: `jobExecutionsRolloutConfig` is an UpdateJob member (updatable in any
 * state), `document` is create-only (a change replaces the job). So a rollout edit is an in-place update of that
 * property on the same job; an edit of both is a replacement in which each property keeps its own kind in the
 * engine's detailed diff (rollout: update, document: update-replace).
 */
import { CreateThingCommand, DescribeJobCommand, GetJobDocumentCommand, type IoTClient } from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotClient } from "../helpers/iot";
import { createYamlStack, providerSettings, stepsOf, type YamlStack } from "./yaml-harness";

const STEP = 240_000;

describe("IotJob through a YAML program and the native plugin", () => {
  let emu: TestEmulator;
  let iot: IoTClient;
  let ws: YamlStack;
  let jobId = "";

  const rolloutOf = async (id: string) => (await iot.send(new DescribeJobCommand({ jobId: id }))).job?.jobExecutionsRolloutConfig;

  beforeAll(async () => {
    emu = await startTestEmulator({ iotDeletionDelayMs: 0 });
    iot = iotClient(emu.endpoint, emu.account);
    const thing = (await iot.send(new CreateThingCommand({ thingName: "yaml-thing" }))).thingArn ?? "";
    ws = await createYamlStack({
      project: "yaml-iot",
      body: [
        "config:",
        "  endpoint:",
        "    type: string",
        "  accessKeyId:",
        "    type: string",
        "  secretAccessKey:",
        "    type: string",
        "    secret: true",
        "resources:",
        "  fleet:",
        "    type: pulumi:providers:importexport",
        "    properties:",
        "      endpoint: ${endpoint}",
        "      accessKeyId: ${accessKeyId}",
        "      secretAccessKey: ${secretAccessKey}",
        "  rollout:",
        "    type: importexport:index:IotJob",
        "    properties:",
        "      targets:",
        `        - ${thing}`,
        "      document:",
        "        fn::toJSON:",
        "          operation: reboot",
        "      description: firmware rollout",
        "      jobExecutionsRolloutConfig:",
        "        maximumPerMinute: 10",
        "    options:",
        "      provider: ${fleet}",
        "outputs:",
        "  jobId: ${rollout.jobId}",
        "  jobArn: ${rollout.job.jobArn}",
        "",
      ].join("\n"),
      config: providerSettings("yaml-iot", emu.endpoint, emu.account),
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    iot?.destroy();
    await emu?.close();
  });

  it("up creates the auto-named job with the program's rollout and document", async () => {
    const r = await ws.up();
    expect(stepsOf(r.events.all, "rollout").map((s) => s?.op)).toEqual(["create"]);
    jobId = r.outputs["jobId"] as string;
    expect(jobId).toMatch(/^rollout-[a-z0-9]{7}$/);
    expect(r.outputs["jobArn"]).toBe(`arn:aws:iot:us-east-1:${emu.account.accountId}:job/${jobId}`);
    expect(await rolloutOf(jobId)).toEqual({ maximumPerMinute: 10 });
    expect(JSON.parse((await iot.send(new GetJobDocumentCommand({ jobId }))).document ?? "")).toEqual({ operation: "reboot" });
    expect(ws.stateText()).not.toContain(emu.account.secretAccessKey);
  }, STEP);

  it("a rollout edit is an in-place update of jobExecutionsRolloutConfig on the same job", async () => {
    ws.edit("maximumPerMinute: 10", "maximumPerMinute: 20");
    const plan = await ws.preview();
    const steps = stepsOf(plan.events.all, "rollout");
    expect(steps.map((s) => s?.op)).toEqual(["update"]);
    expect(steps[0]?.detailedDiff).toEqual({ jobExecutionsRolloutConfig: { diffKind: "update", inputDiff: true } });
    const r = await ws.up();
    expect(stepsOf(r.events.all, "rollout").map((s) => s?.op)).toEqual(["update"]);
    expect(r.outputs["jobId"]).toBe(jobId);
    expect(await rolloutOf(jobId)).toEqual({ maximumPerMinute: 20 });
  }, STEP);

  it("a document edit replaces the job; a rollout edit made with it stays an update in the detailed diff", async () => {
    ws.edit("operation: reboot", "operation: update-firmware");
    ws.edit("maximumPerMinute: 20", "maximumPerMinute: 30");
    const plan = await ws.preview();
    const steps = stepsOf(plan.events.all, "rollout");
    expect(steps.map((s) => s?.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
    expect(steps[0]?.detailedDiff).toEqual({
      document: { diffKind: "update-replace", inputDiff: true },
      jobExecutionsRolloutConfig: { diffKind: "update", inputDiff: true },
    });
    expect(steps[0]?.keys).toEqual(["document"]);

    const r = await ws.up();
    const replaced = r.outputs["jobId"] as string;
    expect(replaced).toMatch(/^rollout-[a-z0-9]{7}$/);
    expect(replaced).not.toBe(jobId);
    expect(JSON.parse((await iot.send(new GetJobDocumentCommand({ jobId: replaced }))).document ?? "")).toEqual({ operation: "update-firmware" });
    expect(await rolloutOf(replaced)).toEqual({ maximumPerMinute: 30 });
    // The replaced job is cancelled or gone.
    const old = await iot.send(new DescribeJobCommand({ jobId })).then((x) => x.job?.status, (e: Error) => e.name);
    expect(["CANCELED", "DELETION_IN_PROGRESS", "ResourceNotFoundException"]).toContain(old);
  }, STEP);
});
