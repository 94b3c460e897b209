/**
 * The client's strict XML reader, checked against fast-xml-parser's validator as an oracle nobody here wrote: on
 * every cut-off prefix and every one-character edit of real response documents, a document the validator refuses
 * is refused here too (the reader may be stricter, never more lenient), and the documents themselves read the same.
 */
import { describe, expect, test } from "vitest";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { readXml, XmlShapeError, type XmlElement } from "../../sdk/protocol/xml-reader";
import { parseSuccess } from "../../sdk/protocol/xml";

const NS = 'xmlns="http://importexport.amazonaws.com/doc/2010-06-01/"';
// What the emulator answers GetStatus with (whitespace, declaration, namespace, a list, text with newlines).
const getStatus = `<?xml version="1.0" encoding="UTF-8"?>
<GetStatusResponse ${NS}><GetStatusResult><JobId>B5XZK</JobId><JobType>Import</JobType><LocationCode>NotReceived</LocationCode><ProgressCode>Pending</ProgressCode><ErrorCount>0</ErrorCount><Signature>09ElGKMDlrmnyrdhBUJwoqJJD+Q=</Signature><SignatureFileContents>version:2.0
signingMethod:HmacSHA1
jobId:B5XZK
</SignatureFileContents><CurrentManifest>a: &lt;b&gt; &amp; &#233;</CurrentManifest><CreationDate>2026-12-03T12:02:34Z</CreationDate><ArtifactList><member><Description>PDF</Description><URL>https://x/y.pdf</URL></member></ArtifactList></GetStatusResult><ResponseMetadata><RequestId>a6b9b1b6-9fc2</RequestId></ResponseMetadata></GetStatusResponse>`;
const errorDoc = `<ErrorResponse ${NS}><Error><Type>Sender</Type><Code>InvalidJobIdException</Code><Message>No such job &amp; &#65; <![CDATA[x<y]]></Message></Error><!-- c --><RequestId>r-2</RequestId></ErrorResponse>`;
const listJobs = `<ListJobsResponse><ListJobsResult><Jobs><member><JobId a='1' b="2">A</JobId><IsCanceled>true</IsCanceled></member><member/></Jobs></ListJobsResult></ListJobsResponse>`;

const accepts = (doc: string): boolean => {
  try {
    readXml(doc, 32);
    return true;
  } catch (err) {
    expect(err).toBeInstanceOf(XmlShapeError);
    return false;
  }
};

describe("readXml against fast-xml-parser's validator", () => {
  test.each([["GetStatus", getStatus], ["error", errorDoc], ["ListJobs", listJobs]])("%s: never accepts what the validator refuses", (_name, doc) => {
    expect(accepts(doc)).toBe(true);
    expect(XMLValidator.validate(doc)).toBe(true);
    const lenient: string[] = [];
    let refusedByBoth = 0;
    for (let i = 0; i < doc.length; i++) {
      const edits = [doc.slice(0, i), doc.slice(0, i) + doc.slice(i + 1)];
      for (const ch of ["<", ">", "&", "/", '"', "=", " ", "x", "!", "?", "-", "]"]) edits.push(doc.slice(0, i) + ch + doc.slice(i + 1), doc.slice(0, i) + ch + doc.slice(i));
      for (const edit of edits) {
        if (XMLValidator.validate(edit) === true) continue;
        if (accepts(edit)) lenient.push(edit.slice(Math.max(0, i - 20), i + 20));
        else refusedByBoth++;
      }
    }
    expect(lenient).toEqual([]);
    expect(refusedByBoth).toBeGreaterThan(doc.length); // every cut-off prefix at least
  });

  test("the leaf texts read here are the ones fast-xml-parser reads", () => {
    const fxp = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: false, htmlEntities: false, ignoreDeclaration: true });
    const theirs = fxp.parse(getStatus) as { GetStatusResponse: { GetStatusResult: Record<string, unknown> } };
    const result = readXml(getStatus.slice(getStatus.indexOf("<GetStatusResponse")), 32).children[0] as XmlElement;
    for (const el of result.children) {
      if (el.children.length > 0) continue;
      const expected = String(theirs.GetStatusResponse.GetStatusResult[el.name]).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").replace(/&#233;/g, "é");
      expect(el.text, el.name).toBe(expected);
    }
  });
});

describe("readXml", () => {
  test.each([
    ["cut off", "<A><B>x</B><C>y"],
    ["unclosed root", "<A><B>x</B>"],
    ["mismatched end tag", "<A><B>x</C></A>"],
    ["two roots", "<A></A><B></B>"],
    ["text after the root", "<A></A>junk"],
    ["a bare <", "<A>a < b</A>"],
    ["a bare &", "<A>a & b</A>"],
    ["an invalid name", "<1A></1A>"],
    ["an attribute without value", "<A x></A>"],
    ["a repeated attribute", '<A x="1" x="2"></A>'],
    ["< in an attribute value", '<A x="<"></A>'],
    ["a declaration after the start", "<A><?xml version='1.0'?></A>"],
    ["an unterminated comment", "<A><!-- x</A>"],
    ["a stray markup declaration", "<A><!ELEMENT x></A>"],
  ])("refuses %s", (_name, doc) => {
    expect(() => readXml(doc, 32)).toThrow(XmlShapeError);
  });

  test("depth: 32 levels read, 33 refused", () => {
    const nest = (n: number): string => `${"<a>".repeat(n)}x${"</a>".repeat(n)}`;
    expect(() => readXml(nest(32), 32)).not.toThrow();
    expect(() => readXml(nest(33), 32)).toThrow(/nested deeper than 32/);
  });

  test("namespace prefixes are dropped; CDATA is raw text; comments and PIs are skipped", () => {
    const root = readXml(`<ie:R xmlns:ie="urn:x"><ie:V>a<!-- no --><?pi x?>&amp;<![CDATA[&lt;]]></ie:V></ie:R>`, 32);
    expect(root.name).toBe("R");
    expect(root.children[0]).toEqual({ name: "V", children: [], text: "a&&lt;" });
  });

  test("element names never become object keys", () => {
    const root = readXml("<__proto__><constructor>1</constructor></__proto__>", 32);
    expect(root.name).toBe("__proto__");
    expect(({} as Record<string, unknown>)["constructor"]).toBe(Object);
  });

  test("through parseSuccess: a cut-off answer is a shape error, never a partial output", () => {
    for (let i = getStatus.indexOf("<GetStatusResponse") + 1; i < getStatus.length - 1; i += 7) {
      expect(() => parseSuccess("GetStatus", getStatus.slice(0, i))).toThrow(XmlShapeError);
    }
  });
});
