/**
 * The emulator's wire edge (emulator/importexport/wire.ts `operationInput` over the SDK's model-driven `deserializeQuery`):
 * every way a request's members can be missing or malformed, with the exact status, code and message the emulator
 * answers. The single-problem rows were recorded before the backend took typed inputs, so they pin the wire
 * behaviour across that split; the precedence rows say which problem wins when a request has two.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withEmulator } from "../../helpers/emulator";
import { call, importManifest, type CallOptions } from "../raw-client";

const MISSING = "One or more required parameters was missing from the request.";
const INVALID = "One or more parameters had an invalid value.";

describe("emulator: member deserialization errors (byte-identical wire behaviour)", () => {
  const emu = withEmulator();
  const alice = (): CallOptions => ({ creds: emu().account });
  let jobId = "";
  beforeAll(async () => {
    const r = await call(emu().endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, alice());
    jobId = r.result.JobId as string;
  });
  const manifest = (): string => importManifest("alice-import");

  const rows: Array<[string, string, () => Record<string, string>, number, string, string]> = [
    ["CreateJob without JobType", "CreateJob", () => ({ Manifest: manifest(), ValidateOnly: "false" }), 400, "MissingParameterException", `${MISSING} Missing parameter: JobType.`],
    ["CreateJob with an empty Manifest", "CreateJob", () => ({ JobType: "Import", Manifest: "", ValidateOnly: "false" }), 400, "MissingParameterException", `${MISSING} Missing parameter: Manifest.`],
    ["CreateJob with JobType Move", "CreateJob", () => ({ JobType: "Move", Manifest: manifest(), ValidateOnly: "false" }), 400, "InvalidParameterException", `${INVALID} JobType must be Import or Export.`],
    ["CreateJob with ValidateOnly maybe", "CreateJob", () => ({ JobType: "Import", Manifest: manifest(), ValidateOnly: "maybe" }), 400, "InvalidParameterException", 'Parameter ValidateOnly must be "true" or "false".'],
    ["CreateJob with a bad APIVersion", "CreateJob", () => ({ JobType: "Import", Manifest: manifest(), ValidateOnly: "true", APIVersion: "two" }), 400, "InvalidVersionException", "The client tool version is invalid. APIVersion must be a dotted version number such as 2.0."],
    ["UpdateJob without JobId", "UpdateJob", () => ({ JobType: "Import", Manifest: manifest(), ValidateOnly: "true" }), 400, "MissingParameterException", `${MISSING} Missing parameter: JobId.`],
    ["UpdateJob with JobType import (any case)", "UpdateJob", () => ({ JobId: jobId, JobType: "iMpOrT", Manifest: manifest(), ValidateOnly: "TRUE" }), 200, "", ""],
    ["UpdateJob with ValidateOnly 1", "UpdateJob", () => ({ JobId: jobId, JobType: "Import", Manifest: manifest(), ValidateOnly: "1" }), 400, "InvalidParameterException", 'Parameter ValidateOnly must be "true" or "false".'],
    ["CancelJob with an empty JobId", "CancelJob", () => ({ JobId: "" }), 400, "MissingParameterException", `${MISSING} Missing parameter: JobId.`],
    ["GetStatus of a malformed JobId", "GetStatus", () => ({ JobId: "not-a-job" }), 400, "InvalidJobIdException", "The JOBID was missing, not found, or not associated with the AWS account. No job not-a-job in this account."],
    ["ListJobs with MaxJobs ten", "ListJobs", () => ({ MaxJobs: "ten" }), 400, "InvalidParameterException", "Parameter MaxJobs must be a decimal integer."],
    ["ListJobs with MaxJobs 5000", "ListJobs", () => ({ MaxJobs: "5000" }), 400, "InvalidParameterException", `${INVALID} MaxJobs must be between 0 and 1000.`],
    ["ListJobs with MaxJobs +3", "ListJobs", () => ({ MaxJobs: "+3" }), 200, "", ""],
    ["ListJobs with an unknown Marker", "ListJobs", () => ({ Marker: "ZZZZZ" }), 400, "InvalidParameterException", `${INVALID} Marker ZZZZZ is not a job ID of this account.`],
    ["ListJobs with APIVersion 2.0", "ListJobs", () => ({ APIVersion: "2.0" }), 200, "", ""],
    ["GetShippingLabel without jobIds", "GetShippingLabel", () => ({}), 400, "MissingParameterException", `${MISSING} Missing parameter: jobIds.`],
    ["GetShippingLabel with jobIds=", "GetShippingLabel", () => ({ jobIds: "" }), 400, "MissingParameterException", `${MISSING} Missing parameter: jobIds (at least one JobId).`],
    ["GetShippingLabel with a hole in jobIds", "GetShippingLabel", () => ({ "jobIds.member.2": jobId }), 400, "InvalidParameterException", "List jobIds is missing jobIds.member.1."],
    ["GetShippingLabel with index 0", "GetShippingLabel", () => ({ "jobIds.member.0": jobId }), 400, "InvalidParameterException", "Parameter jobIds.member.0 has an invalid list index."],
    // Precedence: members are read (required, then types) before the operation's rules, as an AWS front end does.
    ["UpdateJob with JobType Move and an unknown JobId", "UpdateJob", () => ({ JobId: "ZZZZZ", JobType: "Move", Manifest: manifest(), ValidateOnly: "true" }), 400, "InvalidParameterException", `${INVALID} JobType must be Import or Export.`],
    ["ListJobs with MaxJobs ten and a bad APIVersion", "ListJobs", () => ({ MaxJobs: "ten", APIVersion: "two" }), 400, "InvalidParameterException", "Parameter MaxJobs must be a decimal integer."],
    ["GetStatus of an unknown job with a bad APIVersion", "GetStatus", () => ({ JobId: "ZZZZZ", APIVersion: "two" }), 400, "InvalidVersionException", "The client tool version is invalid. APIVersion must be a dotted version number such as 2.0."],
    ["GetShippingLabel with a partial address", "GetShippingLabel", () => ({ "jobIds.member.1": jobId, name: "Jane", city: "" }), 400, "InvalidAddressException", "The address specified in the manifest is invalid. Shipper address is missing: street1, city, postalCode, country."],
  ];

  it.each(rows)("%s", async (_title, op, params, status, code, message) => {
    const r = await call(emu().endpoint, op, params(), alice());
    expect(r.status).toBe(status);
    if (status === 200) {
      expect(r.code).toBeUndefined();
    } else {
      expect(r.code).toBe(code);
      expect(r.message).toBe(message);
    }
  });
});
