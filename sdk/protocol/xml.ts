/**
 * Query protocol response parser: success documents (`<{Op}Response><{Op}Result>…`) into typed outputs, read
 * through the model's member types (booleans, integers, timestamps → `Date`), and error documents
 * (`<ErrorResponse><Error>` and `<Response><Errors><Error>`) into `{ code, message, type, requestId }`.
 *
 * fast-xml-parser is configured safely: a DOCTYPE is refused before parsing (no entity definitions can exist),
 * entity processing is off and only the five predefined entities and character references are decoded here,
 * `__proto__`-like element names are renamed by the parser, values stay strings until the model converts them,
 * and whitespace is kept (SignatureFileContents ends with a newline).
 */
import { XMLParser } from "fast-xml-parser";
import { operations, type Members, type OperationName, type Shape } from "../model";

/** The body is not a Query protocol XML document. */
export class XmlShapeError extends Error {
  override readonly name = "XmlShapeError";
}

const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // No isArray/jPath callbacks: they cost a path string per element. A single `member` comes back as an object
  // and `convert` wraps it in a list itself.
  jPath: false,
  // The parser refuses `__proto__`/`constructor`/`prototype` element names outright; rename them so that such a
  // body still parses (the model never reads them) instead of failing the whole response.
  transformTagName: (name) => (RESERVED_NAMES.has(name) ? `#${name}` : name),
  maxNestedTags: 32,
});

type XmlNode = string | XmlObject | XmlNode[];
interface XmlObject {
  [key: string]: XmlNode;
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes `&amp;`-style predefined entities and `&#NN;`/`&#xNN;` references; anything else stays as written. */
export function decodeXmlText(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x")) return safeCodePoint(parseInt(ref.slice(2), 16)) ?? whole;
    if (ref.startsWith("#")) return safeCodePoint(parseInt(ref.slice(1), 10)) ?? whole;
    return PREDEFINED[ref] ?? whole;
  });
}

function safeCodePoint(n: number): string | undefined {
  return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
}

/** Parses a body into a plain tree; throws XmlShapeError when it is not XML the client accepts. */
export function parseXml(body: string): XmlObject {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new XmlShapeError("the document declares a DOCTYPE, which is refused");
  const trimmed = body.trim();
  if (!trimmed.startsWith("<")) throw new XmlShapeError("the body is not XML");
  let tree: unknown;
  try {
    tree = parser.parse(trimmed, true);
  } catch (err) {
    throw new XmlShapeError(`the body is not well-formed XML (${err instanceof Error ? err.message.split("\n")[0] : "parse error"})`);
  }
  if (tree === null || typeof tree !== "object" || Array.isArray(tree)) throw new XmlShapeError("the body has no root element");
  return tree as XmlObject;
}

function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (node === undefined || typeof node === "string" || Array.isArray(node)) return undefined;
  return Object.prototype.hasOwnProperty.call(node, name) ? node[name] : undefined;
}

/** The text of a leaf element; `""` for an empty element; undefined for a missing one or one with children. */
function text(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === "string") return decodeXmlText(node);
  if (Array.isArray(node)) return text(node[0]);
  const keys = Object.keys(node);
  if (keys.length === 0) return "";
  // A leaf with only whitespace text nodes has just "#text".
  if (keys.length === 1 && keys[0] === "#text") return text(node["#text"]);
  return undefined;
}

function convert(shape: Shape, node: XmlNode | undefined): unknown {
  if (node === undefined) return undefined;
  if (shape.kind === "list") {
    const members = child(node, "member");
    const list = members === undefined ? [] : Array.isArray(members) ? members : [members];
    return list.map((m) => convert(shape.member, m)).filter((v) => v !== undefined);
  }
  if (shape.kind === "structure") return convertMembers(shape.members, node);
  const raw = text(node);
  if (raw === undefined) return undefined;
  switch (shape.type) {
    case "string":
      return raw;
    case "boolean": {
      const t = raw.trim();
      return t === "" ? undefined : t.toLowerCase() === "true";
    }
    case "integer": {
      const t = raw.trim();
      return /^-?\d+$/.test(t) ? Number(t) : undefined;
    }
    case "timestamp": {
      const t = raw.trim();
      if (t === "") return undefined;
      // ISO 8601 (what the service sends); epoch seconds are accepted too, as botocore does.
      const date = /^\d+(\.\d+)?$/.test(t) ? new Date(Number(t) * 1000) : new Date(t);
      return Number.isNaN(date.getTime()) ? undefined : date;
    }
  }
}

function convertMembers(members: Members, node: XmlNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(members)) {
    const value = convert(member.shape, child(node, name));
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** A parsed success document: the output members and the body's RequestId. */
export interface ParsedSuccess {
  output: Record<string, unknown>;
  requestId?: string;
}

/**
 * Reads `<{Op}Response><{Op}Result>…</{Op}Result><ResponseMetadata><RequestId>`. Unknown elements are ignored.
 *
 * @throws XmlShapeError when the body is not XML or has no `{Op}Response` root.
 */
export function parseSuccess(op: OperationName, body: string): ParsedSuccess {
  const tree = parseXml(body);
  const root = child(tree, `${op}Response`);
  if (root === undefined) throw new XmlShapeError(`expected a ${op}Response document`);
  const result = child(root, `${op}Result`);
  const output = result === undefined ? {} : convertMembers(operations[op].output, result);
  const requestId = text(child(child(root, "ResponseMetadata"), "RequestId"));
  return requestId ? { output, requestId } : { output };
}

/** A parsed error document. */
export interface ParsedError {
  code: string;
  message?: string;
  /** `Sender` or `Receiver`. */
  type?: string;
  requestId?: string;
}

/**
 * Reads an error document: `<ErrorResponse><Error>…</Error><RequestId>` (Import/Export) or
 * `<Response><Errors><Error>…</Error></Errors><RequestID>` (EC2 style). Undefined when the body is not one.
 */
export function parseError(body: string): ParsedError | undefined {
  let tree: XmlObject;
  try {
    tree = parseXml(body);
  } catch {
    return undefined;
  }
  let error: XmlNode | undefined;
  let requestId: string | undefined;
  const envelope = child(tree, "ErrorResponse");
  if (envelope !== undefined) {
    error = child(envelope, "Error");
    requestId = text(child(envelope, "RequestId"));
  } else {
    const response = child(tree, "Response");
    error = child(child(response, "Errors"), "Error");
    requestId = text(child(response, "RequestID")) ?? text(child(response, "RequestId"));
  }
  if (Array.isArray(error)) error = error[0];
  const code = text(child(error, "Code"))?.trim();
  if (!code) return undefined;
  const out: ParsedError = { code };
  const message = text(child(error, "Message"));
  const type = text(child(error, "Type"))?.trim();
  if (message !== undefined) out.message = message;
  if (type) out.type = type;
  if (requestId) out.requestId = requestId.trim();
  return out;
}
