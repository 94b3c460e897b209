import { RecordJournal } from "../persistence";

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

/** Where IoT records are kept; `put`/`remove` return once the change is durable. */
export interface IotStore {
  load(): IotRecord[];
  put(record: IotRecord): void;
  remove(record: IotRecord): void;
  clear(): void;
  close(): void;
}

/** In-memory only (no `--data-dir`). */
export class MemoryIotStore implements IotStore {
  load(): IotRecord[] {
    return [];
  }
  put(): void {}
  remove(): void {}
  clear(): void {}
  close(): void {}
}

/** IoT state in `iot.journal`, next to the Import/Export journal, with the same fsync-before-reply guarantee. */
export class JournalIotStore implements IotStore {
  private readonly journal: RecordJournal<IotRecord>;

  constructor(dir: string) {
    this.journal = new RecordJournal<IotRecord>(dir, "iot.journal", "record", recordKey);
  }
  load(): IotRecord[] {
    return this.journal.load();
  }
  put(record: IotRecord): void {
    this.journal.put(record);
  }
  remove(record: IotRecord): void {
    this.journal.remove(recordKey(record));
  }
  clear(): void {
    this.journal.clear();
  }
  close(): void {
    this.journal.close();
  }
}
