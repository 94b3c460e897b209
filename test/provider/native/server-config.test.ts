/**
 * The provider's settings through the plugin's gRPC service, against two real emulators: `target` (where the
 * provider's inputs point) and `elsewhere` (what the process environment names, AWS_ENDPOINT_URL_* and keys).
 * - `iotEndpoint`: with `endpoint` alone both resources use it; with `iotEndpoint` too, IotJob goes there and
 *   ImportExportJob stays at `endpoint`; CheckConfig names whichever of the two is wrong.
 * - Unknown settings (a preview where the endpoint is another resource's output): Configure does not fall back to the
 *   environment, check validates locally only and says so on the URN, diff proceeds from the state and shows the job
 *   as possibly replaced, read answers the state, and nothing reaches either emulator; a Create outside preview is
 *   refused.
 */
import { CreateThingCommand } from "@aws-sdk/client-iot";
import * as grpc from "@grpc/grpc-js";
import { LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import {
  CheckRequest, ConfigureRequest, CreateRequest, DiffRequest, DiffResponse, PropertyDiff, ReadRequest,
  type CheckResponse, type ConfigureResponse, type CreateResponse, type DiffResponse as DiffAnswer, type ReadResponse,
} from "@pulumi/pulumi/proto/provider_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineLog } from "../../../provider/native/engine-log";
import { importExportPackage } from "../../../provider/native/main";
import { UNKNOWN_VALUE, marshal, unmarshal } from "../../../provider/native/marshal";
import { serve, type RunningServer } from "../../../provider/native/server";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { iotClient } from "../../helpers/iot";
import { recordingEngine, rpc, type RecordingEngine } from "./plugin-client";

const IE_URN = "urn:pulumi:dev::cfg::importexport:index:ImportExportJob::photos";
const IOT_URN = "urn:pulumi:dev::cfg::importexport:index:IotJob::rollout";
const ENV_KEYS = ["AWS_ENDPOINT_URL_IMPORTEXPORT", "AWS_ENDPOINT_URL_IOT", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;

const manifest = {
  manifestVersion: "2.0",
  deviceId: "CFG-1",
  eraseDevice: true,
  bucket: "alice-import",
  returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", phoneNumber: "206-555-1111", country: "USA" },
};

let target: TestEmulator;
let elsewhere: TestEmulator;
let engine: RecordingEngine;
let log: EngineLog;
let plugin: RunningServer;
let client: ResourceProviderClient;
const savedEnv: Partial<Record<(typeof ENV_KEYS)[number], string | undefined>> = {};

beforeAll(async () => {
  [target, elsewhere] = await Promise.all([startTestEmulator({ iotDeletionDelayMs: 0 }), startTestEmulator({ iotDeletionDelayMs: 0 })]);
  // The environment names the other emulator and its keys: whatever falls back to it is seen there.
  for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_IMPORTEXPORT: elsewhere.endpoint,
    AWS_ENDPOINT_URL_IOT: elsewhere.endpoint,
    AWS_ENDPOINT_URL: elsewhere.endpoint,
    AWS_ACCESS_KEY_ID: elsewhere.account.accessKeyId,
    AWS_SECRET_ACCESS_KEY: elsewhere.account.secretAccessKey,
  });
  engine = await recordingEngine();
  log = new EngineLog();
  log.connect(engine.address);
  log.captureConsole();
  plugin = await serve(importExportPackage(), { log });
  client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k] as string;
  }
  client?.close();
  await plugin?.close();
  engine?.close();
  await Promise.all([target?.close(), elsewhere?.close()]);
});

const keys = () => ({ accessKeyId: target.account.accessKeyId, secretAccessKey: target.account.secretAccessKey });

function configure(values: Record<string, unknown>): Promise<ConfigureResponse> {
  const req = new ConfigureRequest();
  req.setArgs(marshal(values, ["secretAccessKey"]));
  return rpc((cb) => client.configure(req, cb));
}

function checkConfig(values: Record<string, unknown>): Promise<CheckResponse> {
  const req = new CheckRequest();
  req.setUrn("urn:pulumi:dev::cfg::pulumi:providers:importexport::p");
  req.setNews(marshal(values));
  return rpc((cb) => client.checkConfig(req, cb));
}

