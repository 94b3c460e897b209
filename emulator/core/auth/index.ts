import * as crypto from "node:crypto";
import { createHash, createHmac, createSecretKey, type KeyObject } from "node:crypto";
import type { Account, AccountDirectory } from "../accounts";
import { looksLikeRealAwsKey } from "../accounts";
import { ServiceError } from "../query/errors";
import { printable, type QueryParams } from "../query/form";
import { canonicalQueryString } from "../../../sdk/signing/encode";
import { sigV2Signature, sigV2StringToSignOf } from "../../../sdk/signing/sigv2";
import { canonicalFormOf } from "./canonical-form";

/** Clock skew a signed request may have (the AWS-wide 15 minutes). */
export const MAX_SKEW_MS = 15 * 60 * 1000;
/** How far after the server time a SigV2 `Expires` may lie: the same 15 minutes a `Timestamp` may be off. */
export const MAX_EXPIRES_AHEAD_MS = MAX_SKEW_MS;
/** Start of the service's SignatureDoesNotMatch message; details follow it. */
const SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you provided.";

/** Everything the verifier needs to know about one HTTP request. */
export interface SignedRequest {
  method: string;
  /** `Host` header as sent (may include `:port`). */
  host: string;
  /** Path without the query string. */
  path: string;
  /** Raw query string (without `?`), as sent. */
  rawQuery: string;
  /** Decoded URL query parameters. */
  query: QueryParams;
  /** Decoded body parameters (empty for GET). */
  body: QueryParams;
  /** Request headers, lower-case names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Body bytes as received (SigV4 payload hash). */
  rawBody: Buffer;
  /**
   * The form body's text, the one `body` was parsed from (SigV2 reads an already canonical body as it is). Absent
   * when the body is not a form (IoT's JSON).
   */
  bodyText?: string;
}

/** Who signed a request and how. */
export interface Caller {
  account: Account;
  accessKeyId: string;
  signatureVersion: 2 | 4;
}

/** Options of {@link authenticate}. */
export interface AuthOptions {
  accounts: AccountDirectory;
  now: number;
  verifySignatures: boolean;
  /** SigV4 service names accepted for this request (`IngestionService`/`importexport`, or `sts`). */
  sigV4Services: readonly string[];
}

/**
 * Hex SHA-256. Uses the one-shot `crypto.hash` where Node has it (20.12+): it skips creating a Hash object, which
 * is most of the cost for short inputs and shows up in GetStatus throughput.
 */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: "hex") => string }).hash;
function sha256Hex(data: string | Buffer): string {
  return oneShotHash !== undefined ? oneShotHash("sha256", data, "hex") : createHash("sha256").update(data).digest("hex");
}

