/**
 * `IotJob` described once (../core/definition): each input with its type, description, secrecy, validator and
 * update/replace rule, each output with its type and description; and its policy table for the mechanism
 * (../core/policy), whose `fields` are read from the inputs: the whole update-vs-replace and delete policy of
 * `IotJob`, in one place, as data (the second table the mechanism serves, next to ../importexport/definition).
 *
 * Service facts behind it (../shared/spec/iot-jobs.md §2–§4; choices on its ⚠ points are in docs/iot.md):
 * - UpdateJob (`PATCH /jobs/{jobId}`) changes description, presignedUrlConfig, jobExecutionsRolloutConfig,
 *   abortConfig, timeoutConfig and jobExecutionsRetryConfig (`UPDATE_JOB_MEMBERS` in sdk/iot/model; a test checks
 *   that exactly those inputs name UpdateJob here). No source says a state forbids it, so they are
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
import { IOT_JOB_STATUSES, type IotJobStatusCode } from "../../sdk/iot/model";
import { fieldRules, input, output, type CheckedOf, type GroupOf, type PropertyType, type ResourceDefinition } from "../core/definition";
import type { DeleteRule, FieldRule, ResourcePolicy } from "../core/policy";

/** A job execution rollout (`jobExecutionsRolloutConfig`). */
export interface IotRolloutConfig {
  /** Most things notified per minute (at least 1; the model sets no maximum). */
  maximumPerMinute?: number;
  /** A rollout rate that grows as things report. */
  exponentialRate?: {
    /** Things notified per minute at the start (1–1000). */
    baseRatePerMinute: number;
    /** Rate multiplier (1.1–5, one decimal). */
    incrementFactor: number;
    /** When the rate grows: after this many things were notified or succeeded (at least one of the two). */
    rateIncreaseCriteria: { numberOfNotifiedThings?: number; numberOfSucceededThings?: number };
  };
}

/** When to cancel the job (`abortConfig`). */
export interface IotAbortConfig {
  /** Criteria, any of which cancels the job. */
  criteriaList: Array<{
    /** Which execution outcome counts. */
    failureType: "FAILED" | "REJECTED" | "TIMED_OUT" | "ALL";
    /** The only action the service has. */
    action: "CANCEL";
    /** Percentage of executed things with that outcome (≤ 100, two decimals). */
    thresholdPercentage: number;
    /** How many things must have executed before the criterion applies (≥ 1). */
    minNumberOfExecutedThings: number;
  }>;
}

/** Retries of failed or timed-out executions (`jobExecutionsRetryConfig`). */
export interface IotRetryConfig {
  /** Up to two criteria, each an outcome and how often to retry it (0–10). */
  criteriaList: Array<{ failureType: "FAILED" | "TIMED_OUT" | "ALL"; numberOfRetries: number }>;
}

/** When the rollout starts and ends, and its maintenance windows (`schedulingConfig`). */
export interface IotSchedulingConfig {
  startTime?: string;
  endTime?: string;
  endBehavior?: "STOP_ROLLOUT" | "CANCEL" | "FORCE_CANCEL";
  maintenanceWindows?: Array<{ startTime: string; durationInMinutes: number }>;
}

/** The API calls the IoT table names, in the order an update runs them. */
export type IotCall = "UpdateJob" | "TagResource" | "UntagResource" | "CancelJob" | "DeleteJob";

/** The condition the adapter reports when `jobProcessDetails.numberOfInProgressThings > 0`. */
export const EXECUTIONS_IN_PROGRESS = "executions-in-progress";

const updateJob: FieldRule<IotJobStatusCode, IotCall> = { kind: "updatable-while", states: "any", via: "UpdateJob" };
const replace: FieldRule<IotJobStatusCode, IotCall> = { kind: "replace-always" };
const replaceSet: FieldRule<IotJobStatusCode, IotCall> = { kind: "replace-always", compare: "set" };
const stateOnly: FieldRule<IotJobStatusCode, IotCall> = { kind: "state-only" };

const text: PropertyType = { type: "string" };
const texts: PropertyType = { type: "array", items: text };
const textMap: PropertyType = { type: "object", additionalProperties: text };
const flag: PropertyType = { type: "boolean" };
const any: PropertyType = { $ref: "pulumi.json#/Any" };
/** Must be true or false (the provider's own flags, never sent to the service). */
const boolean = (v: unknown) => (typeof v === "boolean" ? {} : { failures: [{ property: "", reason: "must be true or false" }] });

