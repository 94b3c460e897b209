/**
 * The provider implementation (provider/importexport/runtime) called directly, as the dynamic-provider host calls it, against a
 * real emulator over loopback. Fast: no Pulumi engine here (test/engine covers the engine end to end).
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ImportExportClient } from "../../../sdk/client";
import * as runtime from "../../../provider/importexport/runtime";
import { UNKNOWN } from "../../../provider/core/policy";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { status as statusOf } from "../../helpers/job-state";

const address = {
  name: "Jane Roe",
  street1: "123 Any Street",
  city: "Seattle",
  stateOrProvince: "WA",
  postalCode: "98101",
  phoneNumber: "206-555-1111",
  country: "USA",
};
const manifestObject = (deviceId: string, extra: Record<string, unknown> = {}) => ({
  manifestVersion: "2.0",
  deviceId,
  eraseDevice: true,
  bucket: "alice-import",
  returnAddress: address,
  ...extra,
});
const PROVIDER = "exports.handler = () => ({})"; // what the host puts in every bag; the provider must ignore it

let emu: TestEmulator;
let direct: ImportExportClient;

async function configure(extra: Record<string, string> = {}): Promise<void> {
  await runtime.resetForTests();
  const values: Record<string, string> = {
    "importexport:endpoint": emu.endpoint,
    "importexport:accessKeyId": emu.account.accessKeyId,
    "importexport:secretAccessKey": emu.account.secretAccessKey,
    ...extra,
  };
  await runtime.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } });
}

/** Emulator request counts for the six Import/Export actions. */
async function calls(): Promise<Record<string, number>> {
  const s = await emu.admin.stats();
  return Object.fromEntries(Object.entries(s.byAction).filter(([a]) => a !== "GetCallerIdentity"));
}
const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

/** check + create, as the engine does on `up`. */
async function createJob(deviceId: string, extra: Record<string, unknown> = {}, manifestExtra: Record<string, unknown> = {}) {
  const checked = await runtime.check({}, { jobType: "Import", manifest: manifestObject(deviceId, manifestExtra), __provider: PROVIDER, ...extra });
  expect(checked.failures ?? []).toEqual([]);
  const inputs = { ...checked.inputs, __provider: PROVIDER };
  const created = await runtime.create(inputs);
  return { inputs, id: created.id, outs: { ...created.outs, __provider: PROVIDER } as Record<string, unknown> };
}

beforeAll(async () => {
  emu = await startTestEmulator();
  direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
});
afterAll(async () => {
  await runtime.resetForTests();
  await direct?.destroy();
  await emu?.close();
});
beforeEach(async () => {
  await emu.admin.reset();
  await configure();
});
afterEach(async () => {
  await emu.admin.clearFaults();
});

