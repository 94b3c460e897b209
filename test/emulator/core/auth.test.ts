import ImportExport from "aws-sdk/clients/importexport";
import { describe, expect, it } from "vitest";
import { sigV2Signature, sigV2StringToSign } from "../../../sdk/signing/sigv2";
import { startTestEmulator, withEmulator } from "../../helpers/emulator";
import { call, formEncode, importManifest, parseReply } from "../raw-client";

// aws-sdk v2 (devDependency) is a real, independent client that signs Import/Export with SigV2.
const AWS = { ImportExport };

describe("emulator auth: SigV2 and SigV4 verification", () => {
  const emu = withEmulator();

  it("accepts SigV2 from aws-sdk v2 (JS v2 lower-cases host:port and sorts params)", async () => {
    const client = new AWS.ImportExport({
      endpoint: emu().endpoint,
      region: "us-east-1",
      accessKeyId: emu().account.accessKeyId,
      secretAccessKey: emu().account.secretAccessKey,
      maxRetries: 0,
    });
    const created = await client.createJob({ JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: false }).promise();
    expect(created.JobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    const status = await client.getStatus({ JobId: created.JobId ?? "" }).promise();
    expect(status.ProgressCode).toBe("Pending");
    expect(status.ErrorCount).toBe(0);
    const list = await client.listJobs({ MaxJobs: 10 }).promise();
    expect((list.Jobs ?? []).map((j) => j.JobId)).toContain(created.JobId);
    await expect(client.getStatus({ JobId: "ZZZZZ" }).promise()).rejects.toMatchObject({ code: "InvalidJobIdException", statusCode: 400 });
    const wrong = new AWS.ImportExport({ endpoint: emu().endpoint, region: "us-east-1", accessKeyId: emu().account.accessKeyId, secretAccessKey: "not-the-secret", maxRetries: 0 });
    await expect(wrong.listJobs({}).promise()).rejects.toMatchObject({ code: "SignatureDoesNotMatch", statusCode: 403 });
  });

  it("accepts SigV2 with HmacSHA1 and HmacSHA256, with or without the port in the signed host", async () => {
    const url = new URL(emu().endpoint);
    for (const method of ["HmacSHA1", "HmacSHA256"] as const) {
      for (const host of [url.host, url.hostname]) {
        const params: Record<string, string> = {
          Action: "ListJobs",
          Version: "2010-06-01",
          AWSAccessKeyId: emu().account.accessKeyId,
          SignatureVersion: "2",
          SignatureMethod: method,
          Timestamp: new Date().toISOString(), // with milliseconds, as the Java tool sends
        };
        params["Signature"] = sigV2Signature(sigV2StringToSign("POST", host, "/", params), emu().account.secretAccessKey, method);
        const res = await fetch(`${emu().endpoint}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: formEncode(params) });
        expect({ method, host, status: res.status }).toEqual({ method, host, status: 200 });
      }
    }
  });

  it("maps auth failures to the AWS Query codes", async () => {
    const ep = emu().endpoint;
    const unknown = await call(ep, "ListJobs", {}, { creds: { accessKeyId: "NOSUCHKEY00000000000", secretAccessKey: "x" } });
    expect([unknown.status, unknown.code]).toEqual([403, "InvalidClientTokenId"]);
    const realLooking = await call(ep, "ListJobs", {}, { creds: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" } });
    expect(realLooking.code).toBe("InvalidClientTokenId");
    expect(realLooking.message).toContain("looks like a real AWS access key");
    const badSig = await call(ep, "ListJobs", {}, { creds: { ...emu().account, secretAccessKey: "wrong" } });
    expect([badSig.status, badSig.code]).toEqual([403, "SignatureDoesNotMatch"]);
    const none = await call(ep, "ListJobs", {}, { sign: "none" });
    expect([none.status, none.code]).toEqual([403, "MissingAuthenticationToken"]);
    const old = await call(ep, "ListJobs", {}, { creds: emu().account, now: new Date(Date.now() - 16 * 60_000) });
    expect([old.status, old.code]).toEqual([400, "RequestExpired"]);
    const oldV2 = await call(ep, "ListJobs", {}, { creds: emu().account, sign: "v2", now: new Date(Date.now() + 16 * 60_000) });
    expect([oldV2.status, oldV2.code]).toEqual([400, "RequestExpired"]);
    const partial = await fetch(`${ep}/`, { method: "POST", body: `Action=ListJobs&Version=2010-06-01&AWSAccessKeyId=${emu().account.accessKeyId}&Signature=abc` });
    const p = parseReply(partial.status, partial.headers, await partial.text());
    expect([p.status, p.code]).toEqual([400, "IncompleteSignature"]);
    const wrongService = await call(ep, "ListJobs", {}, { creds: emu().account, service: "s3" });
    expect(wrongService.code).toBe("SignatureDoesNotMatch");
    // The secret never appears in an answer.
    for (const r of [unknown, badSig, none, old, oldV2, p, wrongService]) expect(r.text).not.toContain(emu().account.secretAccessKey);
  });

  it("accepts SigV4 for service importexport and any region; tampering with the body breaks it", async () => {
    const ok = await call(emu().endpoint, "ListJobs", {}, { creds: emu().account, service: "importexport", region: "eu-central-1" });
    expect(ok.status).toBe(200);
    const sigv2Expires = await (async () => {
      const params: Record<string, string> = {
        Action: "ListJobs", Version: "2010-06-01", AWSAccessKeyId: emu().account.accessKeyId, SignatureVersion: "2",
        SignatureMethod: "HmacSHA256", Expires: new Date(Date.now() - 1000).toISOString(),
      };
      const host = new URL(emu().endpoint).host;
      params["Signature"] = sigV2Signature(sigV2StringToSign("POST", host, "/", params), emu().account.secretAccessKey, "HmacSHA256");
      const res = await fetch(`${emu().endpoint}/`, { method: "POST", body: formEncode(params) });
      return parseReply(res.status, res.headers, await res.text());
    })();
    expect(sigv2Expires.code).toBe("RequestExpired");
  });

  it("checks session tokens when an account has one", async () => {
    const emu2 = await startTestEmulator({
      accounts: [
        { accountId: "333333333333", accessKeyId: "TEMPKEY0000000000003", secretAccessKey: "s3cret", sessionToken: "token-1", buckets: [] },
        { accountId: "444444444444", accessKeyId: "TEMPKEY0000000000004", secretAccessKey: "s3cret", buckets: [] },
      ],
    });
    try {
      const host = new URL(emu2.endpoint).host;
      const send = async (token?: string) => {
        const params: Record<string, string> = {
          Action: "ListJobs", Version: "2010-06-01", AWSAccessKeyId: "TEMPKEY0000000000003", SignatureVersion: "2",
          SignatureMethod: "HmacSHA256", Timestamp: new Date().toISOString(),
        };
        if (token !== undefined) params["SecurityToken"] = token;
        params["Signature"] = sigV2Signature(sigV2StringToSign("POST", host, "/", params), "s3cret", "HmacSHA256");
        const res = await fetch(`${emu2.endpoint}/`, { method: "POST", body: formEncode(params) });
        return parseReply(res.status, res.headers, await res.text());
      };
      expect((await send("token-1")).status).toBe(200);
      expect((await send("token-2")).code).toBe("InvalidClientTokenId");
      expect((await send()).code).toBe("InvalidClientTokenId");
    } finally {
      await emu2.close();
    }
  });

  it("refuses real-looking keys in the accounts configuration unless allowed; --no-verify-signatures skips the HMAC only", async () => {
    const real = [{ accountId: "555555555555", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x", buckets: [] }];
    await expect(startTestEmulator({ accounts: [...real, ...real.map((a) => ({ ...a, accessKeyId: "OTHERKEY000000000000" }))] })).rejects.toThrow(/looks like a real AWS access key/);
    const allowed = await startTestEmulator({
      allowRealLookingKeys: true,
      verifySignatures: false,
      accounts: [...real, { accountId: "666666666666", accessKeyId: "OTHERKEY000000000000", secretAccessKey: "y", buckets: [] }],
    });
    try {
      const r = await call(allowed.endpoint, "ListJobs", {}, { creds: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "anything" } });
      expect(r.status).toBe(200);
      const unknown = await call(allowed.endpoint, "ListJobs", {}, { creds: { accessKeyId: "NOSUCHKEY00000000000", secretAccessKey: "anything" } });
      expect(unknown.code).toBe("InvalidClientTokenId");
    } finally {
      await allowed.close();
    }
  });
});