/**
 * The inputs of `IotJob` and what a change to each means (the one list of its inputs). Inputs that are CreateJob
 * members are validated against the IoT model (sdk/iot, ./inputs); the provider's own have a validator here.
 */
const inputs = {
  // The identity: a new ID is a new job.
  jobId: input<string>()({ type: text, description: "Job ID (1–64 of [a-zA-Z0-9_-]); replaces. Default <resource name>-<7 random chars>.", rule: replace }),
  // What is sent, and to whom: a change resends the work, so it replaces.
  targets: input<string[]>()({ type: texts, description: "Thing and thing group ARNs (a set: order is no change); replaces.", required: true, rule: replaceSet }),
  document: input<string>()({ type: text, description: "The job document, JSON text (≤ 32 KiB); replaces.", rule: replace }),
  documentSource: input<string>()({ type: text, description: "An S3 URL of the document, read once at creation; replaces.", rule: replace }),
  targetSelection: input<"CONTINUOUS" | "SNAPSHOT">()({
    type: { type: "string", enum: ["CONTINUOUS", "SNAPSHOT"] },
    description: "SNAPSHOT (default: the targets at creation) or CONTINUOUS (things added to a group later too); replaces.",
    rule: replace,
  }),
  jobTemplateArn: input<string>()({ type: text, description: "The job template the job is made from; replaces.", rule: replace }),
  documentParameters: input<Record<string, string>>()({ type: textMap, description: "Values for the template's placeholders; replaces.", secret: true, rule: replace }),
  schedulingConfig: input<IotSchedulingConfig>()({ type: any, description: "When the rollout starts and ends, and its maintenance windows; replaces.", rule: replace }),
  destinationPackageVersions: input<string[]>()({ type: texts, description: "Software package version ARNs the job installs (a set); replaces.", rule: replaceSet }),
  namespaceId: input<string>()({ type: text, description: "Greengrass namespace; replaces.", rule: replace }),
  // Metadata and tuning: UpdateJob, in any state (the service decides; a refusal is reported).
  description: input<string>()({ type: text, description: "Free text (≤ 2028, no control characters); updated in place (UpdateJob).", rule: updateJob }),
  presignedUrlConfig: input<{ roleArn?: string; expiresInSec?: number }>()({
    type: { type: "object", properties: { roleArn: text, expiresInSec: { type: "integer" } } },
    description: "Presigned S3 URLs in the document: the role and their lifetime; updated in place.",
    secret: true,
    rule: updateJob,
  }),
  jobExecutionsRolloutConfig: input<IotRolloutConfig>()({ type: any, description: "How fast executions roll out; updated in place.", rule: updateJob }),
  abortConfig: input<IotAbortConfig>()({ type: any, description: "When to cancel the job for failures; updated in place.", rule: updateJob }),
  timeoutConfig: input<{ inProgressTimeoutInMinutes?: number }>()({
    type: { type: "object", properties: { inProgressTimeoutInMinutes: { type: "integer" } } },
    description: "In-progress timeout of an execution (1–10080 minutes); updated in place, for executions not yet started.",
    rule: updateJob,
  }),
  // ⚠ CloudFormation treats it as create-only; the API model and SDK v3 update it. The API is followed.
  jobExecutionsRetryConfig: input<IotRetryConfig>()({ type: any, description: "Retries of failed or timed-out executions; updated in place.", rule: updateJob }),
  tags: input<Record<string, string>>()({
    type: textMap,
    description: "Tags; changed in place, key by key (TagResource / UntagResource).",
    rule: { kind: "updatable-map", states: "any", set: "TagResource", unset: "UntagResource" },
  }),
  // Read only by delete (the force flags) or by check (naming): no API call.
  forceCancel: input<boolean>()({ type: flag, description: "On delete, cancel with force: executions devices are running are cancelled too (default false).", rule: stateOnly, normalize: boolean }),
  forceDelete: input<boolean>()({ type: flag, description: "On delete, delete with force even while devices still run executions (default false).", rule: stateOnly, normalize: boolean }),
  jobIdAutoNamed: input<boolean>()({ type: flag, description: "Set by the provider when it generated jobId.", rule: stateOnly, internal: true }),
  autoNamePrefix: input<string>()({
    type: text,
    description: "The prefix of a generated jobId (the resource name).",
    rule: stateOnly,
    internal: true,
    normalize: (v) => (typeof v === "string" ? {} : { failures: [{ property: "", reason: "must be a string" }] }),
  }),
} as const;

