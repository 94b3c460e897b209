/**
 * The plugin's gRPC service (provider/native/server) over a real loopback gRPC connection, with the resources of the
 * package (provider/native/resources → the dynamic face's runtime) against a real emulator. The engine's log service
 * is a small gRPC server (./plugin-client) that records what it is sent (the real engine is in test/engine/native-*.test.ts).
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import { PluginAttach, type PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import {
  CheckRequest, ConfigureRequest, CreateRequest, DeleteRequest, DiffRequest, DiffResponse, ErrorResourceInitFailed, GetSchemaRequest, PropertyDiff, ReadRequest, UpdateRequest,
  type CheckResponse, type ConfigureResponse, type CreateResponse, type GetSchemaResponse, type ReadResponse, type UpdateResponse,
} from "@pulumi/pulumi/proto/provider_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineLog } from "../../../provider/native/engine-log";
import { importExportPackage, packageVersion } from "../../../provider/native/main";
import { SECRET_SIGNATURE, SIGNATURE_KEY, UNKNOWN_VALUE, marshal, unmarshal } from "../../../provider/native/marshal";
import { serve, type RunningServer } from "../../../provider/native/server";
import { ImportExportClient } from "../../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { recordingEngine, rpc, type RecordingEngine } from "./plugin-client";

const TOKEN = "importexport:index:ImportExportJob";
const URN = `urn:pulumi:test::native::${TOKEN}::photos`;

const manifest = (postalCode: string) => ({
  manifestVersion: "2.0",
  deviceId: "UNIT-1",
  eraseDevice: true,
  bucket: "alice-import",
  returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode, phoneNumber: "206-555-1111", country: "USA" },
});

/** The plugin's RPCs the tests make, typed. */
const rpcs = {
  getPluginInfo: (r: Empty) => rpc<PluginInfo>((cb) => client.getPluginInfo(r, cb)),
  getSchema: (r: GetSchemaRequest) => rpc<GetSchemaResponse>((cb) => client.getSchema(r, cb)),
  checkConfig: (r: CheckRequest) => rpc<CheckResponse>((cb) => client.checkConfig(r, cb)),
  diffConfig: (r: DiffRequest) => rpc<DiffResponse>((cb) => client.diffConfig(r, cb)),
  configure: (r: ConfigureRequest) => rpc<ConfigureResponse>((cb) => client.configure(r, cb)),
  check: (r: CheckRequest) => rpc<CheckResponse>((cb) => client.check(r, cb)),
  diff: (r: DiffRequest) => rpc<DiffResponse>((cb) => client.diff(r, cb)),
  create: (r: CreateRequest) => rpc<CreateResponse>((cb) => client.create(r, cb)),
  read: (r: ReadRequest) => rpc<ReadResponse>((cb) => client.read(r, cb)),
  update: (r: UpdateRequest) => rpc<UpdateResponse>((cb) => client.update(r, cb)),
  delete: (r: DeleteRequest) => rpc<Empty>((cb) => client.delete(r, cb)),
  attach: (r: PluginAttach) => rpc<Empty>((cb) => client.attach(r, cb)),
};

let emu: TestEmulator;
let direct: ImportExportClient;
let engine: RecordingEngine;
let log: EngineLog;
let plugin: RunningServer;
let client: ResourceProviderClient;
const consoleLog = console.log;

beforeAll(async () => {
  emu = await startTestEmulator();
  direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
  engine = await recordingEngine();
  log = new EngineLog();
  plugin = await serve(importExportPackage(), { log });
  client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  console.log = consoleLog;
  client?.close();
  await plugin?.close();
  engine?.close();
  await direct?.destroy();
  await emu?.close();
});

function configureRequest(values: Record<string, unknown>, secrets: string[] = []): ConfigureRequest {
  const req = new ConfigureRequest();
  req.setArgs(marshal(values, secrets));
  return req;
}

function check(olds: Record<string, unknown>, news: Record<string, unknown>, secrets: string[] = []) {
  const req = new CheckRequest();
  req.setUrn(URN);
  req.setOlds(marshal(olds));
  req.setNews(marshal(news, secrets));
  return rpcs.check(req);
}

function diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
  const req = new DiffRequest();
  req.setId(id);
  req.setUrn(URN);
  req.setOlds(marshal(olds));
  req.setNews(marshal(news));
  return rpcs.diff(req);
}

const values = (s: Struct | undefined) => unmarshal(s).values;