describe("check", () => {
  it("normalises an object and a reformatted YAML text to the same canonical manifest", async () => {
    const a = await runtime.check({}, { jobType: "import", manifest: manifestObject("D1"), __provider: PROVIDER });
    const yaml = `deviceId:   D1\nmanifestVersion: "2.0"\nbucket: alice-import\neraseDevice: Yes\nreturnAddress:\n  country: USA\n  name: Jane Roe\n  street1: 123 Any Street\n  city: Seattle\n  stateOrProvince: WA\n  postalCode: 98101\n  phoneNumber: 206-555-1111\n`;
    const b = await runtime.check({}, { jobType: "Import", manifest: yaml, __provider: PROVIDER });
    expect(a.failures ?? []).toEqual([]);
    expect(b.failures ?? []).toEqual([]);
    expect(a.inputs).toEqual(b.inputs);
    expect(a.inputs?.["jobType"]).toBe("Import");
  });

  it("reports each local problem at its field path with the service error code, and calls nothing", async () => {
    const bad = manifestObject("D1", { returnAddress: { ...address, postalCode: "" } });
    delete (bad as Record<string, unknown>)["bucket"];
    const r = await runtime.check({}, { jobType: "Import", manifest: bad, __provider: PROVIDER });
    const props = (r.failures ?? []).map((f) => f.property);
    expect(props).toContain("manifest.returnAddress.postalCode");
    expect(props).toContain("manifest.bucket");
    const postal = r.failures?.find((f) => f.property === "manifest.returnAddress.postalCode");
    expect(postal?.reason).toMatch(/InvalidAddressException/);
    expect(total(await calls())).toBe(0);
  });

  it("reports malformed YAML with its position", async () => {
    const r = await runtime.check({}, { jobType: "Import", manifest: "deviceId: [unclosed\n", __provider: PROVIDER });
    expect(r.failures?.[0]?.property).toBe("manifest.(document)");
    expect(r.failures?.[0]?.reason).toMatch(/line \d+, column \d+.*MalformedManifestException/);
  });

  it("validates new inputs against the service: a missing bucket fails at preview, nothing is created", async () => {
    const r = await runtime.check({}, { jobType: "Import", manifest: manifestObject("D1", { bucket: "no-such-bucket" }), __provider: PROVIDER });
    expect(r.failures).toHaveLength(1);
    expect(r.failures?.[0]?.property).toBe("manifest.bucket");
    expect(r.failures?.[0]?.reason).toMatch(/NoSuchBucketException/);
    expect((await calls())["CreateJob"]).toBe(1);
    expect(await emu.admin.jobs()).toEqual([]);
  });

  it("makes no API call when the inputs did not change", async () => {
    const first = await runtime.check({}, { jobType: "Import", manifest: manifestObject("D1"), __provider: PROVIDER });
    await emu.admin.reset();
    const again = await runtime.check(first.inputs ?? {}, { jobType: "Import", manifest: manifestObject("D1"), __provider: PROVIDER });
    expect(again.failures ?? []).toEqual([]);
    expect(total(await calls())).toBe(0);
  });

  it("keeps the prior canonical text for an unchanged manifest, and validates it again when jobType changes", async () => {
    const first = await runtime.check({}, { jobType: "Import", manifest: manifestObject("D1"), __provider: PROVIDER });
    // The same manifest with a number where the canonical text has a string: still no change.
    const numeric = manifestObject("D1", { returnAddress: { ...address, postalCode: 98101 } });
    const same = await runtime.check(first.inputs ?? {}, { jobType: "import", manifest: numeric, __provider: PROVIDER });
    expect(same.failures ?? []).toEqual([]);
    expect(same.inputs?.["manifest"]).toBe(first.inputs?.["manifest"]);
    const asText = await runtime.check(first.inputs ?? {}, { jobType: "Import", manifest: String(first.inputs?.["manifest"]), __provider: PROVIDER });
    expect(asText.inputs).toEqual(same.inputs);
    await configure({ "importexport:validateOnPreview": "false" });
    const exported = await runtime.check(first.inputs ?? {}, { jobType: "Export", manifest: manifestObject("D1"), __provider: PROVIDER });
    expect(exported.failures?.map((f) => f.property)).toContain("manifest.bucket");
  });

  it("does not call the service when validateOnPreview is false", async () => {
    await configure({ "importexport:validateOnPreview": "false" });
    const r = await runtime.check({}, { jobType: "Import", manifest: manifestObject("D1", { bucket: "no-such-bucket" }), __provider: PROVIDER });
    expect(r.failures ?? []).toEqual([]);
    expect(total(await calls())).toBe(0);
  });

  it("tolerates unknown values during preview", async () => {
    const r = await runtime.check({}, { jobType: "Import", manifest: manifestObject("D1", { bucket: UNKNOWN }), __provider: PROVIDER });
    expect(r.failures ?? []).toEqual([]);
    const whole = await runtime.check({}, { jobType: UNKNOWN, manifest: UNKNOWN, __provider: PROVIDER });
    expect(whole.failures ?? []).toEqual([]);
    expect(total(await calls())).toBe(0);
  });

  it("rejects a bad jobType and unknown inputs by name", async () => {
    const r = await runtime.check({}, { jobType: "Ship", manifest: manifestObject("D1"), colour: "red", __provider: PROVIDER });
    expect(r.failures?.map((f) => f.property)).toEqual(["jobType", "colour"]);
    expect(r.failures?.[0]?.reason).toMatch(/InvalidParameterException/);
  });
});

