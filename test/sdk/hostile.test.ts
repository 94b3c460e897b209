/**
 * Regression tests for the SDK side of issue 15: manifest limits and the linear duplicate-key check, YAML alias
 * errors, manifests that contain themselves or nest too deep, and secrets a hostile server echoes into every field
 * of an error document.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  ImportExportClient, ImportExportServiceException, MAX_MANIFEST_BYTES, MAX_MANIFEST_DEPTH, MAX_MANIFEST_ENTRIES,
  ManifestStructureError, ManifestSyntaxError, parseManifest, redactSecrets, stringifyManifest, validateManifest, type Manifest,
} from "../../sdk";
import { importManifest } from "../helpers/manifests";

function syntaxErrorOf(text: string): ManifestSyntaxError {
  try {
    parseManifest(text);
  } catch (e) {
    if (e instanceof ManifestSyntaxError) return e;
    throw new Error(`expected a ManifestSyntaxError, got ${String(e)}`);
  }
  throw new Error("expected parseManifest to refuse the manifest");
}

/** `n` distinct top-level keys after a valid manifest. */
function manyKeys(n: number): string {
  const lines = [importManifest("alice-import")];
  for (let i = 0; i < n; i++) lines.push(`k${i}: v`);
  return lines.join("\n");
}

describe("manifest size and key limits", () => {
  test("a 600 KiB manifest is refused naming the limit and the service code", () => {
    // 6,000 keys of ~100 bytes: the shape that froze the emulator for seconds while yaml compared every key pair.
    const lines = [importManifest("alice-import")];
    for (let i = 0; i < 6_000; i++) lines.push(`key${i}: ${"x".repeat(100)}`);
    const text = lines.join("\n");
    expect(text.length).toBeGreaterThan(600 * 1024);
    const e = syntaxErrorOf(text);
    expect(e.code).toBe("MalformedManifestException");
    expect(e.message).toContain(`at most ${MAX_MANIFEST_BYTES} (64 KiB)`);
    expect([e.line, e.column]).toEqual([1, 1]);
  });

  test(`more than ${MAX_MANIFEST_ENTRIES} entries are refused with the position where the limit was crossed`, () => {
    const under = parseManifest(manyKeys(MAX_MANIFEST_ENTRIES - 20));
    expect(Object.keys(under)).toContain(`k${MAX_MANIFEST_ENTRIES - 21}`);
    const e = syntaxErrorOf(manyKeys(MAX_MANIFEST_ENTRIES));
    expect(e.message).toContain(`more than ${MAX_MANIFEST_ENTRIES} entries`);
  });

  test("duplicate keys are still found, with line and column, in a large manifest", () => {
    const text = `${manyKeys(4_000)}\nk3999: again\n`;
    const e = syntaxErrorOf(text);
    expect(e.message).toMatch(/duplicate key/);
    expect([e.line, e.column]).toEqual([text.split("\n").length - 1, 1]);
    // Also inside nested maps, and keys equal once unquoted.
    expect(syntaxErrorOf("returnAddress:\n  name: a\n  'name': b\n").line).toBe(3);
  });
});

describe("YAML aliases", () => {
  test("an alias with no anchor is a manifest syntax error with line and column, not a ReferenceError", () => {
    const e = syntaxErrorOf("manifestVersion: 2.0\ny: *nope\n");
    expect(e.code).toBe("MalformedManifestException");
    expect(e.message).toContain("alias *nope refers to no anchor");
    expect([e.line, e.column]).toEqual([2, 4]);
    // An alias before its anchor is the same mistake.
    expect(syntaxErrorOf("a: *x\nb: &x v\n").line).toBe(1);
  });

  test("ordinary aliases still work", () => {
    const m = parseManifest("a: &x v\nb: *x\n") as Record<string, unknown>;
    expect([m["a"], m["b"]]).toEqual(["v", "v"]);
  });

  test("a circular alias is refused by validation with the field path, and by stringifyManifest without a stack overflow", () => {
    const m = parseManifest(`${importManifest("alice-import")}\nx: &a [*a]\n`);
    const problems = validateManifest(m, "Import");
    expect(problems).toEqual([expect.objectContaining({ path: "x[0]", code: "MalformedManifestException" })]);
    expect(problems[0]?.message).toContain("contains itself");
    expect(() => stringifyManifest(m)).toThrow(ManifestStructureError);
    try {
      stringifyManifest(m);
    } catch (e) {
      expect(e).toMatchObject({ path: "x[0]", code: "MalformedManifestException" });
    }
  });
});

