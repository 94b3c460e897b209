/**
 * A manifest's canonical text written directly, for the common manifest whose keys and values are all plain words
 * (`deviceId: DEVICE-1`, `street1: 123 Any Street`): no YAML document is built. The provider compares a program's
 * manifest object with the canonical text its state holds on every preview, once per job; building the document cost
 * that comparison about 0.1 ms per job, this writer a few microseconds.
 *
 * It is only a shortcut: it answers `undefined` for anything outside its small subset (a value YAML would quote,
 * an empty value, a list in a list, an empty map or list), and callers treat a text that differs from the one they
 * compare with as "not known to be the same" and ask {@link stringifyManifest}. What it writes is YAML that means
 * the manifest (the property test in test/sdk/manifest.test.ts parses it back), in stringifyManifest's layout.
 */
import { canonicalTree, type stringifyManifest } from "./codec";
import type { Manifest } from "./types";

/**
 * Text a YAML plain scalar reads back unchanged in a block map, whatever the schema: starting with a letter, a digit
 * or a dot, then only letters, digits, spaces and `._/@+,()'!-;=&*:`, not ending with a space or a colon, and with
 * no colon before a space (`a: b` is a map; `#` is left out, ` #` starts a comment).
 */
const PLAIN = /^[A-Za-z0-9.][A-Za-z0-9 ._/@+,()'!;=&*:-]*$/;
const isPlain = (text: string): boolean => PLAIN.test(text) && !text.endsWith(" ") && !text.endsWith(":") && !text.includes(": ");

/** Appends the lines of `map` at `indent`; false when something in it is outside the subset. */
function writeMap(map: Record<string, unknown>, indent: string, lines: string[]): boolean {
  const entries = Object.entries(map);
  if (entries.length === 0) return false;
  for (const [key, value] of entries) {
    if (!isPlain(key)) return false;
    if (typeof value === "string") {
      if (!isPlain(value)) return false;
      lines.push(`${indent}${key}: ${value}`);
    } else if (Array.isArray(value)) {
      if (value.length === 0) return false;
      lines.push(`${indent}${key}:`);
      for (const item of value) {
        if (typeof item === "string") {
          if (!isPlain(item)) return false;
          lines.push(`${indent}  - ${item}`);
        } else if (item !== null && typeof item === "object" && !Array.isArray(item)) {
          // A map in a list: its first line on the dash, the others under it.
          const inner: string[] = [];
          if (!writeMap(item as Record<string, unknown>, `${indent}    `, inner)) return false;
          inner[0] = `${indent}  - ${(inner[0] ?? "").slice(indent.length + 4)}`;
          lines.push(...inner);
        } else {
          return false;
        }
      }
    } else if (value !== null && typeof value === "object") {
      lines.push(`${indent}${key}:`);
      if (!writeMap(value as Record<string, unknown>, `${indent}  `, lines)) return false;
    } else {
      return false;
    }
  }
  return true;
}

/**
 * The manifest's canonical text when every key and value is a plain word, written without a YAML document; otherwise
 * (or for a manifest {@link stringifyManifest} would refuse) `undefined`.
 */
export function plainManifestText(m: Manifest): string | undefined {
  let tree: Record<string, unknown>;
  try {
    tree = canonicalTree(m);
  } catch {
    return undefined;
  }
  const lines: string[] = [];
  return writeMap(tree, "", lines) ? `${lines.join("\n")}\n` : undefined;
}
