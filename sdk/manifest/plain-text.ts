/**
 * A manifest's canonical text written directly, for the common manifest whose keys and values are all plain words
 * (`deviceId: DEVICE-1`, `street1: 123 Any Street`): no YAML document is built. `stringifyManifest` (./codec) takes
 * this path first. Building the document cost every write about 0.1 ms of a warm process, and several times that in
 * a provider process still running cold code (an `up`); a plain manifest is written in a few microseconds, and its
 * parse is the written tree itself, so the provider does not load the YAML library at all for one.
 *
 * It answers `undefined` for anything outside its small subset (a value YAML would quote, an empty value, a list in a
 * list, an empty map or list); the codec then builds the YAML document. What it writes is exactly the document's
 * text, and parses back to the tree it was written from (the property tests in test/sdk/manifest.test.ts).
 */

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
 * The text of `tree` (a manifest as `canonicalTree` orders it: maps, lists and text) when every key and value in it
 * is a plain word, in the layout of the YAML document the codec would write; otherwise `undefined`.
 */
export function plainTreeText(tree: Record<string, unknown>): string | undefined {
  const lines: string[] = [];
  return writeMap(tree, "", lines) ? `${lines.join("\n")}\n` : undefined;
}
