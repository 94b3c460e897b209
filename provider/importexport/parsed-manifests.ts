/**
 * Parsed manifests by their canonical text, within one provider process: a manifest check made canonical is not
 * parsed again by the calls that send it (ValidateOnly, CreateJob with its create marker, UpdateJob). In a `pulumi
 * up` of new jobs the engine runs each job's check and then its create in the same process, and each parse of a
 * manifest costs that process about a millisecond while it is still cold (issue 25: `up` of 100 jobs).
 *
 * Only texts whose parse is known exactly are kept: a text {@link parseManifest} was run on, a manifest of plain words
 * with the parse its writer returned (`writtenManifest`), or one written from an already parsed manifest plus plain
 * text options (see {@link rememberParsed}'s callers). The objects are frozen, so
 * a caller that tried to change a shared one would fail loudly instead of changing another call's manifest.
 */
import { parseManifest, type Manifest } from "../../sdk/manifest";

/**
 * At most this many texts, and this much text, are kept (oldest dropped first): enough for the jobs of one stack's
 * `up` in flight, while a stack of large manifests (up to 64 KiB each) cannot make the provider process hold them all.
 */
const CAPACITY = 1024;
const CAPACITY_CHARS = 4 * 1024 * 1024;

const parsed = new Map<string, Readonly<Manifest>>();
let keptChars = 0;

/** Freezes a parsed manifest and everything in it (maps and lists of text and yes/no values). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** Keeps `manifest` as what `text` parses to; the caller guarantees that it is (and hands it over: it is frozen). */
export function rememberParsed(text: string, manifest: Manifest): Readonly<Manifest> {
  const frozen = deepFreeze(manifest);
  if (parsed.delete(text)) keptChars -= text.length;
  parsed.set(text, frozen);
  keptChars += text.length;
  while (parsed.size > CAPACITY || (keptChars > CAPACITY_CHARS && parsed.size > 1)) {
    const oldest = parsed.keys().next().value as string;
    parsed.delete(oldest);
    keptChars -= oldest.length;
  }
  return frozen;
}

/**
 * What `text` parses to: the kept object, or a fresh parse that is kept. Throws what {@link parseManifest} throws.
 * The result is frozen: spread it to add or change an option.
 */
export function parsedManifest(text: string): Readonly<Manifest> {
  return parsed.get(text) ?? rememberParsed(text, parseManifest(text));
}

/** Forgets every kept manifest (tests that count parses start from none). */
export function forgetParsedManifests(): void {
  parsed.clear();
  keptChars = 0;
}

/** How many texts and characters are kept (tests of the bounds). */
export function keptParsedManifests(): { texts: number; chars: number } {
  return { texts: parsed.size, chars: keptChars };
}
