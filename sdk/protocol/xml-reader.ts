/**
 * Reads Query protocol responses with fast-xml-parser: its validator checks the whole document first, then its
 * parser builds an ordered tree, which is turned into {@link XmlElement}s here.
 *
 * Strict where it matters for a client: a document that is cut off, has mismatched or unclosed tags, a second root,
 * text outside the root, a bare `<` or `&`, a malformed tag or attribute, or nests deeper than the limit is refused
 * (`XmlShapeError`), so a broken answer can never be read as a partial one. fast-xml-parser's validator lets four
 * things through that are refused here from its tree: a markup declaration inside an element (`<!ELEMENT x>`), an
 * XML declaration that is not at the start, a processing instruction without a valid target, and `<` in an
 * attribute value. A DOCTYPE is refused by the caller before reading (no entity can be defined); entities are not
 * processed by the library (`decodeXmlText` decodes the five predefined ones and character references). Every
 * element and attribute name is given a `<` prefix while parsing (no XML name starts with `<`), so no name from the
 * document can become `__proto__`, `constructor` or any other key the library guards, and the result is a list of
 * children per element: no element name is ever an object key of the output.
 */
import type { XMLParser } from "fast-xml-parser";

/**
 * fast-xml-parser, loaded by the first response read rather than when the client module is: a CLI command that
 * fails before it sends anything (usage, `--help`, a missing credential) never needs it
 * (docs/cli.md#start-up-time-and-memory).
 */
let library: typeof import("fast-xml-parser") | undefined;
const fastXmlParser = (): typeof import("fast-xml-parser") => (library ??= require("fast-xml-parser") as typeof import("fast-xml-parser"));

/** The body is not a Query protocol XML document (or not XML at all). */
export class XmlShapeError extends Error {
  override readonly name = "XmlShapeError";
}

/** One element: local name (prefix removed), child elements in document order, decoded text of its direct text. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
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

/** Marks a parsed name. Idempotent, because the library transforms a self-closing tag's name twice. */
const mark = (name: string): string => (name.charCodeAt(0) === 0x3c /* < */ ? name : `<${name}`);
const TEXT = "#text";
const CDATA = "#cdata";
const ATTRIBUTES = ":@";
/** A processing instruction's target (XML 1.0 Name, ASCII subset is enough to refuse garbage such as `<?1x`). */
const PI_TARGET = /^\?[A-Za-z_:\u0080-\uFFFF][\w.:\u00B7\u0080-\uFFFF-]*$/;

/** One parser per depth limit (the library's option is fixed per instance); the client uses one limit. */
const parsers = new Map<number, XMLParser>();
function parserFor(maxDepth: number): XMLParser {
  let parser = parsers.get(maxDepth);
  if (parser === undefined) {
    parser = new (fastXmlParser().XMLParser)({
      preserveOrder: true,
      ignoreAttributes: false, // kept only to refuse `<` in a value; the Query protocol carries none
      attributeNamePrefix: "",
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false, // SignatureFileContents ends with a newline
      processEntities: false,
      htmlEntities: false,
      ignoreDeclaration: false, // kept to refuse one that is not at the start
      ignorePiTags: false,
      cdataPropName: CDATA, // CDATA is raw text: it must not go through decodeXmlText
      jPath: false,
      // The library counts the open elements above the new one: maxDepth levels in all.
      maxNestedTags: maxDepth - 1,
      transformTagName: mark,
      transformAttributeName: mark,
    });
    parsers.set(maxDepth, parser);
  }
  return parser;
}

type OrderedNode = Record<string, unknown>;

/**
 * Reads `doc` (already trimmed, DOCTYPE already refused) into its root element.
 *
 * @throws XmlShapeError naming what is wrong, for anything that is not a well-formed document.
 */
export function readXml(doc: string, maxDepth: number): XmlElement {
  const verdict = fastXmlParser().XMLValidator.validate(doc);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    const where = col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
    throw new XmlShapeError(`the body is not well-formed XML (${msg.replace(/\.$/, "")} at ${where})`);
  }
  let nodes: unknown;
  try {
    nodes = parserFor(maxDepth).parse(doc);
  } catch (err) {
    const what = err instanceof Error ? err.message.split("\n")[0] ?? "" : "";
    if (what === "Maximum nested tags exceeded") throw new XmlShapeError(`the body is not well-formed XML (elements nested deeper than ${maxDepth})`);
    throw new XmlShapeError(`the body is not well-formed XML (${what || "parse error"})`);
  }
  if (!Array.isArray(nodes)) throw new XmlShapeError("the body is not well-formed XML (no root element)");
  let root: XmlElement | undefined;
  nodes.forEach((node: OrderedNode, i) => {
    const element = convert(node, i === 0);
    if (element !== undefined) root = element;
  });
  if (root === undefined) throw new XmlShapeError("the body is not well-formed XML (no root element)");
  return root;
}

/** One node of the library's ordered output: an element (converted), or a declaration or PI (checked, dropped). */
function convert(node: OrderedNode, first: boolean): XmlElement | undefined {
  for (const key of Object.keys(node)) {
    if (key === ATTRIBUTES) continue;
    if (key === TEXT || key === CDATA) return undefined; // whitespace around the root (the validator refuses more)
    if (key.charCodeAt(0) === 0x3f /* ? */) {
      if (!PI_TARGET.test(key)) fail("a processing instruction without a valid target");
      if (key.toLowerCase() === "?xml" && !first) fail("an XML declaration that is not at the start");
      return undefined;
    }
    if (key.charCodeAt(1) === 0x21 /* ! */) fail("a markup declaration");
    checkAttributes(node[ATTRIBUTES]);
    const element: XmlElement = { name: key.slice(1), children: [], text: "" };
    for (const child of node[key] as OrderedNode[]) {
      const text = child[TEXT];
      if (typeof text === "string") {
        element.text += decodeXmlText(text);
        continue;
      }
      const cdata = child[CDATA];
      if (Array.isArray(cdata)) {
        for (const part of cdata as OrderedNode[]) element.text += typeof part[TEXT] === "string" ? part[TEXT] : "";
        continue;
      }
      const inner = convert(child, false);
      if (inner !== undefined) element.children.push(inner);
    }
    return element;
  }
  return undefined;
}

function checkAttributes(attributes: unknown): void {
  if (attributes === undefined || attributes === null || typeof attributes !== "object") return;
  for (const value of Object.values(attributes)) {
    if (typeof value === "string" && value.includes("<")) fail("< in an attribute value");
  }
}

function fail(what: string): never {
  throw new XmlShapeError(`the body is not well-formed XML (${what})`);
}
