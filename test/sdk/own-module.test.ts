/**
 * sdk/own-module: the package's own modules are `require`d on first use, so a provider process never starts Node's
 * ESM loader for them (issue 25: about 25 ms of CPU on the first create of every `up`); `import()` is only the
 * fallback for sources that `require` cannot find. The process test needs `npm run build`.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOwnModule } from "../../sdk/own-module";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";

const root = join(__dirname, "..", "..");

describe("loadOwnModule", () => {
  it("takes what require returns and never imports", async () => {
    let imported = 0;
    const mod = { name: "required" };
    await expect(loadOwnModule({ require: () => mod, import: async () => (imported++, { name: "imported" }) })).resolves.toBe(mod);
    expect(imported).toBe(0);
  });

  it("imports when require cannot find the file (the TypeScript sources under vitest)", async () => {
    const mod = await loadOwnModule<{ loadOwnModule: unknown }>({ require: () => require("./no-such-module.js"), import: () => import("../../sdk/own-module.js") });
    expect(mod.loadOwnModule).toBe(loadOwnModule);
  });

  it("passes on any other failure of the module itself, without importing it again", async () => {
    let imported = 0;
    const broken = (): never => {
      throw new SyntaxError("Unexpected token");
    };
    await expect(loadOwnModule({ require: broken, import: async () => (imported++, {}) })).rejects.toThrow(SyntaxError);
    expect(imported).toBe(0);
  });
});

// A fresh Node process on the built package: configure, check and create one job against the emulator (CreateJob,
// GetStatus, STS), then report whether Node's ESM loader ever ran a module job.
const SCRIPT = String.raw`
const runtime = require(${JSON.stringify(join(root, "dist", "provider", "importexport", "runtime.js"))});
const esmStarted = () => process.moduleLoadList.some((m) => m.endsWith("internal/modules/esm/module_job"));
(async () => {
  const [endpoint, accessKeyId, secretAccessKey] = process.argv.slice(1);
  const values = { "importexport:endpoint": endpoint, "importexport:accessKeyId": accessKeyId, "importexport:secretAccessKey": secretAccessKey };
  await runtime.configure({ config: { get: (k) => values[k] } });
  const manifest = { manifestVersion: "2.0", deviceId: "DEVICE-1", eraseDevice: true, bucket: "alice-import", returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", phoneNumber: "206-555-1111", country: "USA" } };
  const checked = await runtime.check({}, { jobType: "Import", manifest, __inUpdate: true });
  const created = await runtime.create(checked.inputs);
  const loaded = Object.keys(require.cache).filter((k) => /[\\/]dist[\\/]sdk[\\/](client|credentials)\.js$/.test(k)).length;
  console.log(JSON.stringify({ id: created.id, accountId: created.outs.status.accountId, loaded, esmStarted: esmStarted() }));
  await runtime.resetForTests?.();
  process.exit(0);
})().catch((e) => { console.error(String(e)); process.exit(1); });
`;

describe("a provider process on the built package", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("creates a job (CreateJob, GetStatus, STS) without starting the ESM loader", async () => {
    const child = spawn(process.execPath, ["-e", SCRIPT, emu.endpoint, emu.account.accessKeyId, emu.account.secretAccessKey], { cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
    expect(out["id"]).toMatch(/^[A-Z0-9]{5}$/);
    expect(out["accountId"]).toBe(emu.account.accountId);
    expect(out["loaded"]).toBe(2);
    expect(out["esmStarted"]).toBe(false);
  });
});
