import { describe, expect, it, beforeEach } from "vitest";
import { startTestEmulator, withEmulator } from "../../helpers/emulator";
import { call, exportManifest, importManifest, type CallOptions } from "../raw-client";

describe("emulator: Import/Export operations over loopback", () => {
  const emu = withEmulator();
  const alice = (): CallOptions => ({ creds: emu().account });
  const bob = (): CallOptions => ({ creds: emu().otherAccount });
  const create = async (manifest = importManifest("alice-import"), opts = alice()) =>
    call(emu().endpoint, "CreateJob", { JobType: "Import", Manifest: manifest, ValidateOnly: "false" }, opts);

  beforeEach(async () => {
    await emu().admin.reset();
  });

  it("CreateJob returns a JobId, signature, SIGNATURE file, shipping address and a PDF artifact the emulator serves", async () => {
    const r = await create();
    expect(r.status).toBe(200);
    expect(r.text).toContain("<CreateJobResult>");
    const { JobId, Signature, SignatureFileContents, ArtifactList, AwsShippingAddress, JobType } = r.result;
    expect(JobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(JobType).toBe("Import");
    expect(Buffer.from(Signature, "base64")).toHaveLength(20);
    expect(SignatureFileContents).toBe(`version:2.0\nsigningMethod:HmacSHA1\njobId:${JobId}\nsignature:${Signature}\n`);
    expect(AwsShippingAddress).toContain(`JOBID ${JobId}`);
    const url = ArtifactList.member[0].URL as string;
    expect(url.startsWith(emu().endpoint)).toBe(true);
    const pdf = await fetch(url);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(bytes.toString("latin1")).toContain(JobId);
    // RequestId: a fresh UUID, same in header and body.
    expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get("x-amzn-requestid")).toBe(r.requestId);
  });

  it("GetStatus of a fresh job: NotReceived/Pending, ErrorCount 0, no carrier/log fields, manifest echoed escaped", async () => {
    const manifest = importManifest("alice-import", "generator: <tool> & \"friends\" 'x'");
    const { result } = await create(manifest);
    const s = await call(emu().endpoint, "GetStatus", { JobId: result.JobId }, alice());
    expect(s.status).toBe(200);
    expect(s.result.LocationCode).toBe("NotReceived");
    expect(s.result.ProgressCode).toBe("Pending");
    expect(s.result.ErrorCount).toBe("0");
    expect(s.result.CurrentManifest).toBe(manifest);
    expect(s.text).toContain("&lt;tool&gt; &amp; &quot;friends&quot;");
    expect(s.result.CreationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    for (const absent of ["Carrier", "TrackingNumber", "LogBucket", "LogKey"]) expect(s.text).not.toContain(`<${absent}`);
    // JobIds are case-insensitive.
    const lower = await call(emu().endpoint, "GetStatus", { JobId: String(result.JobId).toLowerCase() }, alice());
    expect(lower.result.JobId).toBe(result.JobId);
  });

  it("accepts JobType in any case and ValidateOnly=true persists nothing", async () => {
    const v = await call(emu().endpoint, "CreateJob", { JobType: "import", Manifest: importManifest("alice-import"), ValidateOnly: "true" }, alice());
    expect(v.status).toBe(200);
    expect(v.result.JobId).toBeUndefined();
    expect(await emu().admin.jobs()).toHaveLength(0);
  });

  it("keeps accounts apart: another account's job is InvalidJobIdException", async () => {
    const { result } = await create();
    const r = await call(emu().endpoint, "GetStatus", { JobId: result.JobId }, bob());
    expect(r.status).toBe(400);
    expect(r.code).toBe("InvalidJobIdException");
    const c = await call(emu().endpoint, "CancelJob", { JobId: result.JobId }, bob());
    expect(c.code).toBe("InvalidJobIdException");
    const list = await call(emu().endpoint, "ListJobs", {}, bob());
    expect(list.result.Jobs ?? "").toBe("");
  });

  it("ListJobs is newest first and pages with MaxJobs/Marker/IsTruncated", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create()).result.JobId);
    const newestFirst = [...ids].reverse();
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    for (;;) {
      const params: Record<string, string> = { MaxJobs: "2" };
      if (marker) params["Marker"] = marker;
      const r = await call(emu().endpoint, "ListJobs", params, alice());
      pages++;
      const jobs = r.result.Jobs.member as { JobId: string; IsCanceled: string; JobType: string }[];
      expect(jobs.length).toBeLessThanOrEqual(2);
      seen.push(...jobs.map((j) => j.JobId));
      if (r.result.IsTruncated !== "true") break;
      marker = jobs[jobs.length - 1]?.JobId;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(newestFirst);
    const bad = await call(emu().endpoint, "ListJobs", { MaxJobs: "1001" }, alice());
    expect(bad.code).toBe("InvalidParameterException");
    const badMarker = await call(emu().endpoint, "ListJobs", { Marker: "ZZZZZ" }, alice());
    expect(badMarker.code).toBe("InvalidParameterException");
  });

  it("UpdateJob replaces the manifest (and JobType) while Pending, then refuses once InProgress", async () => {
    const { result } = await create();
    const updated = exportManifest("alice-import", "alice-logs");
    const u = await call(emu().endpoint, "UpdateJob", { JobId: result.JobId, JobType: "Export", Manifest: updated, ValidateOnly: "false" }, alice());
    expect(u.status).toBe(200);
    expect(u.result.Success).toBe("true");
    const s = await call(emu().endpoint, "GetStatus", { JobId: result.JobId }, alice());
    expect(s.result.JobType).toBe("Export");
    expect(s.result.CurrentManifest).toBe(updated);
    await emu().admin.advance(result.JobId, { progressCode: "InProgress", locationCode: "AtAWS" });
    const again = await call(emu().endpoint, "UpdateJob", { JobId: result.JobId, JobType: "Export", Manifest: updated, ValidateOnly: "false" }, alice());
    expect(again.code).toBe("UnableToUpdateJobIdException");
  });

  it("CancelJob: Pending or InProgress jobs cancel; later calls give CanceledJobIdException; terminal jobs cannot cancel", async () => {
    const a = (await create()).result.JobId as string;
    expect((await call(emu().endpoint, "CancelJob", { JobId: a }, alice())).result.Success).toBe("true");
    expect((await call(emu().endpoint, "CancelJob", { JobId: a }, alice())).code).toBe("CanceledJobIdException");
    expect((await call(emu().endpoint, "GetStatus", { JobId: a }, alice())).code).toBe("CanceledJobIdException");
    const list = await call(emu().endpoint, "ListJobs", {}, alice());
    expect(list.result.Jobs.member[0]).toMatchObject({ JobId: a, IsCanceled: "true" });

    const b = (await create()).result.JobId as string;
    await emu().admin.advance(b, { progressCode: "InProgress" });
    expect((await call(emu().endpoint, "CancelJob", { JobId: b }, alice())).status).toBe(200);

    const c = (await create()).result.JobId as string;
    await emu().admin.advance(c, { progressCode: "Complete" });
    expect((await call(emu().endpoint, "CancelJob", { JobId: c }, alice())).code).toBe("UnableToCancelJobIdException");
  });

  it("walks the lifecycle step by step and fills Carrier, TrackingNumber, LogBucket, LogKey", async () => {
    const id = (await call(emu().endpoint, "CreateJob", { JobType: "Export", Manifest: exportManifest("alice-import", "alice-logs"), ValidateOnly: "false" }, alice())).result.JobId as string;
    const states: string[] = [];
    for (let i = 0; i < 4; i++) {
      const j = await emu().admin.advance(id);
      states.push(`${j.locationCode}/${j.progressCode}`);
    }
    expect(states).toEqual(["AtAWS/Pending", "AtAWS/InProgress", "AtAWS/Complete", "Returned/Complete"]);
    const s = await call(emu().endpoint, "GetStatus", { JobId: id }, alice());
    expect(s.result).toMatchObject({ LocationCode: "Returned", ProgressCode: "Complete", Carrier: "UPS", LogBucket: "alice-logs", LogKey: `logs/export-log-${id}`, ErrorCount: "0" });
    expect(s.result.TrackingNumber).toMatch(/^1Z/);
    await expect(emu().admin.advance(id)).rejects.toThrow(/409/);
    const swe = (await create()).result.JobId as string;
    await emu().admin.advance(swe, { progressCode: "SuccessWithErrors", errorCount: 3 });
    const s2 = await call(emu().endpoint, "GetStatus", { JobId: swe }, alice());
    expect(s2.result).toMatchObject({ ProgressCode: "SuccessWithErrors", ErrorCount: "3", LogBucket: "alice-import", LogKey: `import-log-${swe}` });
  });

  it("expires a job with no device after 30 days (admin clock)", async () => {
    const id = (await create()).result.JobId as string;
    await emu().admin.advanceClock(29 * 86_400_000);
    expect((await call(emu().endpoint, "GetStatus", { JobId: id }, alice())).status).toBe(200);
    const arrived = (await create()).result.JobId as string;
    await emu().admin.advance(arrived); // device at AWS: never expires
    await emu().admin.advanceClock(2 * 86_400_000);
    expect((await call(emu().endpoint, "GetStatus", { JobId: id }, alice())).code).toBe("ExpiredJobIdException");
    expect((await call(emu().endpoint, "CancelJob", { JobId: id }, alice())).code).toBe("ExpiredJobIdException");
    expect((await call(emu().endpoint, "GetStatus", { JobId: arrived }, alice())).status).toBe(200);
  });

  it("checks buckets against the emulator's accounts and the manifest accessKeyId against the signer", async () => {
    const cases: [string, string][] = [
      [importManifest("no-such-bucket"), "NoSuchBucketException"],
      [importManifest("bob-import"), "BucketPermissionException"],
      [importManifest("alice-import", "logBucket: alice-eu"), "MultipleRegionsException"],
      [importManifest("alice-import", "accessKeyId: SOMEONEELSE000000000"), "InvalidAccessKeyIdException"],
      ["manifestVersion: [unclosed", "MalformedManifestException"],
      [importManifest("alice-import").replace("deviceId: 49382\n", ""), "MissingManifestFieldException"],
    ];
    for (const [manifest, code] of cases) {
      const r = await create(manifest);
      expect({ code: r.code, status: r.status }).toEqual({ code, status: 400 });
    }
    const ok = await create(importManifest("alice-import", `accessKeyId: ${emu().account.accessKeyId}`));
    expect(ok.status).toBe(200);
  });

  it("GetShippingLabel returns a URL the emulator serves; bad shipper address is InvalidAddressException", async () => {
    const a = (await create()).result.JobId as string;
    const b = (await create()).result.JobId as string;
    const r = await call(emu().endpoint, "GetShippingLabel", { "jobIds.member.1": a, "jobIds.member.2": b }, alice());
    expect(r.status).toBe(200);
    const pdf = await fetch(r.result.ShippingLabelURL);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).toString("latin1")).toContain(b);
    const empty = await call(emu().endpoint, "GetShippingLabel", { jobIds: "" }, alice());
    expect(empty.code).toBe("MissingParameterException");
    const partial = await call(emu().endpoint, "GetShippingLabel", { "jobIds.member.1": a, name: "Jane" }, alice());
    expect(partial.code).toBe("InvalidAddressException");
  });

  it("answers protocol errors as Query ErrorResponse documents", async () => {
    const ep = emu().endpoint;
    const missing = await call(ep, "GetStatus", {}, alice());
    expect([missing.status, missing.code]).toEqual([400, "MissingParameterException"]);
    expect(missing.text).toMatch(/<ErrorResponse xmlns="[^"]+"><Error><Type>Sender<\/Type><Code>MissingParameterException<\/Code><Message>[^<]*JobId/);
    expect(missing.headers.get("x-amzn-requestid")).toBe(missing.requestId);
    expect((await call(ep, "DescribeJobs", {}, alice())).code).toBe("InvalidAction");
    expect((await call(ep, "ListJobs", {}, { ...alice(), version: "2009-01-01" })).code).toBe("InvalidAction");
    expect((await call(ep, "CreateJob", { JobType: "Move", Manifest: "x: y", ValidateOnly: "false" }, alice())).code).toBe("InvalidParameterException");
    expect((await call(ep, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "maybe" }, alice())).code).toBe("InvalidParameterException");
    expect((await call(ep, "ListJobs", { APIVersion: "not a version" }, alice())).code).toBe("InvalidVersionException");
    const huge = await fetch(`${ep}/`, { method: "POST", body: `Action=CreateJob&Manifest=${"a".repeat(1024 * 1024 + 10)}` });
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain("<Code>RequestEntityTooLarge</Code>");
  });

  it("accepts GET with a query string and the ?Operation= fallback", async () => {
    const get = await call(emu().endpoint, "ListJobs", {}, { ...alice(), method: "GET" });
    expect(get.status).toBe(200);
    expect(get.text).toContain("<ListJobsResult>");
    // Action missing from the body, Operation in the URL (OpenAPI-generated clients).
    const res = await fetch(`${emu().endpoint}/?Operation=ListJobs`, { method: "POST", body: "Version=2010-06-01" });
    const text = await res.text();
    expect(text).toContain("<Code>MissingAuthenticationToken</Code>");
    expect((await emu().admin.stats()).byAction["ListJobs"]).toBe(2);
  });
});

