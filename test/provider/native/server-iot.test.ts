/**
 * IotJob through the plugin's gRPC service (provider/native/server → resources → the IoT runtime) over a real
 * loopback gRPC connection, against a real emulator: the provider's inputs configure the IoT side too; check names
 * an auto-named job from the resource name and URN (the same in preview and up) and keeps presignedUrlConfig secret;
 * diff is detailed (description in place, targets a replacement); create and delete reach the service.
 */
import { CreateThingCommand, DescribeJobCommand, type IoTClient } from "@aws-sdk/client-iot";
import type { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import {
  CheckRequest, CreateRequest, DeleteRequest, DiffRequest, PropertyDiff,
  type CheckResponse, type CreateResponse, type DiffResponse,
} from "@pulumi/pulumi/proto/provider_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_SIGNATURE, SIGNATURE_KEY, marshal, unmarshal } from "../../../provider/native/marshal";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { iotClient } from "../../helpers/iot";
import { configuredPlugin, rpc, type ConfiguredPlugin } from "./plugin-client";

const TOKEN = "importexport:index:IotJob";
const URN = `urn:pulumi:dev::fleet::${TOKEN}::rollout`;

let emu: TestEmulator;
let iot: IoTClient;
let plugin: ConfiguredPlugin;
let client: ResourceProviderClient;
let thingA = "";
let thingB = "";

beforeAll(async () => {
  emu = await startTestEmulator({ iotDeletionDelayMs: 0 });
  iot = iotClient(emu.endpoint, emu.account);
  thingA = (await iot.send(new CreateThingCommand({ thingName: "native-a" }))).thingArn ?? "";
  thingB = (await iot.send(new CreateThingCommand({ thingName: "native-b" }))).thingArn ?? "";
  plugin = await configuredPlugin(emu);
  client = plugin.client;
});
afterAll(async () => {
  await plugin?.close();
  iot?.destroy();
  await emu?.close();
});

function check(news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<CheckResponse> {
  const req = new CheckRequest();
  req.setUrn(URN);
  req.setName("rollout");
  req.setOlds(marshal(olds));
  req.setNews(marshal(news));
  return rpc<CheckResponse>((cb) => client.check(req, cb));
}

function diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResponse> {
  const req = new DiffRequest();
  req.setId(id);
  req.setUrn(URN);
  req.setOlds(marshal(olds));
  req.setNews(marshal(news));
  return rpc<DiffResponse>((cb) => client.diff(req, cb));
}

const program = { targets: [thingA], document: '{"operation":"reboot"}', description: "first" };

describe("IotJob through the plugin", () => {
  let id = "";
  let state: Record<string, unknown> = {};
  let inputs: Record<string, unknown> = {};

  it("check auto-names the job from the resource name, the same on every check (preview and up)", async () => {
    const a = await check({ ...program, targets: [thingA] });
    const b = await check({ ...program, targets: [thingA] });
    expect(a.getFailuresList().map((f) => f.getReason())).toEqual([]);
    inputs = unmarshal(a.getInputs()).values;
    expect(inputs).toEqual(unmarshal(b.getInputs()).values);
    expect(JSON.stringify(inputs)).toMatch(/"rollout-[a-z0-9]{7}"/);
  });

  it("check keeps presignedUrlConfig secret even when the program sent it plain", async () => {
    const r = await check({ ...program, targets: [thingA], presignedUrlConfig: { roleArn: "arn:aws:iam::111111111111:role/p", expiresInSec: 600 } });
    expect(r.getInputs()?.toJavaScript()["presignedUrlConfig"]).toEqual({ [SIGNATURE_KEY]: SECRET_SIGNATURE, value: { roleArn: "arn:aws:iam::111111111111:role/p", expiresInSec: 600 } });
  });

  it("create makes the job in the service under the checked name", async () => {
    const req = new CreateRequest();
    req.setUrn(URN);
    req.setProperties(marshal(inputs));
    const res = await rpc<CreateResponse>((cb) => client.create(req, cb));
    id = res.getId();
    expect(id).toMatch(/^rollout-[a-z0-9]{7}$/);
    state = unmarshal(res.getProperties()).values;
    const described = await iot.send(new DescribeJobCommand({ jobId: id }));
    expect(described.job?.targets).toEqual([thingA]);
    expect(state["job"]).toMatchObject({ endpoint: emu.endpoint, region: "us-east-1" });
  });

  it("diff: a description edit is an in-place UPDATE; a targets edit an UPDATE_REPLACE", async () => {
    const edited = unmarshal((await check({ ...program, targets: [thingA], description: "second" }, inputs)).getInputs()).values;
    const inPlace = await diff(id, state, edited);
    expect(inPlace.getReplacesList()).toEqual([]);
    expect([...inPlace.getDetaileddiffMap().entries()].map(([k, v]) => [k, v.getKind()])).toEqual([["description", PropertyDiff.Kind.UPDATE]]);

    const retargeted = unmarshal((await check({ ...program, targets: [thingB] }, inputs)).getInputs()).values;
    const replaced = await diff(id, state, retargeted);
    expect(replaced.getReplacesList()).toEqual(["targets"]);
    expect(replaced.getDetaileddiffMap().get("targets")?.getKind()).toBe(PropertyDiff.Kind.UPDATE_REPLACE);
  });

  it("delete removes the job from the service", async () => {
    const req = new DeleteRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setProperties(marshal(state));
    await rpc<Empty>((cb) => client.delete(req, cb));
    const after = await iot.send(new DescribeJobCommand({ jobId: id })).then((r) => r.job?.status, (e: Error) => e.name);
    expect(["CANCELED", "DELETION_IN_PROGRESS", "ResourceNotFoundException"]).toContain(after);
  });
});
