/**
 * The serialized provider stays tiny (design.md, principle 3): Pulumi stores it in every ImportExportJob's state, so
 * it must carry no library source and no credential, and it must still work once deserialized in another process.
 *
 * Serialization runs in a plain `node` child process on the built dist/ — exactly what a Pulumi program does —
 * because vitest's module registry is not Node's `require.cache` and would change what the serializer captures.
 * Needs `npm run build` (the `pretest` step runs it).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "..", "..");
const dist = join(root, "dist", "provider");

/** Runs a CommonJS script with plain node in `cwd` and parses the JSON it prints last. */
function runNode<T>(script: string, cwd: string, env: Record<string, string> = {}): T {
  const dir = mkdtempSync(join(tmpdir(), "ie-serialize-"));
  try {
    const file = join(dir, "script.js");
    writeFileSync(file, script);
    const out = execFileSync(process.execPath, [file], { cwd, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const last = out.trim().split("\n").pop() ?? "";
    return JSON.parse(last) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const serializeScript = `
const { importExportJobProvider } = require(${JSON.stringify(join(dist, "serialized.js"))});
const runtime = require(${JSON.stringify(join(root, "node_modules", "@pulumi", "pulumi", "runtime"))});
// The same call pulumi.dynamic.Resource makes (sdk/nodejs/dynamic/index.ts serializeFunctionMaybeSecret).
runtime.serializeFunction(() => importExportJobProvider, { allowSecrets: true }).then(
  (sf) => console.log(JSON.stringify({ text: sf.text, containsSecrets: sf.containsSecrets })),
  (e) => { console.error(e); process.exit(1); },
);
`;

/** Loads serialized text the way the dynamic-provider host does (require-from-string, empty file name) and calls it. */
function useScript(text: string): string {
  return `
const requireFromString = require(require.resolve("require-from-string", { paths: [${JSON.stringify(join(root, "node_modules", "@pulumi", "pulumi"))}] }));
const provider = requireFromString(${JSON.stringify(text)}).handler();
(async () => {
  await provider.configure({ config: { get: (k) => ({ "importexport:validateOnPreview": "false", "importexport:endpoint": "http://127.0.0.1:9" })[k] } });
  const result = await provider.check({}, { jobType: "import", manifest: "manifestVersion: 2.0\\ndeviceId:   X1\\neraseDevice: yes\\nbucket: b\\nreturnAddress: {name: N, street1: S, city: C, stateOrProvince: WA, postalCode: '98101', phoneNumber: '1', country: USA}\\n" });
  const loaded = Object.keys(require.cache).filter((k) => k.endsWith("/provider/runtime.js"));
  console.log(JSON.stringify({ result, loaded }));
})().catch((e) => { console.error(e); process.exit(1); });
`;
}

describe("serialized provider", () => {
  let text = "";
  let containsSecrets = true;
  let outside = "";

  beforeAll(() => {
    if (!existsSync(join(dist, "serialized.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    ({ text, containsSecrets } = runNode<{ text: string; containsSecrets: boolean }>(serializeScript, root));
    outside = mkdtempSync(join(tmpdir(), "ie-outside-"));
    mkdirSync(outside, { recursive: true });
  });
  afterAll(() => {
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  it("is smaller than 8 KiB", () => {
    console.log(`serialized provider: ${Buffer.byteLength(text)} bytes`);
    expect(Buffer.byteLength(text)).toBeLessThan(8 * 1024);
    expect(text).toContain("exports.handler");
  });

  it("contains no library source and captures no secret", () => {
    expect(containsSecrets).toBe(false);
    for (const marker of ["undici", "fast-xml-parser", "XMLParser", "@aws-sdk", "fromNodeProviderChain", "parseDocument", "ImportExportClient", "stringifyManifest", "sigV2"]) {
      expect(text, marker).not.toContain(marker);
    }
    // Nothing from the implementation either: only the loader and the delegating methods.
    expect(text).not.toContain("decideDiff");
    expect(text).toContain("pulumi-importexport/provider-runtime");
  });

  it("works when deserialized from the program directory (package resolved by name)", () => {
    const linked = join(root, "node_modules", "pulumi-importexport");
    if (!existsSync(linked)) throw new Error("node_modules/pulumi-importexport is missing: run `node scripts/setup.mjs` first");
    const r = runNode<{ result: { inputs: Record<string, unknown>; failures?: unknown[] }; loaded: string[] }>(useScript(text), root);
    expect(r.result.failures ?? []).toEqual([]);
    expect(r.result.inputs["jobType"]).toBe("Import");
    expect(r.result.inputs["manifest"]).toContain("deviceId: X1\n");
    expect(r.loaded).toHaveLength(1);
  });

  it("falls back to the absolute path when the package name does not resolve", () => {
    const r = runNode<{ result: { inputs: Record<string, unknown> }; loaded: string[] }>(useScript(text), outside);
    expect(r.result.inputs["jobType"]).toBe("Import");
    expect(r.loaded).toEqual([join(dist, "runtime.js")]);
  });
});

const iotSerializeScript = serializeScript.replace(/importExportJobProvider/g, "iotJobProvider").replace('"serialized.js"', '"iot-serialized.js"').replace(join(dist, "serialized.js"), join(dist, "iot-serialized.js"));

/** Loads the serialized IotJob provider like the dynamic-provider host and runs check (no API call). */
function useIotScript(text: string): string {
  return `
const requireFromString = require(require.resolve("require-from-string", { paths: [${JSON.stringify(join(root, "node_modules", "@pulumi", "pulumi"))}] }));
const provider = requireFromString(${JSON.stringify(text)}).handler();
(async () => {
  await provider.configure({ config: { get: (k) => ({ "importexport-iot:endpoint": "http://127.0.0.1:9" })[k] } });
  const result = await provider.check({}, { targets: ["arn:aws:iot:us-east-1:111111111111:thing/a"], document: "{}", autoNamePrefix: "fw" });
  const loaded = Object.keys(require.cache).filter((k) => k.endsWith("/provider/iot-runtime.js"));
  const sdkLoaded = Object.keys(require.cache).some((k) => k.includes("@aws-sdk/client-iot"));
  console.log(JSON.stringify({ result, loaded, sdkLoaded }));
})().catch((e) => { console.error(e); process.exit(1); });
`;
}

describe("serialized IotJob provider", () => {
  let text = "";
  let containsSecrets = true;
  let outside = "";
  beforeAll(() => {
    if (!existsSync(join(dist, "iot-serialized.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    ({ text, containsSecrets } = runNode<{ text: string; containsSecrets: boolean }>(iotSerializeScript, root));
    outside = mkdtempSync(join(tmpdir(), "ie-outside-"));
  });
  afterAll(() => {
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  it("is smaller than 8 KiB, holds no library source and no secret, and loads pulumi-importexport/iot-runtime", () => {
    console.log(`serialized IotJob provider: ${Buffer.byteLength(text)} bytes`);
    expect(Buffer.byteLength(text)).toBeLessThan(8 * 1024);
    expect(containsSecrets).toBe(false);
    for (const marker of ["@aws-sdk", "IoTClient", "fromNodeProviderChain", "decideDiff", "checkIotInputs", "undici"]) expect(text, marker).not.toContain(marker);
    expect(text).toContain("pulumi-importexport/iot-runtime");
  });

  it("works when deserialized (by package name, and by the fallback path), and check loads no AWS SDK", () => {
    const byName = runNode<{ result: { inputs: Record<string, unknown>; failures?: unknown[] }; loaded: string[]; sdkLoaded: boolean }>(useIotScript(text), root);
    expect(byName.result.failures ?? []).toEqual([]);
    expect(byName.result.inputs["jobId"]).toMatch(/^fw-[a-z0-9]{7}$/);
    expect(byName.loaded).toHaveLength(1);
    expect(byName.sdkLoaded).toBe(false);
    const byPath = runNode<{ loaded: string[] }>(useIotScript(text), outside);
    expect(byPath.loaded).toEqual([join(dist, "iot-runtime.js")]);
  });
});