describe("emulator: CreateJob quota", () => {
  it("answers CreateJobQuotaExceededException past the per-day quota, and again allows jobs a day later", async () => {
    const emu = await startTestEmulator({ createJobQuotaPerDay: 2 });
    try {
      const create = () => call(emu.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, { creds: emu.account });
      expect((await create()).status).toBe(200);
      expect((await create()).status).toBe(200);
      expect((await create()).code).toBe("CreateJobQuotaExceededException");
      await emu.admin.advanceClock(24 * 3_600_000 + 1000);
      expect((await create()).status).toBe(200);
    } finally {
      await emu.close();
    }
  });
});

describe("emulator: time-based progression", () => {
  it("moves one lifecycle step per advanceAfterMs on the injected clock", async () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const emu = await startTestEmulator({ advanceAfterMs: 30_000, clock: () => now });
    try {
      const opts = { creds: emu.account, now: new Date(now) };
      const id = (await call(emu.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, opts)).result.JobId as string;
      const status = async (): Promise<string> => {
        const r = await call(emu.endpoint, "GetStatus", { JobId: id }, { creds: emu.account, now: new Date(now) });
        return `${r.result.LocationCode}/${r.result.ProgressCode}`;
      };
      expect(await status()).toBe("NotReceived/Pending");
      now += 30_000;
      expect(await status()).toBe("AtAWS/Pending");
      now += 65_000;
      expect(await status()).toBe("AtAWS/Complete");
      now += 30_000;
      expect(await status()).toBe("Returned/Complete");
    } finally {
      await emu.close();
    }
  });
});
