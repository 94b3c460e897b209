/**
 * Secret redaction: every copy of a secret key, session token or request signature in a text becomes `***`,
 * whether it appears as written, percent-encoded (hex in either case, whole or in part) or form-encoded (space as
 * `+`). The client redacts everything a server sends back on every call, so this is on the hot path: the common
 * text (a request id, a header) has no `%` and no `+`, and then only a literal copy can match, which a substring
 * search finds. The per-character pattern that also matches encoded copies is built only for a text that could
 * hold one, once per secret per `Redactor`.
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

  /** `secrets` may hold undefined entries (no session token) and short ones; both are skipped. */
  constructor(secrets: readonly (string | undefined)[], base?: Redactor) {
    const kept: string[] = [];
    for (const s of secrets) if (s && s.length >= MIN_SECRET_LENGTH && !kept.includes(s)) kept.push(s);
    this.secrets = kept;
    this.base = base;
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
    for (const secret of this.secrets) {
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
