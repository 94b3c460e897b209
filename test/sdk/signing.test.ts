import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { canonicalQueryString, compareByteOrder, rfc3986Encode } from "../../sdk/signing/encode";
import { signV2, signV2Body, sigV2Signature, sigV2StringToSign, sigV2Timestamp, type SigV2Method } from "../../sdk/signing/sigv2";
import { signV4 } from "../../sdk/signing/sigv4";
import { formBody } from "../../sdk/protocol/query";

interface V2Vector { name: string; url: string; host: string; path: string; params: [string, string][]; signatureMethod: SigV2Method; stringToSign: string; signature: string }
interface V4Vector { name: string; url: string; region: string; service: string; sessionToken: boolean; params: [string, string][]; body: string; contentType: string; signingDate: string; headers: Record<string, string> }
interface Vectors { credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }; timestamp: string; sigv2: V2Vector[]; sigv4: V4Vector[] }

const vectorsPath = join(__dirname, "../vectors/signatures.json");
const committed = readFileSync(vectorsPath, "utf8");
const vectors = JSON.parse(committed) as Vectors;
const { credentials } = vectors;

describe("golden vectors computed by botocore", () => {
  test("the committed JSON is what the generator produces today", () => {
    const fresh = execFileSync("python3", [join(__dirname, "../vectors/gen_sigv2_sigv4.py")], { encoding: "utf8" });
    expect(fresh).toBe(committed);
  });

  test.each(vectors.sigv2.map((v) => [v.name, v] as const))("SigV2 %s: string to sign and signature", (_name, v) => {
    const params = Object.fromEntries(v.params);
    const toSign = sigV2StringToSign("POST", v.host, v.path, params);
    expect(toSign).toBe(v.stringToSign);
    expect(sigV2Signature(toSign, credentials.secretAccessKey, v.signatureMethod)).toBe(v.signature);
  });

  test.each(vectors.sigv2.map((v) => [v.name, v] as const))("SigV2 %s: signV2 adds exactly botocore's auth parameters", (_name, v) => {
    const all = Object.fromEntries(v.params);
    const members = Object.fromEntries(v.params.filter(([k]) => !["AWSAccessKeyId", "SignatureVersion", "SignatureMethod", "Timestamp", "SecurityToken"].includes(k)));
    const signed = signV2(members, {
      method: "POST", host: v.host, path: v.path, signatureMethod: v.signatureMethod, now: new Date(vectors.timestamp),
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, ...(all["SecurityToken"] ? { sessionToken: credentials.sessionToken } : {}) },
    });
    expect(signed).toEqual({ ...all, Signature: v.signature });
  });

  test.each(vectors.sigv4.map((v) => [v.name, v] as const))("SigV4 %s: headers equal botocore's", async (_name, v) => {
    const params = Object.fromEntries(v.params);
    expect(formBody(params)).toBe(v.body);
    const url = new URL(v.url);
    const headers = await signV4(
      { method: "POST", protocol: url.protocol, hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}), path: url.pathname, headers: { host: url.host, "content-type": v.contentType }, body: v.body },
      { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, ...(v.sessionToken ? { sessionToken: credentials.sessionToken } : {}) },
      { service: v.service, region: v.region },
      new Date(v.signingDate),
    );
    const picked = Object.fromEntries(Object.entries(headers).filter(([k]) => ["authorization", "x-amz-date", "x-amz-security-token"].includes(k)).sort());
    expect(picked).toEqual(v.headers);
  });
});

describe("RFC 3986 encoding", () => {
  test.each([
    ["~", "~"], ["-_.", "-_."], ["*", "%2A"], ["!'()", "%21%27%28%29"], [" ", "%20"], ["+", "%2B"], ["", ""],
    ["é", "%C3%A9"], ["東", "%E6%9D%B1"], ["😀", "%F0%9F%98%80"], ["a/b=c&d", "a%2Fb%3Dc%26d"], ["\n", "%0A"],
  ])("%j → %j", (input, expected) => {
    expect(rfc3986Encode(input)).toBe(expected);
  });

  test("names sort by UTF-8 byte order, not UTF-16 code units", () => {
    // U+FF71 is 0xEF.. in UTF-8, U+1F600 is 0xF0..: byte order puts the emoji last; UTF-16 order would not.
    expect(["😀", "ｱ", "ÿ", "a", "B"].sort(compareByteOrder)).toEqual(["B", "a", "ÿ", "ｱ", "😀"]);
    expect(canonicalQueryString({ b: "2", a: "1", Signature: "x" }, ["Signature"])).toBe("a=1&b=2");
  });

  test("property: the fast paths agree with the definitions (byte order = Buffer.compare; encoding = escaped encodeURIComponent)", () => {
    const text = fc.oneof(fc.string({ unit: fc.constantFrom("a", "Z", "~", "-", "*", "!", " ", "é", "ｱ", "\uE000", "\uFFFD", "😀"), maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 12 }));
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareByteOrder(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"))));
        expect(rfc3986Encode(a)).toBe(encodeURIComponent(a).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
      }),
      { numRuns: 500 },
    );
  });

  test("empty values keep their '='", () => {
    expect(canonicalQueryString({ a: "", b: "x" })).toBe("a=&b=x");
  });
});

