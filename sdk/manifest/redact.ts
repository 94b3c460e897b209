/**
 * A manifest as it may be shown (provider outputs, the emulator dashboard): device passwords replaced by a marker.
 * Here, below both the provider and the emulator, so each reads the one list of secret manifest options.
 */
import { parseManifest, stringifyManifest } from "./codec";
import type { Manifest } from "./types";

/** Manifest options that carry secrets (device passwords); never written to outputs in clear. */
export const SECRET_MANIFEST_KEYS = ["trueCryptPassword", "pinCode"] as const;

/** The manifest as shown in outputs: canonical, with device passwords replaced by a marker. */
export function redactManifest(yaml: string): string {
  const m = parseManifest(yaml) as Record<string, unknown>;
  let changed = false;
  for (const k of SECRET_MANIFEST_KEYS) {
    if (m[k] !== undefined) {
      m[k] = "[redacted]";
      changed = true;
    }
  }
  return changed ? stringifyManifest(m as Manifest) : yaml;
}
