/**
 * RFC 3986 percent-encoding as AWS signers need it: unreserved `A-Z a-z 0-9 - _ . ~` kept, everything else as
 * UTF-8 bytes in `%XX` with upper-case hex, space as `%20` (never `+`).
 */

/** Percent-encodes `text` per RFC 3986 (the AWS canonical form used by SigV2 and the Query body). */
export function rfc3986Encode(text: string): string {
  // Most names and values (Action, JobId, access key ids) need no escape at all: one test, no new string.
  if (UNRESERVED_ONLY.test(text)) return text;
  const encoded = encodeURIComponent(text);
  // encodeURIComponent leaves ! ' ( ) * alone; RFC 3986 (and therefore the signature) requires them escaped.
  return SUB_DELIMS_LEFT.test(encoded) ? encoded.replace(SUB_DELIMS_LEFT_ALL, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : encoded;
}

const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;
const SUB_DELIMS_LEFT = /[!'()*]/;
const SUB_DELIMS_LEFT_ALL = /[!'()*]/g;
const SURROGATE = /[\uD800-\uDFFF]/;

/** Compares two strings by UTF-8 byte order (what "sorted by name" means in the SigV2 spec). */
export function compareByteOrder(a: string, b: string): number {
  // For strings without surrogates code-unit order equals code-point order, which UTF-8 byte order preserves; a
  // sort calls this O(n log n) times, so the exact Buffer comparison is kept for the strings that need it.
  if (a === b) return 0;
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** `name=value&...` with names and values RFC 3986 encoded, sorted by name in byte order. */
export function canonicalQueryString(params: Readonly<Record<string, string>>, exclude: readonly string[] = []): string {
  return Object.keys(params)
    .filter((name) => !exclude.includes(name))
    .sort(compareByteOrder)
    .map((name) => `${rfc3986Encode(name)}=${rfc3986Encode(params[name] ?? "")}`)
    .join("&");
}
