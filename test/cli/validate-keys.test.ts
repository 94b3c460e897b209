/**
 * Issue 21 item 1 at `importexport validate`: a misspelt manifest key exits 2, names the key and what was probably
 * meant, locally (nothing is sent).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { importManifest } from "../helpers/manifests";
import { ensureCliBuilt, isolatedEnv, runCli } from "./helpers";

describe("importexport validate: unknown manifest keys", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureCliBuilt();
    dir = mkdtempSync(join(tmpdir(), "importexport-cli-keys-"));
  });

  it("eraseDevcie: exit 2, `eraseDevcie: … did you mean `eraseDevice`? (InvalidManifestFieldException)`", async () => {
    const file = join(dir, "typo.yaml");
    writeFileSync(file, importManifest("alice-import").replace("eraseDevice: yes", "eraseDevcie: yes").replace("street1:", "stret1:"));
    const r = await runCli(["validate", file], isolatedEnv(), dir);
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split("\n")).toEqual([
      "eraseDevcie: Manifest field eraseDevcie is not a manifest option; did you mean `eraseDevice`? (InvalidManifestFieldException)",
      "returnAddress.stret1: Manifest field returnAddress.stret1 is not a returnAddress option; did you mean `street1`? (InvalidManifestFieldException)",
      "returnAddress.street1: Required manifest field returnAddress.street1 is missing. (InvalidAddressException)",
    ]);
    expect(r.stderr).toBe(`importexport: InvalidManifestFieldException: ${file} is not a valid Import manifest (3 problems, listed above)\n`);
  });
});
