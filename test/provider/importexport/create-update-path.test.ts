/**
 * The create and update paths of a job, by the manifest parses and API calls they make. The YAML codec is counted,
 * not replaced: every call goes to the real one, against the emulator, which also counts the API calls.
 * - Update of a manifest edit (issue 20, item 3): `update` trusts the inputs the engine checked, builds UpdateJob's
 *   request once and redacts the manifest once — one parse of the manifest YAML in all (before: five, two of them for
 *   a request and a redaction that were thrown away).
 * - Create (issue 25, item 2: `up` of 100 jobs ≤ 1.10× of 100 no-op resources): `create` trusts the inputs the
 *   engine checked, marks the manifest once and fills the signing key into it once, and shows what it sent without
 *   parsing it again — two parses in all (before: seven, each about a millisecond of the provider process per job).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as runtime from "../../../provider/importexport/runtime";
import { CREATE_MARKER_PREFIX } from "../../../provider/importexport/create-marker";
import { ImportExportClient } from "../../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { status as statusOf } from "../../helpers/job-state";

const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../../sdk/manifest/codec", async (load) => {
  const real = await load<typeof import("../../../sdk/manifest/codec")>();
  return {
    ...real,
    parseManifest: (...args: Parameters<typeof real.parseManifest>) => {
      // The provider's parses only (its own, and the redaction's it asks for): the emulator (in this process) parses
      // what it receives too.
      const caller = new Error().stack?.split("\n")[2] ?? "";
      if (/\/provider\/|\/sdk\/manifest\/redact/.test(caller)) parses.count++;
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

describe("create of checked inputs", () => {
  it("parses the manifest twice, calls CreateJob and GetStatus once each, sends the marked manifest and shows it redacted", async () => {
    const checked = await runtime.check({}, { jobType: "Import", manifest: manifest("A") });
    expect(checked.failures ?? []).toEqual([]);
    // The caller's account (STS) is read once per connection: read it here, so the count below is per job.
    await runtime.create(checked.inputs);

    const before = (await emu.admin.stats()).byAction;
    parses.count = 0;
    const created = await runtime.create(checked.inputs);
    expect(parses.count).toBe(2);
    const after = (await emu.admin.stats()).byAction;
    const calls = Object.fromEntries(Object.keys(after).map((a) => [a, (after[a] ?? 0) - (before[a] ?? 0)]).filter(([, n]) => n !== 0));
    expect(calls).toEqual({ CreateJob: 1, GetStatus: 1 });

    // What the service holds: the user's manifest with the create marker and the signing key filled in.
    const direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
    const live = String((await direct.getStatus({ JobId: created.id })).CurrentManifest);
    await direct.destroy();
    expect(live).toContain(`generator: ${CREATE_MARKER_PREFIX}`);
    expect(live).toContain(`accessKeyId: ${emu.account.accessKeyId}`);
    // What the state shows: the same text, its device password redacted.
    const yaml = String(statusOf(created.outs)["manifestYaml"]);
    expect(yaml).toContain(`generator: ${CREATE_MARKER_PREFIX}`);
    expect(yaml).toContain(`accessKeyId: ${emu.account.accessKeyId}`);
    expect(yaml).toContain('trueCryptPassword: "[redacted]"');
    expect(yaml).not.toContain("device-password-1");
    expect(yaml.replace('"[redacted]"', "device-password-1")).toBe(live);
  });
});
