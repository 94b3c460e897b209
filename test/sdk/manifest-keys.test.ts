/**
 * Issue 21 item 1: a misspelt manifest key is an error, not an option the service silently ignores. At compile time
 * (`Manifest` has no index signature: the `@ts-expect-error` lines below fail `tsc --noEmit` if it gets one back,
 * and the compiler test proves the error users see) and in YAML text, through the one validator.
 */
import { describe, expect, test } from "vitest";
import ts from "typescript";
import { join } from "node:path";
import { parseManifest, validateManifest, type Manifest } from "../../sdk/manifest";
import { closestOption, editDistance } from "../../sdk/manifest/keys";
import type { ImportExportJobArgs } from "../../provider/importexport/resource";

const address = `returnAddress:
  name: Jane Roe
  street1: 123 Any Street
  city: Anytown
  stateOrProvince: WA
  postalCode: "91011"
  phoneNumber: 206-555-1111
  country: USA
`;
const s3Import = `manifestVersion: 2.0\ndeviceId: HD1\neraseDevice: yes\nbucket: b\n${address}`;
const s3Export = `manifestVersion: 2.0\ndeviceId: HD1\nfileSystem: NTFS\ntrueCryptPassword: pw\nlogBucket: logs\noperations:\n  - exportBucket: data\n${address}`;
const glacier = `manifestVersion: 3.0\ndeviceId: HD1\neraseDevice: yes\nlogBucket: logs\noperations:\n  - destination: glacier\n    source: device\n    region: us-east-1\n    vaultName: v\n    archiveComment: c\n${address}`;

const problems = (text: string, type: "Import" | "Export" = "Import") => validateManifest(parseManifest(text), type);

describe("compile time", () => {
  test("object literals with a misspelt key do not type-check (Manifest, its nested maps, ImportExportJob's manifest)", () => {
    // @ts-expect-error eraseDevcie is not an option
    const top: Manifest = { manifestVersion: "2.0", eraseDevcie: "yes" };
    // @ts-expect-error stret1 is not a returnAddress member
    const nested: Manifest = { returnAddress: { stret1: "1 Main St" } };
    // @ts-expect-error vaultNme is not an operations member
    const listed: Manifest = { operations: [{ vaultNme: "v" }] };
    // @ts-expect-error the resource's input is checked the same way
    const args: ImportExportJobArgs = { jobType: "Import", manifest: { manifestVersion: "2.0", eraseDevcie: "yes" } };
    expect([top, nested, listed, args]).toHaveLength(4);
  });

  test("tsc reports TS2353/TS2561 naming the key, for the SDK type and for the resource's args", () => {
    const root = join(__dirname, "..", "..");
    const fixture = join(root, "test", "sdk", "__typo_fixture__.ts");
    const source = [
      `import type { Manifest } from "./../../sdk/manifest";`,
      `import type { ImportExportJobArgs } from "./../../provider/importexport/resource";`,
      `export const m: Manifest = { manifestVersion: "2.0", eraseDevcie: "yes" };`,
      `export const a: ImportExportJobArgs = { jobType: "Import", manifest: { returnAddress: { stret1: "x" } } };`,
      `export const ok: Manifest = { manifestVersion: "2.0", eraseDevice: true, returnAddress: { street1: "x" } };`,
    ].join("\n");
    const options: ts.CompilerOptions = { strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, target: ts.ScriptTarget.ES2022, types: ["node"] };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (file) => (file === fixture ? source : readFile(file));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (file) => file === fixture || fileExists(file);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (file, lang, onError) => (file === fixture ? ts.createSourceFile(file, source, lang) : getSourceFile(file, lang, onError));
    const program = ts.createProgram([fixture], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === fixture);
    const messages = diagnostics.map((d) => `TS${d.code} line ${d.file!.getLineAndCharacterOfPosition(d.start!).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(messages).toEqual([
      expect.stringMatching(/^TS(2353|2561) line 3: .*'eraseDevcie' does not exist in type 'Manifest'/),
      expect.stringMatching(/^TS(2353|2561) line 4: .*'stret1' does not exist/),
    ]);
  }, 60_000);
});

describe("validateManifest: unknown keys", () => {
  test("eraseDevcie: the first problem names it and suggests eraseDevice (before 'eraseDevice is missing' for 3.0)", () => {
    const [first, ...rest] = problems(glacier.replace("eraseDevice: yes", "eraseDevcie: yes"));
    expect(first).toEqual({
      path: "eraseDevcie", code: "InvalidManifestFieldException",
      message: "Manifest field eraseDevcie is not a manifest option; did you mean `eraseDevice`?",
    });
    expect(rest.map((p) => p.path)).toEqual(["eraseDevice"]);
    // On S3 import eraseDevice is optional: the typo is the only problem, where before it was none at all.
    expect(problems(s3Import.replace("eraseDevice: yes", "eraseDevcie: yes"))).toEqual([first]);
  });

  test("a misspelt manifestVersion comes before 'manifestVersion is missing'", () => {
    expect(problems(s3Import.replace("manifestVersion:", "manifestVerison:")).map((p) => p.path)).toEqual(["manifestVerison", "manifestVersion"]);
  });

  test.each([
    ["returnAddress.stret1", "street1", s3Import.replace("street1:", "stret1:"), "Import"],
    ["customs.deviceValeu", "deviceValue", `${s3Import}customs:\n  dataDescription: d\n  encryptedData: yes\n  encryptionClassification: 5D992\n  exportCertifierName: J\n  requiresExportLicense: no\n  deviceValeu: "250.00"\n  deviceCountryOfOrigin: China\n  deviceType: externalStorageDevice\n  typeOfExport: return\n`, "Import"],
    ["operations[0].exportBuckt", "exportBucket", s3Export.replace("exportBucket:", "exportBuckt:"), "Export"],
    ["EraseDevice", "eraseDevice", s3Import.replace("eraseDevice:", "EraseDevice:"), "Import"],
    ["logbucket", "logBucket", s3Export.replace("logBucket:", "logbucket:"), "Export"],
  ] as const)("%s: named with its full path, did you mean `%s`", (path, near, text, type) => {
    const found = problems(text, type).find((p) => p.path === path);
    expect(found).toMatchObject({ code: "InvalidManifestFieldException" });
    expect(found?.message).toContain(`did you mean \`${near}\`?`);
    expect(problems(text, type)[0]?.path).toBe(path);
  });

  test("a key close to nothing is named with what the map takes; a returnAddress member at the top level points under returnAddress", () => {
    expect(problems(s3Import.replace("street1:", "floor:")).find((p) => p.path === "returnAddress.floor")?.message).toBe(
      "Manifest field returnAddress.floor is not a returnAddress option (options: name, company, street1, street2, street3, city, stateOrProvince, postalCode, phoneNumber, country).",
    );
    expect(problems(`${s3Import}colour: blue\n`)[0]?.message).toBe("Manifest field colour is not a manifest option (keys are case-sensitive; spec §5 lists the options).");
    // The AWS CLI's sample manifest does not indent its address members (spec §5.1).
    expect(problems(`${s3Import}street2: Suite 5\n`)[0]?.message).toBe(
      "Manifest field street2 is not a manifest option; did you mean `returnAddress.street2` (indented under returnAddress)?",
    );
  });

  test("a key that is not a plain name is JSON-quoted in the path (provider: manifest[\"a.b\"])", () => {
    const found = problems(`${s3Import}"a.b": x\n"tab\\there": y\n`).map((p) => p.path);
    expect(found).toEqual(['["a.b"]', '["tab\\there"]']);
    expect(problems(s3Import.replace("street1:", '"str eet1":'))[0]?.path).toBe('returnAddress["str eet1"]');
  });

  test("free-form maps hold data, not options: any key is fine", () => {
    const text = `${s3Import}contentTypes:\n  jpg: image/jpeg\n  eraseDevcie: text/plain\nstaticMetadata:\n  x-owner: me\nsubstitutions:\n  ":": "-"\n`;
    expect(problems(text)).toEqual([]);
  });

  test("every documented example stays valid", () => {
    expect(problems(s3Import)).toEqual([]);
    expect(problems(s3Export, "Export")).toEqual([]);
    expect(problems(glacier)).toEqual([]);
  });
});