describe("create and read", () => {
  it("a state written before outputs were grouped under status and signing is rewritten by an update that sends nothing but GetStatus", async () => {
    const { inputs, id, outs } = await createJob("D1");
    const { status: grouped, signing, ...rest } = outs as Record<string, unknown> & { status: Record<string, unknown>; signing: Record<string, unknown> };
    expect(Object.keys(signing).sort()).toEqual(["signature", "signatureFileContents"]);
    const flat = { ...rest, ...grouped, ...signing }; // every output at the top level
    const signaturesFlat = { ...rest, status: grouped, ...signing }; // status grouped, the two secrets not yet
    const news = { ...inputs, __provider: PROVIDER };
    expect(await runtime.diff(id, outs, news)).toMatchObject({ changes: false });
    for (const old of [flat, signaturesFlat]) {
      expect(await runtime.diff(id, old, news)).toEqual({ changes: true });
      const before = await calls();
      const u = await runtime.update(id, old, news);
      const after = await calls();
      expect((after["UpdateJob"] ?? 0) - (before["UpdateJob"] ?? 0)).toBe(0);
      expect((after["GetStatus"] ?? 0) - (before["GetStatus"] ?? 0)).toBe(1);
      expect(statusOf(u.outs)).toEqual(grouped);
      expect(u.outs?.["signing"]).toEqual(signing);
      expect(u.outs).not.toHaveProperty("signature");
    }
  });

  it("creates a job, fills accessKeyId in what is sent only, and reports its status", async () => {
    const { inputs, id, outs } = await createJob("D1");
    expect(id).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(outs["jobId"]).toBe(id);
    expect(statusOf(outs)["progressCode"]).toBe("Pending");
    expect(statusOf(outs)["locationCode"]).toBe("NotReceived");
    expect(outs["signing"]).toEqual({ signature: expect.any(String), signatureFileContents: expect.stringContaining(`jobId:${id}`) });
    expect(statusOf(outs)["endpoint"]).toBe(emu.endpoint);
    expect(statusOf(outs)["accountId"]).toBe(emu.account.accountId);
    expect(String(inputs["manifest"])).not.toContain("accessKeyId");
    expect(outs["manifest"]).toBe(inputs["manifest"]);
    expect(String(statusOf(outs)["manifestYaml"])).toContain(`accessKeyId: ${emu.account.accessKeyId}`);
    // No credential in the outputs.
    expect(JSON.stringify(outs)).not.toContain(emu.account.secretAccessKey);
    const status = await direct.getStatus({ JobId: id });
    expect(status.CurrentManifest).toContain("deviceId: D1");
  });

  it("gets a shipping label when asked", async () => {
    const { outs } = await createJob("D1", { shippingLabel: { name: "Jane Roe", street1: "1 Main St", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", country: "USA", phoneNumber: "206-555-1111" } });
    expect(statusOf(outs)["shippingLabelUrl"]).toMatch(/^https?:\/\//);
  });

  it("never writes device passwords to manifestYaml", async () => {
    await configure({ "importexport:validateOnPreview": "false" });
    const checked = await runtime.check({}, { jobType: "Import", manifest: manifestObject("D1", { trueCryptPassword: "hunter2-secret" }), __provider: PROVIDER });
    const created = await runtime.create({ ...checked.inputs, __provider: PROVIDER });
    expect(String(statusOf(created.outs)["manifestYaml"])).not.toContain("hunter2-secret");
    expect(String(statusOf(created.outs)["manifestYaml"])).toMatch(/trueCryptPassword: "?\[redacted\]"?\n/);
  });

  it("read reports drift in inputs and removes a cancelled job", async () => {
    const { id, outs } = await createJob("D1");
    await direct.updateJob({ JobId: id, JobType: "Import", ValidateOnly: false, Manifest: String(statusOf(outs)["manifestYaml"]).replace("deviceId: D1", "deviceId: D9") });
    const r = await runtime.read(id, outs);
    expect(r.id).toBe(id);
    expect(String(r.inputs?.["manifest"])).toContain("deviceId: D9");
    // The accessKeyId the provider filled in is not drift.
    expect(String(r.inputs?.["manifest"])).not.toContain("accessKeyId");
    await direct.cancelJob({ JobId: id });
    const gone = await runtime.read(id, outs);
    expect(gone.id).toBe("");
  });

  it("keeps a job whose GetStatus failed after CreateJob (init failure carries the JobId)", async () => {
    await emu.admin.setFaults({ action: "GetStatus", kind: "error", code: "InternalFailure", status: 500, count: 10 });
    const checked = await runtime.check({}, { jobType: "Import", manifest: manifestObject("D1"), __provider: PROVIDER });
    const err = await runtime.create({ ...checked.inputs, __provider: PROVIDER }).then(
      () => undefined,
      (e: unknown) => e as { id?: string; properties?: Record<string, unknown>; reasons?: string[]; message: string },
    );
    expect(err?.id).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(err?.properties?.["__provider"]).toBe(PROVIDER);
    expect(err?.message).toMatch(/was created, but GetStatus failed/);
    expect((await emu.admin.jobs()).map((j) => j.jobId)).toEqual([err?.id]);
  });

  it("reconciles an ambiguous CreateJob (connection dropped after creation) instead of creating twice", async () => {
    await emu.admin.setFaults([
      { action: "CreateJob", kind: "throttle", count: 1 },
      { action: "CreateJob", kind: "drop-after", count: 1 },
    ]);
    await configure({ "importexport:validateOnPreview": "false" });
    const checked = await runtime.check({}, { jobType: "Import", manifest: manifestObject("D1"), __provider: PROVIDER });
    const created = await runtime.create({ ...checked.inputs, __provider: PROVIDER });
    const jobs = await emu.admin.jobs();
    expect(jobs.map((j) => j.jobId)).toEqual([created.id]);
    expect((await calls())["ListJobs"]).toBeGreaterThanOrEqual(1);
  });

  it("fails naming the candidates when several recent jobs carry the same manifest (the user's own generator: no marker)", async () => {
    await configure({ "importexport:validateOnPreview": "false" });
    const { outs } = await createJob("D1", {}, { generator: "my-tool" });
    await direct.createJob({ JobType: "Import", ValidateOnly: false, Manifest: String(statusOf(outs)["manifestYaml"]) });
    await emu.admin.setFaults({ action: "CreateJob", kind: "drop-after", count: 1 });
    const checked = await runtime.check({}, { jobType: "Import", manifest: manifestObject("D1", { generator: "my-tool" }), __provider: PROVIDER });
    await expect(runtime.create({ ...checked.inputs, __provider: PROVIDER })).rejects.toThrow(/3 recent jobs carry this exact manifest: [1-9A-Z, ]+/);
  });

  // Regression (issue 13): reconciliation compared manifests only, so two resources with identical manifests were
  // confused — a lost answer after the job was created failed with "2 recent jobs carry this exact manifest" and left
  // the new job untracked; a reset before anything was created adopted the OTHER resource's job (one job, two owners).
  it("identical manifests: a CreateJob whose answer was lost after creating adopts its own job, not the other's", async () => {
    await configure({ "importexport:validateOnPreview": "false" });
    const first = await createJob("D1");
    await emu.admin.setFaults({ action: "CreateJob", kind: "drop-after", count: 1 });
    const second = await createJob("D1");
    expect(second.id).not.toBe(first.id);
    expect((await emu.admin.jobs()).map((j) => j.jobId).sort()).toEqual([first.id, second.id].sort());
  });

  it("identical manifests: a CreateJob reset before processing creates a new job instead of adopting the other's", async () => {
    await configure({ "importexport:validateOnPreview": "false" });
    const first = await createJob("D1");
    await emu.admin.setFaults({ action: "CreateJob", kind: "reset-before", count: 1 });
    const second = await createJob("D1");
    expect(second.id).not.toBe(first.id);
    expect((await emu.admin.jobs()).map((j) => j.jobId).sort()).toEqual([first.id, second.id].sort());
    expect((await calls())["ListJobs"]).toBeGreaterThanOrEqual(1);
  });

  it("the create marker is sent and shown in manifestYaml, but never drift: read gives back the user's manifest", async () => {
    await configure({ "importexport:validateOnPreview": "false" });
    const { inputs, id, outs } = await createJob("D1");
    const live = await direct.getStatus({ JobId: id });
    expect(live.CurrentManifest).toMatch(/generator: pulumi-importexport create [0-9a-f]{16}/);
    expect(String(statusOf(outs)["manifestYaml"])).toMatch(/generator: pulumi-importexport create [0-9a-f]{16}/);
    const r = await runtime.read(id, outs);
    expect(r.inputs?.["manifest"]).toBe(inputs["manifest"]);
    expect(statusOf(r.props)["manifestYaml"]).toBe(statusOf(outs)["manifestYaml"]);
    expect((await runtime.diff(id, outs, r.inputs ?? {})).changes).toBe(false);
  });
});

describe("diff", () => {
  it("no input change → no changes and no API call (also when only __provider changed)", async () => {
    const { inputs, id, outs } = await createJob("D1");
    await emu.admin.reset();
    const d = await runtime.diff(id, outs, { ...inputs, __provider: "exports.handler = () => 2" });
    expect(d).toEqual({ changes: false });
    expect(total(await calls())).toBe(0);
  });

  it("manifest change on a Pending job → in-place update", async () => {
    const { inputs, id, outs } = await createJob("D1");
    const news = (await runtime.check(inputs, { ...inputs, manifest: manifestObject("D2") })).inputs ?? {};
    const d = await runtime.diff(id, outs, news);
    expect(d.changes).toBe(true);
    expect(d.replaces ?? []).toEqual([]);
  });

  it("manifest change on an InProgress job → replace naming exactly manifest", async () => {
    const { inputs, id, outs } = await createJob("D1");
    await emu.admin.advance(id, { progressCode: "InProgress", locationCode: "AtAWS" });
    const news = (await runtime.check(inputs, { ...inputs, manifest: manifestObject("D2"), cancelInProgress: true })).inputs ?? {};
    const d = await runtime.diff(id, outs, news);
    expect(d).toMatchObject({ changes: true, replaces: ["manifest"] });
  });

  it("a cancelled job → replace", async () => {
    const { inputs, id, outs } = await createJob("D1");
    await direct.cancelJob({ JobId: id });
    const news = (await runtime.check(inputs, { ...inputs, manifest: manifestObject("D2") })).inputs ?? {};
    expect((await runtime.diff(id, outs, news)).replaces).toEqual(["manifest"]);
  });

  it("a state-only change (cancelInProgress) needs no API call", async () => {
    const { inputs, id, outs } = await createJob("D1");
    await emu.admin.reset();
    const d = await runtime.diff(id, outs, { ...inputs, cancelInProgress: true });
    expect(d).toMatchObject({ changes: true, replaces: [] });
    expect(total(await calls())).toBe(0);
  });

  it("a different endpoint than the job's → replace", async () => {
    const { inputs, id, outs } = await createJob("D1");
    await configure({ "importexport:endpoint": "http://127.0.0.1:1" });
    expect(await runtime.diff(id, outs, inputs)).toMatchObject({ changes: true, replaces: ["endpoint"] });
  });
});

describe("update", () => {
  it("UpdateJob keeps the JobId and stores the new manifest", async () => {
    const { inputs, id, outs } = await createJob("D1");
    const news = { ...((await runtime.check(inputs, { ...inputs, manifest: manifestObject("D2") })).inputs ?? {}), __provider: PROVIDER };
    const u = await runtime.update(id, outs, news);
    expect(u.outs["jobId"]).toBe(id);
    expect(String(u.outs["manifest"])).toContain("deviceId: D2");
    expect((await direct.getStatus({ JobId: id })).CurrentManifest).toContain("deviceId: D2");
  });

  it("a job that started after the plan: says which job, its state, and that up again replaces it", async () => {
    const { inputs, id, outs } = await createJob("D1");
    await emu.admin.advance(id, { progressCode: "InProgress", locationCode: "AtAWS" });
    const news = { ...((await runtime.check(inputs, { ...inputs, manifest: manifestObject("D2") })).inputs ?? {}), __provider: PROVIDER };
    const err = await runtime.update(id, outs, news).then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toBe(
      `Job ${id} is InProgress (the transfer has started), so its manifest can no longer be updated; run \`pulumi up\` again to replace it.`,
    );
    expect(err?.stack).toBe("");
    expect(err?.name).toBe("ImportExportJobError");
  });
});

describe("delete", () => {
  it("cancels a Pending job", async () => {
    const { id, outs } = await createJob("D1");
    await runtime.delete(id, outs);
    expect((await emu.admin.jobs()).find((j) => j.jobId === id)?.isCanceled).toBe(true);
  });

  it("releases an InProgress job with a warning naming it, unless cancelInProgress", async () => {
    const a = await createJob("D1");
    const b = await createJob("D2", { cancelInProgress: true });
    for (const j of [a, b]) await emu.admin.advance(j.id, { progressCode: "InProgress", locationCode: "AtAWS" });
    const logged: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void logged.push(args.join(" "));
    try {
      await runtime.delete(a.id, a.outs);
      await runtime.delete(b.id, b.outs);
    } finally {
      console.log = original;
    }
    const jobs = await emu.admin.jobs();
    expect(jobs.find((j) => j.jobId === a.id)?.isCanceled).toBe(false);
    expect(jobs.find((j) => j.jobId === b.id)?.isCanceled).toBe(true);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`Job ${a.id} (ProgressCode InProgress) was not cancelled`);
  });

  it("succeeds for a cancelled or unknown job", async () => {
    const { id, outs } = await createJob("D1");
    await direct.cancelJob({ JobId: id });
    await expect(runtime.delete(id, outs)).resolves.toBeUndefined();
    await expect(runtime.delete("ZZZZZ", outs)).resolves.toBeUndefined();
  });
});

describe("adoption (adoptJobId)", () => {
  it("takes over an existing job, updating its manifest while Pending", async () => {
    const existing = await direct.createJob({ JobType: "Import", ValidateOnly: false, Manifest: `manifestVersion: "2.0"\ndeviceId: OLD\neraseDevice: yes\nbucket: alice-import\nreturnAddress: {name: Jane Roe, street1: 123 Any Street, city: Seattle, stateOrProvince: WA, postalCode: "98101", phoneNumber: 206-555-1111, country: USA}\n` });
    const jobId = existing.JobId ?? "";
    const { id, outs } = await createJob("D1", { adoptJobId: jobId });
    expect(id).toBe(jobId);
    expect(outs["adoptJobId"]).toBe(jobId);
    expect((await direct.getStatus({ JobId: jobId })).CurrentManifest).toContain("deviceId: D1");
    expect(await emu.admin.jobs()).toHaveLength(1);
  });

  it("refuses a job of another account", async () => {
    const other = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.otherAccount });
    try {
      const theirs = await other.createJob({ JobType: "Import", ValidateOnly: false, Manifest: `manifestVersion: "2.0"\ndeviceId: B\neraseDevice: yes\nbucket: bob-import\nreturnAddress: {name: Bob, street1: 1 St, city: Seattle, stateOrProvince: WA, postalCode: "98101", phoneNumber: "1", country: USA}\n` });
      const checked = await runtime.check({}, { jobType: "Import", manifest: manifestObject("D1"), adoptJobId: theirs.JobId, __provider: PROVIDER });
      await expect(runtime.create({ ...checked.inputs, __provider: PROVIDER })).rejects.toThrow(/does not exist or does not belong to the account/);
    } finally {
      await other.destroy();
    }
  });
});

/**
 * A pass-through HTTP proxy in front of the real emulator that rewrites GetStatus's ProgressCode: removed (a
 * service that reports none) or replaced by a code this package does not know. Everything else is the emulator's.
 */
async function progressCodeProxy(target: string): Promise<{ endpoint: string; mode: { code: "omit" | string }; close(): Promise<void> }> {
  const mode: { code: "omit" | string } = { code: "omit" };
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const up = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (ur) => {
          const body: Buffer[] = [];
          ur.on("data", (c: Buffer) => body.push(c));
          ur.on("end", () => {
            const text = Buffer.concat(body).toString("utf8");
            const rewritten = text.replace(/<ProgressCode>[^<]*<\/ProgressCode>/g, mode.code === "omit" ? "" : `<ProgressCode>${mode.code}</ProgressCode>`);
            const headers = { ...ur.headers, "content-length": String(Buffer.byteLength(rewritten)) };
            res.writeHead(ur.statusCode ?? 502, headers);
            res.end(rewritten);
          });
        },
      );
      up.on("error", () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, mode, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("the unknown-state rule: no ProgressCode, or one this package does not know (issue 10 defect 2)", () => {
  let proxy: Awaited<ReturnType<typeof progressCodeProxy>>;
  beforeAll(async () => {
    proxy = await progressCodeProxy(emu.endpoint);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  /** Creates a Pending job directly at the emulator, then points the provider at the proxy. */
  async function jobBehindProxy(code: "omit" | string, extra: Record<string, unknown> = {}) {
    const job = await createJob("U1", extra);
    proxy.mode.code = code;
    await configure({ "importexport:endpoint": proxy.endpoint });
    return job;
  }

  async function captured(fn: () => Promise<unknown>): Promise<string[]> {
    const logged: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void logged.push(args.join(" "));
    try {
      await fn();
    } finally {
      console.log = original;
    }
    return logged;
  }

  it.each([
    ["no ProgressCode", "omit", "unknown"],
    ["an unknown ProgressCode", "Teleported", "Teleported"],
  ])("delete with %s never cancels (even with cancelInProgress) and warns", async (_n, code, shown) => {
    const { id, outs } = await jobBehindProxy(code, { cancelInProgress: true });
    const before = (await calls())["CancelJob"] ?? 0;
    const logged = await captured(() => runtime.delete(id, { ...outs, status: { ...statusOf(outs), endpoint: proxy.endpoint } }));
    expect((await calls())["CancelJob"] ?? 0).toBe(before);
    expect((await emu.admin.jobs()).find((j) => j.jobId === id)?.isCanceled).toBe(false);
    expect(logged).toEqual([
      `warning: Job ${id} (ProgressCode ${shown}) was not cancelled: its ProgressCode is not one this provider knows, so it is left untouched. It is released from the stack and left as it is in the service.`,
    ]);
  });

  it.each([
    ["no ProgressCode", "omit", "in an unknown state (no ProgressCode reported)"],
    ["an unknown ProgressCode", "Teleported", "in an unknown state (ProgressCode Teleported)"],
  ])("a manifest change with %s replaces, saying why (never an in-place update)", async (_n, code, where) => {
    const { inputs, id, outs } = await jobBehindProxy(code);
    const news = (await runtime.check(inputs, { ...inputs, manifest: manifestObject("U2") })).inputs ?? {};
    let d: Awaited<ReturnType<typeof runtime.diff>> | undefined;
    const logged = await captured(async () => {
      d = await runtime.diff(id, { ...outs, status: { ...statusOf(outs), endpoint: proxy.endpoint } }, news);
    });
    expect(d).toEqual({ changes: true, replaces: ["manifest"], deleteBeforeReplace: false });
    expect(logged).toEqual([`Job ${id} will be replaced: manifest can change in place only while Pending, and it is ${where}.`]);
  });

  it("adoption of a job with no ProgressCode whose manifest differs is refused, not updated", async () => {
    const { id } = await jobBehindProxy("omit");
    const checked = await runtime.check({}, { jobType: "Import", manifest: manifestObject("U3"), adoptJobId: id, __provider: PROVIDER });
    await expect(runtime.create({ ...checked.inputs, __provider: PROVIDER })).rejects.toThrow(
      `adoptJobId: job ${id} is in an unknown state (no ProgressCode reported), so its manifest can no longer be updated`,
    );
    expect((await direct.getStatus({ JobId: id })).CurrentManifest).toContain("deviceId: U1");
  });

  it("refresh keeps a job whose state is unknown", async () => {
    const { id, outs } = await jobBehindProxy("omit");
    const r = await runtime.read(id, { ...outs, status: { ...statusOf(outs), endpoint: proxy.endpoint } });
    expect(r.id).toBe(id);
    expect(statusOf(r.props)["progressCode"]).toBeUndefined();
  });
});
