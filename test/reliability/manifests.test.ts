/**
 * Hostile manifests through the SDK's validator and the provider's `check` (issue 13, part 3, the manifest half):
 * ≥ 10,000 generated manifests (fast-check) — structured ones with every known option given random values and
 * types, arbitrary JSON-like values, and YAML text built from hostile pieces (alias bombs, deep nesting, tabs, bad
 * indentation, bad UTF-8 / lone surrogates, huge scalars). Expected: no exception escapes (0 uncaught), and every
 * failure names a field path and the service error code.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runtime from "../../provider/importexport/runtime";
import { ManifestSyntaxError, parseManifest, validateManifest, type Manifest } from "../../sdk/manifest";
import { recordFigures, scaled } from "./scale";

const RUNS = Number(process.env["MANIFEST_RUNS"] ?? scaled({ test: 10_000, soak: 50_000 }));
/**
 * A field path: the manifest's option (with list index), or an unknown key JSON-quoted in brackets (`manifest["a.b"]`,
 * issue 21), then anything below it (substitution keys are free text).
 */
const PROPERTY = /^(jobType|manifest|manifest\.\(document\)|manifest(\.[A-Za-z0-9_]+|\["(?:[^"\\]|\\.)*"\])(\[\d+\])?(\..*|\[".*)?)$/s;
const CODED = /\((?:[A-Z][A-Za-z]+Exception|MalformedManifestException)[^()]*\)\s*$/;

const KEYS = [
  "manifestVersion", "generator", "accessKeyId", "deviceId", "fileSystem", "eraseDevice", "pinCode", "trueCryptPassword", "bucket",
  "logBucket", "logPrefix", "notificationEmail", "serviceLevel", "returnAddress", "customs", "operations", "substitutions", "prefix",
  "acl", "ignore", "setContentEncodingForGzFiles", "extractArchive", "storageClass", "expectedDigest", "cacheControl", "contentType",
  "archiveComment", "vaultName", "importType", "diskTimestamp", "targetDirectory",
];
const ADDRESS_KEYS = ["name", "company", "street1", "street2", "street3", "city", "stateOrProvince", "postalCode", "country", "phoneNumber"];

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }), // lone surrogates and control characters
  fc.constantFrom("2.0", "3.0", "yes", "no", "Yes", "NTFS", "alice-import", "", " ", "~", "null", "*a", "&a x", "- x", "{", "]"),
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.nat({ max: 2 }).map((n) => "x".repeat(10 ** (n + 2))),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, fc.array(tie("v"), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), tie("v"), { maxKeys: 4 })),
})).v;
const address = fc.dictionary(fc.constantFrom(...ADDRESS_KEYS, "zip", ""), fc.oneof(scalar, value), { maxKeys: 10 });
const structured = fc.dictionary(fc.constantFrom(...KEYS, "unknownOption", "__proto__", "constructor"), fc.oneof(scalar, value, address, fc.array(address, { maxLength: 3 })), { maxKeys: 14 });

const PIECES = [
  "manifestVersion: 2.0\n", "deviceId: 49382\n", "eraseDevice: yes\n", "bucket: alice-import\n", "returnAddress:\n", "  name: Jane\n",
  "  postalCode: 98101\n", "operations:\n  - exportBucket: b\n", "a: &a [x, x, x, x, x, x, x, x]\n", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n",
  "c: [*b, *b, *b, *b, *b, *b, *b, *b]\n", "d: *zz\n", "<<: *a\n", "\t- tab\n", "   bad: indent\n", "? complex\n: key\n", "---\n", "...\n",
  "%YAML 1.1\n", "!!binary x\n", "!custom x\n", "key: 'unterminated\n", "\"\\uD800\": x\n", "\u0000\n", "\uFEFF", "\u2028", "\uD83D",
  "x: " + "[".repeat(300) + "]".repeat(300) + "\n", "x: " + "{a: ".repeat(100) + "1" + "}".repeat(100) + "\n", "k: v\nk: w\n",
  "deviceId: [1, 2]\n", "bucket: {a: b}\n", "manifestVersion: 9.9\n", "eraseDevice: maybe\n", "logPrefix: " + "p".repeat(1100) + "\n",
];
const yamlText = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((p) => p.join(""));
const VALID = {
  manifestVersion: "2.0", deviceId: "49382", eraseDevice: "yes", bucket: "alice-import",
  returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", phoneNumber: "206-555-1111", country: "USA" },
};
/** A valid manifest with one option replaced (or left as it is): failures must name exactly that option. */
const mutated = fc.option(fc.tuple(fc.constantFrom(...KEYS), fc.oneof(scalar, value)), { freq: 4 }).map((kv) => (kv ? { ...VALID, [kv[0]]: kv[1] } : VALID));
const manifestInput = fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 4, arbitrary: structured }, { weight: 1, arbitrary: value }, { weight: 3, arbitrary: yamlText });
const jobType = fc.oneof({ weight: 8, arbitrary: fc.constantFrom("Import", "Export", "import") }, { weight: 1, arbitrary: value });

