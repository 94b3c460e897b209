/**
 * `redactManifest` lives in sdk/manifest/redact.ts, below both its users: the provider's outputs and the emulator's
 * dashboard. Device passwords become a marker; a manifest without any is returned byte for byte.
 */
import { describe, expect, it } from "vitest";
import { manifestForCall } from "../../../provider/importexport/inputs";
import { parseManifest } from "../../../sdk/manifest";
import { redactManifest, SECRET_MANIFEST_KEYS } from "../../../sdk/manifest/redact";
import { exportManifest, importManifest } from "../../helpers/manifests";

describe("redactManifest", () => {
  it("replaces trueCryptPassword and pinCode with a marker and keeps everything else", () => {
    const text = `${exportManifest("alice-export", "alice-logs")}\npinCode: "4711"\n`;
    expect(text).toContain("password123");
    const shown = redactManifest(text);
    expect(shown).not.toContain("password123");
    expect(shown).not.toContain("4711");
    const parsed = parseManifest(shown) as Record<string, unknown>;
    expect([parsed["trueCryptPassword"], parsed["pinCode"]]).toEqual(["[redacted]", "[redacted]"]);
    expect(parsed["deviceId"]).toBe((parseManifest(text) as Record<string, unknown>)["deviceId"]);
    expect(SECRET_MANIFEST_KEYS).toEqual(["trueCryptPassword", "pinCode"]);
  });

  it("returns a manifest without device passwords unchanged, and shows what the provider shows", () => {
    const text = importManifest("alice-import");
    expect(text).not.toContain("trueCryptPassword");
    expect(redactManifest(text)).toBe(text);
    const withPassword = exportManifest("alice-export", "alice-logs");
    // The provider shows what it sends through the same function (one parse: redactParsedManifest).
    for (const m of [text, withPassword]) {
      const call = manifestForCall(m, "EMULATORALICE0000001");
      expect(call.shown).toBe(redactManifest(call.sent));
    }
    expect(manifestForCall(withPassword, undefined).shown).toContain("[redacted]");
  });
});
