/**
 * The update path of a manifest edit (issue 20, item 3): `update` trusts the inputs the engine checked, builds
 * UpdateJob's request once and redacts the manifest once — one parse of the manifest YAML in all (before: five,
 * two of them for a request and a redaction that were thrown away). The YAML codec is counted, not replaced: every
 * call goes to the real one, against the emulator.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as runtime from "../../../provider/importexport/runtime";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { status as statusOf } from "../../helpers/job-state";

const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../../sdk/manifest", async (load) => {
  const real = await load<typeof import("../../../sdk/manifest")>();
  return {
    ...real,
    parseManifest: (...args: Parameters<typeof real.parseManifest>) => {
      // The provider's parses only: the emulator (in this process) parses what it receives too.
      if (/\/provider\//.test(new Error().stack?.split("\n")[2] ?? "")) parses.count++;
      return real.parseManifest(...args);
    },
  };
});

const manifest = (deviceId: string) => ({
  manifestVersion: "2.0",
  deviceId,
  eraseDevice: true,
  bucket: "alice-import",
  trueCryptPassword: "device-password-1",
  returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", phoneNumber: "206-555-1111", country: "USA" },
});

let emu: TestEmulator;

beforeAll(async () => {
  emu = await startTestEmulator();
  const values: Record<string, string> = {
    "importexport:endpoint": emu.endpoint,
    "importexport:accessKeyId": emu.account.accessKeyId,
    "importexport:secretAccessKey": emu.account.secretAccessKey,
  };
  await runtime.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } });
});
afterAll(async () => {
  await runtime.resetForTests();
  await emu?.close();
});

describe("update of a manifest edit", () => {
  it("parses the manifest once, sends the edit, and shows it redacted", async () => {
    const first = await runtime.check({}, { jobType: "Import", manifest: manifest("A") });
    const created = await runtime.create(first.inputs);
    const olds = { ...created.outs } as Record<string, unknown>;
    const edited = await runtime.check(olds, { jobType: "Import", manifest: manifest("B") });
    expect(edited.failures ?? []).toEqual([]);

    parses.count = 0;
    const r = await runtime.update(created.id, olds, edited.inputs);
    expect(parses.count).toBe(1);
    const yaml = String(statusOf(r.outs)["manifestYaml"]);
    expect(yaml).toContain("deviceId: B");
    expect(yaml).toContain("trueCryptPassword: \"[redacted]\"");
    expect(yaml).not.toContain("device-password-1");
  });
});
