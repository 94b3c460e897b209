/**
 * Regression tests for the defects hostile testing found (issue 15): replayed SigV4 requests with another body,
 * unsigned URL members riding on a SigV2 POST, far-future Expires, a clock offset that breaks every date, bad
 * percent-encoding in admin paths, journal replay that loses jobs silently, and Node's lax socket timeouts.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator, type LogEntry } from "../../../emulator";
import { JournalError } from "../../../emulator/core/journal";
import { createEmulatorServer, SERVER_TIMEOUTS, type ServerContext } from "../../../emulator/core/server";
import { NodeSha256 } from "../../../sdk/signing/sigv4";
import { signV2, sigV2Signature, sigV2StringToSign } from "../../../sdk/signing/sigv2";
import { startTestEmulator, withEmulator, type TestEmulator } from "../../helpers/emulator";
import { call, formEncode, importManifest, parseReply, type Reply } from "../raw-client";

/** A SigV4-signed POST as @smithy/signature-v4 builds it (it signs an `x-amz-content-sha256` header too). */
async function signedV4Headers(endpoint: string, creds: { accessKeyId: string; secretAccessKey: string }, body: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: creds, region: "us-east-1", service: "IngestionService", sha256: NodeSha256 as never });
  const headers = { "content-type": "application/x-www-form-urlencoded; charset=utf-8", host: url.host, ...extra };
  const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", query: {}, headers, body });
  const out = { ...(signed.headers as Record<string, string>) };
  delete out["host"];
  return out;
}

async function post(endpoint: string, headers: Record<string, string>, body: string, path = "/"): Promise<Reply> {
  const res = await fetch(`${endpoint}${path}`, { method: "POST", headers, body });
  return parseReply(res.status, res.headers, await res.text());
}

async function createJob(emu: TestEmulator): Promise<string> {
  const r = await call(emu.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, { creds: emu.account });
  expect(r.status).toBe(200);
  return r.result.JobId as string;
}

