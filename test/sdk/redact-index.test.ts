/**
 * A redactor of many secrets (the emulator dashboard holds every job's signature) looks up the few a text could
 * hold instead of trying each one (issue 22 item 1). The lookup must never miss: for any secrets and any text made
 * of raw, percent-encoded (either hex case, whole or in part) and form-encoded copies, overlaps and noise, it
 * redacts exactly what trying every secret in turn does. Secrets are drawn from a small alphabet holding the
 * characters the lookup treats specially (`%`, `+`, space, `*`, hex digits, a non-ASCII letter), so heads collide.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Redactor } from "../../sdk/redact";

/** What trying every secret in turn gives: one single-secret redactor after another, in the secrets' order. */
const oneByOne = (secrets: readonly string[], text: string): string => secrets.reduce((t, s) => new Redactor([s]).redact(t), text);

const chars = fc.constantFrom(..."aAbB4142%+ *=/é".split(""));
const secret = fc.string({ unit: chars, minLength: 4, maxLength: 9 });

const copyOf = (s: string, how: number): string => {
  switch (how) {
    case 0:
      return s;
    case 1:
      return encodeURIComponent(s);
    case 2:
      return encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    case 3:
      return new URLSearchParams({ x: s }).toString().slice(2);
    default:
      // Partly encoded: every other character escaped.
      return [...s].map((c, i) => (i % 2 === 1 ? encodeURIComponent(c) : c)).join("");
  }
};

describe("Redactor with many secrets (indexed)", () => {
  test("redacts exactly what trying every secret in turn does", () => {
    fc.assert(
      fc.property(
        fc.array(secret, { minLength: 16, maxLength: 40 }),
        fc.array(fc.oneof(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 4 })), fc.string({ unit: chars, maxLength: 6 })), { maxLength: 12 }),
        (secrets, parts) => {
          const text = parts.map((p) => (typeof p === "string" ? p : copyOf(secrets[p[0] % secrets.length] ?? "", p[1]))).join("");
          const unique = [...new Set(secrets)];
          expect(new Redactor(secrets).redact(text)).toBe(oneByOne(unique, text));
        },
      ),
      { numRuns: 600 },
    );
  });

  test("the 10,000 signatures of a dashboard: each raw or encoded copy goes, other text stays", () => {
    const signatures = Array.from({ length: 10_000 }, (_, i) => Buffer.from(`signature-${i}-of-many`).toString("base64"));
    const redactor = new Redactor(signatures);
    const text = `a ${signatures[7]} b ${encodeURIComponent(signatures[9_999]!)} c ${signatures[42]!.toLowerCase()} d`;
    expect(redactor.redact(text)).toBe(`a *** b *** c ${signatures[42]!.toLowerCase()} d`);
    expect(redactor.redact("nothing to hide")).toBe("nothing to hide");
  });
});
