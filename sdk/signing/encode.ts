/**
 * RFC 3986 percent-encoding as AWS signers need it: unreserved `A-Z a-z 0-9 - _ . ~` kept, everything else as
 * UTF-8 bytes in `%XX` with upper-case hex, space as `%20` (never `+`).
 */

/** Percent-encodes `text` per RFC 3986 (the AWS canonical form used by SigV2 and the Query body). */
export function rfc3986Encode(text: string): string {
  // encodeURIComponent leaves ! ' ( ) * alone; RFC 3986 (and therefore the signature) requires them escaped.
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Compares two strings by UTF-8 byte order (what "sorted by name" means in the SigV2 spec). */
export function compareByteOrder(a: string, b: string): number {
  // For strings without surrogates code-unit order equals byte order; Buffer.compare covers the rest exactly.
  if (a === b) return 0;
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
