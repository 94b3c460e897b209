/**
 * The client against the real emulator over loopback: every operation, the error classes the emulator produces,
 * retries through count-based faults, the ambiguous CreateJob, credentials and endpoint resolution.
 */
import { createServer, type Server } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { packageVersion } from "../../sdk/version";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import {
  AmbiguousCreateJobError, ImportExportClient, ImportExportNetworkError, ImportExportServiceException, ImportExportValidationError,
  MalformedResponseError, errors as errorModels, errorClasses, stringifyManifest, type ImportExportClientConfig, type Manifest,
  type RequestLogEvent,
} from "../../sdk/index";

let emu: RunningEmulator;
const clients: ImportExportClient[] = [];
let alice: RunningEmulator["accounts"][number];
let bob: RunningEmulator["accounts"][number];

beforeAll(async () => {
  emu = await startEmulator();
  alice = emu.accounts[0]!;
  bob = emu.accounts[1]!;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()));
  await emu.close();
});
beforeEach(async () => {
  await admin("POST", "reset");
});

async function admin(method: string, route: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emu.endpoint}/_emulator/${route}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`admin ${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const faults = (...rules: unknown[]) => admin("POST", "faults", { rules });
const stats = async (action: string) => ((await admin("GET", "stats")) as { byAction: Record<string, number> }).byAction[action] ?? 0;

/** A client for alice with recorded (not slept) backoff and random() = 1, so delays are exact. */
function client(config: ImportExportClientConfig = {}, sleeps: number[] = []): ImportExportClient {
  const c = new ImportExportClient({
    endpoint: emu.endpoint,
    region: emu.region,
    credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey },
    retryStrategy: { random: () => 1, sleep: async (ms) => void sleeps.push(ms) },
    ...config,
  });
  clients.push(c);
  return c;
}

const returnAddress = { name: "Jane Roe", street1: "123 Any Street", city: "Anytown", stateOrProvince: "WA", postalCode: "91011", phoneNumber: "206-555-1111", country: "USA" };
function importManifest(extra: Manifest = {}, account = alice): string {
  return stringifyManifest({ manifestVersion: "2.0", accessKeyId: account.accessKeyId, deviceId: "HD001", eraseDevice: true, bucket: account.buckets[0]!.name, returnAddress, ...extra });
}
function exportManifest(extra: Manifest = {}): string {
  return stringifyManifest({
    manifestVersion: "2.0", accessKeyId: alice.accessKeyId, deviceId: "HD002", fileSystem: "NTFS", trueCryptPassword: "password123",
    logBucket: alice.buckets[1]!.name, operations: [{ exportBucket: alice.buckets[0]!.name, prefix: "images/" }], returnAddress, ...extra,
  });
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe.each([
  ["SigV2 HmacSHA256", { signatureVersion: "v2" }],
  ["SigV2 HmacSHA1", { signatureVersion: "v2", signatureMethod: "HmacSHA1" }],
  ["SigV4", { signatureVersion: "v4" }],
] as const)("every operation (%s)", (_name, config) => {
  test("create → status → list → update → label → cancel", async () => {
    const c = client(config);
    const created = await c.createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false });
    expect(created.JobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(created.JobType).toBe("Import");
    expect(created.SignatureFileContents).toMatch(/^version:2\.0\n.*\n$/s);
    expect(created.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 });
    expect(created.$metadata.requestId).toMatch(/[0-9a-f-]{36}/);
    const jobId = created.JobId!;

    const status = await c.getStatus({ JobId: jobId });
    expect(status).toMatchObject({ JobId: jobId, JobType: "Import", ProgressCode: "Pending", LocationCode: "NotReceived", ErrorCount: 0 });
    expect(status.CreationDate).toBeInstanceOf(Date);
    expect(status.CurrentManifest).toBe(importManifest());

    const list = await c.listJobs({});
    expect(list.Jobs).toEqual([{ JobId: jobId, JobType: "Import", IsCanceled: false, CreationDate: status.CreationDate }]);
    expect(list.IsTruncated).toBe(false);

    const updated = await c.updateJob({ JobId: jobId, JobType: "Export", Manifest: exportManifest(), ValidateOnly: false });
    expect(updated.Success).toBe(true);
    expect((await c.getStatus({ JobId: jobId })).JobType).toBe("Export");

    const label = await c.getShippingLabel({ jobIds: [jobId], ...returnAddress });
    expect(label.ShippingLabelURL).toMatch(/^http/);

    expect((await c.cancelJob({ JobId: jobId })).Success).toBe(true);
    expect((await c.listJobs()).Jobs[0]?.IsCanceled).toBe(true);
  });
});

test("ValidateOnly creates nothing", async () => {
  const c = client();
  const out = await c.createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: true });
  expect(out.$metadata.httpStatusCode).toBe(200);
  expect((await c.listJobs()).Jobs).toEqual([]);
});

test("paginateListJobs walks every page newest first", async () => {
  const c = client();
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await c.createJob({ JobType: "Import", Manifest: importManifest({ deviceId: `D${i}` }), ValidateOnly: false })).JobId!);
  const before = await stats("ListJobs");
  const pages: string[][] = [];
  for await (const page of c.paginateListJobs({ MaxJobs: 2 })) pages.push(page.Jobs.map((j) => j.JobId!));
  expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
  expect(pages.flat().sort()).toEqual([...ids].sort());
  expect(await stats("ListJobs")).toBe(before + 3);
});

describe("errors the emulator produces", () => {
  test("job state errors", async () => {
    const c = client();
    expect(await rejection(c.getStatus({ JobId: "ZZZZZ" }))).toBeInstanceOf(errorClasses.InvalidJobIdException);
    const a = (await c.createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false })).JobId!;
    await c.cancelJob({ JobId: a });
    const canceled = await rejection(c.cancelJob({ JobId: a }));
    expect(canceled).toBeInstanceOf(errorClasses.CanceledJobIdException);
    expect(canceled).toMatchObject({ name: "CanceledJobIdException", $fault: "client", $metadata: { httpStatusCode: 400, attempts: 1 } });

    const b = (await c.createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false })).JobId!;
    await admin("POST", `jobs/${b}/advance`, { progressCode: "InProgress", locationCode: "AtAWS" });
    expect(await rejection(c.updateJob({ JobId: b, JobType: "Import", Manifest: importManifest(), ValidateOnly: false }))).toBeInstanceOf(errorClasses.UnableToUpdateJobIdException);
    await admin("POST", `jobs/${b}/advance`, { progressCode: "Complete" });
    expect(await rejection(c.cancelJob({ JobId: b }))).toBeInstanceOf(errorClasses.UnableToCancelJobIdException);

    const d = (await c.createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false })).JobId!;
    await admin("POST", "clock", { advanceMs: 31 * 24 * 3600_000 });
    expect(await rejection(c.getStatus({ JobId: d }))).toBeInstanceOf(errorClasses.ExpiredJobIdException);
  });

  test.each([
    ["MalformedManifestException", (): string => "a: [b\n"],
    ["MissingManifestFieldException", () => importManifest({ deviceId: "" })],
    ["InvalidManifestFieldException", () => importManifest({ acl: "world" })],
    ["InvalidAddressException", () => importManifest({ returnAddress: { ...returnAddress, city: "" } })],
    ["NoSuchBucketException", () => importManifest({ bucket: "no-such-bucket-anywhere" })],
    ["BucketPermissionException", () => importManifest({ bucket: bob.buckets[0]!.name })],
    ["MultipleRegionsException", () => importManifest({ logBucket: alice.buckets[2]!.name })],
    ["InvalidAccessKeyIdException", () => importManifest({ accessKeyId: bob.accessKeyId })],
    ["MissingCustomsException", () => importManifest({ returnAddress: { ...returnAddress, country: "Japan" } })],
    ["InvalidCustomsException", () => importManifest({ returnAddress: { ...returnAddress, country: "Japan" }, customs: { dataDescription: "x", encryptedData: "perhaps", encryptionClassification: "5D992", exportCertifierName: "J", requiresExportLicense: false, deviceValue: "1.00", deviceCountryOfOrigin: "China", deviceType: "externalStorageDevice", typeOfExport: "return" } })],
  ] as const)("CreateJob manifest → %s", async (code, manifest: () => string) => {
    const err = await rejection(client().createJob({ JobType: "Import", Manifest: manifest(), ValidateOnly: true }));
    expect(err).toBeInstanceOf(errorClasses[code]);
    expect(err).toBeInstanceOf(ImportExportServiceException);
    expect((err as ImportExportServiceException).$metadata.requestId).toBeTruthy();
  });

  test("export manifest → InvalidFileSystemException", async () => {
    const err = await rejection(client().createJob({ JobType: "Export", Manifest: exportManifest({ fileSystem: "FAT32" }), ValidateOnly: true }));
    expect(err).toBeInstanceOf(errorClasses.InvalidFileSystemException);
  });

  test("parameter errors the service checks", async () => {
    const c = client();
    expect(await rejection(c.listJobs({ MaxJobs: 5000 }))).toBeInstanceOf(errorClasses.InvalidParameterException);
    expect(await rejection(c.listJobs({ Marker: "ZZZZZ" }))).toBeInstanceOf(errorClasses.InvalidParameterException);
    expect(await rejection(c.getStatus({ JobId: "ZZZZZ", APIVersion: "banana" }))).toBeInstanceOf(errorClasses.InvalidVersionException);
    expect(await rejection(c.getShippingLabel({ jobIds: [] }))).toBeInstanceOf(errorClasses.MissingParameterException);
  });

  test("client-side checks send nothing", async () => {
    const before = await stats("CreateJob");
    const err = await rejection(client().createJob({ JobType: "Import", Manifest: "x" } as never));
    expect(err).toBeInstanceOf(ImportExportValidationError);
    expect(err).toMatchObject({ code: "MissingParameterException", member: "ValidateOnly" });
    expect(await stats("CreateJob")).toBe(before);
  });

  test("authentication errors; no secret or signature in messages", async () => {
    const wrongSecret = "wrong-secret-key-that-must-not-leak-000000";
    const bad = client({ credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: wrongSecret } });
    const sig = await rejection(bad.getStatus({ JobId: "ZZZZZ" }));
    expect(sig).toBeInstanceOf(errorClasses.SignatureDoesNotMatch);
    expect(sig).toMatchObject({ $fault: "client", $metadata: { httpStatusCode: 403 } });
    expect(`${sig.message} ${sig.stack} ${JSON.stringify(sig)}`).not.toContain(wrongSecret);

    const unknown = await rejection(client({ credentials: { accessKeyId: "EMULATORNOBODY000009", secretAccessKey: "x".repeat(40) } }).getStatus({ JobId: "ZZZZZ" }));
    expect(unknown).toBeInstanceOf(errorClasses.InvalidClientTokenId);

    const stale = await rejection(client({ now: () => new Date(Date.now() - 20 * 60_000) }).getStatus({ JobId: "ZZZZZ" }));
    expect(stale).toBeInstanceOf(errorClasses.RequestExpired);
  });

  test("every known code arrives as its class, retried only when retryable", async () => {
    for (const [code, model] of Object.entries(errorModels)) {
      await admin("DELETE", "faults");
      await faults({ action: "GetStatus", kind: "error", code, status: model.httpStatus, count: 3 });
      const err = await rejection(client().getStatus({ JobId: "ZZZZZ" }));
      expect(err, code).toBeInstanceOf(errorClasses[code as keyof typeof errorClasses]);
      const e = err as ImportExportServiceException;
      expect(e.name).toBe(code);
      expect(e.$fault).toBe(model.fault);
      expect(e.$metadata.httpStatusCode).toBe(model.httpStatus);
      expect(e.$metadata.attempts, code).toBe(model.retryable ? 3 : 1);
    }
  });

  test("an unknown code is the base class with the raw code", async () => {
    await faults({ action: "GetStatus", kind: "error", code: "BrandNewException", status: 400, count: 1 });
    const err = await rejection(client().getStatus({ JobId: "ZZZZZ" }));
    expect(err.constructor).toBe(ImportExportServiceException);
    expect(err).toMatchObject({ name: "BrandNewException", code: "BrandNewException", $fault: "client" });
  });
});

describe("retries", () => {
  test("throttling is retried with 500/1000 ms backoff; $metadata counts attempts and delay", async () => {
    const sleeps: number[] = [];
    const c = client({}, sleeps);
    const id = (await c.createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false })).JobId!;
    await faults({ action: "GetStatus", kind: "throttle", count: 2 });
    const out = await c.getStatus({ JobId: id });
    expect(out.$metadata).toMatchObject({ attempts: 3, totalRetryDelay: 1500 });
    expect(sleeps).toEqual([500, 1000]);
    expect(await stats("GetStatus")).toBe(3);
  });

  test("5xx is retried up to maxAttempts; 501 is not", async () => {
    const sleeps: number[] = [];
    await faults({ action: "GetStatus", kind: "error", code: "ServiceUnavailable", status: 503, count: 10 });
    const err = await rejection(client({}, sleeps).getStatus({ JobId: "ZZZZZ" }));
    expect(err).toBeInstanceOf(errorClasses.ServiceUnavailable);
    expect(err).toMatchObject({ $retryable: { throttling: false }, $metadata: { attempts: 3, totalRetryDelay: 300 } });
    expect(sleeps).toEqual([100, 200]);
    await admin("DELETE", "faults");
    await faults({ action: "GetStatus", kind: "error", code: "NotImplemented", status: 501, count: 10 });
    expect(await rejection(client().getStatus({ JobId: "ZZZZZ" }))).toMatchObject({ $metadata: { attempts: 1, httpStatusCode: 501 } });
  });

  test("maxAttempts and AWS_MAX_ATTEMPTS", async () => {
    await faults({ action: "ListJobs", kind: "throttle", count: 4 });
    expect((await client({ maxAttempts: 5 }).listJobs()).$metadata.attempts).toBe(5);
    await faults({ action: "ListJobs", kind: "throttle", count: 1 });
    expect(await rejection(client({ maxAttempts: 1 }).listJobs())).toMatchObject({ name: "Throttling", $metadata: { attempts: 1 } });
    process.env["AWS_MAX_ATTEMPTS"] = "2";
    try {
      await faults({ action: "ListJobs", kind: "throttle", count: 1 });
      expect((await client().listJobs()).$metadata.attempts).toBe(2);
    } finally {
      delete process.env["AWS_MAX_ATTEMPTS"];
    }
  });

  test("idempotent operations are retried after a reset or a dropped connection", async () => {
    const c = client();
    const id = (await c.createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false })).JobId!;
    await faults({ action: "GetStatus", kind: "reset-before", count: 1 });
    expect((await c.getStatus({ JobId: id })).$metadata.attempts).toBe(2);
    await faults({ action: "CancelJob", kind: "drop-after", count: 1 });
    // The first attempt canceled the job; the retry then learns it is canceled: the answer the service gives.
    expect(await rejection(c.cancelJob({ JobId: id }))).toMatchObject({ name: "CanceledJobIdException", $metadata: { attempts: 2 } });
  });

  test("CreateJob is retried on a Throttling response: exactly one job", async () => {
    const c = client();
    await faults({ action: "CreateJob", kind: "throttle", count: 1 });
    const out = await c.createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false });
    expect(out.$metadata.attempts).toBe(2);
    expect(await stats("CreateJob")).toBe(2);
    expect((await c.listJobs()).Jobs).toHaveLength(1);
  });

  test("CreateJob is not retried on a parsed InternalFailure", async () => {
    await faults({ action: "CreateJob", kind: "error", code: "InternalFailure", status: 500, count: 1 });
    const err = await rejection(client().createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false }));
    expect(err).toMatchObject({ name: "InternalFailure", $metadata: { attempts: 1 } });
    expect(await stats("CreateJob")).toBe(1);
  });
});

describe("the ambiguous CreateJob", () => {
  test("connection dropped after the job was created: no retry, AmbiguousCreateJobError carries the manifest", async () => {
    const c = client();
    const manifest = importManifest();
    await faults({ action: "CreateJob", kind: "drop-after", count: 1 });
    const before = new Date(Date.now() - 1000);
    const err = await rejection(c.createJob({ JobType: "Import", Manifest: manifest, ValidateOnly: false }));
    expect(err).toBeInstanceOf(AmbiguousCreateJobError);
    const amb = err as AmbiguousCreateJobError;
    expect(amb.manifest).toBe(manifest);
    expect(amb.jobType).toBe("Import");
    expect(amb.$metadata.attempts).toBe(1);
    expect(amb.cause).toBeInstanceOf(ImportExportNetworkError);
    expect(await stats("CreateJob")).toBe(1);
    // Reconciliation: the job exists and its CurrentManifest is what was sent.
    const jobs = (await c.listJobs()).Jobs;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.CreationDate!.getTime()).toBeGreaterThanOrEqual(Math.floor(before.getTime() / 1000) * 1000);
    expect((await c.getStatus({ JobId: jobs[0]!.JobId! })).CurrentManifest).toBe(amb.manifest);
  });

  test("a response timeout after sending is ambiguous too", async () => {
    await faults({ action: "CreateJob", kind: "latency", latencyMs: 600, count: 1 });
    const err = await rejection(client({ responseTimeout: 200 }).createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false }));
    expect(err).toBeInstanceOf(AmbiguousCreateJobError);
    expect((err as AmbiguousCreateJobError).cause).toMatchObject({ code: "RESPONSE_TIMEOUT", requestSent: true });
  });

  test("a GetStatus response timeout is retried", async () => {
    const c = client({ responseTimeout: 200 });
    const id = (await c.createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false })).JobId!;
    await faults({ action: "GetStatus", kind: "latency", latencyMs: 600, count: 1 });
    expect((await c.getStatus({ JobId: id })).$metadata.attempts).toBe(2);
  });

  test("a connection refused before sending is retried, even for CreateJob", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const sleeps: number[] = [];
    const err = await rejection(client({ endpoint: `http://127.0.0.1:${port}` }, sleeps).createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false }));
    expect(err).toBeInstanceOf(ImportExportNetworkError);
    expect(err).toMatchObject({ code: "ECONNREFUSED", requestSent: false, $metadata: { attempts: 3 } });
    expect(sleeps).toEqual([100, 200]);
  });
});

