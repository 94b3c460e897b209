/**
 * The Import/Export table for the policy mechanism in ./policy: the whole update-vs-replace and delete policy of
 * `ImportExportJob`, in one place.
 *
 * Service facts behind it (../shared/spec/importexport-api.md §3.2, §3.3, §4.4):
 * - UpdateJob replaces the manifest (and may change JobType) only while ProgressCode is `Pending`, i.e. before the
 *   data transfer starts, wherever the device is. After that the service answers `UnableToUpdateJobIdException`.
 * - CancelJob works while `Pending`; for `InProgress` the model says no and the Developer Guide says yes. Cancelling a
 *   transfer in flight throws the user's work away, so it needs the explicit `cancelInProgress: true` input.
 * - A finished job (complete, or aborted for a device problem) cannot be cancelled: it is released from the stack.
 * - A `Canceled` or `Expired` job is gone: nothing to update, nothing to delete.
 */
import type { ProgressCode } from "../sdk/model";
import type { DeleteRule, ResourcePolicy } from "./policy";

const released = (why: string): DeleteRule => ({ kind: "release", why });
const finished = released("it has finished, so there is nothing to cancel; the job stays in the service's history");
const aborted = released("the service aborted it; there is nothing to cancel");

/** The policy of `ImportExportJob`, keyed by input name and by ProgressCode. */
export const importExportJobPolicy: ResourcePolicy<ProgressCode> = {
  fields: {
    // UpdateJob takes JobType and Manifest together; both are replaceable in place before the transfer starts.
    jobType: { kind: "updatable-while", states: ["Pending"] },
    manifest: { kind: "updatable-while", states: ["Pending"] },
    // A shipping label is for sending the device to AWS; regenerating it only makes sense before the transfer.
    shippingLabel: { kind: "updatable-while", states: ["Pending"] },
    // Taking over a different existing job is a different job.
    adoptJobId: { kind: "replace-always" },
    // Read only by delete: no API call.
    cancelInProgress: { kind: "state-only" },
  },
  goneStates: ["Canceled", "Expired"],
  deleteRules: {
    Pending: { kind: "cancel" },
    InProgress: {
      kind: "cancel-if",
      optIn: "cancelInProgress",
      why: "its transfer has started and cancelling would discard the work done (set cancelInProgress: true to cancel it instead)",
    },
    Complete: finished,
    SuccessWithErrors: finished,
    Canceled: { kind: "gone" },
    Expired: { kind: "gone" },
    DeviceError: aborted,
    InvalidSignature: aborted,
    MissingSignature: aborted,
    MissingDevice: aborted,
    UnsupportedDeviceType: aborted,
    UnsupportedFileFormat: aborted,
    UnsupportedPowerSupply: aborted,
  },
  // A code this package does not know is most likely a later or aborted stage: never cancel blindly.
  defaultDeleteRule: released("its ProgressCode is not one this provider knows, so it is left untouched"),
};
