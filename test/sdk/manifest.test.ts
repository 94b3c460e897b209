import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { ManifestStructureError, ManifestSyntaxError, manifestBuckets, parseManifest, stringifyManifest, validateManifest, type Manifest } from "../../sdk/manifest";
import { parseManifestWithYaml, writtenManifest, yamlDocumentText } from "../../sdk/manifest/codec";
import { plainTextTree } from "../../sdk/manifest/plain-text";

const address = `returnAddress:
    name: Amazon.com ATTN Joe Random
    street1: 120 Nosuch Ave S.
    city: Seattle
    stateOrProvince: WA
    postalCode: 91111
    phoneNumber: 206-266-0000
    country: USA
`;
const s3Import = `manifestVersion: 2.0
accessKeyId: AKIAIOSFODNN7EXAMPLE
${address}deviceId: 49382
eraseDevice: no
bucket: myBucket
`;
const s3Export = `manifestVersion: 2.0
accessKeyId: AKIAIOSFODNN7EXAMPLE
deviceId: HD001
fileSystem: NTFS
trueCryptPassword: password123
logBucket: my-log-bucket
operations:
  - exportBucket: my-data-bucket
    prefix: images
    beginMarker: images/starwars/jedi.jpg
    endMarker: images/starwars/masterwindoo.jpg
  - exportBucket: lost
returnAddress:
    name: Jane Roe
    company: Example Corp.
    street1: 123 Any Street
    city: Anytown
    stateOrProvince: WA
    postalCode: 91011-1111
    phoneNumber: 206-555-1111
    country: USA
`;
const glacier = `manifestVersion: 3.0
deviceId: 532404500021
eraseDevice: yes
logBucket: my-log-bucket
notificationEmail: john.doe@example.com;jane.roe@example.com
operations:
  - destination: glacier
    source: device
    region: us-east-1
    vaultName: 2012-07_archive
    archiveComment: daily_2012-07-24
${address}`;

describe("parseManifest", () => {
  test("keeps scalars as written and turns yes/no into booleans", () => {
    const m = parseManifest(s3Import);
    expect(m.manifestVersion).toBe("2.0");
    expect(m.deviceId).toBe("49382");
    expect(m.eraseDevice).toBe(false);
    expect(m.returnAddress?.postalCode).toBe("91111");
    expect(parseManifest(glacier).eraseDevice).toBe(true);
  });

  test.each(["yes", "Yes", "TRUE", "true", "no", "No", "false", "FALSE"])("accepts %s for a yes/no option", (v) => {
    expect(parseManifest(`eraseDevice: ${v}\n`).eraseDevice).toBe(/^(yes|true)$/i.test(v));
  });

  test("keeps unknown options", () => {
    expect(parseManifest("manifestVersion: 2.0\nfutureOption:\n  nested: x\n")).toEqual({ manifestVersion: "2.0", futureOption: { nested: "x" } });
  });

  test("refuses duplicate keys with line and column", () => {
    const err = (() => {
      try {
        parseManifest("deviceId: a\nbucket: b\ndeviceId: c\n");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ManifestSyntaxError);
    const e = err as ManifestSyntaxError;
    expect(e.code).toBe("MalformedManifestException");
    expect(e.line).toBe(3);
    expect(e.column).toBe(1);
    expect(e.message).toMatch(/duplicate key.*line 3, column 1/);
  });

  test.each([
    ["- a\n- b\n", 1],
    ["just text\n", 1],
    ["", 1],
    ["\n\n  42\n", 3],
  ])("refuses a non-map root %j", (text, line) => {
    expect(() => parseManifest(text)).toThrow(ManifestSyntaxError);
    try {
      parseManifest(text);
    } catch (e) {
      expect((e as ManifestSyntaxError).line).toBe(line);
    }
  });

  test("refuses invalid YAML with a position", () => {
    try {
      parseManifest("a: b\nc: [d\n");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ManifestSyntaxError);
      expect((e as ManifestSyntaxError).line).toBeGreaterThanOrEqual(2);
    }
  });

  test("a __proto__ key is data, never the prototype", () => {
    const m = parseManifest("__proto__:\n  polluted: yes\ndeviceId: x\n");
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(m, "__proto__")).toBe(true);
  });
});

