import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { JOB_JOURNAL, type JobRecord } from "../../../emulator/importexport/backend/job";
import { EXPIRY_MS, catchUp } from "../../../emulator/importexport/backend/lifecycle";
import { FaultInjector, parseFaultRule } from "../../../emulator/core/faults";
import { openJournal } from "../../../emulator/core/store";
import { ServiceError } from "../../../emulator/core/query/errors";
import { parseForm } from "../../../emulator/core/query/form";
import { operationInput, serializeResult } from "../../../emulator/importexport/wire";
import { operationNames, type OperationName } from "../../../sdk/model";
import { formBody, serializeQuery } from "../../../sdk/protocol/query";
import type { OperationInputs } from "../../../sdk/types";
import { escapeXml, serializeError } from "../../../emulator/core/query/xml";

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, htmlEntities: true });

function job(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    jobId: "ABCDE", accountId: "111111111111", jobType: "Import", manifest: "m", createdAt: 0, sequence: 1,
    locationCode: "NotReceived", progressCode: "Pending", transitionedAt: 0, isCanceled: false, errorCount: 0,
    signature: "sig", region: "us-east-1", ...overrides,
  };
}

describe("wire: XML serialization", () => {
  it("any XML-representable string survives a round trip through a real XML parser", () => {
    const xmlChar = fc.string({ unit: fc.constantFrom("a", "<", ">", "&", "'", '"', "\r", "\n", "\t", " ", "]]>", "é", "😀", "&amp;", "<![CDATA[") });
    fc.assert(
      fc.property(xmlChar, (text) => {
        const xml = serializeResult("GetStatus", { JobId: "ABCDE", CurrentManifest: text }, "rid");
        expect(XMLValidator.validate(xml)).toBe(true);
        expect(parser.parse(xml).GetStatusResponse.GetStatusResult.CurrentManifest ?? "").toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("characters XML cannot carry become U+FFFD instead of breaking the document", () => {
    const xml = serializeResult("GetStatus", { CurrentManifest: "a\u0000b\u0007c\ud800" }, "rid");
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(escapeXml("\u0000")).toBe("\ufffd");
  });

  it("omits absent optional members, writes booleans as true/false, keeps the Result wrapper when empty", () => {
    expect(serializeResult("CancelJob", {}, "r")).toContain("<CancelJobResult/>");
    const list = serializeResult("ListJobs", { Jobs: [{ JobId: "A", CreationDate: 0, IsCanceled: false, JobType: "Import" }], IsTruncated: true }, "r");
    expect(list).toContain("<Jobs><member><JobId>A</JobId><CreationDate>1970-01-01T00:00:00Z</CreationDate><IsCanceled>false</IsCanceled><JobType>Import</JobType></member></Jobs><IsTruncated>true</IsTruncated>");
    expect(serializeResult("GetStatus", { JobId: "A", ErrorCount: undefined, CreationDate: undefined }, "r")).not.toMatch(/ErrorCount|CreationDate/);
    const err = serializeError(new ServiceError("InternalFailure"), "r");
    expect(err).toContain("<Type>Receiver</Type>");
  });
});

describe("wire: form parsing", () => {
  it("decodes + and %XX, refuses repeats, bad escapes and invalid UTF-8 with Query error codes", () => {
    expect(parseForm("a=b+c%20d&e=%C3%A9", "body")).toEqual(new Map([["a", "b c d"], ["e", "é"]]));
    expect(() => parseForm("a=1&a=2", "body")).toThrow(expect.objectContaining({ code: "InvalidQueryParameter" }));
    expect(() => parseForm("a=%zz", "body")).toThrow(expect.objectContaining({ code: "MalformedQueryString" }));
    expect(() => parseForm("a=%FF", "body")).toThrow(expect.objectContaining({ code: "MalformedQueryString" }));
  });
});

describe("wire: typed operation inputs (deserializeQuery through the wire edge)", () => {
  const input = <Op extends OperationName>(op: Op, form: string) => operationInput(op, parseForm(form, "body"));

  it("reads lists: `name=` is empty, indexes in any order, holes refused", () => {
    expect(input("GetShippingLabel", "jobIds=")).toEqual({ jobIds: [] });
    expect(input("GetShippingLabel", "jobIds.member.2=B&jobIds.member.1=A&city=Dublin")).toEqual({ jobIds: ["A", "B"], city: "Dublin" });
    expect(() => input("GetShippingLabel", "jobIds.member.2=B")).toThrow(expect.objectContaining({ code: "InvalidParameterException" }));
  });

  it("converts members to their model types, canonical enum spelling, empty values absent, non-members ignored", () => {
    expect(input("CreateJob", "Action=CreateJob&JobType=EXPORT&Manifest=m&ValidateOnly=True&ManifestAddendum=&Signature=x")).toEqual({
      JobType: "Export", Manifest: "m", ValidateOnly: true,
    });
    expect(input("ListJobs", "MaxJobs=-7&Marker=")).toEqual({ MaxJobs: -7 });
    expect(input("ListJobs", "")).toEqual({});
  });

  it("applies the model's serviceDefault: an absent ValidateOnly is false, as the service read it", () => {
    expect(input("UpdateJob", "JobId=ABCDE&JobType=Import&Manifest=m")).toEqual({ JobId: "ABCDE", JobType: "Import", Manifest: "m", ValidateOnly: false });
    expect(input("UpdateJob", "JobId=ABCDE&JobType=Import&Manifest=m&ValidateOnly=")).toMatchObject({ ValidateOnly: false });
  });

  it("checks every required member before reading any value, in model order", () => {
    expect(() => input("CreateJob", "JobType=Move&ValidateOnly=maybe")).toThrow(new ServiceError("MissingParameterException", "One or more required parameters was missing from the request. Missing parameter: Manifest."));
    expect(() => input("CreateJob", "JobType=Move&Manifest=m&ValidateOnly=maybe")).toThrow(expect.objectContaining({ code: "InvalidParameterException", message: expect.stringContaining("JobType") }));
  });

  it("reads back exactly what the SDK's serializer writes, for every operation", () => {
    const samples: { [Op in OperationName]: OperationInputs[Op] } = {
      CreateJob: { JobType: "Import", Manifest: "a: b\n", ManifestAddendum: "x", ValidateOnly: false, APIVersion: "2.0" },
      UpdateJob: { JobId: "ABCDE", Manifest: "c: d", JobType: "Export", ValidateOnly: true },
      CancelJob: { JobId: "ABCDE" },
      GetStatus: { JobId: "ABCDE", APIVersion: "1.4" },
      ListJobs: { MaxJobs: 5, Marker: "ABCDE" },
      GetShippingLabel: { jobIds: ["ABCDE", "FGHJK"], name: "Jane", street1: "1 Main St", city: "Seattle", postalCode: "98101", country: "USA" },
    };
    for (const op of operationNames) {
      expect(input(op, formBody(serializeQuery(op, samples[op])))).toEqual(samples[op]);
    }
  });
});

describe("lifecycle", () => {
  it("expires only jobs still waiting for their device", () => {
    const waiting = job();
    expect(catchUp(waiting, EXPIRY_MS - 1, undefined)).toBe(false);
    expect(catchUp(waiting, EXPIRY_MS, undefined)).toBe(true);
    expect(waiting.progressCode).toBe("Expired");
    const arrived = job({ locationCode: "AtAWS" });
    expect(catchUp(arrived, EXPIRY_MS * 2, undefined)).toBe(false);
  });

  it("time-based progression applies every due step, each from the previous transition", () => {
    const j = job({ manifestLogBucket: "logs" });
    catchUp(j, 95_000, 30_000);
    expect([j.locationCode, j.progressCode, j.transitionedAt, j.logKey]).toEqual(["AtAWS", "Complete", 90_000, "import-log-ABCDE"]);
  });
});

describe("faults", () => {
  it("count rules are spent after N matches; other actions are untouched", () => {
    const f = new FaultInjector();
    f.add([parseFaultRule({ action: "CreateJob", kind: "throttle", count: 2 }, 0)]);
    expect(f.decide("GetStatus").fault).toBeUndefined();
    expect(f.decide("CreateJob").fault?.kind).toBe("throttle");
    expect(f.decide("CreateJob").fault?.kind).toBe("throttle");
    expect(f.decide("CreateJob").fault).toBeUndefined();
    expect(f.list()).toEqual([]);
  });
});

describe("persistence: journal", () => {
  it("replays the last record per job and ignores a torn final line", () => {
    const dir = mkdtempSync(join(tmpdir(), "ie-journal-"));
    const a = openJournal(JOB_JOURNAL, dir);
    expect(a.load()).toEqual([]);
    a.put(job({ jobId: "AAAAA" }));
    a.put(job({ jobId: "BBBBB" }));
    a.put(job({ jobId: "AAAAA", progressCode: "InProgress" }));
    a.close();
    appendFileSync(join(dir, "jobs.journal"), '{"v":1,"op":"put","job":{"jobId":"CCC'); // died mid-write
    const b = openJournal(JOB_JOURNAL, dir);
    const jobs = b.load();
    expect(jobs.map((j) => [j.jobId, j.progressCode])).toEqual([["AAAAA", "InProgress"], ["BBBBB", "Pending"]]);
    // Loading compacts the journal: one line per job.
    expect(readFileSync(join(dir, "jobs.journal"), "utf8").trim().split("\n")).toHaveLength(2);
    b.clear();
    b.close();
    expect(openJournal(JOB_JOURNAL, dir).load()).toEqual([]);
  });
});
