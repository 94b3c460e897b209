/**
 * The `importexport` command on hostile input (issue 15): YAML alias mistakes and self-containing manifests are
 * input errors (exit 2) with a position or a field path, and secrets a server echoes back never reach stderr.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importManifest } from "../helpers/manifests";
import { ensureCliBuilt, isolatedEnv, runCli } from "./helpers";

describe("importexport on hostile input", () => {
  const dir = mkdtempSync(join(tmpdir(), "importexport-cli-hostile-"));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  beforeAll(async () => {
    await ensureCliBuilt();
  }, 120_000);

  it("validate: an alias without its anchor exits 2 with file:line:column", async () => {
    const r = await runCli(["validate", file("alias.yaml", `${importManifest("alice-import")}\ny: *nope\n`)], isolatedEnv());
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^importexport: MalformedManifestException: .*alias\.yaml:\d+:4: Your manifest is not well-formed: alias \*nope refers to no anchor/);
    expect(r.stderr).not.toContain("ReferenceError");
  });

  it("validate: a circular alias exits 2 naming the field", async () => {
    const r = await runCli(["validate", file("cycle.yaml", `${importManifest("alice-import")}\nx: &a [*a]\n`)], isolatedEnv());
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^x\[0\]: .*contains itself.*\(MalformedManifestException\)$/m);
    expect(r.stderr).not.toMatch(/RangeError|call stack/);
  });

  it("a secret of the environment pasted into a flag is redacted from the error line", async () => {
    const secret = "pasted/Secret+Key=0123456789";
    const r = await runCli(["get-status", "--job-id", "ABCDE", "--output", secret], isolatedEnv({ AWS_SECRET_ACCESS_KEY: secret }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--output must be one of");
    expect(r.stderr).toContain('found "***"');
    expect(r.stderr).not.toContain(secret);
  });

  describe("a server echoing secrets into its error document", () => {
    const secret = "cli/Hostile+Secret=0123456789abcdef";
    let server: Server;
    let endpoint: string;
    beforeAll(async () => {
      const lower = (t: string): string => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (d: Buffer) => (body += d.toString()));
        req.on("end", () => {
          const sig = new URLSearchParams(body).get("Signature") ?? "none";
          const xml = `<ErrorResponse><Error><Type>Sender</Type><Code>${sig}</Code><Message>${lower(sig)} ${lower(secret)}</Message></Error><RequestId>${sig}</RequestId></ErrorResponse>`;
          res.writeHead(400, { "content-type": "text/xml", "x-amzn-RequestId": sig }).end(xml);
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("exits 1 and prints neither the secret nor the signature, in any encoding", async () => {
      const env = isolatedEnv({ AWS_ACCESS_KEY_ID: "HOSTILECLI0000000001", AWS_SECRET_ACCESS_KEY: secret });
      const r = await runCli(["get-status", "--job-id", "ABCDE", "--endpoint-url", endpoint], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^importexport: \*\*\*: /);
      const out = r.stdout + r.stderr;
      expect(out).not.toContain(secret);
      expect(out.toLowerCase()).not.toContain(encodeURIComponent(secret).toLowerCase());
      // The SigV2 signature is base64 of 32 bytes: 43 characters and a '='.
      expect(out).not.toMatch(/[A-Za-z0-9+/]{43}=/);
    });
  });
});
