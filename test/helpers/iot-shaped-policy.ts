/**
 * An IoT-Jobs-shaped table (../shared/spec/iot-jobs.md §3–4) for the mechanism's tests: a second resource must fit
 * provider/policy + provider/mechanism without new branches. Fields updatable in any state, one updatable only
 * before completion, static replaces (targets compared as a set), tags diffed as a map through their own calls,
 * deleteBeforeReplace for a user-fixed jobId, a multi-step destroy (CancelJob → DeleteJob) and gone = a state or
 * a 404 code. Test data, not the IotJob resource's table.
 */
import type { ResourcePolicy } from "../../provider/core/policy";

/** IoT JobStatus. */
export type IotStatus = "SCHEDULED" | "IN_PROGRESS" | "COMPLETED" | "CANCELED" | "DELETION_IN_PROGRESS";
/** The IoT calls the table names. */
export type IotCall = "UpdateJob" | "TagResource" | "UntagResource" | "CancelJob" | "DeleteJob";

/** The table. */
export const iotShapedPolicy: ResourcePolicy<IotStatus, IotCall> = {
  fields: {
    jobId: { kind: "replace-always" },
    targets: { kind: "replace-always", compare: "set" },
    document: { kind: "replace-always" },
    description: { kind: "updatable-while", states: "any", via: "UpdateJob" },
    abortConfig: { kind: "updatable-while", states: "any", via: "UpdateJob" },
    timeoutConfig: { kind: "updatable-while", states: ["SCHEDULED", "IN_PROGRESS"], via: "UpdateJob" },
    tags: { kind: "updatable-map", states: "any", set: "TagResource", unset: "UntagResource" },
    forceCancel: { kind: "state-only" },
  },
  states: ["SCHEDULED", "IN_PROGRESS", "COMPLETED", "CANCELED", "DELETION_IN_PROGRESS"],
  gone: { states: ["DELETION_IN_PROGRESS"], errors: ["ResourceNotFoundException"] },
  unknownState: { diff: "replace", delete: { kind: "release", why: "its status is not one this provider knows" } },
  calls: {
    UpdateJob: { movedOn: ["InvalidRequestException"] },
    TagResource: {},
    UntagResource: {},
    CancelJob: {},
    DeleteJob: { movedOn: ["InvalidStateTransitionException"] },
  },
  deleteRules: {
    SCHEDULED: { kind: "call", via: "CancelJob", then: "reread" },
    IN_PROGRESS: { kind: "call", via: "CancelJob", optIn: { input: "forceCancel", otherwise: "devices are running it" }, then: "reread" },
    COMPLETED: { kind: "call", via: "DeleteJob", then: "reread" },
    CANCELED: { kind: "call", via: "DeleteJob", then: "reread" },
  },
  deleteBeforeReplace: { kind: "when-set", input: "jobId" },
  words: { resource: "IoT job", state: "status", deleted: "deleted" },
};
