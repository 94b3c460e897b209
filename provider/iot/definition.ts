/**
 * The AWS IoT Jobs table for the policy mechanism in ./policy: the whole update-vs-replace and delete policy of
 * `IotJob`, in one place, as data (the second table the mechanism serves, next to ./importexport-policy).
 *
 * Service facts behind it (../shared/spec/iot-jobs.md §2–§4; choices on its ⚠ points are in docs/iot.md):
 * - UpdateJob (`PATCH /jobs/{jobId}`) changes description, presignedUrlConfig, jobExecutionsRolloutConfig,
 *   abortConfig, timeoutConfig and jobExecutionsRetryConfig. No source says a state forbids it, so they are
 *   updatable in any state: no status read is needed to decide, and a refusal (InvalidRequestException on a
 *   finished job) is surfaced, never turned into a replacement.
 * - Tags are not an UpdateJob member; TagResource / UntagResource change them on the job ARN, key by key.
 * - Every other CreateJob field is create-only (CloudFormation's createOnlyProperties agree): a change replaces the
 *   job, which resends the document to every target. Targets are a set (the order means nothing).
 * - A job ID is unique in the account until its deletion has completed, so a user-fixed `jobId` forces
 *   delete-before-replace; an auto-named one does not (the replacement gets a fresh name).
 * - Destroy, safe by default: CancelJob while SCHEDULED / IN_PROGRESS (`forceCancel` also cancels executions
 *   devices are running), DeleteJob once CANCELED / COMPLETED. A cancelled job whose devices still run their
 *   executions is deleted only with `forceDelete: true`; otherwise it is released with a warning.
 * - DELETION_IN_PROGRESS and ResourceNotFoundException mean the job is gone.
 */
import type { DeleteRule, FieldRule, ResourcePolicy } from "../core/policy";

/** The IoT job states (`JobStatus`). */
export const iotJobStatuses = ["SCHEDULED", "IN_PROGRESS", "COMPLETED", "CANCELED", "DELETION_IN_PROGRESS"] as const;

/** One IoT job state. */
export type IotJobStatus = (typeof iotJobStatuses)[number];

/** The API calls the IoT table names, in the order an update runs them. */
export type IotCall = "UpdateJob" | "TagResource" | "UntagResource" | "CancelJob" | "DeleteJob";

/** The condition the adapter reports when `jobProcessDetails.numberOfInProgressThings > 0`. */
export const EXECUTIONS_IN_PROGRESS = "executions-in-progress";

const updateJob: FieldRule<IotJobStatus, IotCall> = { kind: "updatable-while", states: "any", via: "UpdateJob" };
const replace: FieldRule<IotJobStatus, IotCall> = { kind: "replace-always" };
const replaceSet: FieldRule<IotJobStatus, IotCall> = { kind: "replace-always", compare: "set" };
const stateOnly: FieldRule<IotJobStatus, IotCall> = { kind: "state-only" };

/** The inputs of `IotJob` and what a change to each means (the one list of its inputs). */
const fields = {
  // The identity: a new ID is a new job.
  jobId: replace,
  // What is sent, and to whom: a change resends the work, so it replaces.
  targets: replaceSet,
  document: replace,
  documentSource: replace,
  targetSelection: replace,
  jobTemplateArn: replace,
  documentParameters: replace,
  schedulingConfig: replace,
  destinationPackageVersions: replaceSet,
  namespaceId: replace,
  // Metadata and tuning: UpdateJob, in any state (the service decides; a refusal is reported).
  description: updateJob,
  presignedUrlConfig: updateJob,
  jobExecutionsRolloutConfig: updateJob,
  abortConfig: updateJob,
  timeoutConfig: updateJob,
  // ⚠ CloudFormation treats it as create-only; the API model and SDK v3 update it. The API is followed.
  jobExecutionsRetryConfig: updateJob,
  tags: { kind: "updatable-map", states: "any", set: "TagResource", unset: "UntagResource" },
  // Read only by delete (the force flags) or by check (naming): no API call.
  forceCancel: stateOnly,
  forceDelete: stateOnly,
  jobIdAutoNamed: stateOnly,
  autoNamePrefix: stateOnly,
} satisfies Record<string, FieldRule<IotJobStatus, IotCall>>;

/** The inputs of `IotJob`: exactly the table's fields. */
export type IotJobInput = keyof typeof fields;

const cancel: DeleteRule<IotCall> = { kind: "call", via: "CancelJob", then: "reread" };

/** The policy of `IotJob`, keyed by input name and by job status. */
export const iotJobPolicy: ResourcePolicy<IotJobStatus, IotCall> = {
  fields,
  states: iotJobStatuses,
  gone: { states: ["DELETION_IN_PROGRESS"], errors: ["ResourceNotFoundException"] },
  unknownState: { diff: "replace", delete: { kind: "release", why: "its status is not one this provider knows, so it is left untouched" } },
  calls: { UpdateJob: {}, TagResource: {}, UntagResource: {}, CancelJob: {}, DeleteJob: {} },
  deleteRules: {
    SCHEDULED: cancel,
    IN_PROGRESS: cancel,
    CANCELED: {
      kind: "call",
      via: "DeleteJob",
      then: "reread",
      optIn: {
        input: "forceDelete",
        when: EXECUTIONS_IN_PROGRESS,
        otherwise:
          "devices are still running its executions (jobProcessDetails.numberOfInProgressThings > 0) and deleting it would leave them unable to report; set forceCancel: true to cancel those executions, or forceDelete: true to delete it anyway",
      },
    },
    COMPLETED: { kind: "call", via: "DeleteJob", then: "reread" },
  },
  deleteBeforeReplace: { kind: "when-set", input: "jobId", unlessTrue: "jobIdAutoNamed" },
  words: { resource: "IoT job", state: "status", deleted: "deleted" },
};
