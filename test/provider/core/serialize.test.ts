/**
 * The serialized provider stays tiny (design.md, principle 3): Pulumi stores it in every ImportExportJob's state, so
 * it must carry no library source and no credential, and it must still work once deserialized in another process.
 *
 * Serialization runs in a plain `node` child process on the built dist/ — exactly what a Pulumi program does —
 * because vitest's module registry is not Node's `require.cache` and would change what the serializer captures.
 * Two layouts: the repo's own (node_modules/pulumi-importexport is a link to the repo, so the package's real path is
 * outside node_modules and the provider is stored by value), and the package as users install it (`npm pack`
 * unpacked into a program's node_modules as a real directory, scripts/install-packed.mjs), where it is stored as a
 * `require()` of the installed file — and under pnpm's layout, where the serializer would map that wrongly, by value.
 * Needs `npm run build` (the `pretest` step runs it).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "..", "..", "..");
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

/**
 * Serializes the provider object `pulumi.dynamic.Resource` gets (providerForState of the provider module, as
 * resource.ts passes it) with the same call it makes (sdk/nodejs/dynamic/index.ts serializeFunctionMaybeSecret), in
 * the package at `packageDir` (its dist/provider).
 */
function serializeScript(packageDir: string, providerModule: string): string {
  const at = (file: string): string => JSON.stringify(join(packageDir, "dist", "provider", file));
  return `
const { providerForState } = require(${at("core/serialized.js")});
const provider = providerForState(require(${at(`${providerModule}.js`)}));
const runtime = require(${JSON.stringify(join(root, "node_modules", "@pulumi", "pulumi", "runtime"))});
runtime.serializeFunction(() => provider, { allowSecrets: true }).then(
  (sf) => console.log(JSON.stringify({ text: sf.text, containsSecrets: sf.containsSecrets })),
  (e) => { console.error(e); process.exit(1); },
);
`;
}

/** Loads serialized text the way the dynamic-provider host does (require-from-string, empty file name) and calls it. */
function useScript(text: string): string {
  return `
const requireFromString = require(require.resolve("require-from-string", { paths: [${JSON.stringify(join(root, "node_modules", "@pulumi", "pulumi"))}] }));
const provider = requireFromString(${JSON.stringify(text)}).handler();
(async () => {
  await provider.configure({ config: { get: (k) => ({ "importexport:validateOnPreview": "false", "importexport:endpoint": "http://127.0.0.1:9" })[k] } });
  const result = await provider.check({}, { jobType: "import", manifest: "manifestVersion: 2.0\\ndeviceId:   X1\\neraseDevice: yes\\nbucket: b\\nreturnAddress: {name: N, street1: S, city: C, stateOrProvince: WA, postalCode: '98101', phoneNumber: '1', country: USA}\\n" });
  const loaded = Object.keys(require.cache).filter((k) => k.endsWith("/provider/importexport/runtime.js"));
  console.log(JSON.stringify({ result, loaded }));
})().catch((e) => { console.error(e); process.exit(1); });
`;
}

