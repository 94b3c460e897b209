/**
 * The emulator's moto-style split, checked on the sources: the backend (moto's models) takes typed inputs and
 * never reaches into the wire edge (moto's responses), and the code auth and backend share lives beside both.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const emulator = join(__dirname, "..", "..", "emulator");

/** The module specifiers a TypeScript file imports (static imports and re-exports). */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1] ?? "");
}

describe("emulator layout", () => {
  const backend = readdirSync(join(emulator, "backend")).filter((f) => f.endsWith(".ts"));

  it("finds the backend's modules and their imports", () => {
    expect(backend).toEqual(expect.arrayContaining(["index.ts", "job.ts", "lifecycle.ts"]));
    expect(imports(join(emulator, "backend", "index.ts"))).toEqual(expect.arrayContaining(["../accounts", "../../sdk/types"]));
  });

  it("the backend imports nothing from the wire edge or the SDK's protocol modules", () => {
    for (const file of backend) {
      for (const spec of imports(join(emulator, "backend", file))) {
        expect([file, spec]).not.toEqual([file, expect.stringMatching(/(^|\/)wire(\/|$)|sdk\/protocol\//)]);
      }
    }
  });

  it("accounts are not backend code: auth and the backend both import them from emulator/accounts", () => {
    expect(backend).not.toContain("accounts.ts");
    expect(imports(join(emulator, "auth", "index.ts"))).toContain("../accounts");
  });
});
