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
  return redactParsedManifest(parseManifest(yaml) as Record<string, unknown>) ?? yaml;
}

/**
 * The redacted text of an already parsed manifest, or undefined when it holds no device password (its text can then
 * be shown as it is). For callers that parsed the manifest anyway, so it is not parsed twice.
 */
export function redactParsedManifest(m: Readonly<Record<string, unknown>>): string | undefined {
  if (!SECRET_MANIFEST_KEYS.some((k) => m[k] !== undefined)) return undefined;
  const shown: Record<string, unknown> = { ...m };
  for (const k of SECRET_MANIFEST_KEYS) if (shown[k] !== undefined) shown[k] = "[redacted]";
  return stringifyManifest(shown as Manifest);
}
