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

  it("the IoT split: backend, lifecycle and records never import the wire edge (http.ts) or the server", () => {
    const dir = join(emulator, "iot");
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "http.ts" && f !== "admin.ts");
    expect(files).toEqual(expect.arrayContaining(["backend.ts", "lifecycle.ts", "records.ts", "errors.ts"]));
    for (const file of files) {
      for (const spec of imports(join(dir, file))) expect([file, spec]).not.toEqual([file, expect.stringMatching(/^\.\/http$|\/server$|\/wire\//)]);
    }
  });

  it("one IoT model: it and its validator live in sdk/iot, which imports neither the emulator nor the provider; both use it", () => {
    const emulatorIot = readdirSync(join(emulator, "iot"));
    expect(emulatorIot).not.toContain("model.ts");
    expect(emulatorIot).not.toContain("validate.ts");
    const sdkIot = join(emulator, "..", "sdk", "iot");
    for (const file of readdirSync(sdkIot).filter((f) => f.endsWith(".ts"))) {
      for (const spec of imports(join(sdkIot, file))) expect([file, spec]).not.toEqual([file, expect.stringMatching(/emulator|provider|@aws-sdk|@pulumi/)]);
    }
    expect(imports(join(emulator, "iot", "http.ts"))).toEqual(expect.arrayContaining(["../../sdk/iot/model", "../../sdk/iot/validate"]));
    expect(imports(join(emulator, "iot", "backend.ts"))).toContain("../../sdk/iot/validate");
    expect(imports(join(emulator, "..", "provider", "iot-inputs.ts"))).toEqual(expect.arrayContaining(["../sdk/iot/model", "../sdk/iot/validate"]));
  });
});