describe("serialized provider", () => {
  let text = "";
  let containsSecrets = true;
  let outside = "";

  beforeAll(() => {
    if (!existsSync(join(dist, "import-export-provider.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    ({ text, containsSecrets } = runNode<{ text: string; containsSecrets: boolean }>(serializeScript(root, "import-export-provider"), root));
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

  it("is stored by value when the package is linked (its real path is outside node_modules)", () => {
    expect(text).not.toContain('require("pulumi-importexport/dist/');
    expect(text).toContain(JSON.stringify(join(dist, "importexport", "runtime")));
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
    expect(r.loaded).toEqual([join(dist, "importexport", "runtime.js")]);
  });
});

/** Loads the serialized IotJob provider like the dynamic-provider host and runs check (no API call). */
function useIotScript(text: string): string {
  return `
const requireFromString = require(require.resolve("require-from-string", { paths: [${JSON.stringify(join(root, "node_modules", "@pulumi", "pulumi"))}] }));
const provider = requireFromString(${JSON.stringify(text)}).handler();
(async () => {
  await provider.configure({ config: { get: (k) => ({ "importexport-iot:endpoint": "http://127.0.0.1:9" })[k] } });
  const result = await provider.check({}, { targets: ["arn:aws:iot:us-east-1:111111111111:thing/a"], document: "{}", autoNamePrefix: "fw" });
  const loaded = Object.keys(require.cache).filter((k) => k.endsWith("/provider/iot/runtime.js"));
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
    if (!existsSync(join(dist, "iot-job-provider.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    ({ text, containsSecrets } = runNode<{ text: string; containsSecrets: boolean }>(serializeScript(root, "iot-job-provider"), root));
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
    expect(text).not.toContain('require("pulumi-importexport/dist/');
  });

  it("works when deserialized (by package name, and by the fallback path), and check loads no AWS SDK", () => {
    const byName = runNode<{ result: { inputs: Record<string, unknown>; failures?: unknown[] }; loaded: string[]; sdkLoaded: boolean }>(useIotScript(text), root);
    expect(byName.result.failures ?? []).toEqual([]);
    // An auto-name goes back to the engine as the internal input __jobId (provider/iot-autoname).
    expect(byName.result.inputs["__jobId"]).toMatch(/^fw-[a-z0-9]{7}$/);
    expect(byName.loaded).toHaveLength(1);
    expect(byName.sdkLoaded).toBe(false);
    const byPath = runNode<{ loaded: string[] }>(useIotScript(text), outside);
    expect(byPath.loaded).toEqual([join(dist, "iot", "runtime.js")]);
  });
});

/** What the two deserialization scripts print. */
interface Used {
  result: { inputs: Record<string, unknown>; failures?: unknown[] };
  loaded: string[];
}

/** Each provider: its module, the runtime it loads, and a script that loads its serialized text and runs check. */
const providers = [
  { resource: "ImportExportJob", module: "import-export-provider", runtime: "importexport/runtime.js", use: useScript },
  { resource: "IotJob", module: "iot-job-provider", runtime: "iot/runtime.js", use: useIotScript },
] as const;

/** A program directory inside the repo (so @pulumi/pulumi and the package's dependencies resolve by walking up). */
function programDir(): string {
  mkdirSync(join(root, ".tmp"), { recursive: true });
  const dir = realpathSync(mkdtempSync(join(root, ".tmp", "ie-installed-")));
  // Its own package.json, as a user's program has: without one, the repo's package.json would be the program's
  // package scope and `require("pulumi-importexport")` would resolve to the repo itself (package self-reference).
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "installed-program", private: true }));
  return dir;
}

/** Unpacks `npm pack` of the repo into `dir` (scripts/install-packed.mjs); returns the package directory. */
function installPacked(dir: string): string {
  return execFileSync(process.execPath, [join(root, "scripts", "install-packed.mjs"), dir], { cwd: root, encoding: "utf8" }).trim();
}

describe("serialized providers of an installed package", () => {
  let program = "";
  let installed = "";
  const serialized = new Map<string, { text: string; containsSecrets: boolean }>();
  beforeAll(() => {
    program = programDir();
    installed = installPacked(program);
    for (const p of providers) serialized.set(p.module, runNode(serializeScript(installed, p.module), program));
  });
  afterAll(() => {
    if (program) rmSync(program, { recursive: true, force: true });
  });

  for (const p of providers) {
    it(`${p.resource}: is stored as a require() of the installed file, < 600 bytes, with no absolute path`, () => {
      const { text, containsSecrets } = serialized.get(p.module) ?? { text: "", containsSecrets: true };
      console.log(`serialized ${p.resource} provider, installed package: ${Buffer.byteLength(text)} bytes`);
      expect(text).toMatch(new RegExp(`^const provider = require\\("pulumi-importexport/dist/provider/${p.module}\\.js"\\);$`, "m"));
      expect(Buffer.byteLength(text)).toBeLessThan(600);
      expect(containsSecrets).toBe(false);
      expect(text).not.toContain(root);
      expect(text).not.toMatch(/["'`]\//);
    });

    it(`${p.resource}: works when deserialized from the program directory, with the installed runtime`, () => {
      const r = runNode<Used>(p.use(serialized.get(p.module)?.text ?? ""), program);
      expect(r.result.failures ?? []).toEqual([]);
      expect(Object.keys(r.result.inputs).length).toBeGreaterThan(0);
      expect(r.loaded).toEqual([join(installed, "dist", "provider", p.runtime)]);
    });
  }

  it("maps each provider file to itself through package.json exports, also where the serializer finds the package.json", () => {
    // Here the serializer resolves the package from @pulumi/pulumi's location (the repo's link), misses its
    // package.json and keeps the path as it is; next to a user's @pulumi/pulumi it finds it and maps the path
    // through "exports" (throwing for a file not in it). Both must give the same specifier.
    const script = `
const { getModuleFromPath } = require(${JSON.stringify(join(root, "node_modules", "@pulumi", "pulumi", "runtime", "closure", "package.js"))});
const pkg = require(${JSON.stringify(join(installed, "package.json"))});
console.log(JSON.stringify(${JSON.stringify(providers.map((p) => `pulumi-importexport/dist/provider/${p.module}.js`))}.map((m) => getModuleFromPath(m, pkg))));
`;
    expect(runNode<string[]>(script, program)).toEqual(providers.map((p) => `pulumi-importexport/dist/provider/${p.module}.js`));
  });

  it("a program whose nearest node_modules holds another copy of the package gets the provider by value", () => {
    // The provider process would resolve the reference in that nearer copy, not in the package the program ran.
    const nested = join(program, "nested");
    mkdirSync(join(nested, "node_modules", "pulumi-importexport"), { recursive: true });
    writeFileSync(join(nested, "node_modules", "pulumi-importexport", "package.json"), JSON.stringify({ name: "pulumi-importexport", version: "0.0.0" }));
    const { text } = runNode<{ text: string }>(serializeScript(installed, "import-export-provider"), nested);
    expect(text).not.toContain('require("pulumi-importexport/dist/');
    expect(text).toContain(JSON.stringify(join(installed, "dist", "provider", "importexport", "runtime")));
  });
});

