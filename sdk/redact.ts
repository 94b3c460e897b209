/**
 * Secret redaction: every copy of a secret key, session token or request signature in a text becomes `***`,
 * whether it appears as written, percent-encoded (hex in either case, whole or in part) or form-encoded (space as
 * `+`). The client redacts everything a server sends back on every call, so this is on the hot path: the common
 * text (a request id, a header) has no `%` and no `+`, and then only a literal copy can match, which a substring
 * search finds. The per-character pattern that also matches encoded copies is built only for a text that could
 * hold one, once per secret per `Redactor`. A redactor of many secrets (the emulator dashboard holds every job's
 * signature) does not try each one on every text: a {@link SecretIndex} names the few a text could hold.
 */

/** Shorter secrets are ignored: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 4;
const REPLACEMENT = "***";
const encoder = new TextEncoder();

/** A hex digit matching either case (`[aA]`), digits as themselves: percent-encoding hex is case-insensitive (RFC 3986 §2.1). */
function hexDigit(d: string): string {
  return /[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d;
}

/** `%2f`/`%2F` for one byte. */
function percentEscape(byte: number): string {
  const hex = byte.toString(16).padStart(2, "0");
  return `%${hexDigit(hex.charAt(0))}${hexDigit(hex.charAt(1))}`;
}

/**
 * A pattern matching `secret` however it was encoded: each character as itself or percent-encoded (its UTF-8
 * bytes), a space also as `+`. So form-, percent- and partly encoded copies all match.
 */
function secretPattern(secret: string): RegExp {
  let source = "";
  for (const ch of secret) {
    let escapes = "";
    for (const byte of encoder.encode(ch)) escapes += percentEscape(byte);
    const literal = ch.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
    source += `(?:${literal}|${escapes}${ch === " " ? "|\\+" : ""})`;
  }
  return new RegExp(source, "g");
}

/** Secrets of one head are looked up by the head's first this many characters (at most {@link MIN_SECRET_LENGTH}). */
const HEAD_LENGTH = 4;
/** From this many secrets on, a redactor looks up candidates instead of trying each secret on every text. */
const INDEX_FROM = 16;
const PERCENT = 0x25;

/** The byte a `%XX` escape at `text[at]` encodes (hex in either case), or -1 when there is no whole escape there. */
function escapeAt(text: string, at: number): number {
  if (text.charCodeAt(at) !== PERCENT || at + 2 >= text.length) return -1;
  const hex = text.slice(at + 1, at + 3);
  return /^[0-9A-Fa-f]{2}$/.test(hex) ? Number.parseInt(hex, 16) : -1;
}

/**
 * The character at `text[at]`, a `%XX` escape read as the character it encodes, packed with how many characters it
 * takes: `code * 4 + width` (width 1, or 3 for an escape); -1 past the end. Packed into one number, so the loops below
 * (run on every text a redactor sees) allocate nothing.
 */
function readAt(text: string, at: number): number {
  if (at >= text.length) return -1;
  const c = text.charCodeAt(at);
  const escaped = c === PERCENT ? escapeAt(text, at) : -1;
  return escaped >= 0 ? escaped * 4 + 3 : c * 4 + 1;
}

/** Whether the reading below sees character code `c` as itself: printable ASCII but for space, `%` and `*`. */
function readable(c: number): boolean {
  return c > 0x20 && c < 0x7f && c !== PERCENT && c !== 0x2a;
}

/**
 * Whether `text` read from `at` starts with `prefix` (all {@link readable} characters), a `%XX` escape counting as
 * the character it encodes: how every copy of a secret starting with `prefix` begins, raw or encoded. Such a
 * character is never `%`, so a `%` followed by two hex digits can only be an escape there, and never a space, so a
 * `+` can only be itself.
 */
function readsAs(text: string, at: number, prefix: string): boolean {
  let i = at;
  for (let k = 0; k < prefix.length; k++) {
    const read = readAt(text, i);
    if (read < 0 || read >> 2 !== prefix.charCodeAt(k)) return false;
    i += read & 3;
  }
  return true;
}

/** The number the {@link HEAD_LENGTH} characters read from `text[at]` are filed under (7 bits each), or -1. */
function headAt(text: string, at: number): number {
  let key = 0;
  let i = at;
  for (let k = 0; k < HEAD_LENGTH; k++) {
    const read = readAt(text, i);
    if (read < 0) return -1;
    const c = read >> 2;
    if (!readable(c)) return -1;
    key = key * 0x80 + c;
    i += read & 3;
  }
  return key;
}

/** The start of `secret` a {@link SecretIndex} checks: its characters up to the first one the reading cannot see. */
function readablePrefix(secret: string): string {
  let end = 0;
  while (end < secret.length && readable(secret.charCodeAt(end))) end++;
  return secret.slice(0, end);
}

/**
 * Which of many secrets a text could hold, found in one pass over the text instead of one search per secret.
 * A secret is filed under its first {@link HEAD_LENGTH} characters. At each position of a text, the characters
 * read from there (a `%XX` escape as the character it encodes) are looked up, and each secret filed there is kept
 * when the text goes on to read as its {@link readablePrefix} (so secrets sharing a head, like the base64 of
 * similar texts, cost a comparison each, not a pattern each). Every copy the secret's pattern matches, raw or
 * encoded, starts that way, so none is missed. A secret is tried on every text instead when the reading cannot see
 * its head: a head with a non-ASCII character (escaped as several bytes), a space (`+` encodes it) or a `%` (a raw
 * `%41` in the text may be the secret itself); and a secret holding `*`, which replacing an earlier secret by `***`
 * could complete.
 */
class SecretIndex {
  private readonly byHead = new Map<number, number[]>();
  private readonly prefixes: string[] = [];
  private readonly always: number[] = [];

  constructor(private readonly secrets: readonly string[]) {
    secrets.forEach((secret, i) => {
      const prefix = readablePrefix(secret);
      this.prefixes.push(prefix);
      if (prefix.length < HEAD_LENGTH || secret.includes("*")) {
        this.always.push(i);
        return;
      }
      const key = headAt(prefix, 0);
      const filed = this.byHead.get(key);
      if (filed === undefined) this.byHead.set(key, [i]);
      else filed.push(i);
    });
  }

  /** The secrets `text` could hold, in the order they were given. */
  candidates(text: string): string[] {
    const found = new Set<number>(this.always);
    for (let at = 0; at + HEAD_LENGTH <= text.length; at++) {
      const key = headAt(text, at);
      if (key < 0) continue;
      const filed = this.byHead.get(key);
      if (filed === undefined) continue;
      for (const i of filed) if (!found.has(i) && readsAs(text, at, this.prefixes[i] as string)) found.add(i);
    }
    const order = found.size <= 1 ? [...found] : [...found].sort((a, b) => a - b);
    return order.map((i) => this.secrets[i] as string);
  }
}

/** Whether `text` could hold an encoded copy of some secret: only `%XX` escapes and `+` (a space) encode. */
function mayHoldEncodedCopy(text: string): boolean {
  return text.includes("%") || text.includes("+");
}

/**
 * Redacts one set of secrets. Patterns for encoded copies are compiled on first need and kept, so a client keeps
 * one `Redactor` per credential set and extends it with each request's signature ({@link Redactor.with}).
 */
export class Redactor {
  private readonly secrets: readonly string[];
  private readonly patterns = new Map<string, RegExp>();
  private readonly base: Redactor | undefined;
  private readonly index: SecretIndex | undefined;

  /** `secrets` may hold undefined entries (no session token), repeats and short ones; those are skipped. */
  constructor(secrets: readonly (string | undefined)[], base?: Redactor) {
    const kept = new Set<string>();
    for (const s of secrets) if (s && s.length >= MIN_SECRET_LENGTH) kept.add(s);
    this.secrets = [...kept];
    this.base = base;
    this.index = this.secrets.length >= INDEX_FROM ? new SecretIndex(this.secrets) : undefined;
  }

  /** A redactor for this one's secrets plus `secrets`, sharing the patterns already compiled. */
  with(secrets: readonly (string | undefined)[]): Redactor {
    return new Redactor(secrets, this);
  }

  /** `text` with every copy of every secret (the base's first) replaced by `***`. */
  redact(text: string): string {
    const out = this.base ? this.base.redact(text) : text;
    return this.redactOwn(out);
  }

  private redactOwn(text: string): string {
    let out = text;
    // `***` contains neither `%` nor `+`, so replacing one secret cannot make a later one look encoded.
    const encoded = mayHoldEncodedCopy(out);
    // Secrets not among the candidates are in no part of the text, nor in what replacing the others leaves.
    const tried = this.index === undefined ? this.secrets : this.index.candidates(out);
    for (const secret of tried) {
      if (!encoded) {
        // Leftmost, non-overlapping: the same matches the pattern's global replace finds in such a text.
        if (out.includes(secret)) out = out.replaceAll(secret, REPLACEMENT);
        continue;
      }
      let pattern = this.patterns.get(secret);
      if (pattern === undefined) {
        pattern = secretPattern(secret);
        this.patterns.set(secret, pattern);
      }
      out = out.replace(pattern, REPLACEMENT);
    }
    return out;
  }
}

/**
 * Replaces every occurrence of the given secrets (secret key, session token, signature) in `text` by `***`,
 * including form- and percent-encoded copies in either hex case. Secrets shorter than 4 characters are ignored
 * (they would redact ordinary words).
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  return new Redactor(secrets).redact(text);
}
