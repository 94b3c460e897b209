/**
 * The SigV2 fast path (emulator/auth/canonical-form.ts) must give exactly the canonical string the general path
 * builds from the decoded parameters, or decline: which path runs may never change whether a signature matches.
 */
import { describe, expect, it } from "vitest";
import { canonicalFormOf } from "../../../emulator/core/auth/canonical-form";
import { parseForm } from "../../../emulator/core/query/form";
import { canonicalQueryString } from "../../../sdk/signing/encode";

/** The general path: canonicalise the decoded parameters, without Signature. */
const general = (text: string): string => canonicalQueryString(Object.fromEntries(parseForm(text, "body")), ["Signature"]);

describe("canonicalFormOf", () => {
  it("takes a body that is its own canonical form, with Signature first, inside or last, and agrees with the general path", () => {
    const canonical = "AWSAccessKeyId=AKID&Action=GetStatus&JobId=ABCDE&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2026-12-03T18%3A00%3A00Z&Version=2010-06-01";
    for (const text of [
      `${canonical}&Signature=abc%2Bdef%3D`,
      `Signature=abc%3D&${canonical}`,
      canonical.replace("&JobId", "&Signature=x&JobId"),
      canonical,
    ]) {
      expect(canonicalFormOf(text, parseForm(text, "body")), text).toBe(canonical);
      expect(general(text)).toBe(canonical);
    }
  });

  it("declines what is valid form encoding but not canonical, where the general path differs from the text", () => {
    for (const text of [
      "Action=GetStatus&AWSAccessKeyId=AKID", // not sorted (botocore's model order)
      "AWSAccessKeyId=AKID&Action=Get+Status", // + for a space
      "AWSAccessKeyId=AKID&Action=a%2fb", // lower-case hex
      "AWSAccessKeyId=AKID&Action=%41B", // an escaped unreserved character
      "AWSAccessKeyId=AKID&Action=a*b", // a reserved character left bare
    ]) {
      expect(canonicalFormOf(text, parseForm(text, "body")), text).toBeUndefined();
    }
  });

  it("agrees with the general path on random parameter sets (either the same string or a decline)", () => {
    const alphabet = ["a", "Z", "0", "-", "_", ".", "~", " ", "+", "/", "=", "&", "é", "%", "*"];
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const word = (min: number): string => Array.from({ length: min + rnd(6) }, () => alphabet[rnd(alphabet.length)]).join("");
    let taken = 0;
    for (let i = 0; i < 500; i++) {
      const params: Record<string, string> = {};
      for (let k = 0; k < 1 + rnd(6); k++) params[`N${rnd(9)}${word(0).replace(/[^A-Za-z0-9]/g, "")}`] = word(0);
      params["Signature"] = word(1);
      const sorted = canonicalQueryString(params);
      // Both the canonical layout and a shuffled one.
      const pairs = sorted.split("&");
      const shuffled = [...pairs].sort(() => rnd(3) - 1).join("&");
      for (const text of [sorted, shuffled]) {
        const fast = canonicalFormOf(text, parseForm(text, "body"));
        if (fast !== undefined) {
          taken++;
          expect(fast, text).toBe(general(text));
        }
      }
    }
    expect(taken).toBeGreaterThan(400); // the fast path is really exercised
  });
});
