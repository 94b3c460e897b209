/**
 * The operation types are derived from sdk/model.ts (sdk/types.ts). This file pins what the derivation yields:
 * each `Equal` below fails to compile (`tsc --noEmit`, part of `npm test`) when a derived type drifts from the
 * shape written out here, and the `@ts-expect-error` lines prove the check can fail at all.
 */
import { describe, expect, it } from "vitest";
import { jobTypeOf, jobTypes, locationCodes, operations, progressCodes, shippingAddressMembers, type LocationCode, type ProgressCode } from "../../sdk/model";
import type {
  Artifact, CancelJobInput, CancelJobOutput, CreateJobInput, CreateJobOutput, GetShippingLabelInput, GetShippingLabelOutput,
  GetStatusInput, GetStatusOutput, Job, JobType, ListJobsInput, ListJobsOutput, UpdateJobInput, UpdateJobOutput,
} from "../../sdk/types";

/** Same keys, same optionality, same value types (a property-by-property view, so interfaces compare as objects). */
type Flat<T> = { [K in keyof T]: T[K] };
type Equal<A, B> = (<T>() => T extends Flat<A> ? 1 : 2) extends <T>() => T extends Flat<B> ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

assertType<Equal<JobType, "Import" | "Export">>();
assertType<Equal<Artifact, { Description?: string; URL?: string }>>();
assertType<Equal<Job, { JobId?: string; CreationDate?: Date; IsCanceled?: boolean; JobType?: JobType }>>();
assertType<Equal<CreateJobInput, { JobType: JobType; Manifest: string; ManifestAddendum?: string; ValidateOnly: boolean; APIVersion?: string }>>();
assertType<Equal<CreateJobOutput, {
  JobId?: string; JobType?: JobType; Signature?: string; SignatureFileContents?: string; WarningMessage?: string;
  ArtifactList?: Artifact[]; AwsShippingAddress?: string;
}>>();
assertType<Equal<UpdateJobInput, { JobId: string; Manifest: string; JobType: JobType; ValidateOnly: boolean; APIVersion?: string }>>();
assertType<Equal<UpdateJobOutput, { Success?: boolean; WarningMessage?: string; ArtifactList?: Artifact[] }>>();
assertType<Equal<CancelJobInput, { JobId: string; APIVersion?: string }>>();
assertType<Equal<CancelJobOutput, { Success?: boolean }>>();
assertType<Equal<GetStatusInput, { JobId: string; APIVersion?: string }>>();
assertType<Equal<GetStatusOutput, {
  JobId?: string; JobType?: JobType; LocationCode?: LocationCode; LocationMessage?: string; ProgressCode?: ProgressCode;
  ProgressMessage?: string; Carrier?: string; TrackingNumber?: string; LogBucket?: string; LogKey?: string; ErrorCount?: number;
  Signature?: string; SignatureFileContents?: string; CurrentManifest?: string; CreationDate?: Date; ArtifactList?: Artifact[];
  AwsShippingAddress?: string;
}>>();
assertType<Equal<ListJobsInput, { MaxJobs?: number; Marker?: string; APIVersion?: string }>>();
assertType<Equal<ListJobsOutput, { Jobs: Job[]; IsTruncated?: boolean }>>();
assertType<Equal<GetShippingLabelInput, {
  jobIds: string[]; name?: string; company?: string; phoneNumber?: string; country?: string; stateOrProvince?: string;
  city?: string; postalCode?: string; street1?: string; street2?: string; street3?: string; APIVersion?: string;
}>>();
assertType<Equal<GetShippingLabelOutput, { ShippingLabelURL?: string; Warning?: string }>>();

// The check is strict: optionality, a value type and a missing member each break it.
// @ts-expect-error JobId is required in CancelJob's input
assertType<Equal<CancelJobInput, { JobId?: string; APIVersion?: string }>>();
// @ts-expect-error ProgressCode is the code union, not any string
assertType<Equal<Pick<GetStatusOutput, "ProgressCode">, { ProgressCode?: string }>>();
// @ts-expect-error a member the model does not have
assertType<Equal<CancelJobOutput, { Success?: boolean; Warning?: string }>>();

describe("the model's derived lists and helpers", () => {
  it("lists the address members of GetShippingLabel in the model's order", () => {
    expect(shippingAddressMembers).toEqual(["name", "company", "phoneNumber", "country", "stateOrProvince", "city", "postalCode", "street1", "street2", "street3"]);
    expect(Object.keys(operations.GetShippingLabel.input)).toEqual(["jobIds", ...shippingAddressMembers, "APIVersion"]);
  });

  it("reads JobType in any case, as the service did", () => {
    expect(jobTypes.map((t) => jobTypeOf(t.toUpperCase()))).toEqual(["Import", "Export"]);
    expect(jobTypeOf("iMpOrT")).toBe("Import");
    expect(jobTypeOf("Move")).toBeUndefined();
    expect(jobTypeOf(" import")).toBeUndefined();
  });

  it("types GetStatus's ProgressCode and LocationCode with the code lists", () => {
    expect(operations.GetStatus.output["ProgressCode"]?.shape).toEqual({ kind: "scalar", type: "string", enum: progressCodes });
    expect(operations.GetStatus.output["LocationCode"]?.shape).toEqual({ kind: "scalar", type: "string", enum: locationCodes });
  });
});