function check(urn: string, news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<CheckResponse> {
  const req = new CheckRequest();
  req.setUrn(urn);
  req.setName(urn.slice(urn.lastIndexOf("::") + 2));
  req.setOlds(marshal(olds));
  req.setNews(marshal(news));
  return rpc((cb) => client.check(req, cb));
}

async function create(urn: string, inputs: Record<string, unknown>): Promise<{ id: string; state: Record<string, unknown> }> {
  const req = new CreateRequest();
  req.setUrn(urn);
  req.setProperties(marshal(inputs));
  const res = await rpc<CreateResponse>((cb) => client.create(req, cb));
  return { id: res.getId(), state: unmarshal(res.getProperties()).values };
}

function diff(urn: string, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffAnswer> {
  const req = new DiffRequest();
  req.setUrn(urn);
  req.setId(id);
  req.setOlds(marshal(olds));
  req.setNews(marshal(news));
  return rpc((cb) => client.diff(req, cb));
}

const inputsOf = (r: CheckResponse): Record<string, unknown> => unmarshal(r.getInputs()).values;
const requests = async (emu: TestEmulator): Promise<number> => (await emu.admin.stats()).total;

describe("iotEndpoint", () => {
  it("CheckConfig names iotEndpoint when it is the bad one, endpoint (once) when endpoint stands for both", async () => {
    const own = await checkConfig({ endpoint: target.endpoint, iotEndpoint: "ftp://nowhere" });
    expect(own.getFailuresList().map((f) => f.getProperty())).toEqual(["iotEndpoint"]);
    const shared = await checkConfig({ endpoint: "not a url" });
    expect(shared.getFailuresList().map((f) => f.getProperty())).toEqual(["endpoint"]);
    expect(shared.getFailuresList()[0]?.getReason()).not.toMatch(/Stack config|importexport-iot/);
  });

  it("with endpoint alone, IotJob lives there too (the environment's AWS_ENDPOINT_URL_IOT is not used)", async () => {
    const thing = (await iotClient(target.endpoint, target.account).send(new CreateThingCommand({ thingName: "cfg-a" }))).thingArn ?? "";
    await configure({ endpoint: target.endpoint, ...keys() });
    const { state } = await create(IOT_URN, inputsOf(await check(IOT_URN, { targets: [thing], document: "{}" })));
    expect(state["job"]).toMatchObject({ endpoint: target.endpoint });
  });

  it("with iotEndpoint, IotJob lives there and ImportExportJob stays at endpoint", async () => {
    const thing = (await iotClient(elsewhere.endpoint, target.account).send(new CreateThingCommand({ thingName: "cfg-b" }))).thingArn ?? "";
    await configure({ endpoint: target.endpoint, iotEndpoint: elsewhere.endpoint, ...keys() });
    const iot = await create(IOT_URN, inputsOf(await check(IOT_URN, { targets: [thing], document: "{}" })));
    expect(iot.state["job"]).toMatchObject({ endpoint: elsewhere.endpoint });
    const ie = await create(IE_URN, inputsOf(await check(IE_URN, { jobType: "Import", manifest })));
    expect(ie.state["status"]).toMatchObject({ endpoint: target.endpoint });
    expect((await target.admin.jobs()).map((j) => j.jobId)).toContain(ie.id);
  });
});

describe("settings not known in preview (another resource's output)", () => {
  let id = "";
  let state: Record<string, unknown> = {};
  let inputs: Record<string, unknown> = {};

  beforeAll(async () => {
    await configure({ endpoint: target.endpoint, ...keys() });
    inputs = inputsOf(await check(IE_URN, { jobType: "Import", manifest: { ...manifest, deviceId: "CFG-2" } }));
    ({ id, state } = await create(IE_URN, inputs));
    await configure({ endpoint: UNKNOWN_VALUE, ...keys() });
    await Promise.all([target.admin.reset(), elsewhere.admin.reset()]);
    engine.logs.length = 0;
  });

  it("check validates locally only, says why on the URN, and asks neither endpoint", async () => {
    const bad = await check(IE_URN, { jobType: "Sideways", manifest });
    expect(bad.getFailuresList().map((f) => f.getProperty())).toContain("jobType");
    const changed = await check(IE_URN, { jobType: "Import", manifest: { ...manifest, deviceId: "CFG-2", eraseDevice: false } }, inputs);
    expect(changed.getFailuresList()).toEqual([]);
    expect(engine.logs.map((l) => [l.getSeverity(), l.getUrn(), l.getMessage()])).toContainEqual([
      LogSeverity.INFO,
      IE_URN,
      expect.stringContaining("validateOnPreview is skipped because the provider's `endpoint` is not known until `pulumi up`"),
    ]);
    expect([await requests(target), await requests(elsewhere)]).toEqual([0, 0]);
  });

  it("diff of an unchanged job proceeds from the state: a possible replacement, with the reason a warning on the URN", async () => {
    const res = await diff(IE_URN, id, state, inputs);
    expect(res.getChanges()).toBe(DiffResponse.DiffChanges.DIFF_SOME);
    expect(res.getReplacesList()).toEqual(["endpoint"]);
    expect(res.getDetaileddiffMap().get("endpoint")?.getKind()).toBe(PropertyDiff.Kind.UPDATE_REPLACE);
    expect(engine.logs.map((l) => [l.getSeverity(), l.getUrn(), l.getMessage()])).toContainEqual([
      LogSeverity.WARNING,
      IE_URN,
      expect.stringContaining(`Job ${id} may be replaced: the provider's \`endpoint\` is not known until \`pulumi up\``),
    ]);
    expect([await requests(target), await requests(elsewhere)]).toEqual([0, 0]);
  });

  it("read answers the state as recorded; a create outside preview is refused naming the unknown setting", async () => {
    const req = new ReadRequest();
    req.setId(id);
    req.setUrn(IE_URN);
    req.setProperties(marshal(state));
    const read = await rpc<ReadResponse>((cb) => client.read(req, cb));
    expect([read.getId(), unmarshal(read.getProperties()).values["status"]]).toEqual([id, state["status"]]);
    await expect(create(IE_URN, inputs)).rejects.toThrow(/Create cannot run: the provider's `endpoint` is not known until `pulumi up`/);
    expect([await requests(target), await requests(elsewhere)]).toEqual([0, 0]);
  });

  it("a Configure with every setting known applies them again", async () => {
    await configure({ endpoint: target.endpoint, ...keys() });
    const res = await diff(IE_URN, id, state, inputs);
    expect(res.getChanges()).toBe(DiffResponse.DiffChanges.DIFF_NONE);
  });
});