function header(req: SignedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** Constant-time string comparison (signatures are ASCII: base64 or hex). */
function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The account for an access key, or the precise reason there is none. */
function lookUp(accessKeyId: string, options: AuthOptions): Account {
  const account = options.accounts.byAccessKey(accessKeyId);
  if (account !== undefined) return account;
  if (looksLikeRealAwsKey(accessKeyId)) {
    throw new ServiceError(
      "InvalidClientTokenId",
      "The AWS Access Key Id you provided does not exist in our records. It looks like a real AWS access key: this is a local emulator; use one of its accounts (printed at start-up).",
    );
  }
  throw new ServiceError("InvalidClientTokenId");
}

/**
 * Verifies the request's SigV4 Authorization header or SigV2 parameters and returns the caller.
 * With `verifySignatures: false` (demos only) the access key must still name an account, but nothing is checked.
 */
export function authenticate(req: SignedRequest, options: AuthOptions): Caller {
  const authorization = header(req, "authorization");
  if (authorization !== undefined && authorization.startsWith("AWS4-")) return verifySigV4(req, authorization, options);
  // Most requests carry no URL query: the body's parameters are then all of them, with no copy.
  const params = req.query.size === 0 ? req.body : new Map([...req.query, ...req.body]);
  if (params.has("X-Amz-Algorithm") || params.has("X-Amz-Credential")) {
    throw new ServiceError("IncompleteSignature", "Pre-signed SigV4 query requests are not supported by this service; sign with an Authorization header or SigV2 parameters.");
  }
  if (params.has("Signature") || params.has("AWSAccessKeyId") || params.has("SignatureVersion")) return verifySigV2(req, params, options);
  if (authorization !== undefined && authorization.length > 0) {
    throw new ServiceError("IncompleteSignature", "Unsupported Authorization header scheme; expected AWS4-HMAC-SHA256 or SigV2 request parameters.");
  }
  throw new ServiceError("MissingAuthenticationToken");
}

function verifySigV2(req: SignedRequest, params: QueryParams, options: AuthOptions): Caller {
  const accessKeyId = params.get("AWSAccessKeyId");
  const signature = params.get("Signature");
  const version = params.get("SignatureVersion");
  const method = params.get("SignatureMethod");
  const missing = [
    accessKeyId ? undefined : "AWSAccessKeyId",
    signature ? undefined : "Signature",
    version ? undefined : "SignatureVersion",
    method ? undefined : "SignatureMethod",
  ].filter((x) => x !== undefined);
  if (missing.length > 0 || accessKeyId === undefined || signature === undefined || method === undefined) {
    throw new ServiceError("IncompleteSignature", `The request must contain the parameter(s) ${missing.join(", ")}.`);
  }
  if (version !== "2") throw new ServiceError("IncompleteSignature", `SignatureVersion must be 2 for parameter-signed requests (got "${version}").`);
  if (method !== "HmacSHA256" && method !== "HmacSHA1") {
    throw new ServiceError("IncompleteSignature", `SignatureMethod must be HmacSHA256 or HmacSHA1.`);
  }
  const timestamp = params.get("Timestamp");
  const expires = params.get("Expires");
  if (timestamp !== undefined && expires !== undefined) {
    throw new ServiceError("IncompleteSignature", "A request may carry Timestamp or Expires, not both.");
  }
  if (timestamp === undefined && expires === undefined) {
    throw new ServiceError("IncompleteSignature", "The request must contain the parameter Timestamp or Expires.");
  }
  if (timestamp !== undefined) {
    const t = parseIsoTime(timestamp);
    if (t === undefined) throw new ServiceError("IncompleteSignature", "Timestamp must be an ISO-8601 UTC time such as 2010-06-01T12:00:00Z.");
    if (Math.abs(options.now - t) > MAX_SKEW_MS) {
      throw new ServiceError("RequestExpired", `Request has expired. Timestamp ${timestamp} is more than 15 minutes from the server time ${new Date(options.now).toISOString()}.`);
    }
  } else if (expires !== undefined) {
    const t = parseIsoTime(expires);
    if (t === undefined) throw new ServiceError("IncompleteSignature", "Expires must be an ISO-8601 UTC time.");
    if (t < options.now) throw new ServiceError("RequestExpired", `Request has expired. Expires ${expires} is in the past.`);
    // A far-future Expires would make a captured request replayable for that long.
    if (t - options.now > MAX_EXPIRES_AHEAD_MS) {
      throw new ServiceError("IncompleteSignature", `Expires ${expires} is more than 15 minutes after the server time ${new Date(options.now).toISOString()}; a SigV2 request may be valid for at most 15 minutes.`);
    }
  }
  const account = lookUp(accessKeyId, options);
  checkSessionToken(account, params.get("SecurityToken"));
  if (!options.verifySignatures) return { account, accessKeyId, signatureVersion: 2 };

  // Tolerances (spec §2.1): host with and without port; body params alone or merged with the URL query.
  const key = secretKeyOf(account.secretAccessKey);
  const signs = (set: QueryParams): boolean => {
    // The canonical parameters once (most of the cost besides the HMAC), straight from the body when it is already
    // canonical; then one string to sign per host form until one matches. The helper lower-cases the host (JS v2);
    // botocore signs the netloc verbatim, so the host goes in as sent first, then lower-cased, then without port.
    const canonical =
      (set === req.body && req.query.size === 0 && req.bodyText !== undefined ? canonicalFormOf(req.bodyText, req.body) : undefined) ?? canonicalQueryString(Object.fromEntries(set), ["Signature"]);
    const template = sigV2StringToSignOf(req.method, "", req.path, canonical);
    const cut = template.indexOf("\n") + 1;
    const head = template.slice(0, cut);
    const tail = template.slice(cut);
    const matches = (host: string): boolean => safeEqual(sigV2Signature(`${head}${host}${tail}`, key, method), signature);
    if (matches(req.host)) return true;
    const lower = req.host.toLowerCase();
    if (lower !== req.host && matches(lower)) return true;
    const withoutPort = lower.replace(/:\d+$/, "");
    return withoutPort !== lower && withoutPort !== req.host && matches(withoutPort);
  };
  if (req.method === "GET") {
    if (signs(req.query)) return { account, accessKeyId, signatureVersion: 2 };
    throw new ServiceError("SignatureDoesNotMatch");
  }
  if (req.query.size > 0 && signs(params)) return { account, accessKeyId, signatureVersion: 2 };
  if (signs(req.body)) {
    // The signature covers the body only: a URL member would count without being signed (`/?ValidateOnly=true`
    // turning a signed CreateJob into a dry run). Refuse rather than ignore it, so the caller learns what was
    // dropped instead of getting a real job where a dry run was asked for.
    const unsigned = unsignedQueryMembers(req.query, req.body);
    if (unsigned.length > 0) {
      throw new ServiceError(
        "SignatureDoesNotMatch",
        `${SIGNATURE_MISMATCH} The URL query carries parameter(s) ${unsigned.map(printable).join(", ")} that the SigV2 signature does not cover; send them in the signed body.`,
      );
    }
    return { account, accessKeyId, signatureVersion: 2 };
  }
  throw new ServiceError("SignatureDoesNotMatch");
}

/** HMAC keys per secret: importing a text key costs more than a short HMAC. Bounded; never logged. */
const secretKeys = new Map<string, KeyObject>();

function secretKeyOf(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (key === undefined) {
    if (secretKeys.size >= 64) secretKeys.clear();
    key = createSecretKey(Buffer.from(secret, "utf8"));
    secretKeys.set(secret, key);
  }
  return key;
}

/**
 * URL query members of a POST that a body-only SigV2 signature leaves uncovered. Harmless repeats are not counted:
 * a member the body has with the same value, and `?Operation=X` naming the body's own Action (the model's requestUri).
 */
function unsignedQueryMembers(query: QueryParams, body: QueryParams): string[] {
  const out: string[] = [];
  for (const [name, value] of query) {
    if (body.get(name) === value) continue;
    if (name === "Operation" && body.get("Action") === value) continue;
    out.push(name);
  }
  return out;
}

function checkSessionToken(account: Account, token: string | undefined): void {
  if (account.sessionToken !== undefined && token !== account.sessionToken) {
    throw new ServiceError("InvalidClientTokenId", "The security token included in the request is invalid.");
  }
}

/** `YYYY-MM-DDThh:mm:ss[.sss]Z` (or with an offset) → epoch ms. */
function parseIsoTime(text: string): number | undefined {
  // Signers format their Timestamp once a second, so consecutive requests mostly carry the same text.
  if (text === lastIsoTime.text) return lastIsoTime.t;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/.test(text)) return undefined;
  const t = Date.parse(text);
  if (!Number.isFinite(t)) return undefined;
  lastIsoTime = { text, t };
  return t;
}
let lastIsoTime = { text: "", t: 0 };

