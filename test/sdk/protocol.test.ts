import { describe, expect, test } from "vitest";
import { formBody, serializeQuery } from "../../sdk/protocol/query";
import { decodeXmlText, parseError, parseSuccess, XmlShapeError } from "../../sdk/protocol/xml";
import { ImportExportValidationError } from "../../sdk/errors";

const NS = 'xmlns="http://importexport.amazonaws.com/doc/2010-06-01/"';

describe("serializeQuery", () => {
  test("adds Action and Version and writes scalars as the wire expects", () => {
    expect(serializeQuery("CreateJob", { JobType: "Import", Manifest: "m", ValidateOnly: false })).toEqual({
      Action: "CreateJob", Version: "2010-06-01", JobType: "Import", Manifest: "m", ValidateOnly: "false",
    });
    expect(serializeQuery("ListJobs", { MaxJobs: 2, Marker: "BBBBB" })).toEqual({ Action: "ListJobs", Version: "2010-06-01", MaxJobs: "2", Marker: "BBBBB" });
  });

  test("lists are name.member.N (1-based); an empty list is name=", () => {
    expect(serializeQuery("GetShippingLabel", { jobIds: ["AAAAA", "BBBBB"], name: "Jane" })).toEqual({
      Action: "GetShippingLabel", Version: "2010-06-01", "jobIds.member.1": "AAAAA", "jobIds.member.2": "BBBBB", name: "Jane",
    });
    expect(serializeQuery("GetShippingLabel", { jobIds: [] })).toMatchObject({ jobIds: "" });
  });

  test.each([
    ["CreateJob", { JobType: "Import", Manifest: "m" }, "MissingParameterException", "ValidateOnly"],
    ["UpdateJob", { JobType: "Import", Manifest: "m", ValidateOnly: true }, "MissingParameterException", "JobId"],
    ["GetStatus", {}, "MissingParameterException", "JobId"],
    ["GetShippingLabel", {}, "MissingParameterException", "jobIds"],
    ["CreateJob", { JobType: "Import", Manifest: "m", ValidateOnly: "yes" }, "InvalidParameterException", "ValidateOnly"],
    ["ListJobs", { MaxJobs: 1.5 }, "InvalidParameterException", "MaxJobs"],
    ["GetStatus", { JobId: "A", Jobid: "B" }, "InvalidParameterException", "Jobid"],
    ["GetShippingLabel", { jobIds: "AAAAA" }, "InvalidParameterException", "jobIds"],
    ["GetShippingLabel", { jobIds: ["A", 3] }, "InvalidParameterException", "jobIds[1]"],
  ] as const)("%s %j → %s on %s", (op, input, code, member) => {
    try {
      serializeQuery(op, input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ImportExportValidationError);
      expect(e).toMatchObject({ code, member });
      expect((e as Error).message).toContain(member);
    }
  });

  test("the form body uses %20 for spaces and escapes RFC 3986 reserved characters", () => {
    expect(formBody({ a: "x y", "b c": "~*!'()+&=" })).toBe("a=x%20y&b%20c=~%2A%21%27%28%29%2B%26%3D");
  });
});