describe("serialized providers under pnpm's layout", () => {
  let program = "";
  let installed = "";
  beforeAll(() => {
    // node_modules/pulumi-importexport -> .pnpm/pulumi-importexport@<v>/node_modules/pulumi-importexport: the real
    // path's first node_modules segment is followed by .pnpm, which the serializer cannot map (pulumi/pulumi#10009).
    program = programDir();
    const store = join(program, "node_modules", ".pnpm", "pulumi-importexport@0.1.0");
    installed = installPacked(store);
    symlinkSync(join(".pnpm", "pulumi-importexport@0.1.0", "node_modules", "pulumi-importexport"), join(program, "node_modules", "pulumi-importexport"));
  });
  afterAll(() => {
    if (program) rmSync(program, { recursive: true, force: true });
  });

  for (const p of providers) {
    it(`${p.resource}: is stored by value and works when deserialized`, () => {
      const { text } = runNode<{ text: string }>(serializeScript(installed, p.module), program);
      expect(text).not.toContain('require(".pnpm');
      expect(text).not.toContain('require("pulumi-importexport/dist/');
      expect(Buffer.byteLength(text)).toBeLessThan(8 * 1024);
      const r = runNode<Used>(p.use(text), program);
      expect(r.result.failures ?? []).toEqual([]);
      expect(r.loaded).toEqual([join(installed, "dist", "provider", p.runtime)]);
    });
  }
});
