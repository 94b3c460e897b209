/**
 * The SigV2 canonical query string read straight off a form body that is already canonical, as a signer that sends
 * the string it signed produces it (this package's SDK, the AWS SDK for JavaScript v2): names and values RFC 3986
 * encoded with upper-case hex, pairs sorted by name, `Signature` anywhere. Rebuilding the canonical string from the
 * decoded parameters (sort, encode every name and value) is most of a SigV2 verification's cost besides the HMAC.
 *
 * Only a body that provably equals its own canonical form is taken; anything else (botocore sends its pairs in model
 * order, `+` for spaces, lower-case hex) gets `undefined` and the caller canonicalises the decoded parameters. The
 * checks make the two paths give the same string, so which path ran never changes whether a signature matches.
 */
import type { QueryParams } from "../query/form";

/**
 * `name=value` pairs whose names are unreserved characters only and whose values are unreserved characters or
 * upper-case `%XX` escapes. The alternatives never overlap, so matching is linear in the body's length.
 */
const CANONICAL_PAIRS = /^[A-Za-z0-9\-_.~]+=(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*(?:&[A-Za-z0-9\-_.~]+=(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*)*$/;
/** An escape of a byte RFC 3986 leaves as it is (`%41` for `A`): valid form encoding, but not the canonical one. */
const ESCAPED_UNRESERVED = /%(?:2[DE]|3[0-9]|4[1-9A-F]|5[0-9AF]|6[1-9A-F]|7[0-9AE])/;

/**
 * The canonical query string of a POST body without its `Signature` pair, taken from the body text as sent, or
 * `undefined` when the body is not in canonical form.
 *
 * @param text the body as received (its UTF-8 text)
 * @param params the body's decoded parameters, as `parseForm` read them from `text` (in body order, no repeats; the
 *   strict decoder has already refused escapes that are not UTF-8)
 */
export function canonicalFormOf(text: string, params: QueryParams): string | undefined {
  if (!CANONICAL_PAIRS.test(text) || (text.includes("%") && ESCAPED_UNRESERVED.test(text))) return undefined;
  // Names are unreserved characters, so each decoded name is its raw text and code-unit order is byte order.
  let previous = "";
  for (const name of params.keys()) {
    if (name === "Signature") continue;
    if (name <= previous) return undefined;
    previous = name;
  }
  let start: number;
  if (text.startsWith("Signature=")) start = 0;
  else {
    start = text.indexOf("&Signature=");
    if (start < 0) return text;
  }
  const end = text.indexOf("&", start + 1);
  if (start === 0) return end < 0 ? "" : text.slice(end + 1);
  return end < 0 ? text.slice(0, start) : text.slice(0, start) + text.slice(end);
}
