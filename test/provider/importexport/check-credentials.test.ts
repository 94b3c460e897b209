/**
 * Issue 21, item 7: what `check` says about credentials. A wrong secret key is the credentials' fault, named by
 * their config keys (before: a check failure on `manifest.(document)`); a preview with no credentials at all says,
 * once, that it validated locally only (before: silence).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as runtime from "../../../provider/importexport/runtime";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";

let emu: TestEmulator;
const PROVIDER = "exports.handler = () => ({})";
const manifest = (deviceId: string) => ({
  manifestVersion: "2.0",
  deviceId,
  eraseDevice: true,
  bucket: "alice-import",
  returnAddress: { name: "Jane Roe", street1: "1 Any St", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", phoneNumber: "206-555-1111", country: "USA" },
});

async function configure(values: Record<string, string>): Promise<void> {
  await runtime.resetForTests();
  await runtime.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } });
}

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await runtime.resetForTests();
  await emu?.close();
});

describe("check and the credentials", () => {
  it("a wrong secret key is an error naming the config keys and the code, not a failure of the manifest", async () => {
    await configure({ "importexport:endpoint": emu.endpoint, "importexport:accessKeyId": emu.account.accessKeyId, "importexport:secretAccessKey": "not-the-secret-0000000000000000000000000" });
    const outcome = await runtime.check({}, { jobType: "Import", manifest: manifest("W1"), __provider: PROVIDER }).then(
      (r) => ({ failures: r.failures, message: "" }),
      (e: Error) => ({ failures: undefined, message: e.message }),
    );
    expect(outcome.failures).toBeUndefined();
    expect(outcome.message).toContain("The service refused the credentials");
    expect(outcome.message).toContain("(SignatureDoesNotMatch)");
    expect(outcome.message).toContain("importexport:accessKeyId and importexport:secretAccessKey");
    expect(outcome.message).not.toContain("manifest.");
    expect(outcome.message).not.toContain("not-the-secret");
  });

  it("with no credentials anywhere, a preview says once that it validates locally only, and calls nothing", async () => {
    for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"]) vi.stubEnv(k, "");
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
    vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/config");
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    await configure({ "importexport:endpoint": emu.endpoint });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const before = (await emu.admin.stats()).total;
    for (const id of ["N1", "N2"]) {
      const r = await runtime.check({}, { jobType: "Import", manifest: manifest(id), __provider: PROVIDER });
      expect(r.failures ?? []).toEqual([]);
    }
    const notes = log.mock.calls.map((c) => String(c[0])).filter((l) => l.includes("validated locally only"));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("importexport:validateOnPreview");
    expect((await emu.admin.stats()).total).toBe(before);

    // An explicit validateOnPreview=false is the user's choice: nothing to say.
    await configure({ "importexport:endpoint": emu.endpoint, "importexport:validateOnPreview": "false" });
    log.mockClear();
    await runtime.check({}, { jobType: "Import", manifest: manifest("N3"), __provider: PROVIDER });
    expect(log.mock.calls.some((c) => String(c[0]).includes("validated locally only"))).toBe(false);
  });
});
