/**
 * A manifest's canonical text written and read directly, for the common manifest whose keys and values are all plain
 * words (`deviceId: DEVICE-1`, `street1: 123 Any Street`): no YAML document is built. `stringifyManifest` (./codec)
 * takes this path first. Building the document cost every write about 0.1 ms of a warm process, and several times that
 * in a provider process still running cold code (an `up`); a plain manifest is written in a few microseconds, and its
 * parse is the written tree itself, so the provider does not load the YAML library at all for one.
 *
 * It answers `undefined` for anything outside its small subset (a value YAML would quote, an empty value, a list in a
 * list, an empty map or list); the codec then builds the YAML document. What it writes is exactly the document's
 * text, and parses back to the tree it was written from (the property tests in test/sdk/manifest.test.ts).
 *
 * The reader ({@link plainTextTree}) takes such a text back without YAML: the emulator's CreateJob and the provider's
 * `check` of a manifest given as text. It accepts a text only when writing its tree again gives the same bytes, so it
 * can never read anything differently from the YAML library; any other text goes to the library as before.
 */
import { MAX_MANIFEST_DEPTH, manifestStructureProblem } from "./limits";

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

/** One line of a plain text: its indentation, whether it is a list item (`- `), and what follows. */
interface Line {
  indent: number;
  item: boolean;
  content: string;
}

function splitLine(line: string): Line {
  let indent = 0;
  while (line.charCodeAt(indent) === 32) indent++;
  const rest = line.slice(indent);
  return rest.startsWith("- ") ? { indent, item: true, content: rest.slice(2) } : { indent, item: false, content: rest };
}

/** Defines `key` as an own property (never the prototype, whatever the key says). */
function put(map: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Reads the layout {@link plainTreeText} writes, and nothing else. A map's entries share an indentation: `key: value`,
 * or `key:` followed by a map two spaces deeper or a list of `- ` items two spaces deeper; a list item is a word or a
 * map whose first entry sits on the dash. Every shape outside that (and nesting past the depth limit, so the reader
 * never recurses far) is `undefined`.
 */
class PlainReader {
  private at = 0;
  constructor(private readonly lines: readonly Line[]) {}

  /** All lines read into one map at indentation 0, or `undefined`. */
  document(): Record<string, unknown> | undefined {
    const tree = this.map(0, 1);
    return tree !== undefined && this.at === this.lines.length ? tree : undefined;
  }

  /** The entries at `indent`; `first` is the entry already on a list item's dash line. */
  private map(indent: number, depth: number, first?: string): Record<string, unknown> | undefined {
    if (depth > MAX_PLAIN_DEPTH) return undefined;
    const map: Record<string, unknown> = {};
    let content = first;
    for (;;) {
      if (content === undefined) {
        const line = this.lines[this.at];
        if (line === undefined || line.indent !== indent || line.item) break;
        content = line.content;
        this.at++;
      }
      const colon = content.indexOf(": ");
      if (colon >= 0) {
        put(map, content.slice(0, colon), content.slice(colon + 2));
      } else if (content.endsWith(":")) {
        const next = this.lines[this.at];
        if (next === undefined || next.indent !== indent + 2) return undefined;
        const value = next.item ? this.list(indent + 2, depth + 1) : this.map(indent + 2, depth + 1);
        if (value === undefined) return undefined;
        put(map, content.slice(0, -1), value);
      } else {
        return undefined;
      }
      content = undefined;
    }
    return map;
  }

  /** The `- ` items at `indent`. */
  private list(indent: number, depth: number): unknown[] | undefined {
    if (depth > MAX_PLAIN_DEPTH) return undefined;
    const items: unknown[] = [];
    for (let line = this.lines[this.at]; line !== undefined && line.indent === indent && line.item; line = this.lines[this.at]) {
      this.at++;
      const { content } = line;
      if (content.includes(": ") || content.endsWith(":")) {
        const map = this.map(indent + 2, depth + 1, content);
        if (map === undefined) return undefined;
        items.push(map);
      } else {
        items.push(content);
      }
    }
    return items;
  }
}

/** One level past the manifest's depth limit: deeper text is refused by the YAML path, with its position. */
const MAX_PLAIN_DEPTH = MAX_MANIFEST_DEPTH + 1;

/**
 * The tree of `text` when it is exactly what {@link plainTreeText} writes for some manifest within the limits (every
 * key and value a plain word, in the written layout); otherwise `undefined`, and the text is the YAML library's to
 * read. For such a text the tree is what the YAML library's failsafe parse gives, key order included: the text is
 * written again from the tree and must match byte for byte, and the writer's text parses to its tree (the property
 * tests). A duplicate key, a comment, a quote, a tab or a missing last newline all fail that comparison.
 */
export function plainTextTree(text: string): Record<string, unknown> | undefined {
  if (!text.endsWith("\n")) return undefined;
  const tree = new PlainReader(text.slice(0, -1).split("\n").map(splitLine)).document();
  if (tree === undefined || manifestStructureProblem(tree) !== undefined) return undefined;
  return plainTreeText(tree) === text ? tree : undefined;
}
