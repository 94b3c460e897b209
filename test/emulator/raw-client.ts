/**
 * A deliberately low-level Query client for emulator tests: builds the form body itself, signs with
 * @smithy/signature-v4 (SigV4, an implementation nobody here wrote) or the SDK's SigV2 signer, sends with fetch,
 * and parses the XML with fast-xml-parser. Low level on purpose, so tests can also send malformed requests.
 */
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../../sdk/signing/sigv4";
import { XMLParser } from "fast-xml-parser";
import { signV2, type SigV2Method } from "../../sdk/signing/sigv2";

/** Credentials of an emulator account. */
export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
}


const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, isArray: (name) => name === "member" });

/** A parsed response. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed document (root element name → content). */
  xml: Record<string, any>;
  /** `<{Op}Result>` content for successes. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  result: any;
  /** `ErrorResponse/Error/Code` for failures. */
  code?: string;
  message?: string;
  requestId?: string;
}

/** Form-encodes parameters the way botocore does (`+` for spaces is avoided; %20 is also valid form encoding). */
export function formEncode(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
}

/** How to sign. */
export interface CallOptions {
  creds?: Creds;
  sign?: "v4" | "v2" | "none";
  /** SigV4 service name (default IngestionService). */
  service?: string;
  region?: string;
  signatureMethod?: SigV2Method;
  /** Signing time (default now). */
  now?: Date;
  version?: string;
  method?: "POST" | "GET";
}

/** Parses an emulator answer. */
export function parseReply(status: number, headers: Headers, text: string): Reply {
  const xml = parser.parse(text) as Record<string, any>;
  const root = Object.keys(xml).find((k) => k !== "?xml") ?? "";
  const doc = xml[root] ?? {};
  const reply: Reply = { status, headers, text, xml, result: {} };
  if (root === "ErrorResponse") {
    reply.code = doc.Error?.Code;
    reply.message = doc.Error?.Message;
    reply.requestId = doc.RequestId;
  } else {
    const resultKey = Object.keys(doc).find((k) => k.endsWith("Result"));
    reply.result = resultKey === undefined ? {} : doc[resultKey] === "" ? {} : doc[resultKey];
    reply.requestId = doc.ResponseMetadata?.RequestId;
  }
  return reply;
}

/** Calls `action` with `params` on the emulator at `endpoint`. */
export async function call(endpoint: string, action: string, params: Record<string, string>, options: CallOptions = {}): Promise<Reply> {
  const url = new URL(endpoint);
  const method = options.method ?? "POST";
  let form: Record<string, string> = { Action: action, Version: options.version ?? "2010-06-01", ...params };
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded; charset=utf-8", host: url.host };
  const sign = options.sign ?? "v4";
  const now = options.now ?? new Date();
  if (sign === "v2" && options.creds) {
    form = signV2(form, { method, host: url.host, path: "/", credentials: options.creds, signatureMethod: options.signatureMethod ?? "HmacSHA256", now });
  }
  const body = formEncode(form);
  let target = `${endpoint}/`;
  let sendBody: string | undefined = body;
  if (method === "GET") {
    target = `${endpoint}/?${body}`;
    sendBody = undefined;
  }
  if (sign === "v4" && options.creds) {
    const signer = new SignatureV4({
      credentials: options.creds,
      region: options.region ?? "us-east-1",
      service: options.service ?? "IngestionService",
      sha256: NodeSha256 as any,
    });
    const query: Record<string, string> = method === "GET" ? form : {};
    const signed: { headers: Record<string, string> } = await (signer.sign as (...args: unknown[]) => Promise<any>)(
      { method, protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", query, headers, body: sendBody } as any,
      { signingDate: now },
    );
    Object.assign(headers, signed.headers);
  }
  delete headers["host"];
  const init: RequestInit = { method, headers };
  if (sendBody !== undefined) init.body = sendBody;
  const res = await fetch(target, init);
  const text = await res.text();
  return parseReply(res.status, res.headers, text);
}

export { exportManifest, importManifest } from "../helpers/manifests";
