/**
 * What the plugin's gRPC service (provider/native/server) does for any resource, whatever its runtime: shown with a
 * small in-memory resource of this test's own over a real loopback gRPC connection. (The package's real resources
 * are in server.test.ts, against the emulator.)
 */
import * as grpc from "@grpc/grpc-js";
import { CheckRequest, CreateRequest, type CheckResponse, type CreateResponse } from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { EngineLog } from "../../../provider/native/engine-log";
import { SECRET_SIGNATURE, SIGNATURE_KEY, UNKNOWN_VALUE, marshal } from "../../../provider/native/marshal";
import type { CheckContext, NativePackage, NativeResource } from "../../../provider/native/native-resource";
import { serve, type RunningServer } from "../../../provider/native/server";

const TOKEN = "test:index:Thing";
const URN = `urn:pulumi:dev::proj::${TOKEN}::thing1`;
const seen: CheckContext[] = [];

/** A resource with a secret input (`password`) and a secret output (`token`), kept in memory. */
const thing: NativeResource = {
  token: TOKEN,
  schema: {
    description: "A thing.",
    inputs: [
      { name: "size", type: { type: "integer" }, description: "Its size.", required: true },
      { name: "password", type: { type: "string" }, description: "Its password.", secret: true },
    ],
    outputs: [
      { name: "token", type: { type: "string" }, description: "Its token.", secret: true },
      { name: "color", type: { type: "string" }, description: "Its color." },
    ],
  },
  async check(_olds, news, context) {
    seen.push(context);
    return { inputs: news, failures: [] };
  },
  async diff() {
    return { changes: false, changed: [], replaces: [], deleteBeforeReplace: false };
  },
  async create(inputs) {
    return { id: "thing-1", outputs: { ...inputs, token: "t0k3n", color: "red" } };
  },
  async read(id, state) {
    return { id, outputs: state };
  },
  async update(_id, _olds, news) {
    return news;
  },
  async delete() {},
};

const pkg: NativePackage = {
  name: "test",
  version: "1.2.3",
  description: "A test package.",
  config: { properties: [], check: () => [], configure: async () => {} },
  resources: [thing],
};

let server: RunningServer;
let client: ResourceProviderClient;

beforeAll(async () => {
  server = await serve(pkg, { log: new EngineLog() });
  client = new ResourceProviderClient(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  await server?.close();
});

const check = (req: CheckRequest) => new Promise<CheckResponse>((resolve, reject) => client.check(req, (e, r) => (e ? reject(e) : resolve(r))));
const create = (req: CreateRequest) => new Promise<CreateResponse>((resolve, reject) => client.create(req, (e, r) => (e ? reject(e) : resolve(r))));
const secret = (value: unknown) => ({ [SIGNATURE_KEY]: SECRET_SIGNATURE, value });

it("check hands the resource its name and the engine's random seed", async () => {
  const req = new CheckRequest();
  req.setUrn(URN);
  req.setName("thing1");
  req.setRandomseed(new Uint8Array([1, 2, 3]));
  req.setNews(marshal({ size: 1 }));
  await check(req);
  const noName = new CheckRequest();
  noName.setUrn(URN);
  noName.setNews(marshal({ size: 1 }));
  await check(noName);
  expect(seen.map((c) => [c.name, [...c.randomSeed]])).toEqual([["thing1", [1, 2, 3]], ["thing1", []]]);
});

it("a secret input stays secret in check's answer and in the state, even when the program sent it plain", async () => {
  const req = new CheckRequest();
  req.setUrn(URN);
  req.setNews(marshal({ size: 1, password: "hunter2" }));
  expect((await check(req)).getInputs()?.toJavaScript()).toEqual({ size: 1, password: secret("hunter2") });
  const made = new CreateRequest();
  made.setUrn(URN);
  made.setProperties(marshal({ size: 1, password: "hunter2" }));
  const res = await create(made);
  expect(res.getId()).toBe("thing-1");
  expect(res.getProperties()?.toJavaScript()).toEqual({ size: 1, password: secret("hunter2"), token: secret("t0k3n"), color: "red" });
});

it("a planned create (preview) shows every output unknown, the secret ones as secrets", async () => {
  const req = new CreateRequest();
  req.setUrn(URN);
  req.setPreview(true);
  req.setProperties(marshal({ size: 2 }));
  const res = await create(req);
  expect(res.getId()).toBe("");
  expect(res.getProperties()?.toJavaScript()).toEqual({ size: 2, token: secret(UNKNOWN_VALUE), color: UNKNOWN_VALUE });
});