describe("SigV4: the payload hash is the server's own", () => {
  const emu = withEmulator();

  it("a captured GetStatus replayed with a CancelJob body is refused, and the job stays as it was", async () => {
    const jobId = await createJob(emu());
    const getStatus = `Action=GetStatus&Version=2010-06-01&JobId=${jobId}`;
    const headers = await signedV4Headers(emu().endpoint, emu().account, getStatus);
    expect(headers["x-amz-content-sha256"]).toMatch(/^[0-9a-f]{64}$/);
    expect((await post(emu().endpoint, headers, getStatus)).status).toBe(200);
    const replay = await post(emu().endpoint, headers, `Action=CancelJob&Version=2010-06-01&JobId=${jobId}`);
    expect([replay.status, replay.code]).toEqual([403, "SignatureDoesNotMatch"]);
    expect(replay.message).toContain("x-amz-content-sha256 header does not match");
    const status = await call(emu().endpoint, "GetStatus", { JobId: jobId }, { creds: emu().account });
    expect(status.result.ProgressCode).toBe("Pending");
  });

  it("UNSIGNED-PAYLOAD is refused with SignatureDoesNotMatch, even when correctly signed", async () => {
    const body = "Action=ListJobs&Version=2010-06-01";
    const headers = await signedV4Headers(emu().endpoint, emu().account, body, { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" });
    expect(headers["authorization"]).toContain("x-amz-content-sha256");
    const r = await post(emu().endpoint, headers, body);
    expect([r.status, r.code]).toEqual([403, "SignatureDoesNotMatch"]);
    expect(r.message).toContain("UNSIGNED-PAYLOAD");
  });

  it("without the header (botocore) the body is hashed and verified; tampering breaks it", async () => {
    const body = "Action=ListJobs&Version=2010-06-01";
    const headers = await signedV4Headers(emu().endpoint, emu().account, body);
    // botocore does not send x-amz-content-sha256 for Query services: sign without it.
    const url = new URL(emu().endpoint);
    const signer = new SignatureV4({ credentials: emu().account, region: "us-east-1", service: "IngestionService", sha256: NodeSha256 as never, applyChecksum: false });
    const plain = await signer.sign({ method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", query: {}, headers: { "content-type": headers["content-type"]!, host: url.host }, body });
    const h = { ...(plain.headers as Record<string, string>) };
    delete h["host"];
    expect(h["x-amz-content-sha256"]).toBeUndefined();
    expect((await post(emu().endpoint, h, body)).status).toBe(200);
    expect((await post(emu().endpoint, h, `${body}&MaxJobs=1`)).code).toBe("SignatureDoesNotMatch");
  });
});

describe("SigV2: only signed members count", () => {
  const emu = withEmulator();
  const signedBody = (e: TestEmulator, params: Record<string, string>, now = new Date()): string =>
    formEncode(signV2({ Version: "2010-06-01", ...params }, { method: "POST", host: new URL(e.endpoint).host, path: "/", credentials: e.account, signatureMethod: "HmacSHA256", now }));
  const form = { "content-type": "application/x-www-form-urlencoded" };

  it("an unsigned ?ValidateOnly=true cannot turn a signed CreateJob into a dry run (or anything else)", async () => {
    const before = (await emu().admin.jobs()).length;
    // ValidateOnly left out of the body (the service defaults it to false): the URL's would have counted.
    const body = signedBody(emu(), { Action: "CreateJob", JobType: "Import", Manifest: importManifest("alice-import") });
    const r = await post(emu().endpoint, form, body, "/?ValidateOnly=true");
    expect([r.status, r.code]).toEqual([403, "SignatureDoesNotMatch"]);
    expect(r.message).toContain("ValidateOnly");
    expect((await emu().admin.jobs()).length).toBe(before);
  });

  it("an extra jobIds.member.N in the URL cannot join a signed GetShippingLabel", async () => {
    const jobId = await createJob(emu());
    const body = signedBody(emu(), { Action: "GetShippingLabel", "jobIds.member.1": jobId, name: "Jane", street1: "1 Main St", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", country: "USA", phoneNumber: "2065551111" });
    const r = await post(emu().endpoint, form, body, "/?jobIds.member.2=ZZZZZ");
    expect([r.status, r.code]).toEqual([403, "SignatureDoesNotMatch"]);
    expect(r.message).toContain("jobIds.member.2");
    expect((await post(emu().endpoint, form, body)).status).toBe(200);
  });

  it("still accepts ?Operation=X naming the body's Action, and URL members the signature covers", async () => {
    const body = signedBody(emu(), { Action: "ListJobs" });
    expect((await post(emu().endpoint, form, body, "/?Operation=ListJobs")).status).toBe(200);
    expect((await post(emu().endpoint, form, body, "/?Operation=CancelJob")).code).toBe("SignatureDoesNotMatch");
    // Signed over URL and body members together (clients that put members in the URL of a POST).
    const host = new URL(emu().endpoint).host;
    const all = signV2({ Action: "ListJobs", Version: "2010-06-01", MaxJobs: "1" }, { method: "POST", host, path: "/", credentials: emu().account, signatureMethod: "HmacSHA256", now: new Date() });
    const { MaxJobs, ...rest } = all;
    expect((await post(emu().endpoint, form, formEncode(rest), `/?MaxJobs=${MaxJobs}`)).status).toBe(200);
  });

  it("Expires may lie at most 15 minutes ahead", async () => {
    const host = new URL(emu().endpoint).host;
    const withExpires = (ms: number): string => {
      const params: Record<string, string> = {
        Action: "ListJobs", Version: "2010-06-01", AWSAccessKeyId: emu().account.accessKeyId, SignatureVersion: "2", SignatureMethod: "HmacSHA256",
        Expires: new Date(Date.now() + ms).toISOString(),
      };
      // signV2 adds a Timestamp; sign by hand so the request carries Expires alone.
      return formEncode(signV2WithExpires(params, host, emu().account.secretAccessKey));
    };
    const soon = await post(emu().endpoint, form, withExpires(10 * 60_000));
    expect(soon.status).toBe(200);
    const far = await post(emu().endpoint, form, withExpires(7 * 24 * 3600_000));
    expect([far.status, far.code]).toEqual([400, "IncompleteSignature"]);
    expect(far.message).toContain("at most 15 minutes");
  });
});

function signV2WithExpires(params: Record<string, string>, host: string, secret: string): Record<string, string> {
  return { ...params, Signature: sigV2Signature(sigV2StringToSign("POST", host, "/", params), secret, "HmacSHA256") };
}

describe("admin API: clock and paths", () => {
  const emu = withEmulator();

  it("refuses an unusable clock offset with 400 and applies nothing", async () => {
    const jobId = await createJob(emu());
    const clock = async (): Promise<string> => ((await (await fetch(`${emu().endpoint}/_emulator/clock`)).json()) as { now: string }).now;
    const before = Date.parse(await clock());
    for (const advanceMs of [1e300, 8.64e15, 1.5, -1, "5", null, 10 * 366 * 24 * 3600_000 + 1]) {
      const res = await fetch(`${emu().endpoint}/_emulator/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advanceMs }) });
      expect({ advanceMs, status: res.status }).toEqual({ advanceMs, status: 400 });
      expect(((await res.json()) as { error: string }).error).toContain("advanceMs");
    }
    // Nothing moved: the clock is where it was (give or take the test's own run time), and every date still works.
    expect(Date.parse(await clock()) - before).toBeLessThan(60_000);
    expect((await call(emu().endpoint, "GetStatus", { JobId: jobId }, { creds: emu().account })).status).toBe(200);
    expect((await call(emu().endpoint, "ListJobs", {}, { creds: emu().account })).status).toBe(200);
    expect((await emu().admin.health()).status).toBe("ok");
    await emu().admin.advanceClock(31 * 24 * 3600_000);
    // A valid offset still applies (the 30-day expiry is reachable).
    expect((await call(emu().endpoint, "GetStatus", { JobId: jobId }, { creds: emu().account })).code).toBe("ExpiredJobIdException");
  });

  it("bad percent-encoding in an admin path is a 400, not a 500", async () => {
    const res = await fetch(`${emu().endpoint}/_emulator/jobs/%E0%A4%A/advance`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain("not valid percent-encoding");
  });
});

describe("admin clock with --data-dir", () => {
  const dir = mkdtempSync(join(tmpdir(), "ie-hostile-clock-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a refused clock change leaves nothing broken across a restart", async () => {
    const first = await startTestEmulator({ dataDir: dir });
    const jobId = await createJob(first);
    const res = await fetch(`${first.endpoint}/_emulator/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"advanceMs":1e300}' });
    expect(res.status).toBe(400);
    await call(first.endpoint, "GetStatus", { JobId: jobId }, { creds: first.account });
    await first.close();
    const second = await startTestEmulator({ dataDir: dir });
    try {
      const status = await call(second.endpoint, "GetStatus", { JobId: jobId }, { creds: second.account });
      expect(status.status).toBe(200);
      expect((await call(second.endpoint, "ListJobs", {}, { creds: second.account })).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});

describe("journal replay", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  /** A data dir whose journal holds two acknowledged jobs. */
  const journalWithTwoJobs = async (): Promise<{ dir: string; file: string; jobIds: string[] }> => {
    const dir = mkdtempSync(join(tmpdir(), "ie-hostile-journal-"));
    dirs.push(dir);
    const e = await startTestEmulator({ dataDir: dir });
    const jobIds = [await createJob(e), await createJob(e)];
    await e.close();
    return { dir, file: join(dir, "jobs.journal"), jobIds };
  };

  it("a flipped byte mid-file stops start-up naming file:line and leaves the journal untouched", async () => {
    const { dir, file } = await journalWithTwoJobs();
    const lines = readFileSync(file, "utf8").split("\n");
    lines[0] = lines[0]!.replace('"jobId"', '"jobId\u0001'); // no longer JSON
    writeFileSync(file, lines.join("\n"));
    const damaged = readFileSync(file, "utf8");
    const failure = await startEmulator({ dataDir: dir }).then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(JournalError);
    expect((failure as Error).message).toContain(`${file}:1: the line is not JSON`);
    expect(readFileSync(file, "utf8")).toBe(damaged);
  });

  it("a null record or a partial one mid-file stops start-up naming file:line", async () => {
    const { dir, file } = await journalWithTwoJobs();
    const good = readFileSync(file, "utf8");
    writeFileSync(file, `null\n${good}`);
    await expect(startEmulator({ dataDir: dir })).rejects.toThrow(`${file}:1: the line is not a journal record`);
    writeFileSync(file, `${good}{"v":1,"op":"put","job":{"jobId":"AAAAA"}}\n${good}`);
    await expect(startEmulator({ dataDir: dir })).rejects.toThrow(`${file}:3: job AAAAA has no accountId`);
  });

  it("a torn last line is dropped with a warning; health and the other jobs work", async () => {
    const { dir, file, jobIds } = await journalWithTwoJobs();
    appendFileSync(file, '{"v":1,"op":"put","job":{"jobId":"AAAAA"}}'); // a partial record, cut off before its newline
    const logs: LogEntry[] = [];
    const e = await startEmulator({ dataDir: dir, logger: (entry) => logs.push(entry) });
    try {
      const health = await fetch(`${e.endpoint}/_emulator/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { jobs: number }).jobs).toBe(2);
      const [alice] = e.accounts;
      for (const jobId of jobIds) expect((await call(e.endpoint, "GetStatus", { JobId: jobId }, { creds: alice! })).status).toBe(200);
      expect(logs).toContainEqual(expect.objectContaining({ level: "warn", file, line: 3 }));
    } finally {
      await e.close();
    }
  });
});

describe("server timeouts", () => {
  it("the HTTP server uses the documented limits, not Node's minutes-long defaults", () => {
    const server = createEmulatorServer({} as ServerContext);
    expect({ headers: server.headersTimeout, request: server.requestTimeout, keepAlive: server.keepAliveTimeout }).toEqual({
      headers: SERVER_TIMEOUTS.headersTimeout, request: SERVER_TIMEOUTS.requestTimeout, keepAlive: SERVER_TIMEOUTS.keepAliveTimeout,
    });
    expect(SERVER_TIMEOUTS.headersTimeout).toBeLessThanOrEqual(10_000);
    expect(SERVER_TIMEOUTS.requestTimeout).toBeLessThanOrEqual(30_000);
  });

  it("a client that never finishes its headers gets 408 RequestTimeout and is disconnected", async () => {
    const emu = await startTestEmulator();
    try {
      const url = new URL(emu.endpoint);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname, () => socket.write("POST / HTTP/1.1\r\nHost: x\r\nX-Slow: "));
        let text = "";
        socket.on("data", (d: Buffer) => (text += d.toString()));
        socket.on("close", () => resolve(text));
        socket.on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain("<Code>RequestTimeout</Code>");
    } finally {
      await emu.close();
    }
  }, 40_000);
});