describe(`${RUNS} generated manifests through validateManifest and check`, () => {
  beforeAll(async () => {
    await runtime.resetForTests();
    // Local validation only: no service is asked (validateOnPreview false; the endpoint is never contacted).
    const values: Record<string, string> = { "importexport:endpoint": "http://127.0.0.1:9", "importexport:validateOnPreview": "false", "importexport:accessKeyId": "EMULATORALICE0000001", "importexport:secretAccessKey": "never-sent-secret-key-000000000000000000" };
    await runtime.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } });
  });
  afterAll(() => runtime.resetForTests());

  it("0 uncaught exceptions; every failure names a field path and the error code", async () => {
    let failed = 0;
    let accepted = 0;
    let problems = 0;
    let syntax = 0;
    const uncaught: string[] = [];
    const unnamed: string[] = [];
    await fc.assert(
      fc.asyncProperty(manifestInput, jobType, async (manifest, type) => {
        // The SDK's validator, on what the codec makes of the text (or the object as given).
        let parsed: Manifest | undefined;
        try {
          parsed = typeof manifest === "string" ? parseManifest(manifest) : (manifest as Manifest);
        } catch (e) {
          if (e instanceof ManifestSyntaxError) syntax++;
          else uncaught.push(`parseManifest: ${(e as Error).name}: ${(e as Error).message}`.slice(0, 200));
        }
        if (parsed !== undefined && parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
          for (const t of ["Import", "Export"] as const) {
            try {
              for (const p of validateManifest(parsed, t)) {
                problems++;
                if (!/Exception$/.test(p.code) || p.message.length === 0) unnamed.push(`validateManifest: ${JSON.stringify(p).slice(0, 200)}`);
              }
            } catch (e) {
              uncaught.push(`validateManifest: ${(e as Error).name}: ${(e as Error).message}`.slice(0, 200));
            }
          }
        }
        // The provider's check, as the engine calls it for a new resource.
        try {
          const r = await runtime.check({}, { jobType: type, manifest });
          const failures = r.failures ?? [];
          if (failures.length === 0) accepted++;
          else failed++;
          for (const f of failures) {
            if (!PROPERTY.test(f.property) || !CODED.test(f.reason)) unnamed.push(`check: ${f.property}: ${f.reason}`.slice(0, 240));
          }
        } catch (e) {
          uncaught.push(`check: ${(e as Error).name}: ${(e as Error).message}`.slice(0, 200));
        }
      }),
      { numRuns: RUNS, seed: Number(process.env["MANIFEST_SEED"] ?? 1313), endOnFailure: true },
    );
    expect(uncaught.slice(0, 10)).toEqual([]);
    expect(unnamed.slice(0, 10)).toEqual([]);
    expect(failed).toBeGreaterThan(RUNS / 2);
    expect(accepted).toBeGreaterThan(0);
    recordFigures("hostile-manifests", { manifests: RUNS, checkFailed: failed, checkAccepted: accepted, validatorProblems: problems, syntaxErrors: syntax, uncaught: uncaught.length, failuresWithoutFieldOrCode: unnamed.length });
  }, scaled({ test: 240_000, soak: 900_000 }));
});
