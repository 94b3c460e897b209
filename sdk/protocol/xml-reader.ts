/**
 * A small strict XML reader for Query protocol responses: elements, text, CDATA, comments and processing
 * instructions, attributes checked for syntax and dropped. It replaced fast-xml-parser on the client's path because
 * that library's validate-then-parse of a 1.4 KB GetStatus answer cost about 45 µs, a third of a call's CPU; this
 * reader does both in one pass over the text.
 *
 * Strict where it matters for a client: a document that is cut off, has mismatched or unclosed tags, a second root,
 * text outside the root, a bare `<` or `&`, a malformed tag or attribute, or nests deeper than the limit is refused
 * (`XmlShapeError`), so a broken answer can never be read as a partial one. A DOCTYPE is refused by the caller
 * before reading (no entity can be defined); here `<!` is only a comment or CDATA. Element names lose their
 * namespace prefix; children are kept as lists, so no element name can become an object key (`__proto__`).
 */

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

// Name characters as the XML 1.0 spec lists them, BMP only (astral characters are accepted as any surrogate pair).
const NAME_START = ":A-Za-z_\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\uD800-\\uDFFF";
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`);
/** `<name attr="v" ...>` or `<name .../>`; attribute values may not hold `<` (XML 1.0 §3.1). */
const START_TAG = /<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const END_TAG = /<\/([^\s>]+)\s*>/y;
const ATTRIBUTE = /\s+([^\s=]+)\s*=\s*(?:"[^"]*"|'[^']*')/g;
/** An `&` that does not start a character or entity reference. */
const BARE_AMPERSAND = /&(?!(?:#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);)/;
const WHITESPACE_ONLY = /^[ \t\r\n]*$/;

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

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * Reads `doc` (already trimmed, DOCTYPE already refused) into its root element.
 *
 * @throws XmlShapeError naming what is wrong and where, for anything that is not a well-formed document.
 */
export function readXml(doc: string, maxDepth: number): XmlElement {
  const stack: XmlElement[] = [];
  const names: string[] = []; // qualified names of the open elements, to match end tags exactly
  let root: XmlElement | undefined;
  let i = 0;
  const fail = (what: string): never => {
    throw new XmlShapeError(`the body is not well-formed XML (${what} at offset ${i})`);
  };
  const addText = (segment: string, raw: boolean): void => {
    const open = stack[stack.length - 1];
    if (open === undefined) {
      if (raw || !WHITESPACE_ONLY.test(segment)) fail(raw ? "CDATA outside the root element" : "text outside the root element");
      return;
    }
    if (raw) {
      open.text += segment;
      return;
    }
    if (segment.includes("&") && BARE_AMPERSAND.test(segment)) fail("an & that starts no reference");
    open.text += decodeXmlText(segment);
  };
  while (i < doc.length) {
    const lt = doc.indexOf("<", i);
    if (lt < 0) {
      addText(doc.slice(i), false);
      break;
    }
    if (lt > i) addText(doc.slice(i, lt), false);
    i = lt;
    const next = doc.charCodeAt(i + 1);
    if (next === 0x2f /* / */) {
      END_TAG.lastIndex = i;
      const m = END_TAG.exec(doc);
      if (m === null) fail("a malformed end tag");
      const expected = names.pop();
      if (expected === undefined) fail(`an end tag </${m![1]}> without a start tag`);
      if (m![1] !== expected) fail(`</${m![1]}> where </${expected}> was expected`);
      stack.pop();
      i = END_TAG.lastIndex;
    } else if (next === 0x21 /* ! */) {
      if (doc.startsWith("<!--", i)) {
        const close = doc.indexOf("-->", i + 4);
        if (close < 0) fail("an unterminated comment");
        if (doc.slice(i + 4, close).includes("--")) fail("-- inside a comment");
        i = close + 3;
      } else if (doc.startsWith("<![CDATA[", i)) {
        const close = doc.indexOf("]]>", i + 9);
        if (close < 0) fail("an unterminated CDATA section");
        addText(doc.slice(i + 9, close), true);
        i = close + 3;
      } else {
        fail("a markup declaration");
      }
    } else if (next === 0x3f /* ? */) {
      const close = doc.indexOf("?>", i + 2);
      if (close < 0) fail("an unterminated processing instruction");
      const target = /^[^\s?]*/.exec(doc.slice(i + 2, close))?.[0] ?? "";
      if (!NAME.test(target)) fail("a processing instruction without a valid target");
      if (target.toLowerCase() === "xml" && i !== 0) fail("an XML declaration that is not at the start");
      i = close + 2;
    } else {
      START_TAG.lastIndex = i;
      const m = START_TAG.exec(doc);
      if (m === null) fail("a malformed start tag");
      const [, qname = "", attributes = "", selfClosing] = m!;
      if (!NAME.test(qname)) fail(`an invalid element name ${JSON.stringify(qname.slice(0, 32))}`);
      if (attributes !== "") checkAttributes(attributes, fail);
      if (stack.length === 0 && root !== undefined) fail("a second root element");
      if (stack.length >= maxDepth) fail(`elements nested deeper than ${maxDepth}`);
      const element: XmlElement = { name: localName(qname), children: [], text: "" };
      const parent = stack[stack.length - 1];
      if (parent === undefined) root = element;
      else parent.children.push(element);
      if (selfClosing !== "/") {
        stack.push(element);
        names.push(qname);
      }
      i = START_TAG.lastIndex;
    }
  }
  if (names.length > 0) fail(`<${names[names.length - 1]}> is not closed`);
  if (root === undefined) fail("no root element");
  return root!;
}

/** Attribute names must be names and appear once; their values are dropped (the Query protocol carries none). */
function checkAttributes(attributes: string, fail: (what: string) => never): void {
  const seen = new Set<string>();
  for (const [, name = ""] of attributes.matchAll(ATTRIBUTE)) {
    if (!NAME.test(name)) fail(`an invalid attribute name ${JSON.stringify(name.slice(0, 32))}`);
    if (seen.has(name)) fail(`attribute ${name} given twice`);
    seen.add(name);
  }
}
