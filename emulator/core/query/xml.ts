/**
 * Query protocol XML shared by the services that speak it (Import/Export, STS): escaping, timestamps, the
 * `ErrorResponse` document and a plain result document. The model-driven Import/Export results are in
 * emulator/importexport/wire.ts.
 */
import { XML_NAMESPACE } from "../../../sdk/model";
import type { ServiceError } from "./errors";

/**
 * Escapes text for an XML element body. Besides the five special characters it writes `\r` as a character
 * reference (parsers would otherwise fold CRLF to LF and change a manifest) and replaces characters XML 1.0
 * cannot carry at all (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) with U+FFFD so the
 * document always parses.
 */
export function escapeXml(text: string): string {
  if (!/[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/.test(text)) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x26: out += "&amp;"; continue;
      case 0x3c: out += "&lt;"; continue;
      case 0x3e: out += "&gt;"; continue;
      case 0x22: out += "&quot;"; continue;
      case 0x27: out += "&apos;"; continue;
      case 0x0d: out += "&#13;"; continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + (text[i + 1] ?? "");
        i++;
      } else {
        out += "\ufffd";
      }
      continue;
    }
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
      out += "\ufffd";
      continue;
    }
    out += text[i];
  }
  return out;
}

/** ISO-8601 UTC without milliseconds (`2015-05-27T18:58:21Z`), the form the model's examples and the CLI show. */
export function formatTimestamp(value: Date | number): string {
  const ms = typeof value === "number" ? value : value.getTime();
  const seconds = Math.floor(ms / 1000);
  // Jobs are read far more often than created: remember recent renderings (bounded).
  let text = timestampCache.get(seconds);
  if (text === undefined) {
    text = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    if (timestampCache.size >= 1024) timestampCache.clear();
    timestampCache.set(seconds, text);
  }
  return text;
}
const timestampCache = new Map<number, string>();

/** A Query `ErrorResponse` document (spec §1.5): `Error/Type,Code,Message` plus a sibling `RequestId`. */
export function serializeError(error: ServiceError, requestId: string, namespace: string = XML_NAMESPACE): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/** A Query success document whose members are text, given in order (STS GetCallerIdentity). */
export function serializeForeignResult(action: string, namespace: string, fields: ReadonlyArray<readonly [string, string]>, requestId: string): string {
  const body = fields.map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${action}Response xmlns="${namespace}"><${action}Result>${body}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}
