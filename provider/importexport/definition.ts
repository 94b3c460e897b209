/**
 * `ImportExportJob` described once (../core/definition): each input with its type, description, validator (./inputs)
 * and update/replace rule, each output with its type, description, secrecy and group; and its policy table for the
 * mechanism (../core/policy), whose `fields` are read from the inputs: the whole update-vs-replace and delete policy,
 * in one place, as data.
 *
 * Service facts behind it (../shared/spec/importexport-api.md §3.2, §3.3, §4.4):
 * - UpdateJob replaces the manifest (and may change JobType) only while ProgressCode is `Pending`, i.e. before the
 *   data transfer starts, wherever the device is (`updatableProgressCodes`, a fact of the API in sdk/model). After that the service answers `UnableToUpdateJobIdException`.
 *   UpdateJob takes JobType and Manifest together.
 * - GetShippingLabel takes the sender's address; regenerating a label only makes sense before the transfer.
 * - CancelJob works while `Pending`; for `InProgress` the model says no and the Developer Guide says yes. Cancelling a
 *   transfer in flight throws the user's work away, so it needs the explicit `cancelInProgress: true` input.
 *   A job that moved on meanwhile answers `UnableToCancelJobIdException`.
 * - A finished job (complete, or aborted for a device problem) cannot be cancelled: it is released from the stack.
 * - A `Canceled` or `Expired` job is gone, and so is one GetStatus/UpdateJob/CancelJob answers with
 *   `InvalidJobIdException` (unknown, or another account's), `CanceledJobIdException` or `ExpiredJobIdException`.
 * - GetStatus without a ProgressCode, or with one this package does not know: the unknown-state rule.
 */
import { jobTypes, progressCodes, shippingAddressMembers, updatableProgressCodes, type ProgressCode } from "../../sdk/model";
import { fieldRules, input, normalizeInputs, output, type CheckedOf, type GroupOf, type NormalizedInputs, type PropertyType, type ResourceDefinition } from "../core/definition";
import type { DeleteRule, ResourcePolicy } from "../core/policy";
import { normalizeAdoptJobId, normalizeCancelInProgress, normalizeJobType, normalizeManifest, normalizeShippingLabel, type ShippingLabelAddress } from "./inputs";

/** The API calls the Import/Export table names. */
export type ImportExportCall = "UpdateJob" | "GetShippingLabel" | "CancelJob";

const field = <T>() => input<T>();
const text: PropertyType = { type: "string" };
const address: PropertyType = { type: "object", properties: Object.fromEntries(shippingAddressMembers.map((m) => [m, text])) };

/**
 * The inputs of `ImportExportJob`, in the order check validates them (the manifest is validated for the jobType
 * before it), each with what a change to it means. The one list of its inputs.
 */
const inputs = {
  // UpdateJob takes JobType and Manifest together; both are replaceable in place before the transfer starts.
  jobType: field<"Import" | "Export">()({
    type: { type: "string", enum: jobTypes },
    description: "`Import` (device → S3, EBS or Glacier) or `Export` (S3 → device). Changeable in place while the job is Pending.",
    required: true,
    rule: { kind: "updatable-while", states: updatableProgressCodes, via: "UpdateJob" },
    member: "JobType",
    normalize: normalizeJobType,
  }),
  manifest: field<string>()({
    type: { oneOf: [{ type: "string" }, { $ref: "pulumi.json#/Any" }] },
    description:
      "The job's manifest: a Manifest object or its YAML text, kept as canonical YAML. Changeable in place (UpdateJob) while the job is Pending; afterwards a change replaces the job. Device passwords never show in manifestYaml.",
    required: true,
    rule: { kind: "updatable-while", states: updatableProgressCodes, via: "UpdateJob" },
    member: "Manifest",
    normalize: normalizeManifest,
  }),
  // A shipping label is for sending the device to AWS; regenerating it only makes sense before the transfer.
  shippingLabel: field<ShippingLabelAddress>()({
    type: address,
    description: "When set, GetShippingLabel runs with this (sender's) address and shippingLabelUrl holds the label's URL.",
    rule: { kind: "updatable-while", states: updatableProgressCodes, via: "GetShippingLabel" },
    normalize: normalizeShippingLabel,
  }),
  // Taking over a different existing job is a different job.
  adoptJobId: field<string>()({
    type: text,
    description: "Take over this existing job (a JobId) instead of creating one. Changing it replaces the resource.",
    rule: { kind: "replace-always" },
    normalize: normalizeAdoptJobId,
  }),
  // Read only by delete: no API call.
  cancelInProgress: field<boolean>()({
    type: { type: "boolean" },
    description: "Cancel the job on delete or replacement even when its transfer is InProgress (default false: it is released with a warning).",
    rule: { kind: "state-only" },
    normalize: normalizeCancelInProgress,
  }),
} as const;

const status = <T>(type: PropertyType, description: string) => output<T>()({ type, description, group: "status" });