describe("SigV2 string to sign", () => {
  test("path without query; empty path is /; host lower-cased with port", () => {
    expect(sigV2StringToSign("post", "LocalHost:4599", "", { A: "1" })).toBe("POST\nlocalhost:4599\n/\nA=1");
    expect(sigV2StringToSign("POST", "h", "/x?Operation=CancelJob", { A: "1" })).toBe("POST\nh\n/x\nA=1");
  });

  test("Signature is excluded, so re-signing is stable", () => {
    expect(sigV2StringToSign("POST", "h", "/", { A: "1", Signature: "old" })).toBe(sigV2StringToSign("POST", "h", "/", { A: "1" }));
  });

  test("HmacSHA1 and HmacSHA256 differ and have the right lengths", () => {
    expect(Buffer.from(sigV2Signature("x", "k", "HmacSHA1"), "base64")).toHaveLength(20);
    expect(Buffer.from(sigV2Signature("x", "k", "HmacSHA256"), "base64")).toHaveLength(32);
  });

  test("signV2 drops an old Signature/Timestamp/Expires and stamps the new time", () => {
    const creds = { accessKeyId: "AKID", secretAccessKey: "secret" };
    const first = signV2({ Action: "GetStatus", JobId: "ABCDE" }, { method: "POST", host: "h", path: "/", credentials: creds, now: new Date("2026-01-01T00:00:00.123Z") });
    const again = signV2({ ...first, Expires: "x" }, { method: "POST", host: "h", path: "/", credentials: creds, now: new Date("2026-01-01T00:05:00Z") });
    expect(first["Timestamp"]).toBe("2026-01-01T00:00:00Z");
    expect(again["Timestamp"]).toBe("2026-01-01T00:05:00Z");
    expect(again["Expires"]).toBeUndefined();
    expect(again["Signature"]).not.toBe(first["Signature"]);
    expect(again["Signature"]).toBe(signV2({ Action: "GetStatus", JobId: "ABCDE" }, { method: "POST", host: "h", path: "/", credentials: creds, now: new Date("2026-01-01T00:05:00Z") })["Signature"]);
    expect(sigV2Timestamp(new Date(0))).toBe("1970-01-01T00:00:00Z");
  });

  test("signV2Body is signV2's parameters as a form body, with the same signature", () => {
    const creds = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret/key+1", sessionToken: "tok en" };
    const params = { Action: "CreateJob", Manifest: "a: b\nc: 'd' (e)!", JobType: "Import", ValidateOnly: "false" };
    const options = { method: "POST", host: "127.0.0.1:4599", path: "/", credentials: creds, now: new Date("2026-01-01T00:00:00Z") };
    const { body, signature } = signV2Body(params, options);
    const signed = signV2(params, options);
    expect(signature).toBe(signed["Signature"]);
    expect(Object.fromEntries(new URLSearchParams(body))).toEqual(signed);
    expect(body.startsWith(`${canonicalQueryString(signed, ["Signature"])}&Signature=`)).toBe(true);
  });

  test("property: parameter order never changes the string to sign or the signature", () => {
    const entry = fc.tuple(fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }), fc.string({ unit: "grapheme", maxLength: 16 }));
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: ([k]) => k, maxLength: 12 }), fc.integer(), (entries, seed) => {
        const shuffled = [...entries];
        let s = seed >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = sigV2StringToSign("POST", "127.0.0.1:4599", "/", Object.fromEntries(entries));
        const b = sigV2StringToSign("POST", "127.0.0.1:4599", "/", Object.fromEntries(shuffled));
        expect(b).toBe(a);
        expect(sigV2Signature(b, "secret", "HmacSHA256")).toBe(sigV2Signature(a, "secret", "HmacSHA256"));
      }),
      { numRuns: 300 },
    );
  });
});