describe("parseSuccess", () => {
  test("converts members by the model: booleans, integers, timestamps, lists", () => {
    const body = `<?xml version="1.0"?>
<GetStatusResponse ${NS}>
  <GetStatusResult>
    <JobId>ABCDE</JobId>
    <ErrorCount>0</ErrorCount>
    <CreationDate>2010-03-28T20:27:35Z</CreationDate>
    <SignatureFileContents>version:2.0
signingMethod:HmacSHA1
jobId:ABCDE
signature:O3qG7xnI46ZEm9gi+eOy9dnSS9k=
</SignatureFileContents>
    <CurrentManifest>a: &lt;b&gt; &amp; &#233; &#x1F600;</CurrentManifest>
    <ArtifactList><member><Description>PDF</Description><URL>https://x/y.pdf</URL></member></ArtifactList>
    <Unknown>ignored</Unknown>
  </GetStatusResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</GetStatusResponse>`;
    const parsed = parseSuccess("GetStatus", body);
    expect(parsed.requestId).toBe("req-1");
    expect(parsed.output).toEqual({
      JobId: "ABCDE",
      ErrorCount: 0,
      CreationDate: new Date("2010-03-28T20:27:35Z"),
      SignatureFileContents: "version:2.0\nsigningMethod:HmacSHA1\njobId:ABCDE\nsignature:O3qG7xnI46ZEm9gi+eOy9dnSS9k=\n",
      CurrentManifest: "a: <b> & é 😀",
      ArtifactList: [{ Description: "PDF", URL: "https://x/y.pdf" }],
    });
  });

  test("ListJobs: one-member lists are lists, IsTruncated is a boolean, empty lists are []", () => {
    const one = parseSuccess("ListJobs", `<ListJobsResponse><ListJobsResult><Jobs><member><JobId>A</JobId><IsCanceled>true</IsCanceled><JobType>Import</JobType></member></Jobs><IsTruncated>false</IsTruncated></ListJobsResult></ListJobsResponse>`);
    expect(one.output).toEqual({ Jobs: [{ JobId: "A", IsCanceled: true, JobType: "Import" }], IsTruncated: false });
    const none = parseSuccess("ListJobs", `<ListJobsResponse><ListJobsResult><Jobs/><IsTruncated>false</IsTruncated></ListJobsResult></ListJobsResponse>`);
    expect(none.output).toEqual({ Jobs: [], IsTruncated: false });
  });

  test("an empty result wrapper gives an empty output", () => {
    expect(parseSuccess("CancelJob", "<CancelJobResponse><CancelJobResult/></CancelJobResponse>").output).toEqual({});
  });

  test.each([
    ["not XML", "Service Unavailable"],
    ["wrong root", "<GetStatusResponse/>"],
    ["HTML", "<html><body>502 Bad Gateway</body></html>"],
    ["DOCTYPE", '<!DOCTYPE x [<!ENTITY a "aaaa">]><CancelJobResponse><CancelJobResult><Success>&a;</Success></CancelJobResult></CancelJobResponse>'],
  ])("refuses %s", (_n, body) => {
    expect(() => parseSuccess("CancelJob", body)).toThrow(XmlShapeError);
  });

  test("element names like __proto__ do not pollute prototypes", () => {
    const out = parseSuccess("CancelJob", "<CancelJobResponse><CancelJobResult><__proto__><polluted>yes</polluted></__proto__><Success>true</Success></CancelJobResult></CancelJobResponse>");
    expect(out.output).toEqual({ Success: true });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  test("entity references other than the predefined ones are left as written", () => {
    expect(decodeXmlText("&amp;&lt;&gt;&quot;&apos;&nbsp;&#65;&#x42;&#99999999;")).toBe("&<>\"'&nbsp;AB&#99999999;");
  });
});

describe("parseError", () => {
  test("ErrorResponse with sibling RequestId", () => {
    expect(parseError(`<ErrorResponse ${NS}><Error><Type>Sender</Type><Code>InvalidJobIdException</Code><Message>No such job</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`)).toEqual({
      code: "InvalidJobIdException", message: "No such job", type: "Sender", requestId: "r-2",
    });
  });

  test("EC2-style Response/Errors/Error", () => {
    expect(parseError("<Response><Errors><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></Errors><RequestID>r-3</RequestID></Response>")).toEqual({
      code: "Throttling", message: "Rate exceeded", requestId: "r-3",
    });
  });

  test.each(["", "oops", "<ErrorResponse><Error><Message>no code</Message></Error></ErrorResponse>", "<html/>"])("not an error document: %j", (body) => {
    expect(parseError(body)).toBeUndefined();
  });
});