describe("stringifyManifest", () => {
  test("writes a stable key order whatever the input order", () => {
    // Unknown keys (zeta, alpha) no longer type-check, but YAML text can carry them: the codec still writes them
    // stably, after the known ones, so that validation can name them.
    const a = { bucket: "b", deviceId: "d", manifestVersion: "2.0", zeta: "z", alpha: "a", eraseDevice: true, returnAddress: { country: "USA", name: "N" } } as Manifest;
    const b = { alpha: "a", returnAddress: { name: "N", country: "USA" }, eraseDevice: true, zeta: "z", manifestVersion: "2.0", deviceId: "d", bucket: "b" } as Manifest;
    expect(stringifyManifest(a)).toBe(stringifyManifest(b));
    expect(stringifyManifest(a)).toBe(
      "manifestVersion: 2.0\ndeviceId: d\neraseDevice: yes\nbucket: b\nreturnAddress:\n  name: N\n  country: USA\nalpha: a\nzeta: z\n",
    );
  });

  test("keeps operations in order and orders keys inside each", () => {
    const text = stringifyManifest(parseManifest(s3Export));
    expect(text.indexOf("exportBucket: my-data-bucket")).toBeLessThan(text.indexOf("exportBucket: lost"));
    expect(text).toContain("  - exportBucket: my-data-bucket\n    prefix: images\n    beginMarker:");
  });

  test("quotes what YAML would misread and round-trips", () => {
    const m: Manifest = { manifestVersion: "2.0", deviceId: "a: b # c", notificationEmail: "x@y.z", generator: "  padded  ", prefix: "" };
    expect(parseManifest(stringifyManifest(m))).toEqual(m);
  });

  test.each([s3Import, s3Export, glacier])("parse → stringify → parse is the identity (example %#)", (text) => {
    const once = stringifyManifest(parseManifest(text));
    expect(stringifyManifest(parseManifest(once))).toBe(once);
    expect(parseManifest(once)).toEqual(parseManifest(text));
  });

  test("property: stringify is a fixed point after one round trip", () => {
    const key = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,8}$/);
    const value = fc.oneof(fc.string({ maxLength: 20 }), fc.boolean());
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (dict) => {
        const text = stringifyManifest(dict as Manifest);
        expect(stringifyManifest(parseManifest(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  // The provider leans on this (provider/importexport/inputs.ts canonicalManifest): a manifest object's text is its
  // canonical text, and that text's parse is what it keeps for the calls that send it.
  test("property: a nested manifest object's text is canonical, and its parse writes it again", () => {
    const text = fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom("yes", "no", "2.0", "02134", "a: b", "- x", "#", "null", "~", ""));
    const scalar = fc.oneof(text, fc.boolean(), fc.integer());
    const address = fc.record({ name: text, street1: text, postalCode: fc.oneof(text, fc.integer()), country: text }, { requiredKeys: [] });
    const manifest = fc.record(
      {
        manifestVersion: fc.constant("2.0"),
        deviceId: text,
        eraseDevice: fc.oneof(fc.boolean(), text),
        bucket: text,
        returnAddress: address,
        customs: fc.record({ encryptedData: fc.oneof(fc.boolean(), text), dataDescription: text }, { requiredKeys: [] }),
        operations: fc.array(fc.record({ exportBucket: text, prefix: text }, { requiredKeys: [] }), { maxLength: 3 }),
        contentTypes: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), text, { maxKeys: 3 }),
        extra: scalar,
      },
      { requiredKeys: ["manifestVersion"] },
    );
    fc.assert(
      fc.property(manifest, (m) => {
        const written = stringifyManifest(m as Manifest);
        expect(stringifyManifest(parseManifest(written))).toBe(written);
      }),
      { numRuns: 300 },
    );
  });
});

describe("validateManifest", () => {
  test.each([
    ["S3 import", s3Import, "Import"],
    ["S3 export", s3Export, "Export"],
    ["Glacier import", glacier, "Import"],
  ] as const)("the Developer Guide's %s example is valid", (_n, text, type) => {
    expect(validateManifest(parseManifest(text), type)).toEqual([]);
  });

  test("EBS import is valid", () => {
    const m = parseManifest(glacier.replace(/operations:[\s\S]*?(?=returnAddress)/, "operations:\n  - destination: ebs-snapshot\n    source: device\n    region: us-east-1\n"));
    expect(validateManifest(m, "Import")).toEqual([]);
  });

  test("reports every problem with path and service code", () => {
    const m = parseManifest(`manifestVersion: 2.0
eraseDevice: maybe
acl: world-writable
serviceLevel: fastest
returnAddress:
  name: J
  street1: 1 St
  city: Seattle
  stateOrProvince: WA
  phoneNumber: 206
  country: USA
`);
    const problems = validateManifest(m, "Import");
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ["deviceId", "MissingManifestFieldException"],
      ["eraseDevice", "InvalidManifestFieldException"],
      ["serviceLevel", "InvalidManifestFieldException"],
      ["returnAddress.postalCode", "InvalidAddressException"],
      ["bucket", "MissingManifestFieldException"],
      ["acl", "InvalidManifestFieldException"],
    ]);
    for (const p of problems) expect(p.message).toContain(p.path);
  });

  test("export: file system, encryption, operations, log bucket", () => {
    const m = parseManifest(`manifestVersion: 2.0
deviceId: HD001
fileSystem: FAT32
operations:
  - prefix: images
  - notAMap
${address}`);
    expect(validateManifest(m, "Export").map((p) => [p.path, p.code])).toEqual([
      ["fileSystem", "InvalidFileSystemException"],
      ["logBucket", "MissingManifestFieldException"],
      ["trueCryptPassword", "MissingManifestFieldException"],
      ["operations[1]", "InvalidManifestFieldException"],
      ["operations[0].exportBucket", "MissingManifestFieldException"],
    ]);
  });

  test("manifestVersion must fit the job type", () => {
    expect(validateManifest(parseManifest(glacier), "Export").map((p) => p.path)).toContain("manifestVersion");
    expect(validateManifest({ ...parseManifest(s3Import), manifestVersion: "1.5" }, "Import")[0]).toMatchObject({ path: "manifestVersion", code: "InvalidManifestFieldException" });
    const { manifestVersion: _dropped, ...noVersion } = parseManifest(s3Import);
    expect(validateManifest(noVersion, "Import")[0]).toMatchObject({ path: "manifestVersion", code: "MissingManifestFieldException" });
  });

  test("Glacier: archiveComment at most 997 characters, eraseDevice required", () => {
    const m = parseManifest(glacier);
    const op = m.operations![0]!;
    const { eraseDevice: _dropped, ...noErase } = m;
    const long = { ...noErase, operations: [{ ...op, archiveComment: "x".repeat(998) }] };
    expect(validateManifest(long, "Import").map((p) => [p.path, p.code])).toEqual([
      ["eraseDevice", "MissingManifestFieldException"],
      ["operations[0].archiveComment", "InvalidManifestFieldException"],
    ]);
    expect(validateManifest({ ...m, operations: [{ ...op, archiveComment: "x".repeat(997) }] }, "Import")).toEqual([]);
  });

  test("logPrefix plus the log name must fit in 1024 bytes", () => {
    const m = parseManifest(s3Import);
    expect(validateManifest({ ...m, logPrefix: "é".repeat(504) }, "Import")).toEqual([]);
    expect(validateManifest({ ...m, logPrefix: "é".repeat(505) }, "Import")[0]).toMatchObject({ path: "logPrefix", code: "InvalidManifestFieldException" });
  });

  test("customs: required abroad when the facility is known; values checked when present", () => {
    const m = parseManifest(s3Import);
    const abroad = { ...m, returnAddress: { ...m.returnAddress, country: "Japan" } };
    expect(validateManifest(abroad, "Import")).toEqual([]);
    expect(validateManifest(abroad, "Import", { facilityRegion: "us-east-1" })).toEqual([
      expect.objectContaining({ path: "customs", code: "MissingCustomsException" }),
    ]);
    const euToEu = { ...m, returnAddress: { ...m.returnAddress, country: "Germany" } };
    expect(validateManifest(euToEu, "Import", { facilityRegion: "eu-west-1" })).toEqual([]);
    const badCustoms = { ...abroad, customs: { dataDescription: "photos", encryptedData: "perhaps", deviceValue: "lots" } };
    const codes = validateManifest(badCustoms, "Import", { facilityRegion: "us-east-1" }).map((p) => [p.path, p.code]);
    expect(codes).toContainEqual(["customs.encryptedData", "InvalidCustomsException"]);
    expect(codes).toContainEqual(["customs.deviceValue", "InvalidCustomsException"]);
    expect(codes).toContainEqual(["customs.exportCertifierName", "MissingCustomsException"]);
  });

  test("never throws on nonsense", () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom("Import", "Export") as fc.Arbitrary<"Import" | "Export">, (value, type) => {
        const problems = validateManifest(value as Manifest, type);
        expect(Array.isArray(problems)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("manifestBuckets", () => {
  test("names every bucket with its field", () => {
    expect(manifestBuckets(parseManifest(s3Import))).toEqual([{ field: "bucket", bucket: "myBucket" }]);
    expect(manifestBuckets(parseManifest(s3Export))).toEqual([
      { field: "operations[0].exportBucket", bucket: "my-data-bucket" },
      { field: "operations[1].exportBucket", bucket: "lost" },
      { field: "logBucket", bucket: "my-log-bucket" },
    ]);
  });
});

describe("manifests of plain words are written without YAML (sdk/manifest/plain-text)", () => {
  const word = fc.stringMatching(/^[A-Za-z0-9.][A-Za-z0-9 ._/@+,()'!;=&*:-]{0,12}$/);
  const anyText = fc.oneof(word, fc.string({ maxLength: 12 }), fc.constantFrom("", " x", "x ", "a: b", "#", "@x", "-x", "yes", "null"));
  const text = fc.oneof({ arbitrary: word, weight: 12 }, { arbitrary: anyText, weight: 1 });
  const manifest = fc.record(
    {
      manifestVersion: fc.constant("2.0"),
      deviceId: text,
      eraseDevice: fc.oneof(fc.boolean(), text),
      bucket: text,
      returnAddress: fc.record({ name: text, street1: text, postalCode: fc.oneof(text, fc.integer()), country: text }, { requiredKeys: [] }),
      customs: fc.record({ encryptedData: fc.oneof(fc.boolean(), text), dataDescription: text }, { requiredKeys: [] }),
      operations: fc.array(fc.oneof(fc.record({ exportBucket: text, prefix: text }, { requiredKeys: [] }), text), { maxLength: 3 }),
      contentTypes: fc.dictionary(fc.oneof(word, anyText), text, { maxKeys: 3 }),
      extra: fc.oneof(text, fc.boolean(), fc.integer()),
    },
    { requiredKeys: ["manifestVersion"] },
  );
  /** The written text is the YAML library's, and the parse that came with it is parseManifest's, key order included. */
  const expectExact = (m: Manifest, w: { text: string; parsed?: Manifest }): void => {
    expect(w.text).toBe(yamlDocumentText(m));
    expect(stringifyManifest(m)).toBe(w.text);
    if (w.parsed !== undefined) {
      expect(w.parsed).toEqual(parseManifestWithYaml(w.text));
      expect(JSON.stringify(w.parsed)).toBe(JSON.stringify(parseManifestWithYaml(w.text)));
    }
  };

  test("the manifests of the docs and of the engine tests are plain words: the same text and parse as through YAML", () => {
    const job = {
      manifestVersion: "2.0", deviceId: "DEVICE-7", eraseDevice: true, bucket: "alice-import",
      returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode: 98101, phoneNumber: "206-555-1111", country: "USA" },
    } as unknown as Manifest;
    for (const m of [job, parseManifest(s3Import), parseManifest(s3Export), parseManifest(glacier)]) {
      const w = writtenManifest(m);
      expect(w.parsed).toBeDefined();
      expectExact(m, w);
    }
  });

  test("property: whatever is written without YAML is the YAML library's text exactly, and comes with its parse", () => {
    let plain = 0;
    fc.assert(
      fc.property(manifest, (m) => {
        const w = writtenManifest(m as Manifest);
        if (w.parsed !== undefined) plain++;
        expectExact(m as Manifest, w);
      }),
      { numRuns: 500 },
    );
    // The plain path applies to a good part of them, or it would not be tested.
    expect(plain).toBeGreaterThan(20);
  });

  test("what YAML would quote or cannot write plainly goes through the YAML library", () => {
    for (const m of [{ deviceId: "a: b" }, { deviceId: "#x" }, { deviceId: "" }, { deviceId: " x" }, { operations: [] }, { returnAddress: {} }, { operations: [["x"]] }]) {
      const full = { manifestVersion: "2.0", ...m } as unknown as Manifest;
      const w = writtenManifest(full);
      expect(w.parsed).toBeUndefined();
      expectExact(full, w);
    }
    const circular: Record<string, unknown> = { manifestVersion: "2.0" };
    circular["returnAddress"] = circular;
    expect(() => writtenManifest(circular as Manifest)).toThrow(ManifestStructureError);
  });
});

describe("manifests of plain words are read without YAML (sdk/manifest/plain-text)", () => {
  const word = fc
    .stringMatching(/^[A-Za-z0-9.][A-Za-z0-9 ._/@+,()'!;=&*:-]{0,12}$/)
    .filter((w) => !w.endsWith(" ") && !w.endsWith(":") && !w.includes(": "));
  const text = fc.oneof({ arbitrary: word, weight: 60 }, { arbitrary: fc.constantFrom("", " x", "a: b", "#", "yes", "null"), weight: 1 });
  const manifest = fc.record(
    {
      manifestVersion: fc.constant("2.0"),
      deviceId: text,
      eraseDevice: fc.oneof(fc.boolean(), text),
      returnAddress: fc.record({ name: text, street1: text, postalCode: text }, { requiredKeys: ["name"] }),
      customs: fc.record({ encryptedData: fc.oneof(fc.boolean(), text), dataDescription: text }, { requiredKeys: ["encryptedData"] }),
      operations: fc.array(fc.oneof(fc.record({ exportBucket: text, prefix: text }, { requiredKeys: ["exportBucket"] }), text), { minLength: 1, maxLength: 3 }),
      contentTypes: fc.dictionary(word, text, { minKeys: 1, maxKeys: 3 }),
      extra: fc.oneof(text, fc.boolean()),
    },
    { requiredKeys: ["manifestVersion"] },
  );
  /** parseManifest's answer, or the message it refused with: either way what the YAML path gives too. */
  const outcome = (parse: (t: string) => Manifest, t: string): string => {
    try {
      return `ok ${JSON.stringify(parse(t))}`;
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  };
  /** Small edits that turn a plain text into one the YAML library reads differently, or refuses. */
  const edit = fc.record({
    at: fc.nat(),
    insert: fc.constantFrom("", " ", "  ", "#", ":", ": ", "-", "- ", "\n", "\t", "'", '"', "&a ", "*a", "[", "{", "x", "\r"),
    remove: fc.nat({ max: 3 }),
    duplicateLine: fc.boolean(),
  });

  test("the written text of a plain manifest is read back without YAML, to the YAML parse, key order included", () => {
    let plain = 0;
    fc.assert(
      fc.property(manifest, (m) => {
        const written = stringifyManifest(m as Manifest);
        const tree = plainTextTree(written);
        if (writtenManifest(m as Manifest).parsed !== undefined) {
          plain++;
          expect(tree).toBeDefined();
        } else {
          expect(tree).toBeUndefined();
        }
        expect(outcome(parseManifest, written)).toBe(outcome(parseManifestWithYaml, written));
      }),
      { numRuns: 400 },
    );
    expect(plain).toBeGreaterThan(100);
  });

  test("property: any edit of a plain text is read as the YAML library reads it, or refused with the same error", () => {
    let changed = 0;
    let readPlain = 0;
    fc.assert(
      fc.property(manifest, edit, (m, e) => {
        const written = stringifyManifest(m as Manifest);
        const at = e.at % (written.length + 1);
        let t = written.slice(0, at) + e.insert + written.slice(at + e.remove);
        if (e.duplicateLine) {
          const lines = t.split("\n");
          const i = at % lines.length;
          lines.splice(i, 0, lines[i] ?? "");
          t = lines.join("\n");
        }
        if (t !== written) changed++;
        // Edits inside a word, or a duplicated list item, leave a text the reader still takes.
        if (t !== written && plainTextTree(t) !== undefined) readPlain++;
        expect(outcome(parseManifest, t)).toBe(outcome(parseManifestWithYaml, t));
      }),
      { numRuns: 1500 },
    );
    expect(changed).toBeGreaterThan(1000);
    expect(readPlain).toBeGreaterThan(100);
  });

  test("only the writer's exact layout is taken: other spellings of the same manifest go to the YAML library", () => {
    const written = "manifestVersion: 2.0\ndeviceId: D-1\nreturnAddress:\n  name: Jane Roe\noperations:\n  - exportBucket: b\n    prefix: p\n  - lost\n";
    expect(plainTextTree(written)).toEqual({ manifestVersion: "2.0", deviceId: "D-1", returnAddress: { name: "Jane Roe" }, operations: [{ exportBucket: "b", prefix: "p" }, "lost"] });
    for (const other of [
      written.slice(0, -1), // no last newline
      written.replace("  name", "    name"), // another indentation
      written.replace("D-1", "D-1 # the disk"), // a comment
      written.replace("D-1", '"D-1"'), // a quoted value
      `${written}deviceId: D-2\n`, // a duplicate key
      written.replace("returnAddress:\n  name: Jane Roe\n", "returnAddress:\n"), // an empty value
      written.replace(/\n/g, "\r\n"), // CRLF
      `---\n${written}`, // a document marker
      "__proto__: x\n", // a key that is not a plain word
    ]) {
      expect(plainTextTree(other)).toBeUndefined();
      expect(outcome(parseManifest, other)).toBe(outcome(parseManifestWithYaml, other));
    }
    // __proto__ read by the YAML path is an own key, as before.
    expect(Object.getPrototypeOf(parseManifest("manifestVersion: 2.0\n__proto__: x\n"))).toBe(Object.prototype);
  });

  test("nesting past the depth limit is refused by the YAML path with its position, without deep recursion", () => {
    let deep = "";
    for (let i = 0; i < 40; i++) deep += `${"  ".repeat(i)}k${i}:\n`;
    deep += `${"  ".repeat(40)}leaf: x\n`;
    expect(plainTextTree(deep)).toBeUndefined();
    expect(() => parseManifest(deep)).toThrow(/nests deeper than 32 levels/);
    let ok = "";
    for (let i = 0; i < 30; i++) ok += `${"  ".repeat(i)}k${i}:\n`;
    ok += `${"  ".repeat(30)}leaf: x\n`;
    expect(plainTextTree(ok)).toBeDefined();
    expect(outcome(parseManifest, ok)).toBe(outcome(parseManifestWithYaml, ok));
  });

  test("more entries than the limit are refused as through YAML, not read plainly", () => {
    const many = (n: number): string => `manifestVersion: 2.0\noperations:\n${"  - x\n".repeat(n)}`;
    expect(plainTextTree(many(5_001))).toBeUndefined();
    expect(() => parseManifest(many(5_001))).toThrow(/more than 5000 entries/);
    expect(outcome(parseManifest, many(5_001))).toBe(outcome(parseManifestWithYaml, many(5_001)));
    expect(plainTextTree(many(4_000))).toBeDefined();
  });
});
