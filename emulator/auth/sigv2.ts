import { createHmac } from "node:crypto";

// Placeholder until sdk/signing/sigv2.ts exists (one implementation for signer and verifier, design principle 1).
// Keep this file's two exports' shapes equal to the SDK's so the switch is a one-line import change.

/** RFC 3986 percent-encoding as SigV2 wants it: unreserved characters kept, everything else %XX upper-case. */
function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** SigV2 string-to-sign: method, lower-cased host, path, and the sorted, RFC 3986-encoded parameters (no Signature). */
export function sigV2StringToSign(method: string, host: string, path: string, params: Readonly<Record<string, string>>): string {
  const names = Object.keys(params)
    .filter((n) => n !== "Signature")
    .sort((a, b) => (Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"))));
  const query = names.map((n) => `${encodeRfc3986(n)}=${encodeRfc3986(params[n] ?? "")}`).join("&");
  return `${method.toUpperCase()}\n${host.toLowerCase()}\n${path || "/"}\n${query}`;
}

/** Base64 HMAC of the string-to-sign with the secret key. */
export function sigV2Signature(stringToSign: string, secretAccessKey: string, method: "HmacSHA256" | "HmacSHA1"): string {
  return createHmac(method === "HmacSHA1" ? "sha1" : "sha256", secretAccessKey).update(stringToSign, "utf8").digest("base64");
}