const job = <T>(type: PropertyType, description: string) => output<T>()({ type, description, group: "job" });

/** The outputs of `IotJob` besides its inputs: what DescribeJob reports and where the job lives, under `job`. */
const outputs = {
  jobArn: output<string>()({ type: text, description: "arn:aws:iot:<region>:<account>:job/<jobId>.", group: "job", required: true }),
  status: output<IotJobStatusCode>()({
    type: { type: "string", enum: IOT_JOB_STATUSES },
    description: "SCHEDULED, IN_PROGRESS, COMPLETED, CANCELED or DELETION_IN_PROGRESS, as of the last create/update/refresh.",
    group: "job",
    required: true,
  }),
  forceCanceled: job<boolean>(flag, "Whether a cancel used force."),
  reasonCode: job<string>(text, "Why the job was cancelled (e.g. the abort criteria)."),
  comment: job<string>(text, "The cancel comment."),
  createdAt: job<string>(text, "When the job was created (ISO 8601)."),
  lastUpdatedAt: job<string>(text, "When the job last changed (ISO 8601)."),
  completedAt: job<string>(text, "When the job finished (ISO 8601)."),
  jobProcessDetails: output<Record<string, number>>()({
    type: { type: "object", additionalProperties: { type: "integer" } },
    description: "Execution counts (numberOfSucceededThings, numberOfInProgressThings, …).",
    group: "job",
    required: true,
  }),
  endpoint: output<string>()({ type: text, description: "The endpoint the job lives at; a stack pointed elsewhere replaces the job.", group: "job", required: true }),
  region: output<string>()({ type: text, description: "The job's region.", group: "job", required: true }),
  accessKeyId: output<string>()({
    type: text,
    description: "The access key ID the job was last created, updated or refreshed with (not a secret): the account check's fast path.",
    group: "job",
    flat: false,
  }),
} as const;

/** `IotJob`, described once. */
export const iotJobDefinition = {
  token: "importexport:index:IotJob",
  description: "An AWS IoT job: a document pushed to things and thing groups.",
  inputs,
  outputs,
  groups: { job: { description: "What DescribeJob reported as of the last create/update/refresh, and where the job lives." } },
} as const satisfies ResourceDefinition;

/** The inputs of `IotJob`: exactly the definition's. */
export type IotJobInput = keyof typeof inputs;

/** Inputs after `check` (what diff, create and update receive): `jobId` is always set then (given, or generated). */
export type IotCheckedInputs = CheckedOf<typeof inputs> & { jobId: string };

/** Everything stored in state for one IoT job: the checked inputs and, under `job`, what DescribeJob reported. */
export type IotJobState = IotCheckedInputs & { job: GroupOf<typeof outputs, "job"> };

const cancel: DeleteRule<IotCall> = { kind: "call", via: "CancelJob", then: "reread" };

/**
 * Which existing jobs `pulumi import` and the `import` resource option take over (on the native face `get` too: the
 * engine reads all three through the same Read, with nothing but the ID). A job that can still run or is kept as a
 * finished record (SCHEDULED, IN_PROGRESS, COMPLETED) is taken; these statuses are refused, for the reason given.
 * A job DescribeJob does not find (another account or region, or deleted) is refused too (../native/resources).
 */
export const iotJobImportRefusals: Readonly<Partial<Record<IotJobStatusCode, string>>> = {
  CANCELED:
    "it is CANCELED: it sends its document to no device any more and UpdateJob no longer changes it, so there is nothing left to manage. " +
    "Declare a new job instead (to reuse its jobId, delete it first: `aws iot delete-job --job-id <id>`)",
  DELETION_IN_PROGRESS: "it is being deleted (DELETION_IN_PROGRESS); its jobId can be used for a new job once the deletion has finished",
};

/** The policy of `IotJob`, keyed by input name and by job status. */
export const iotJobPolicy: ResourcePolicy<IotJobStatusCode, IotCall> = {
  fields: fieldRules<IotJobStatusCode, IotCall, typeof inputs>(inputs),
  states: IOT_JOB_STATUSES,
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
