/**
 * Issue 21 item 8: Query responses are read by fast-xml-parser (a pinned runtime dependency), with the strictness
 * the hand-written reader had. What is checked here is what the library alone would not give: its validator's
 * leniencies refused from its tree, its name guards never changing an element's name, its double transform of
 * self-closing tags, and its errors turned into XmlShapeError.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { XMLValidator } from "fast-xml-parser";
import { readXml, XmlShapeError } from "../../sdk/protocol/xml-reader";
import { parseError, parseSuccess } from "../../sdk/protocol/xml";

const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as {
  dependencies: Record<string, string>; devDependencies: Record<string, string>;
};

describe("fast-xml-parser is the runtime parser", () => {
  test("it is a pinned runtime dependency (an exact version), not a test-only one", () => {
    expect(pkg.dependencies["fast-xml-parser"]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies["fast-xml-parser"]).toBeUndefined();
  });

  test("its validator's findings are the XmlShapeError's detail", () => {
    expect(() => readXml("<A><B>x</C></A>", 32)).toThrow(new XmlShapeError("the body is not well-formed XML (Expected closing tag 'B' (opened in line 1, col 4) instead of closing tag 'C' at line 1, column 8)"));
  });
});

describe("stricter than the library's validator", () => {
  test.each([
    ["a markup declaration inside an element", "<A><!ELEMENT x></A>", "a markup declaration"],
    ["an XML declaration after the start", "<A><?xml version='1.0'?></A>", "an XML declaration that is not at the start"],
    ["a processing instruction without a valid target", "<A><?1x y?></A>", "a processing instruction without a valid target"],
    ["< in an attribute value", '<A x="<"></A>', "< in an attribute value"],
  ])("%s: the validator accepts it, the reader does not", (_name, doc, what) => {
    expect(XMLValidator.validate(doc)).toBe(true);
    expect(() => readXml(doc, 32)).toThrow(new XmlShapeError(`the body is not well-formed XML (${what})`));
  });

  test("a declaration at the start, processing instructions and whitespace around the root are fine", () => {
    const root = readXml('<?xml version="1.0"?>\n<?pi x?>\n<R a="1"><V>t</V></R>\n', 32);
    expect(root).toEqual({ name: "R", children: [{ name: "V", children: [], text: "t" }], text: "" });
  });

  test("a million levels of nesting are refused at the limit, without overflowing the stack", () => {
    const n = 1_000_000;
    expect(() => readXml(`${"<a>".repeat(n)}${"</a>".repeat(n)}`, 32)).toThrow(/nested deeper than 32/);
  });
});

describe("names as written", () => {
  test("names the library guards (__proto__, constructor, prototype, toString, hasOwnProperty) are read unchanged and pollute nothing", () => {
    const names = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];
    const root = readXml(`<R>${names.map((n) => `<${n}>${n}</${n}>`).join("")}</R>`, 32);
    expect(root.children.map((c) => [c.name, c.text])).toEqual(names.map((n) => [n, n]));
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.prototype.toString.call({})).toBe("[object Object]");
    const out = parseSuccess("CancelJob", "<CancelJobResponse><CancelJobResult><toString>x</toString><constructor/><Success>true</Success></CancelJobResult></CancelJobResponse>");
    expect(out.output).toEqual({ Success: true });
  });

  test("self-closing elements keep their name (the library transforms their name twice)", () => {
    expect(readXml("<R><E/><F></F><G /></R>", 32).children.map((c) => c.name)).toEqual(["E", "F", "G"]);
    expect(parseSuccess("GetStatus", "<GetStatusResponse><GetStatusResult><JobId>A</JobId><Carrier/></GetStatusResult></GetStatusResponse>").output).toEqual({ JobId: "A", Carrier: "" });
  });

  test("entities: text decoded once, CDATA raw, unknown references kept; error documents too", () => {
    const root = readXml("<R>a &amp;amp; &#65;<![CDATA[&lt;b>]]>&nbsp;</R>", 32);
    expect(root.text).toBe("a &amp; A&lt;b>&nbsp;");
    expect(parseError("<ErrorResponse><Error><Code>X</Code><Message>a &lt; b</Message></Error><RequestId>r</RequestId></ErrorResponse>")).toEqual({ code: "X", message: "a < b", requestId: "r" });
  });
});