describe("responses that are not service documents (a proxy in the way)", () => {
  let proxy: Server;
  let proxyUrl: string;
  let status = 502;
  const userAgents: Array<string | undefined> = [];
  beforeAll(async () => {
    proxy = createServer((req, res) => {
      userAgents.push(req.headers["user-agent"]);
      req.resume();
      req.on("end", () => res.writeHead(status, { "content-type": "text/html" }).end(`<html><body>${status} from the proxy ${"x".repeat(600)}</body></html>`));
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => proxy.close(() => r())));

  test("a 502 HTML page: retried for GetStatus, then MalformedResponseError with status and excerpt", async () => {
    status = 502;
    const err = await rejection(client({ endpoint: proxyUrl }).getStatus({ JobId: "ABCDE" }));
    expect(err).toBeInstanceOf(MalformedResponseError);
    const m = err as MalformedResponseError;
    expect(m.$metadata).toMatchObject({ httpStatusCode: 502, attempts: 3 });
    expect(m.$fault).toBe("server");
    expect(m.bodyExcerpt).toMatch(/^<html><body>502 from the proxy/);
    expect(m.bodyExcerpt.length).toBeLessThanOrEqual(257);
  });

  test("a 502 HTML page on CreateJob is ambiguous", async () => {
    status = 502;
    const err = await rejection(client({ endpoint: proxyUrl }).createJob({ JobType: "Import", Manifest: "m", ValidateOnly: false }));
    expect(err).toBeInstanceOf(AmbiguousCreateJobError);
    expect((err as AmbiguousCreateJobError).cause).toBeInstanceOf(MalformedResponseError);
  });

  test("the User-Agent carries the version in package.json, with either signature version", async () => {
    status = 404;
    const { version } = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { version: string };
    userAgents.length = 0;
    await rejection(client({ endpoint: proxyUrl }).getStatus({ JobId: "ABCDE" }));
    await rejection(client({ endpoint: proxyUrl, signatureVersion: "v4" }).getStatus({ JobId: "ABCDE" }));
    expect(userAgents).toEqual([`pulumi-importexport-sdk/${version}`, `pulumi-importexport-sdk/${version}`]);
  });

  test("the version is read from the nearest package.json of this package, not a neighbour's", () => {
    const root = mkdtempSync(join(tmpdir(), "ie-version-"));
    const inner = join(root, "dist", "sdk");
    mkdirSync(inner, { recursive: true });
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "pulumi-importexport", version: "9.8.7" }));
    writeFileSync(join(root, "dist", "package.json"), JSON.stringify({ name: "something-else", version: "1.1.1" }));
    expect(packageVersion(inner)).toBe("9.8.7");
    expect(packageVersion(join(tmpdir(), "no", "such", "place"))).toBe("0.0.0");
    expect(packageVersion()).toBe(JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")).version);
  });

  test("a 404 HTML page is not retried", async () => {
    status = 404;
    expect(await rejection(client({ endpoint: proxyUrl }).getStatus({ JobId: "ABCDE" }))).toMatchObject({ $metadata: { attempts: 1, httpStatusCode: 404 } });
  });
});

