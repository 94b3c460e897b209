/**
 * Query protocol form decoding, with the strictness of the services that speak it (Import/Export, STS) and of the
 * signature checks that read the same parameters (emulator/core/auth). MAX_BODY_BYTES is the server's body limit.
 */
import { printable } from "../../../sdk/text";
import { ServiceError } from "./errors";

// Auth quotes parameter names in its messages the same way as this module does.
export { printable };

/** Largest request body the emulator reads (the Query protocol's documented 1 MiB limit for most services). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** More parameters than any Import/Export request can carry; beyond this the request is refused, not parsed. */
export const MAX_PARAMETERS = 2000;

/** Decoded Query parameters: name → value. A name appears at most once (repeats are refused). */
export type QueryParams = Map<string, string>;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const ASCII = /^[\x00-\x7f]*$/;
const PLUS = /\+/g;

/**
 * Where a component sits, for an error message: a parameter's name (`of` undefined) or the value of parameter `of`.
 * Built only when a message needs it: every request decodes a dozen components and almost none is malformed.
 */
function whereIs(source: string, of: string | undefined): string {
  return of === undefined ? `parameter name in the ${source}` : `value of parameter "${printable(of)}"`;
}

/**
 * Percent-decodes one form component (`+` is a space). Strict: a stray `%`, bad hex or bytes that are not UTF-8
 * give `MalformedQueryString` rather than a silently mangled value, because the signature check and the stored
 * manifest must see exactly what the client sent. `source` and `of` place it in a message ({@link whereIs}).
 */
function decodeComponent(raw: string, source: string, of?: string): string {
  // Fast path (most names and many values): nothing to decode.
  if (!raw.includes("%") && !raw.includes("+")) return raw;
  // ASCII text (what every SDK sends): the built-in decoder is as strict (bad hex or UTF-8 throws) and much cheaper;
  // on any refusal the loop below runs to give the precise message.
  if (ASCII.test(raw)) {
    try {
      return decodeURIComponent(raw.includes("+") ? raw.replace(PLUS, " ") : raw);
    } catch {
      // fall through
    }
  }
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (ch === 0x25 /* % */) {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw new ServiceError("MalformedQueryString", `Invalid percent-encoding in ${whereIs(source, of)}: "%${hex}" is not two hexadecimal digits.`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (ch === 0x2b /* + */) {
      bytes.push(0x20);
    } else if (ch < 0x80) {
      bytes.push(ch);
    } else {
      // A client that did not encode non-ASCII text: keep its UTF-8 bytes (surrogate pairs stay together).
      const cp = raw.codePointAt(i) ?? 0xfffd;
      const char = String.fromCodePoint(cp);
      for (const b of Buffer.from(char, "utf8")) bytes.push(b);
      i += char.length - 1;
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    throw new ServiceError("MalformedQueryString", `The ${whereIs(source, of)} is not valid UTF-8 after percent-decoding.`);
  }
}

/**
 * Parses an `application/x-www-form-urlencoded` string (a POST body or a URL query) into parameters.
 * `source` ("request body" / "query string") only feeds error messages.
 */
export function parseForm(text: string, source: string): QueryParams {
  const params: QueryParams = new Map();
  if (text.length === 0) return params;
  const pairs = text.split("&");
  if (pairs.length > MAX_PARAMETERS) {
    throw new ServiceError("InvalidQueryParameter", `The ${source} has ${pairs.length} parameters; at most ${MAX_PARAMETERS} are accepted.`);
  }
  for (const pair of pairs) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf("=");
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? "" : pair.slice(eq + 1);
    const name = decodeComponent(rawName, source);
    if (name.length === 0) {
      throw new ServiceError("InvalidQueryParameter", `The ${source} contains a parameter with an empty name.`);
    }
    const value = decodeComponent(rawValue, source, name);
    if (params.has(name)) {
      throw new ServiceError("InvalidQueryParameter", `Parameter "${printable(name)}" appears more than once in the ${source}.`);
    }
    params.set(name, value);
  }
  return params;
}