describe("validateManifest: keys of a newer manifestVersion", () => {
  test("a 3.0-only operations member in an Export (2.0) manifest names the key and the version that has it", () => {
    const text = s3Export.replace("  - exportBucket: data\n", "  - exportBucket: data\n    vaultName: v\n");
    expect(problems(text, "Export")).toEqual([{
      path: "operations[0].vaultName", code: "InvalidManifestFieldException",
      message: "Manifest field operations[0].vaultName is a manifestVersion 3.0 option (EBS and Glacier import); this manifest is manifestVersion 2.0.",
    }]);
  });

  test("the same member in a 3.0 import is fine; a 2.0 import with operations gets both messages", () => {
    expect(problems(glacier)).toEqual([]);
    const twoOh = glacier.replace("manifestVersion: 3.0", "manifestVersion: 2.0");
    const paths = problems(twoOh).map((p) => p.path);
    for (const key of ["destination", "source", "region", "vaultName", "archiveComment"]) expect(paths).toContain(`operations[0].${key}`);
    expect(paths).toContain("operations");
  });
});

describe("closest option", () => {
  test("edit distance counts an adjacent swap as one edit", () => {
    expect(editDistance("eraseDevcie", "eraseDevice")).toBe(1);
    expect(editDistance("stret1", "street1")).toBe(1);
    expect(editDistance("abc", "abc")).toBe(0);
    expect(editDistance("", "abc")).toBe(3);
  });

  test("the allowed distance grows with the key; far keys get no suggestion", () => {
    expect(closestOption("bukcet", ["bucket", "acl"])).toBe("bucket");
    expect(closestOption("acl", ["bucket", "acl"])).toBe("acl");
    expect(closestOption("xyz", ["bucket", "acl"])).toBeUndefined();
    expect(closestOption("notificationMail", ["notificationEmail"])).toBe("notificationEmail");
    expect(closestOption("color", ["bucket", "prefix"])).toBeUndefined();
  });
});