test("logger hook: operation, attempt, status, request id, duration — never keys or signatures", async () => {
  const events: RequestLogEvent[] = [];
  const c = client({ logger: (e) => events.push(e) });
  const id = (await c.createJob({ JobType: "Import", Manifest: importManifest(), ValidateOnly: false })).JobId!;
  await faults({ action: "GetStatus", kind: "throttle", count: 1 });
  await c.getStatus({ JobId: id });
  expect(events.map((e) => [e.operation, e.attempt, e.statusCode, e.errorCode])).toEqual([
    ["CreateJob", 1, 200, undefined],
    ["GetStatus", 1, 400, "Throttling"],
    ["GetStatus", 2, 200, undefined],
  ]);
  for (const e of events) {
    expect(Object.keys(e).every((k) => ["operation", "attempt", "statusCode", "requestId", "durationMs", "errorCode", "retryDelayMs"].includes(k))).toBe(true);
    expect(e.durationMs).toBeGreaterThanOrEqual(0);
    expect(e.requestId).toMatch(/[0-9a-f-]{36}/);
  }
  const text = JSON.stringify(events);
  expect(text).not.toContain(alice.secretAccessKey);
  expect(text).not.toContain("Signature");
});

describe("credentials and endpoints from the environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  test("whoAmI through STS GetCallerIdentity", async () => {
    expect(await client().whoAmI()).toMatchObject({ Account: alice.accountId });
  });

  test("AWS_ENDPOINT_URL_IMPORTEXPORT and environment keys through the default chain", async () => {
    process.env["AWS_ENDPOINT_URL_IMPORTEXPORT"] = emu.endpoint;
    process.env["AWS_ACCESS_KEY_ID"] = alice.accessKeyId;
    process.env["AWS_SECRET_ACCESS_KEY"] = alice.secretAccessKey;
    const c = new ImportExportClient({ region: emu.region });
    clients.push(c);
    expect(c.endpoint.source).toBe("AWS_ENDPOINT_URL_IMPORTEXPORT");
    expect((await c.listJobs()).$metadata.httpStatusCode).toBe(200);
  });

  test("AWS_PROFILE picks a profile from the shared credentials file over environment keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ie-creds-"));
    writeFileSync(join(dir, "credentials"), `[bob]\naws_access_key_id = ${bob.accessKeyId}\naws_secret_access_key = ${bob.secretAccessKey}\n`);
    writeFileSync(join(dir, "config"), "[profile bob]\nregion = us-east-1\n");
    Object.assign(process.env, {
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), AWS_CONFIG_FILE: join(dir, "config"), AWS_PROFILE: "bob",
      AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey, AWS_ENDPOINT_URL: emu.endpoint,
    });
    const c = new ImportExportClient({ region: emu.region });
    clients.push(c);
    expect(await c.whoAmI()).toMatchObject({ Account: bob.accountId });
    const created = await c.createJob({ JobType: "Import", Manifest: importManifest({}, bob), ValidateOnly: true });
    expect(created.$metadata.httpStatusCode).toBe(200);
  });
});
