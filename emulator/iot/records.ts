import { isTime } from "../core/journal";
import type { JournalSpec, RecordStore } from "../core/store";

/** A resource tag as the API spells it. */
export interface IotTag {
  Key: string;
  Value?: string;
}

/** Where IoT state lives: one account in one region (IoT is a regional service; ARNs carry both). */
export interface IotScope {
  accountId: string;
  region: string;
}

/** A thing (only what job targets and DescribeThing need). */
export interface ThingRecord {
  kind: "thing";
  scope: IotScope;
  thingName: string;
  thingId: string;
  thingArn: string;
  thingTypeName?: string;
  billingGroupName?: string;
  attributes: Record<string, string>;
  version: number;
  /** Names of the thing groups it belongs to. */
  groups: string[];
}

/** A static thing group. */
export interface ThingGroupRecord {
  kind: "group";
  scope: IotScope;
  thingGroupName: string;
  thingGroupId: string;
  thingGroupArn: string;
  parentGroupName?: string;
  thingGroupProperties?: Record<string, unknown>;
  creationDate: number;
  version: number;
  tags: IotTag[];
}

/** The model's `JobStatus`. */
export type JobStatus = "SCHEDULED" | "IN_PROGRESS" | "COMPLETED" | "CANCELED" | "DELETION_IN_PROGRESS";
/** The model's `JobExecutionStatus`. */
export type ExecutionStatus = "QUEUED" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "REJECTED" | "REMOVED" | "CANCELED";
/** Execution states no device report can leave. */
export const TERMINAL_EXECUTION: ReadonlySet<ExecutionStatus> = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED"]);

/** One target thing's execution of a job. */
export interface JobExecutionRecord {
  thingName: string;
  thingArn: string;
  status: ExecutionStatus;
  executionNumber: number;
  queuedAt: number;
  startedAt?: number;
  lastUpdatedAt: number;
  /** The job's in-progress timeout when this execution started (frozen then, per the developer guide). */
  timeoutMinutes?: number;
}

/** Members UpdateJob may change (besides which it only addresses by namespaceId). */
export const UPDATABLE_JOB_FIELDS = ["description", "presignedUrlConfig", "jobExecutionsRolloutConfig", "abortConfig", "timeoutConfig", "jobExecutionsRetryConfig"] as const;

/** A job. `spec` holds the validated CreateJob members echoed by DescribeJob (some changed later by UpdateJob). */
export interface IotJobRecord {
  kind: "job";
  scope: IotScope;
  /** Creation order within the emulator (ListJobs order and pagination). */
  sequence: number;
  jobId: string;
  jobArn: string;
  status: JobStatus;
  targetSelection: "SNAPSHOT" | "CONTINUOUS";
  targets: string[];
  document?: string;
  documentSource?: string;
  spec: Record<string, unknown>;
  createdAt: number;
  lastUpdatedAt: number;
  completedAt?: number;
  forceCanceled?: boolean;
  reasonCode?: string;
  comment?: string;
  /** When DeleteJob was accepted (the job then shows DELETION_IN_PROGRESS until the deletion finishes). */
  deletionStartedAt?: number;
  executions: JobExecutionRecord[];
  tags: IotTag[];
}

/** Any stored IoT record. */
export type IotRecord = ThingRecord | ThingGroupRecord | IotJobRecord;

/** The storage key of a record: kind, account, region and name. */
export function recordKey(record: IotRecord): string {
  const id = record.kind === "job" ? record.jobId : record.kind === "thing" ? record.thingName : record.thingGroupName;
  return `${record.kind}/${record.scope.accountId}/${record.scope.region}/${id}`;
}

/** Where IoT records are kept (the core's generic store); `put`/`remove` return once the change is durable. */
export type IotStore = RecordStore<IotRecord>;

const JOB_STATUSES: readonly string[] = ["SCHEDULED", "IN_PROGRESS", "COMPLETED", "CANCELED", "DELETION_IN_PROGRESS"];
const EXECUTION_STATUSES: readonly string[] = ["QUEUED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED"];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (v: unknown): boolean => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === "string");

/** Why a replayed value is not a whole IoT record (undefined when it is one the backend can serve). */
export function iotRecordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "the record has no IoT record object";
  const scope = value["scope"];
  if (!isObject(scope) || typeof scope["accountId"] !== "string" || !/^\d{12}$/.test(scope["accountId"]) || typeof scope["region"] !== "string") {
    return "the IoT record has no valid scope (accountId, region)";
  }
  const texts = (what: string, keys: string[]): string | undefined => keys.map((k) => (typeof value[k] === "string" ? undefined : `${what} has no ${k}`)).find((p) => p !== undefined);
  switch (value["kind"]) {
    case "thing":
      return (
        texts("the thing", ["thingName", "thingId", "thingArn"]) ??
        (!isObject(value["attributes"]) || !isCount(value["version"]) || !isStrings(value["groups"]) ? `thing ${String(value["thingName"])} has no valid attributes, version or groups` : undefined)
      );
    case "group":
      return (
        texts("the thing group", ["thingGroupName", "thingGroupId", "thingGroupArn"]) ??
        (!isTime(value["creationDate"]) || !isCount(value["version"]) || !Array.isArray(value["tags"]) ? `thing group ${String(value["thingGroupName"])} has no valid creationDate, version or tags` : undefined)
      );
    case "job": {
      const id = value["jobId"];
      if (typeof id !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(id)) return "the IoT job has no valid jobId";
      if (typeof value["jobArn"] !== "string" || !JOB_STATUSES.includes(value["status"] as string)) return `IoT job ${id} has no valid jobArn or status`;
      if (value["targetSelection"] !== "SNAPSHOT" && value["targetSelection"] !== "CONTINUOUS") return `IoT job ${id} has no valid targetSelection`;
      if (!isStrings(value["targets"]) || !isObject(value["spec"]) || !Array.isArray(value["tags"])) return `IoT job ${id} has no valid targets, spec or tags`;
      if (!isCount(value["sequence"]) || !isTime(value["createdAt"]) || !isTime(value["lastUpdatedAt"])) return `IoT job ${id} has no valid sequence, createdAt or lastUpdatedAt`;
      const executions = value["executions"];
      if (!Array.isArray(executions) || !executions.every((e) => isObject(e) && typeof e["thingName"] === "string" && typeof e["thingArn"] === "string" && EXECUTION_STATUSES.includes(e["status"] as string) && isTime(e["queuedAt"]) && isTime(e["lastUpdatedAt"]))) {
        return `IoT job ${id} has an execution that is not whole`;
      }
      return undefined;
    }
  }
  return "the IoT record has no valid kind (thing, group or job)";
}

/**
 * IoT state in `iot.journal`, next to the Import/Export journal, with the same guarantees (the core's journal: fsync
 * before the reply; strict replay: a damaged line other than a torn last one stops start-up, naming `file:line`).
 */
export const IOT_JOURNAL: JournalSpec<IotRecord> = { file: "iot.journal", field: "record", keyOf: recordKey, problem: iotRecordProblem };