/** The outputs of `ImportExportJob` besides its inputs: the two secrets under `signing`, everything else under `status`. */
const outputs = {
  jobId: output<string>()({ type: text, description: "The JobId (5 characters): the resource's id.", required: true, id: true }),
  signature: output<string>()({ type: text, description: "Base64 HMAC-SHA1 signature authenticating the device.", secret: true, group: "signing" }),
  signatureFileContents: output<string>()({ type: text, description: "Text of the SIGNATURE file to put in the device's root directory.", secret: true, group: "signing" }),
  awsShippingAddress: status<string>(text, "Where to ship the device."),
  warningMessage: status<string>(text, "Non-fatal notes from CreateJob/UpdateJob/GetShippingLabel."),
  artifacts: status<Array<{ description?: string; url?: string }>>(
    { type: "array", items: { type: "object", properties: { description: text, url: text } } },
    "Documents the service produced (e.g. PDFs).",
  ),
  locationCode: status<string>(text, "Where the device is: NotReceived, AtAWS, Returned."),
  locationMessage: status<string>(text, "Human text for locationCode."),
  progressCode: status<string>({ type: "string", enum: progressCodes }, "Job progress: Pending, InProgress, Complete, SuccessWithErrors, an abort code, ..."),
  progressMessage: status<string>(text, "Human text for progressCode."),
  carrier: status<string>(text, "Return shipping company (once returned)."),
  trackingNumber: status<string>(text, "Return tracking number (once returned)."),
  logBucket: status<string>(text, "Bucket of the job's log."),
  logKey: status<string>(text, "Key of the job's log."),
  errorCount: status<number>({ type: "integer" }, "Number of errors the transfer reported."),
  creationDate: status<string>(text, "When the job was created (ISO 8601)."),
  shippingLabelUrl: status<string>(text, "URL of the prepaid shipping label (when shippingLabel is set)."),
  manifestYaml: status<string>(text, "The normalised manifest sent to the service (device passwords redacted)."),
  endpoint: output<string>()({ type: text, description: "The endpoint the job lives at; a stack pointed elsewhere replaces the job.", group: "status", required: true }),
  accountId: status<string>(text, "The account that owns the job (STS GetCallerIdentity), when the endpoint answers it."),
} as const;

/** `ImportExportJob`, described once. */
export const importExportJobDefinition = {
  token: "importexport:index:ImportExportJob",
  description: "An AWS Import/Export job. Create → CreateJob; update → UpdateJob (Pending only); refresh → GetStatus; delete → CancelJob.",
  inputs,
  outputs,
  groups: {
    status: { description: "Everything the service reports about the job and where it lives, as of the last create/update/refresh." },
    signing: { description: "The job's signature and SIGNATURE file contents (secret)." },
  },
} as const satisfies ResourceDefinition;

/** The inputs of `ImportExportJob`: exactly the definition's. */
export type ImportExportInput = keyof typeof inputs;

/** Inputs as the provider sees them after `check` (what diff, create and update receive): `manifest` is canonical YAML. */
export type CheckedInputs = CheckedOf<typeof inputs>;

/**
 * Everything stored in state for one job (the `outs` of create/update/read): the checked inputs, the JobId, the
 * secrets under `signing` and the rest under `status` (two registered outputs: see ../core/grouped-outputs).
 */
export type JobState = CheckedInputs & {
  jobId: string;
  signing: GroupOf<typeof outputs, "signing">;
  status: GroupOf<typeof outputs, "status"> & { endpoint: string };
};

/** check's local half for `ImportExportJob`: normalise `news` and validate it, given the prior checked inputs. */
export function checkInputs(news: Readonly<Record<string, unknown>>, olds?: Readonly<Record<string, unknown>>): NormalizedInputs {
  return normalizeInputs(inputs, news, olds);
}

const released = (why: string): DeleteRule<ImportExportCall> => ({ kind: "release", why });
const finished = released("it has finished, so there is nothing to cancel; the job stays in the service's history");
const aborted = released("the service aborted it; there is nothing to cancel");

/** The policy of `ImportExportJob`, keyed by input name and by ProgressCode. */
export const importExportJobPolicy: ResourcePolicy<ProgressCode, ImportExportCall> = {
  fields: fieldRules<ProgressCode, ImportExportCall, typeof inputs>(inputs),
  states: progressCodes,
  gone: {
    states: ["Canceled", "Expired"],
    errors: ["InvalidJobIdException", "CanceledJobIdException", "ExpiredJobIdException"],
  },
  // No ProgressCode, or one this package does not know: most likely a later or aborted stage. Never cancel blindly,
  // never update in place.
  unknownState: { diff: "replace", delete: { kind: "release", why: "its ProgressCode is not one this provider knows, so it is left untouched" } },
  calls: {
    UpdateJob: { movedOn: ["UnableToUpdateJobIdException"] },
    GetShippingLabel: {},
    CancelJob: { movedOn: ["UnableToCancelJobIdException"] },
  },
  deleteRules: {
    Pending: { kind: "call", via: "CancelJob" },
    InProgress: {
      kind: "call",
      via: "CancelJob",
      optIn: {
        input: "cancelInProgress",
        otherwise: "its transfer has started and cancelling would discard the work done (set cancelInProgress: true to cancel it instead)",
      },
    },
    Complete: finished,
    SuccessWithErrors: finished,
    DeviceError: aborted,
    InvalidSignature: aborted,
    MissingSignature: aborted,
    MissingDevice: aborted,
    UnsupportedDeviceType: aborted,
    UnsupportedFileFormat: aborted,
    UnsupportedPowerSupply: aborted,
  },
  // The service gives every job a fresh JobId: the new job can exist before the old one is let go.
  deleteBeforeReplace: { kind: "never" },
  words: { resource: "Job", state: "ProgressCode", deleted: "cancelled" },
  stateNotes: { InProgress: "the transfer has started" },
};
