/**
 * Query protocol response parser: success documents (`<{Op}Response><{Op}Result>…`) into typed outputs, read
 * through the model's member types (booleans, integers, timestamps → `Date`), and error documents
 * (`<ErrorResponse><Error>` and `<Response><Errors><Error>`) into `{ code, message, type, requestId }`.
 *
 * The XML is read by fast-xml-parser through ./xml-reader (validated first, refused unless well-formed): a DOCTYPE
 * is refused before reading (no entity definitions can exist), only the five predefined entities and character
 * references are decoded, element names never become keys that reach a prototype, values stay strings until the
 * model converts them, and whitespace is kept (SignatureFileContents ends with a newline).
 */
import { operations, type Members, type OperationName, type Shape } from "../model";
import { readXml, XmlShapeError, type XmlElement } from "./xml-reader";

export { XmlShapeError, decodeXmlText } from "./xml-reader";

/** Deeper documents are refused: no Query response nests more than a few levels. */
const MAX_DEPTH = 32;

/**
 * Parses a body into a document node whose one child is the root element; throws XmlShapeError when it is not
 * XML the client accepts.
 */
export function parseXml(body: string): XmlElement {
  if (body.includes("<!") && /<!DOCTYPE|<!ENTITY/i.test(body)) throw new XmlShapeError("the document declares a DOCTYPE, which is refused");
  const trimmed = body.trim();
  if (!trimmed.startsWith("<")) throw new XmlShapeError("the body is not XML");
  return { name: "", children: [readXml(trimmed, MAX_DEPTH)], text: "" };
}

/** The first child element called `name`. */
function child(node: XmlElement | undefined, name: string): XmlElement | undefined {
  if (node === undefined) return undefined;
  for (const c of node.children) if (c.name === name) return c;
  return undefined;
}

/** The text of a leaf element; `""` for an empty element; undefined for a missing one or one with children. */
function text(node: XmlElement | undefined): string | undefined {
  if (node === undefined || node.children.length > 0) return undefined;
  return node.text;
}

function convert(shape: Shape, node: XmlElement | undefined): unknown {
  if (node === undefined) return undefined;
  if (shape.kind === "list") {
    const list: unknown[] = [];
    for (const m of node.children) {
      if (m.name !== "member") continue;
      const value = convert(shape.member, m);
      if (value !== undefined) list.push(value);
    }
    return list;
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

function convertMembers(members: Members, node: XmlElement): Record<string, unknown> {
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
  let tree: XmlElement;
  try {
    tree = parseXml(body);
  } catch {
    return undefined;
  }
  let error: XmlElement | undefined;
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