describe("plugin information and schema", () => {
  it("GetPluginInfo answers the package version", async () => {
    const info = await rpcs.getPluginInfo(new Empty());
    expect(info.getVersion()).toBe(packageVersion());
    expect(info.getVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("GetSchema names the package, the resource token, the provider's inputs, and marks the secrets", async () => {
    const res = await rpcs.getSchema(new GetSchemaRequest());
    const schema = JSON.parse(res.getSchema());
    expect(schema.name).toBe("importexport");
    expect(Object.keys(schema.provider.inputProperties)).toEqual(["endpoint", "iotEndpoint", "region", "profile", "accessKeyId", "secretAccessKey", "signatureVersion", "validateOnPreview"]);
    expect(schema.provider.inputProperties.secretAccessKey.secret).toBe(true);
    const job = schema.resources[TOKEN];
    expect(Object.keys(job.inputProperties)).toEqual(["jobType", "manifest", "shippingLabel", "adoptJobId", "cancelInProgress"]);
    expect(job.requiredInputs).toEqual(["jobType", "manifest"]);
    expect(job.properties.signing.secret).toBe(true);
  });

  it("GetSchema refuses a schema version it does not have, as INVALID_ARGUMENT", async () => {
    const req = new GetSchemaRequest();
    req.setVersion(2);
    await expect(rpcs.getSchema(req)).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: "unsupported schema version 2" });
  });
});

describe("provider configuration", () => {
  it("CheckConfig names the input that is wrong, without the stack-config wording, and keeps secretAccessKey secret", async () => {
    const req = new CheckRequest();
    req.setUrn("urn:pulumi:test::native::pulumi:providers:importexport::alice");
    req.setNews(marshal({ endpoint: "not a url", accessKeyId: "AKID", secretAccessKey: "plain-text-secret" }));
    const res = await rpcs.checkConfig(req);
    expect(res.getFailuresList().map((f) => f.getProperty())).toEqual(["endpoint"]);
    expect(res.getFailuresList()[0]?.getReason()).not.toMatch(/Stack config/);
    expect(res.getInputs()?.toJavaScript()["secretAccessKey"]).toEqual({ [SIGNATURE_KEY]: SECRET_SIGNATURE, value: "plain-text-secret" });
  });

  it("CheckConfig: one key of a static pair alone is a failure of the missing one", async () => {
    const req = new CheckRequest();
    req.setNews(marshal({ accessKeyId: "AKID" }));
    const res = await rpcs.checkConfig(req);
    expect(res.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([["secretAccessKey", expect.stringMatching(/go together/)]]);
  });

  it("DiffConfig reports changed settings as in-place updates, never a replacement of the provider", async () => {
    const req = new DiffRequest();
    req.setOlds(marshal({ endpoint: "http://127.0.0.1:1", region: "us-east-1" }));
    req.setNews(marshal({ endpoint: "http://127.0.0.1:2", region: "us-east-1" }));
    const res = await rpcs.diffConfig(req);
    expect(res.getChanges()).toBe(DiffResponse.DiffChanges.DIFF_SOME);
    expect(res.getReplacesList()).toEqual([]);
    expect(res.getDetaileddiffMap().get("endpoint")?.getKind()).toBe(PropertyDiff.Kind.UPDATE);
    expect(res.getDetaileddiffMap().has("region")).toBe(false);
  });

  it("Configure applies the provider's inputs (secret unwrapped) and declares secrets and preview support", async () => {
    const res = await rpcs.configure(configureRequest({ endpoint: emu.endpoint, accessKeyId: emu.account.accessKeyId, secretAccessKey: emu.account.secretAccessKey }, ["secretAccessKey"]));
    expect(res.getAcceptsecrets()).toBe(true);
    expect(res.getSupportspreview()).toBe(true);
  });
});

describe("ImportExportJob through the service", () => {
  let id = "";
  let state: Record<string, unknown> = {};
  let inputs: Record<string, unknown> = {};

  it("Check normalises the manifest to YAML; a bad one fails on the property it names", async () => {
    const ok = await check({}, { jobType: "Import", manifest: manifest("98101") });
    expect(ok.getFailuresList()).toEqual([]);
    inputs = values(ok.getInputs());
    expect(inputs["manifest"]).toMatch(/^manifestVersion: "?2\.0"?/m);
    const bad = await check({}, { jobType: "Sideways", manifest: manifest("98101") });
    expect(bad.getFailuresList().map((f) => f.getProperty())).toContain("jobType");
  });

  it("Check keeps a secret input secret and an unknown one unknown", async () => {
    const res = await check({}, { jobType: "Import", manifest: UNKNOWN_VALUE, cancelInProgress: true }, ["cancelInProgress"]);
    expect(res.getFailuresList()).toEqual([]);
    const raw = res.getInputs()?.toJavaScript() ?? {};
    expect(raw["manifest"]).toBe(UNKNOWN_VALUE);
    expect(raw["cancelInProgress"]).toEqual({ [SIGNATURE_KEY]: SECRET_SIGNATURE, value: true });
  });

  it("Create in preview makes no job and leaves the outputs unknown", async () => {
    const before = (await emu.admin.jobs()).length;
    const req = new CreateRequest();
    req.setUrn(URN);
    req.setProperties(marshal(inputs));
    req.setPreview(true);
    const res = await rpcs.create(req);
    expect(res.getId()).toBe("");
    expect(values(res.getProperties())).toMatchObject({ jobId: UNKNOWN_VALUE, status: UNKNOWN_VALUE, signing: UNKNOWN_VALUE });
    expect((await emu.admin.jobs()).length).toBe(before);
  });

  it("Create makes the job; the signing output is a secret", async () => {
    const req = new CreateRequest();
    req.setUrn(URN);
    req.setProperties(marshal(inputs));
    const res = await rpcs.create(req);
    id = res.getId();
    expect(id).toMatch(/^[1-9A-NP-Z]{5}$/);
    const raw = res.getProperties()?.toJavaScript() ?? {};
    const status = await direct.getStatus({ JobId: id });
    expect(raw["signing"]).toEqual({ [SIGNATURE_KEY]: SECRET_SIGNATURE, value: { signature: status.Signature, signatureFileContents: status.SignatureFileContents } });
    state = values(res.getProperties());
    expect(state["status"]).toMatchObject({ progressCode: "Pending", endpoint: emu.endpoint });
  });

  it("Diff without a change: DIFF_NONE, an empty detailed diff", async () => {
    const res = await diff(id, state, inputs);
    expect(res.getChanges()).toBe(DiffResponse.DiffChanges.DIFF_NONE);
    expect(res.getHasdetaileddiff()).toBe(true);
    expect(res.getDetaileddiffMap().getLength()).toBe(0);
  });

  it("Diff of a manifest edit while Pending: an UPDATE of manifest, no replaces", async () => {
    const news = values((await check(inputs, { jobType: "Import", manifest: manifest("98102") })).getInputs());
    const res = await diff(id, state, news);
    expect(res.getChanges()).toBe(DiffResponse.DiffChanges.DIFF_SOME);
    expect(res.getReplacesList()).toEqual([]);
    expect(res.getDiffsList()).toEqual(["manifest"]);
    expect(res.getDetaileddiffMap().get("manifest")?.getKind()).toBe(PropertyDiff.Kind.UPDATE);
    expect(res.getDetaileddiffMap().get("manifest")?.getInputdiff()).toBe(true);

    const update = new UpdateRequest();
    update.setId(id);
    update.setUrn(URN);
    update.setOlds(marshal(state));
    update.setNews(marshal(news));
    const updated = await rpcs.update(update);
    state = values(updated.getProperties());
    inputs = news;
    expect((await direct.getStatus({ JobId: id })).CurrentManifest).toContain("postalCode: 98102");
  });

  it("Diff once the transfer has started: UPDATE_REPLACE of manifest, the reason a warning on the URN via the engine", async () => {
    log.connect(engine.address);
    log.captureConsole();
    await emu.admin.advance(id, { progressCode: "InProgress", locationCode: "AtAWS" });
    const news = values((await check(inputs, { jobType: "Import", manifest: manifest("98103") })).getInputs());
    const res = await diff(id, state, news);
    expect(res.getReplacesList()).toEqual(["manifest"]);
    expect(res.getDeletebeforereplace()).toBe(false);
    expect(res.getDetaileddiffMap().get("manifest")?.getKind()).toBe(PropertyDiff.Kind.UPDATE_REPLACE);
    const said = engine.logs.map((l) => [l.getSeverity(), l.getUrn(), l.getMessage()]);
    expect(said).toContainEqual([LogSeverity.WARNING, URN, expect.stringContaining(`Job ${id} will be replaced: manifest can change in place only while Pending, and it is InProgress`)]);
  });

  it("Read of a job cancelled behind the provider's back answers an empty id (gone)", async () => {
    const yaml = values((await check({}, { jobType: "Import", manifest: { ...manifest("98101"), deviceId: "GONE-1" } })).getInputs())["manifest"] as string;
    const other = await direct.createJob({ JobType: "Import", Manifest: yaml, ValidateOnly: false });
    await direct.cancelJob({ JobId: other.JobId ?? "" });
    const req = new ReadRequest();
    req.setId(other.JobId ?? "");
    req.setUrn(URN);
    req.setProperties(marshal(state));
    expect((await rpcs.read(req)).getId()).toBe("");
  });

  it("Delete of the started job releases it with a warning on its URN; nothing is cancelled", async () => {
    engine.logs.length = 0;
    const req = new DeleteRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setProperties(marshal(state));
    await rpcs.delete(req);
    expect((await emu.admin.jobs()).find((j) => j.jobId === id)).toMatchObject({ isCanceled: false });
    expect(engine.logs.map((l) => [l.getSeverity(), l.getUrn(), l.getMessage()])).toContainEqual([LogSeverity.WARNING, URN, expect.stringContaining(`Job ${id} (ProgressCode InProgress) was not cancelled`)]);
  });
});

describe("errors", () => {
  it("a job created whose status read then failed is reported with its id (ErrorResourceInitFailed), so the engine keeps it", async () => {
    await rpcs.configure(configureRequest({ endpoint: emu.endpoint, accessKeyId: emu.account.accessKeyId, secretAccessKey: emu.account.secretAccessKey }, ["secretAccessKey"]));
    const inputs = values((await check({}, { jobType: "Import", manifest: { ...manifest("98101"), deviceId: "INIT-1" } })).getInputs());
    await emu.admin.setFaults({ action: "GetStatus", kind: "error", count: 1, status: 400, code: "InvalidParameterException", message: "injected" });
    try {
      const req = new CreateRequest();
      req.setUrn(URN);
      req.setProperties(marshal(inputs));
      const err = await rpcs.create(req).then(() => undefined, (e: grpc.ServiceError) => e);
      expect(err?.details).toMatch(/^Job [1-9A-NP-Z]{5} was created, but GetStatus failed afterwards/);
      const bin = err?.metadata.get("grpc-status-details-bin")[0];
      expect(bin).toBeInstanceOf(Buffer);
      const detail = Status.deserializeBinary(bin as Buffer).getDetailsList()[0];
      expect(detail?.getTypeName()).toBe("pulumirpc.ErrorResourceInitFailed");
      const failed = ErrorResourceInitFailed.deserializeBinary(detail?.getValue_asU8() ?? new Uint8Array());
      const jobs = await emu.admin.jobs();
      expect(jobs.map((j) => j.jobId)).toContain(failed.getId());
      expect(values(failed.getProperties())).toMatchObject({ jobId: failed.getId(), jobType: "Import" });
    } finally {
      await emu.admin.clearFaults();
    }
  });

  it("an asset among the inputs is INVALID_ARGUMENT naming the property (and the call is answered, not dropped)", async () => {
    const req = new CreateRequest();
    req.setUrn(URN);
    req.setProperties(Struct.fromJavaScript({ jobType: "Import", shippingLabel: { file: { [SIGNATURE_KEY]: "c44067f5952c0a294b673a41bacd8c17", path: "/x" } } } as never));
    await expect(rpcs.create(req)).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/^property shippingLabel\.file: values of kind/) });
  });

  it("a type the plugin does not serve is INVALID_ARGUMENT naming the type", async () => {
    const req = new CheckRequest();
    req.setUrn("urn:pulumi:test::native::importexport:index:Nope::x");
    await expect(rpcs.check(req)).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/unknown resource type importexport:index:Nope/) });
  });

  it("a service error is one line for the user: no stack trace, no secret", async () => {
    const req = new UpdateRequest();
    req.setId("ZZZZZ");
    req.setUrn(URN);
    req.setOlds(marshal({ jobType: "Import", manifest: "manifestVersion: '2.0'\n", status: { endpoint: emu.endpoint } }));
    req.setNews(marshal({ jobType: "Import", manifest: (await check({}, { jobType: "Import", manifest: manifest("1") })).getInputs()?.toJavaScript()["manifest"] }));
    const err = await rpcs.update(req).then(() => undefined, (e: grpc.ServiceError) => e);
    expect(err?.code).toBe(grpc.status.UNKNOWN);
    expect(err?.details).toMatch(/ZZZZZ/);
    expect(err?.details).not.toMatch(/\n\s+at /);
    expect(err?.details).not.toContain(emu.account.secretAccessKey);
  });

  it("Attach (PULUMI_DEBUG_PROVIDERS) points the engine log at the attaching engine", async () => {
    const second = await recordingEngine();
    try {
      const req = new PluginAttach();
      req.setAddress(second.address);
      await rpcs.attach(req);
      await log.log("info", "after attach", URN);
      expect(second.logs.map((l) => l.getMessage())).toEqual(["after attach"]);
    } finally {
      second.close();
    }
  });
});
