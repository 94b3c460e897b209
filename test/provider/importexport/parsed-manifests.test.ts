/**
 * provider/importexport/parsed-manifests: the parses a provider process keeps, by canonical text. What is kept must be
 * exactly what the text parses to, must not be changeable by a caller, and must stay bounded however many (or however
 * large) manifests a stack has.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseManifest, stringifyManifest, type Manifest } from "../../../sdk/manifest";
import { forgetParsedManifests, keptParsedManifests, parsedManifest } from "../../../provider/importexport/parsed-manifests";
import { canonicalManifest, manifestForCall } from "../../../provider/importexport/inputs";
import { withCreateMarker } from "../../../provider/importexport/create-marker";

// A number where the manifest has text (postalCode), as a program may write it.
const manifest = (deviceId: string, extra: Record<string, unknown> = {}): Manifest =>
  ({
    manifestVersion: "2.0",
    deviceId,
    eraseDevice: true,
    bucket: "alice-import",
    returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode: 98101, phoneNumber: "206-555-1111", country: "USA" },
    ...extra,
  }) as unknown as Manifest;

afterEach(() => forgetParsedManifests());

describe("parsed manifests kept by canonical text", () => {
  it("an object's canonical text and kept parse are what writing it and parsing that text give", () => {
    const m = manifest("A", { operations: [{ exportBucket: "b", prefix: "p/" }], contentTypes: { ".b": "x", ".a": "y" } });
    const c = canonicalManifest(m);
    const text = stringifyManifest(m);
    expect(c.yaml).toBe(text);
    expect(c.yaml).toBe(stringifyManifest(parseManifest(text)));
    expect(c.manifest).toEqual(parseManifest(text));
    expect(parsedManifest(c.yaml)).toBe(c.manifest);
  });

  it("what is kept cannot be changed by a caller, at any depth", () => {
    const kept = canonicalManifest(manifest("B")).manifest as Record<string, Record<string, unknown>>;
    expect(() => {
      kept["deviceId"] = "changed" as never;
    }).toThrow(TypeError);
    expect(() => {
      (kept["returnAddress"] as Record<string, unknown>)["city"] = "Elsewhere";
    }).toThrow(TypeError);
    expect(parseManifest(canonicalManifest(manifest("B")).yaml)).toEqual(kept);
  });

  it("text that is not canonical (a comment, its own spacing and order) is not kept under its canonical text", () => {
    const text = "# photos\ndeviceId:   C\nmanifestVersion: 2.0\nbucket: alice-import\n";
    const c = canonicalManifest(text);
    expect(c.yaml).not.toBe(text);
    expect(keptParsedManifests().texts).toBe(0);
    // Sending it parses the canonical text itself.
    expect(manifestForCall(c.yaml, "AKID").sent).toContain("accessKeyId: AKID");
    expect(parsedManifest(c.yaml)).toEqual(parseManifest(c.yaml));
  });

  it("the marked manifest's kept parse has the options and values its text parses to", () => {
    const c = canonicalManifest(manifest("D", { trueCryptPassword: "pw-1" }));
    const marked = withCreateMarker(c.yaml, "pulumi-importexport create 0123456789abcdef");
    expect(parsedManifest(marked)).toEqual(parseManifest(marked));
    const call = manifestForCall(marked, "AKID");
    expect(call.sent).toBe(stringifyManifest({ ...parseManifest(marked), accessKeyId: "AKID" }));
    expect(call.shown).toContain('trueCryptPassword: "[redacted]"');
    expect(call.shown).not.toContain("pw-1");
  });

  it("stays bounded: at most 1,024 texts, and at most 4 Mi characters of text", () => {
    for (let i = 0; i < 1_100; i++) canonicalManifest(manifest(`N${i}`));
    expect(keptParsedManifests().texts).toBe(1_024);
    // The oldest went first: the newest is still kept.
    const newest = canonicalManifest(manifest("N1099")).yaml;
    expect(keptParsedManifests().texts).toBe(1_024);
    expect(parsedManifest(newest).deviceId).toBe("N1099");

    forgetParsedManifests();
    const big = (i: number) => manifest(`B${i}`, { dataDescription: "x".repeat(60_000) });
    for (let i = 0; i < 100; i++) canonicalManifest(big(i));
    const kept = keptParsedManifests();
    expect(kept.chars).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(kept.texts).toBeLessThan(100);
    expect(kept.texts).toBeGreaterThan(50);
  });
});
