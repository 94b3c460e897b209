/**
 * `pulumi import` as the engine drives it, through the plugin's gRPC service over a real loopback connection against
 * a real emulator: Read with nothing but the id, then Check of the program's inputs against what Read answered, then
 * Diff against the state Read answered. For ImportExportJob: an Import job whose manifest differs from the program's
 * (only `manifest` changes, in place while Pending, a replacement once started) and an Export job (no change, its
 * device password a secret). For IotJob: every input read back from the service, the refusals, and `get`'s Read.
 */
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DeleteJobCommand, type IoTClient } from "@aws-sdk/client-iot";
import type { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import {
  CheckRequest, DiffRequest, DiffResponse, PropertyDiff, ReadRequest,
  type CheckResponse, type ReadResponse,
} from "@pulumi/pulumi/proto/provider_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_SIGNATURE, SIGNATURE_KEY, marshal, unmarshal } from "../../../provider/native/marshal";
import { ImportExportClient } from "../../../sdk/client";
import { stringifyManifest, type Manifest } from "../../../sdk/manifest";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { iotClient } from "../../helpers/iot";
import { configuredPlugin, rpc, type ConfiguredPlugin } from "./plugin-client";

const JOB = "importexport:index:ImportExportJob";
const IOT = "importexport:index:IotJob";
const urnOf = (token: string, name: string) => `urn:pulumi:test::native::${token}::${name}`;
const PASSWORD = "correct-horse-7";

let emu: TestEmulator;
let direct: ImportExportClient;
let iot: IoTClient;
let plugin: ConfiguredPlugin;
let client: ResourceProviderClient;
let thing = "";

beforeAll(async () => {
  emu = await startTestEmulator({ iotDeletionDelayMs: 60_000 });
  direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
  iot = iotClient(emu.endpoint, emu.account);
  thing = (await iot.send(new CreateThingCommand({ thingName: "import-a" }))).thingArn ?? "";
  plugin = await configuredPlugin(emu);
  client = plugin.client;
});
afterAll(async () => {
  await plugin?.close();
  iot?.destroy();
  await direct?.destroy();
  await emu?.close();
});

/** The engine's import: Read with the id only (no state, no inputs). */
function importRead(token: string, name: string, id: string): Promise<ReadResponse> {
  const req = new ReadRequest();
  req.setId(id);
  req.setUrn(urnOf(token, name));
  return rpc<ReadResponse>((cb) => client.read(req, cb));
}

/** The next preview of the program: Check(olds = the imported inputs, news = the program's), then Diff against the imported state. */
async function preview(token: string, name: string, id: string, read: ReadResponse, program: Record<string, unknown>): Promise<DiffResponse> {
  const c = new CheckRequest();
  c.setUrn(urnOf(token, name));
  c.setName(name);
  c.setOlds(read.getInputs() as Struct);
  c.setNews(marshal(program));
  const checked = await rpc<CheckResponse>((cb) => client.check(c, cb));
  expect(checked.getFailuresList().map((f) => f.getReason())).toEqual([]);
  const d = new DiffRequest();
  d.setId(id);
  d.setUrn(urnOf(token, name));
  d.setOlds(read.getProperties() as Struct);
  d.setNews(checked.getInputs() as Struct);
  return rpc<DiffResponse>((cb) => client.diff(d, cb));
}

const kinds = (d: DiffResponse) => Object.fromEntries([...d.getDetaileddiffMap().entries()].map(([k, v]) => [k, v.getKind()]));

const address = { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", phoneNumber: "206-555-1111", country: "USA" };
const importManifest = (postalCode: string) => ({ manifestVersion: "2.0", deviceId: "IMPORTED-1", eraseDevice: true, bucket: "alice-import", returnAddress: { ...address, postalCode } });
const exportManifest = {
  manifestVersion: "2.0",
  deviceId: "HD001",
  fileSystem: "NTFS",
  trueCryptPassword: PASSWORD,
  logBucket: "alice-import",
  operations: [{ exportBucket: "alice-import", prefix: "images/", targetDirectory: "images" }],
  returnAddress: address,
};

/** The manifest as another tool would have sent it: YAML, with the account's key. */
function yaml(m: Record<string, unknown>): string {
  return stringifyManifest({ ...m, accessKeyId: emu.account.accessKeyId } as Manifest);
}

describe("ImportExportJob: import, then the program's preview", () => {
  it("a manifest that differs: only manifest changes, UPDATE while Pending, UPDATE_REPLACE once started; the account is recorded", async () => {
    const jobId = (await direct.createJob({ JobType: "Import", Manifest: yaml(importManifest("98109")), ValidateOnly: false })).JobId ?? "";
    const read = await importRead(JOB, "photos", jobId);
    expect(read.getId()).toBe(jobId);
    expect(unmarshal(read.getProperties()).values["status"]).toMatchObject({ accountId: emu.account.accountId, progressCode: "Pending" });

    const program = { jobType: "Import", manifest: importManifest("98101") };
    const pending = await preview(JOB, "photos", jobId, read, program);
    expect(pending.getChanges()).toBe(DiffResponse.DiffChanges.DIFF_SOME);
    expect(kinds(pending)).toEqual({ manifest: PropertyDiff.Kind.UPDATE });
    expect(pending.getReplacesList()).toEqual([]);

    await emu.admin.advance(jobId, { progressCode: "InProgress", locationCode: "AtAWS" });
    const started = await preview(JOB, "photos", jobId, read, program);
    expect(kinds(started)).toEqual({ manifest: PropertyDiff.Kind.UPDATE_REPLACE });
    expect(started.getReplacesList()).toEqual(["manifest"]);

    // The same declaration as the job's manifest: no change at all.
    expect((await preview(JOB, "photos", jobId, read, { jobType: "Import", manifest: importManifest("98109") })).getChanges()).toBe(DiffResponse.DiffChanges.DIFF_NONE);
  });

  it("an Export job: jobType Export and the export manifest come back, the device password only as a secret, and the program declaring it previews no change", async () => {
    const jobId = (await direct.createJob({ JobType: "Export", Manifest: yaml(exportManifest), ValidateOnly: false })).JobId ?? "";
    const read = await importRead(JOB, "archive", jobId);
    const inputs = unmarshal(read.getInputs());
    expect(inputs.values["jobType"]).toBe("Export");
    expect(inputs.values["manifest"]).toContain("exportBucket: alice-import");
    expect(inputs.values["manifest"]).not.toContain("accessKeyId");
    // The manifest holds the device password: secret in the inputs and in the state, never plain on the wire.
    expect(inputs.secrets).toContain("manifest");
    expect(unmarshal(read.getProperties()).secrets).toContain("manifest");
    const wire = JSON.stringify([read.getInputs()?.toJavaScript(), read.getProperties()?.toJavaScript()]);
    expect(wire.match(new RegExp(PASSWORD, "g"))?.length).toBe(2); // once in each, inside a secret
    expect(read.getInputs()?.toJavaScript()["manifest"]).toMatchObject({ [SIGNATURE_KEY]: SECRET_SIGNATURE });
    expect(read.getProperties()?.toJavaScript()["manifest"]).toMatchObject({ [SIGNATURE_KEY]: SECRET_SIGNATURE });

    const same = await preview(JOB, "archive", jobId, read, { jobType: "Export", manifest: exportManifest });
    expect(same.getChanges()).toBe(DiffResponse.DiffChanges.DIFF_NONE);
    expect(kinds(same)).toEqual({});
  });
});

describe("IotJob: import, then the program's preview", () => {
  let n = 0;
  const program = () => ({
    targets: [thing],
    document: '{"operation":"reboot"}',
    description: "fleet reboot",
    presignedUrlConfig: { roleArn: "arn:aws:iam::111111111111:role/presign", expiresInSec: 600 },
    timeoutConfig: { inProgressTimeoutInMinutes: 30 },
    tags: { team: "fleet" },
  });
  /** A job made outside Pulumi from the program's inputs; returns its jobId. */
  async function made(extra: Record<string, unknown> = {}): Promise<string> {
    const p = program();
    const jobId = `imported-${n++}`;
    await iot.send(new CreateJobCommand({ jobId, ...p, tags: [{ Key: "team", Value: "fleet" }], ...extra }));
    return jobId;
  }

  it("Read answers every input from the service (secrets secret), and the program declaring the same job previews no change", async () => {
    const jobId = await made();
    const read = await importRead(IOT, "rollout", jobId);
    expect(read.getId()).toBe(jobId);
    const inputs = unmarshal(read.getInputs());
    expect(inputs.values).toEqual({ jobId, ...program() });
    expect(inputs.secrets).toContain("presignedUrlConfig");
    expect(unmarshal(read.getProperties()).values["job"]).toMatchObject({ jobArn: `arn:aws:iot:us-east-1:${emu.account.accountId}:job/${jobId}`, endpoint: emu.endpoint });

    const same = await preview(IOT, "rollout", jobId, read, { jobId, ...program() });
    expect(same.getChanges()).toBe(DiffResponse.DiffChanges.DIFF_NONE);
    const edited = await preview(IOT, "rollout", jobId, read, { jobId, ...program(), description: "second" });
    expect(kinds(edited)).toEqual({ description: PropertyDiff.Kind.UPDATE });
    const retargeted = await preview(IOT, "rollout", jobId, read, { jobId, ...program(), targets: [`${thing}-other`] });
    expect(kinds(retargeted)).toEqual({ targets: PropertyDiff.Kind.UPDATE_REPLACE });
  });

  it("a CONTINUOUS job keeps targetSelection; a documentSource job has documentSource and no document", async () => {
    const continuous = await made({ targetSelection: "CONTINUOUS" });
    expect(unmarshal((await importRead(IOT, "c", continuous)).getInputs()).values).toMatchObject({ targetSelection: "CONTINUOUS" });
    const sourced = await made({ document: undefined, documentSource: "https://s3.amazonaws.com/bucket/job.json" });
    const values = unmarshal((await importRead(IOT, "s", sourced)).getInputs()).values;
    expect(values).toMatchObject({ documentSource: "https://s3.amazonaws.com/bucket/job.json" });
    expect(values).not.toHaveProperty("document");
  });

  it("a job not found in this account, a CANCELED one and one being deleted are refused, naming the job and the reason", async () => {
    const bob = iotClient(emu.endpoint, emu.otherAccount);
    try {
      const bobThing = (await bob.send(new CreateThingCommand({ thingName: "import-b" }))).thingArn ?? "";
      await bob.send(new CreateJobCommand({ jobId: "bobs-job", targets: [bobThing], document: "{}" }));
      await expect(importRead(IOT, "x", "bobs-job")).rejects.toThrow(
        `IoT job bobs-job cannot be imported: DescribeJob does not find it (ResourceNotFoundException) in account ${emu.account.accountId}, region us-east-1.`,
      );
    } finally {
      bob.destroy();
    }
    const cancelled = await made();
    await iot.send(new CancelJobCommand({ jobId: cancelled }));
    await expect(importRead(IOT, "x", cancelled)).rejects.toThrow(`IoT job ${cancelled} cannot be imported: it is CANCELED`);
    const deleting = await made();
    await iot.send(new CancelJobCommand({ jobId: deleting }));
    await iot.send(new DeleteJobCommand({ jobId: deleting }));
    await expect(importRead(IOT, "x", deleting)).rejects.toThrow(`IoT job ${deleting} cannot be imported: it is being deleted (DELETION_IN_PROGRESS)`);
  });
});