/** `20261122T213810Z` → epoch ms. */
function parseAmzDate(text: string): number | undefined {
  if (text.length !== 16 || text[8] !== "T" || text[15] !== "Z") return undefined;
  for (let i = 0; i < 15; i++) {
    if (i === 8) continue;
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const n = (from: number, to: number): number => Number(text.slice(from, to));
  const t = Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(9, 11), n(11, 13), n(13, 15));
  return Number.isFinite(t) ? t : undefined;
}

/** SigV4 URI encoding (RFC 3986; `/` kept in paths). */
function uriEncode(text: string, keepSlash: boolean): string {
  // Fast path: nothing to encode (the path is "/" for every Query client).
  if (keepSlash ? /^[A-Za-z0-9\-._~/]*$/.test(text) : /^[A-Za-z0-9\-._~]*$/.test(text)) return text;
  const encoded = encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, "/") : encoded;
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery.length === 0) return "";
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split("&")) {
    if (part.length === 0) continue;
    const eq = part.indexOf("=");
    const decode = (s: string): string => {
      try {
        return decodeURIComponent(s.replace(/\+/g, " "));
      } catch {
        return s;
      }
    };
    pairs.push([uriEncode(decode(eq < 0 ? part : part.slice(0, eq)), false), uriEncode(decode(eq < 0 ? "" : part.slice(eq + 1)), false)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** Signing keys per secret, then per `date/region/service` scope. */
const signingKeys = new Map<string, Map<string, Buffer>>();

/**
 * The SigV4 signing key for a day/region/service. Cached: it changes once a day per scope, and deriving it is four
 * of the five HMACs a verification costs. The cache is bounded; keys are derived values, never logged.
 */
function sigV4SigningKey(secret: string, date: string, region: string, service: string): Buffer {
  let scopes = signingKeys.get(secret);
  if (scopes === undefined) {
    if (signingKeys.size >= 64) signingKeys.clear();
    scopes = new Map();
    signingKeys.set(secret, scopes);
  }
  const scope = `${date}/${region}/${service}`;
  let key = scopes.get(scope);
  if (key === undefined) {
    const hmac = (k: Buffer | string, data: string): Buffer => createHmac("sha256", k).update(data, "utf8").digest();
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
    if (scopes.size >= 64) scopes.clear();
    scopes.set(scope, key);
  }
  return key;
}

/**
 * The SHA-256 of the body as received. The client's `x-amz-content-sha256` header is only a claim: trusting it
 * would let a captured request be replayed with another body. `UNSIGNED-PAYLOAD` (and the streaming variants) is an
 * S3 feature; a Query service hashes the body itself, so a real one answers such a request `SignatureDoesNotMatch`.
 */
function verifiedPayloadHash(req: SignedRequest): string {
  const bodyHash = sha256Hex(req.rawBody);
  const declared = header(req, "x-amz-content-sha256");
  if (declared === undefined || declared === bodyHash) return bodyHash;
  if (declared === "UNSIGNED-PAYLOAD" || declared.startsWith("STREAMING-")) {
    throw new ServiceError("SignatureDoesNotMatch", `${SIGNATURE_MISMATCH} This service does not accept x-amz-content-sha256: ${declared.slice(0, 40)}; sign the SHA-256 of the request body.`);
  }
  throw new ServiceError("SignatureDoesNotMatch", `${SIGNATURE_MISMATCH} The x-amz-content-sha256 header does not match the SHA-256 of the request body.`);
}

function verifySigV4(req: SignedRequest, authorization: string, options: AuthOptions): Caller {
  const algorithm = "AWS4-HMAC-SHA256";
  if (!authorization.startsWith(algorithm) || !/^\s$/.test(authorization.charAt(algorithm.length))) {
    throw new ServiceError("IncompleteSignature", "Unsupported SigV4 algorithm; expected AWS4-HMAC-SHA256.");
  }
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (const part of authorization.slice(algorithm.length + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === "Credential") credential = value;
    else if (name === "SignedHeaders") signedHeaders = value;
    else if (name === "Signature") signature = value;
  }
  if (!credential || !signedHeaders || !signature) {
    throw new ServiceError("IncompleteSignature", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
  }
  const scope = credential.split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request") {
    throw new ServiceError("IncompleteSignature", "Credential must have the form <AccessKeyId>/<yyyyMMdd>/<region>/<service>/aws4_request.");
  }
  const [accessKeyId = "", date = "", region = "", service = ""] = scope;
  if (!options.sigV4Services.includes(service)) {
    throw new ServiceError("SignatureDoesNotMatch", `Credential should be scoped to a valid service: expected ${options.sigV4Services.join(" or ")}, got '${service}'.`);
  }
  const amzDate = header(req, "x-amz-date");
  if (amzDate === undefined) throw new ServiceError("IncompleteSignature", "SigV4 requests must carry an X-Amz-Date header.");
  const t = parseAmzDate(amzDate);
  if (t === undefined) throw new ServiceError("IncompleteSignature", "X-Amz-Date must have the form yyyyMMddTHHmmssZ.");
  if (!amzDate.startsWith(date)) throw new ServiceError("SignatureDoesNotMatch", "Credential date does not match X-Amz-Date.");
  if (Math.abs(options.now - t) > MAX_SKEW_MS) {
    throw new ServiceError("RequestExpired", `Request has expired. X-Amz-Date ${amzDate} is more than 15 minutes from the server time.`);
  }
  const account = lookUp(accessKeyId, options);
  checkSessionToken(account, header(req, "x-amz-security-token"));
  if (!options.verifySignatures) return { account, accessKeyId, signatureVersion: 4 };

  const names = signedHeaders.split(";");
  if (!names.includes("host")) throw new ServiceError("SignatureDoesNotMatch", "SignedHeaders must include host.");
  let canonicalHeaders = "";
  for (const n of names) {
    const value = (header(req, n) ?? "").trim();
    canonicalHeaders += `${n}:${/\s\s/.test(value) ? value.replace(/\s+/g, " ") : value}\n`;
  }
  const payloadHash = verifiedPayloadHash(req);
  const canonicalRequest = `${req.method}\n${uriEncode(req.path, true)}\n${canonicalQuery(req.rawQuery)}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${date}/${region}/${service}/aws4_request\n${sha256Hex(canonicalRequest)}`;
  const signingKey = sigV4SigningKey(account.secretAccessKey, date, region, service);
  const expected = createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
  if (!safeEqual(expected, signature)) throw new ServiceError("SignatureDoesNotMatch");
  return { account, accessKeyId, signatureVersion: 4 };
}
