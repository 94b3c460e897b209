/**
 * AWS Signature Version 2 (spec §2.1), written against the spec: the service's documented and modelled scheme.
 * The auth parameters travel in the form body next to the operation's members. The emulator verifies requests
 * with the same two functions.
 */
import { createHmac, type KeyObject } from "node:crypto";
import { canonicalQueryString, rfc3986Encode } from "./encode";

/** The HMAC of a SigV2 signature. HmacSHA256 is what every SDK sends; HmacSHA1 is still accepted. */
export type SigV2Method = "HmacSHA256" | "HmacSHA1";

/** Static credentials as a signer needs them. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * The SigV2 string to sign: `METHOD\nhost[:port]\npath\ncanonical-query`.
 *
 * @param host host header value, with `:port` when the port is not the scheme's default (lower-cased here)
 * @param path request path without the query string (`?Operation=X` is ignored, as every reference signer does);
 *   empty means `/`
 * @param params every request parameter (form body, plus URL query parameters when there are any); `Signature`
 *   is left out
 */
export function sigV2StringToSign(method: string, host: string, path: string, params: Record<string, string>): string {
  return sigV2StringToSignOf(method, host, path, canonicalQueryString(params, ["Signature"]));
}

/**
 * {@link sigV2StringToSign} from a canonical query string already made (sorted, RFC 3986 encoded, no `Signature`):
 * the emulator takes it straight from a form body that is already in that form.
 */
export function sigV2StringToSignOf(method: string, host: string, path: string, canonicalQuery: string): string {
  const q = path.indexOf("?");
  const cleanPath = (q >= 0 ? path.slice(0, q) : path) || "/";
  return `${method.toUpperCase()}\n${host.toLowerCase()}\n${cleanPath}\n${canonicalQuery}`;
}

/**
 * Base64 HMAC of the string to sign with the secret access key. A verifier that checks many requests per key may
 * pass the key as a `KeyObject` (`createSecretKey`), which spares importing the text key on every call.
 */
export function sigV2Signature(stringToSign: string, secretAccessKey: string | KeyObject, method: SigV2Method): string {
  const algorithm = method === "HmacSHA1" ? "sha1" : "sha256";
  return createHmac(algorithm, secretAccessKey).update(stringToSign, "utf8").digest("base64");
}

/** SigV2 timestamp: ISO 8601 UTC without milliseconds (`2026-11-22T21:39:07Z`), as botocore and JS v2 send. */
export function sigV2Timestamp(date: Date): string {
  // A busy client signs thousands of requests within one second: format each second once.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastTimestamp.second) lastTimestamp = { second, text: date.toISOString().replace(/\.\d{3}Z$/, "Z") };
  return lastTimestamp.text;
}
let lastTimestamp = { second: Number.NaN, text: "" };

/** What `signV2` needs besides the parameters. */
export interface SignV2Options {
  method: string;
  host: string;
  path: string;
  credentials: SigningCredentials;
  signatureMethod?: SigV2Method;
  /** Signing time; a new one on every attempt so that retries after a long backoff do not expire. */
  now: Date;
}

/**
 * Returns a copy of `params` with the SigV2 auth parameters added: `AWSAccessKeyId`, `SignatureVersion`,
 * `SignatureMethod`, `Timestamp`, `SecurityToken` (session credentials) and `Signature`. Any old `Signature`,
 * `Timestamp` or `Expires` is dropped first so re-signing a retried request is safe.
 */
export function signV2(params: Readonly<Record<string, string>>, options: SignV2Options): Record<string, string> {
  const out = authParameters(params, options);
  const toSign = sigV2StringToSign(options.method, options.host, options.path, out);
  out["Signature"] = sigV2Signature(toSign, options.credentials.secretAccessKey, options.signatureMethod ?? "HmacSHA256");
  return out;
}

/**
 * {@link signV2} straight to the form body: the canonical query string (already RFC 3986 encoded and sorted,
 * a valid `application/x-www-form-urlencoded` body) with `&Signature=` appended, so each value is encoded once.
 */
export function signV2Body(params: Readonly<Record<string, string>>, options: SignV2Options): { body: string; signature: string } {
  const canonical = canonicalQueryString(authParameters(params, options));
  const signature = sigV2Signature(sigV2StringToSignOf(options.method, options.host, options.path, canonical), options.credentials.secretAccessKey, options.signatureMethod ?? "HmacSHA256");
  return { body: `${canonical}&Signature=${rfc3986Encode(signature)}`, signature };
}

/** `params` without old auth parameters, plus this signing's (all but `Signature`). */
function authParameters(params: Readonly<Record<string, string>>, options: SignV2Options): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k !== "Signature" && k !== "Timestamp" && k !== "Expires" && k !== "SecurityToken") out[k] = v;
  }
  out["AWSAccessKeyId"] = options.credentials.accessKeyId;
  out["SignatureVersion"] = "2";
  out["SignatureMethod"] = options.signatureMethod ?? "HmacSHA256";
  out["Timestamp"] = sigV2Timestamp(options.now);
  if (options.credentials.sessionToken) out["SecurityToken"] = options.credentials.sessionToken;
  return out;
}
