/**
 * The redactor's fast paths (a literal search when the text holds no `%`/`+`, patterns compiled once per credential
 * set) must redact exactly what the full pattern does: raw, percent-encoded (either hex case, whole or in part) and
 * form-encoded copies. Checked directly, and through a client whose server echoes the secrets into successful
 * GetStatus answers (the path every call takes), across a credential refresh.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redactor, redactSecrets } from "../../sdk/redact";
import { ImportExportClient } from "../../sdk/client";

const secret = "wJalr/XUtn+FEMI K7MDENG=bPxRfiCY";
const lowerEncoded = (t: string): string => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const formEncoded = (t: string): string => new URLSearchParams({ x: t }).toString().slice(2);

describe("Redactor", () => {
  test("a text without % or + (the literal fast path): every raw copy goes, the rest stays", () => {
    const plain = "abcdEFGH1234";
    expect(redactSecrets(`${plain}-${plain} id ${plain}`, [plain])).toBe("***-*** id ***");
    expect(redactSecrets("nothing here", [plain])).toBe("nothing here");
    // Overlapping copies: leftmost first, as the global pattern replaces them.
    expect(redactSecrets("aaaaaaa", ["aaaa"])).toBe("***aaa");
  });

  test("encoded copies are still found: upper/lower hex, form encoding, partly encoded, next to a raw copy", () => {
    const partly = secret.replace("/", "%2f").replace(" ", "+");
    for (const copy of [encodeURIComponent(secret), lowerEncoded(secret), formEncoded(secret), partly]) {
      expect(redactSecrets(`x ${copy} y ${secret} z`, [secret]), copy).toBe("x *** y *** z");
    }
    // A `%` anywhere in the text (not in the copy) must not hide a raw copy.
    expect(redactSecrets(`100% ${secret}`, [secret])).toBe("100% ***");
  });

  test("a secret that itself holds + or % (base64 signatures do) is found raw and encoded", () => {
    const sig = "k3f+9Qz/0a==";
    expect(redactSecrets(`sig=${sig}`, [sig])).toBe("sig=***");
    expect(redactSecrets(`sig=${encodeURIComponent(sig)}`, [sig])).toBe("sig=***");
    const pct = "50%off-code";
    expect(redactSecrets(`a ${pct} b ${encodeURIComponent(pct)}`, [pct])).toBe("a *** b ***");
  });

  test("with(): the extension redacts the base's secrets and its own; the base stays as it was", () => {
    const base = new Redactor([secret, undefined, "ab"]);
    const text = `${lowerEncoded(secret)} SIGNATURE123 ${secret}`;
    const perRequest = base.with(["SIGNATURE123"]);
    expect(perRequest.redact(text)).toBe("*** *** ***");
    expect(base.redact(text)).toBe("*** SIGNATURE123 ***");
    // A compiled pattern is reused (global regexes keep lastIndex; replace resets it): same answer again.
    expect(perRequest.redact(text)).toBe("*** *** ***");
    expect(base.with(["OTHERSIG"]).redact(`${encodeURIComponent(secret)} SIGNATURE123`)).toBe("*** SIGNATURE123");
  });

  test("multi-byte characters match as their UTF-8 escapes", () => {
    const s = "clé-secrète";
    expect(redactSecrets(`a ${encodeURIComponent(s)} b ${lowerEncoded(s)} c ${s}`, [s])).toBe("a *** b *** c ***");
  });
});

describe("a client whose server echoes the secrets into successful answers", () => {
  let server: Server;
  let endpoint: string;
  // Each answer echoes the secret key of the request's access key id, raw into the header and encoded into the body.
  const keys: Record<string, string> = { AKIDREDACT0000000001: "first/Secret+Key 0001", AKIDREDACT0000000002: "second/Secret+Key 0002" };
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        const key = keys[new URLSearchParams(body).get("AWSAccessKeyId") ?? ""] ?? "none";
        const xml = `<GetStatusResponse><GetStatusResult><JobId>ABCDE</JobId></GetStatusResult><ResponseMetadata><RequestId>${lowerEncoded(key)}</RequestId></ResponseMetadata></GetStatusResponse>`;
        res.writeHead(200, { "content-type": "text/xml", "x-amzn-RequestId": key }).end(xml);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test("every call's $metadata.requestId is redacted, also after the credentials change", async () => {
    let current = "AKIDREDACT0000000001";
    const client = new ImportExportClient({
      endpoint, region: "us-east-1", maxAttempts: 1,
      // Expiring credentials, so the client asks again and gets the second set.
      credentials: async () => ({ accessKeyId: current, secretAccessKey: keys[current]!, expiration: new Date(Date.now() + 1000) }),
    });
    try {
      for (let i = 0; i < 3; i++) expect((await client.getStatus({ JobId: "ABCDE" })).$metadata.requestId).toBe("***");
      current = "AKIDREDACT0000000002";
      for (let i = 0; i < 3; i++) expect((await client.getStatus({ JobId: "ABCDE" })).$metadata.requestId).toBe("***");
    } finally {
      await client.destroy();
    }
  });
});