describe("nesting depth", () => {
  /** `{ deep: { a: { a: ... } } }` built in code, `levels` maps below the manifest's own. */
  function nested(levels: number): Manifest {
    let inner: Record<string, unknown> = { a: "v" };
    for (let i = 1; i < levels; i++) inner = { a: inner };
    return { ...(parseManifest(importManifest("alice-import")) as Record<string, unknown>), deep: inner } as Manifest;
  }

  test(`1,000-deep nesting is refused by validation (path) and stringifyManifest; ${MAX_MANIFEST_DEPTH} levels are fine`, () => {
    const deep = nested(1_000);
    const problems = validateManifest(deep, "Import");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "MalformedManifestException" });
    expect(problems[0]?.path).toMatch(/^deep(\.a)+$/);
    expect(problems[0]?.message).toContain(`deeper than ${MAX_MANIFEST_DEPTH} levels`);
    expect(() => stringifyManifest(deep)).toThrow(ManifestStructureError);
    const ok = nested(MAX_MANIFEST_DEPTH - 1);
    // 32 levels are within the limit: the one problem left is that `deep` is no manifest option (issue 21).
    expect(validateManifest(ok, "Import")).toEqual([expect.objectContaining({ path: "deep", code: "InvalidManifestFieldException" })]);
    expect(parseManifest(stringifyManifest(ok))).toEqual(ok);
  });

  test("deep nesting in YAML text is a syntax error with a position (block and flow)", () => {
    let block = "deep:\n";
    for (let i = 1; i <= 40; i++) block += `${"  ".repeat(i)}a:\n`;
    const b = syntaxErrorOf(`${block}${"  ".repeat(41)}v\n`);
    expect(b.message).toContain(`deeper than ${MAX_MANIFEST_DEPTH} levels`);
    expect(b.line).toBeGreaterThan(30);
    const f = syntaxErrorOf(`x: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`);
    expect(f.code).toBe("MalformedManifestException");
    expect(f.message).toContain("deeper than");
    const compact = syntaxErrorOf(`x:\n${"- ".repeat(20_000)}v\n`);
    expect(compact.code).toBe("MalformedManifestException");
  });
});

describe("secret redaction", () => {
  const secret = "hostile/Secret+Key=0123456789abcdef";

  test("redactSecrets catches raw, upper- and lower-case percent-encoded and form-encoded copies", () => {
    const upper = encodeURIComponent(secret);
    const lower = upper.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    expect(lower).not.toBe(upper);
    for (const copy of [secret, upper, lower]) expect(redactSecrets(`before ${copy} after`, [secret])).toBe("before *** after");
    expect(redactSecrets("a+secret+phrase!", ["a secret phrase!"])).toBe("***");
    expect(redactSecrets("abc", ["abc"])).toBe("abc"); // too short to redact safely
  });

  describe("a server that echoes the request's signature and token into every field of its error document", () => {
    let server: Server;
    let endpoint: string;
    const token = "SESSION-token/with+chars==";
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (d: Buffer) => (body += d.toString()));
        req.on("end", () => {
          const sigV2 = new URLSearchParams(body).get("Signature");
          const sigV4 = /Signature=([0-9a-f]+)/.exec(String(req.headers["authorization"] ?? ""))?.[1];
          const sig = sigV2 ?? sigV4 ?? "none";
          const lower = (t: string): string => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
          const xml = `<ErrorResponse><Error><Type>${sig}</Type><Code>${sig}</Code><Message>bad ${lower(sig)} ${lower(secret)} ${lower(token)}</Message></Error><RequestId>${lower(token)}</RequestId></ErrorResponse>`;
          res.writeHead(400, { "content-type": "text/xml", "x-amzn-RequestId": sig }).end(xml);
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    for (const signatureVersion of ["v2", "v4"] as const) {
      test(`${signatureVersion}: name, code, type, message, $metadata and the JSON form carry no secret`, async () => {
        const client = new ImportExportClient({
          endpoint, region: "us-east-1", signatureVersion, maxAttempts: 1,
          credentials: { accessKeyId: "HOSTILETEST000000001", secretAccessKey: secret, sessionToken: token },
        });
        const err = await client.getStatus({ JobId: "ABCDE" }).then(() => undefined, (e: unknown) => e);
        await client.destroy();
        expect(err).toBeInstanceOf(ImportExportServiceException);
        const e = err as ImportExportServiceException;
        expect(e.code).toBe("***");
        expect(e.name).toBe("***");
        const everything = [e.name, e.code, e.type, e.message, String(e), e.stack, JSON.stringify(e), JSON.stringify(e.$metadata)].join("\n");
        const lowered = (t: string): string => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
        for (const s of [secret, token]) {
          expect(everything).not.toContain(s);
          expect(everything).not.toContain(encodeURIComponent(s));
          expect(everything).not.toContain(lowered(s));
        }
        expect(everything).not.toMatch(/[0-9a-f]{64}/); // a SigV4 signature
        expect(e.$metadata.requestId).toBe("***");
      });
    }
  });
});
