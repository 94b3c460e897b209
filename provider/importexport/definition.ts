/**
 * The Import/Export table for the policy mechanism in ./policy: the whole update-vs-replace and delete policy of
 * `ImportExportJob`, in one place, as data.
 *
 * Service facts behind it (../shared/spec/importexport-api.md §3.2, §3.3, §4.4):
 * - UpdateJob replaces the manifest (and may change JobType) only while ProgressCode is `Pending`, i.e. before the
 *   data transfer starts, wherever the device is. After that the service answers `UnableToUpdateJobIdException`.
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
import { progressCodes, type ProgressCode } from "../../sdk/model";
import type { DeleteRule, FieldRule, ResourcePolicy } from "../core/policy";

/** The API calls the Import/Export table names. */
export type ImportExportCall = "UpdateJob" | "GetShippingLabel" | "CancelJob";

const released = (why: string): DeleteRule<ImportExportCall> => ({ kind: "release", why });
const finished = released("it has finished, so there is nothing to cancel; the job stays in the service's history");
const aborted = released("the service aborted it; there is nothing to cancel");

/** The inputs of `ImportExportJob` and what a change to each means (the one list of its inputs). */
const fields = {
  // UpdateJob takes JobType and Manifest together; both are replaceable in place before the transfer starts.
  jobType: { kind: "updatable-while", states: ["Pending"], via: "UpdateJob" },
  manifest: { kind: "updatable-while", states: ["Pending"], via: "UpdateJob" },
  // A shipping label is for sending the device to AWS; regenerating it only makes sense before the transfer.
  shippingLabel: { kind: "updatable-while", states: ["Pending"], via: "GetShippingLabel" },
  // Taking over a different existing job is a different job.
  adoptJobId: { kind: "replace-always" },
  // Read only by delete: no API call.
  cancelInProgress: { kind: "state-only" },
} satisfies Record<string, FieldRule<ProgressCode, ImportExportCall>>;

/** The inputs of `ImportExportJob`: exactly the table's fields. */
export type ImportExportInput = keyof typeof fields;

/** The policy of `ImportExportJob`, keyed by input name and by ProgressCode. */
export const importExportJobPolicy: ResourcePolicy<ProgressCode, ImportExportCall> = {
  fields,
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
