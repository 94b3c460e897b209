import { IOT_JOB_EXECUTION_STATUSES, IOT_JOB_STATUSES, IOT_OPERATIONS, type IotJobExecutionStatusCode, type IotJobStatusCode, type IotShape } from "../../sdk/iot/model";
import { validateShape } from "../../sdk/iot/validate";
import { RecordJournal, isTime, type FoldResult } from "../core/journal";
import { silentLogger, type EmulatorLogger } from "../core/log";
import type { RecordStore } from "../core/store";

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

/** Execution states no device report can leave. */
export const TERMINAL_EXECUTION: ReadonlySet<IotJobExecutionStatusCode> = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED"]);

/** One target thing's execution of a job. */
export interface JobExecutionRecord {
  thingName: string;
  thingArn: string;
  status: IotJobExecutionStatusCode;
  executionNumber: number;
  queuedAt: number;
  startedAt?: number;
  lastUpdatedAt: number;
  /** The job's in-progress timeout when this execution started (frozen then, per the developer guide). */
  timeoutMinutes?: number;
}

/** CreateJob members a job keeps in `spec` (DescribeJob echoes them; UpdateJob changes some). */
export const JOB_SPEC_FIELDS = [
  "description", "presignedUrlConfig", "jobExecutionsRolloutConfig", "abortConfig", "timeoutConfig", "namespaceId", "jobTemplateArn",
  "jobExecutionsRetryConfig", "documentParameters", "schedulingConfig", "destinationPackageVersions",
] as const;

/** A job. `spec` holds the validated CreateJob members echoed by DescribeJob (some changed later by UpdateJob). */
export interface IotJobRecord {
  kind: "job";
  scope: IotScope;
  /** Creation order within the emulator (ListJobs order and pagination). */
  sequence: number;
  jobId: string;
  jobArn: string;
  status: IotJobStatusCode;
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

/** Where IoT records are kept (the core's generic store); `put`/`remove` return once the change is durable. */
export type IotStore = RecordStore<IotRecord>;

const JOB_STATUSES: readonly string[] = IOT_JOB_STATUSES;
const EXECUTION_STATUSES: readonly string[] = IOT_JOB_EXECUTION_STATUSES;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (v: unknown): boolean => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === "string");
const isText = (v: unknown): boolean => typeof v === "string";
const isStringMap = (v: unknown): boolean => isObject(v) && Object.values(v).every(isText);
const isTags = (v: unknown): boolean => Array.isArray(v) && v.every((t) => isObject(t) && isText(t["Key"]) && (t["Value"] === undefined || isText(t["Value"])));
const isScope = (v: unknown): boolean => isObject(v) && typeof v["accountId"] === "string" && /^\d{12}$/.test(v["accountId"]) && typeof v["region"] === "string";

/** Why `value` is not what `shape` of the IoT model accepts (the first problem), or undefined. */
function shapeProblem(value: unknown, shape: IotShape, field: string): string | undefined {
  let problem: string | undefined;
  validateShape(value, shape, field, { report: (p) => (problem ??= `${p.field} ${p.rule}`), unknownMembers: "report" });
  return problem;
}

/** Why a stored `spec` is not made of the CreateJob members it holds, each as the model's shape has it. */
function specProblem(spec: unknown): string | undefined {
  if (!isObject(spec)) return "spec is not an object";
  const members: Readonly<Record<string, { shape: IotShape }>> = IOT_OPERATIONS.CreateJob.input;
  for (const [name, value] of Object.entries(spec)) {
    if (!(JOB_SPEC_FIELDS as readonly string[]).includes(name)) return `spec holds ${JSON.stringify(name.slice(0, 64))}, which is not a job setting`;
    const problem = shapeProblem(value, members[name]!.shape, `spec.${name}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Why a stored execution is not whole (its thing, status and times typed as the backend reads them), or undefined. */
export function executionProblem(e: unknown): string | undefined {
  if (!isObject(e) || !isText(e["thingName"])) return "an execution has no thingName";
  const on = `the execution on ${String(e["thingName"]).slice(0, 128)}`;
  if (!isText(e["thingArn"])) return `${on} has no thingArn`;
  if (!EXECUTION_STATUSES.includes(e["status"] as string)) return `${on} has no valid status`;
  if (!isCount(e["executionNumber"])) return `${on} has no valid executionNumber`;
  for (const k of ["queuedAt", "lastUpdatedAt"]) if (!isTime(e[k])) return `${on} has no valid ${k} (epoch ms)`;
  if (e["startedAt"] !== undefined && !isTime(e["startedAt"])) return `${on} has a startedAt that is not a time (epoch ms)`;
  if (e["timeoutMinutes"] !== undefined && !isCount(e["timeoutMinutes"])) return `${on} has a timeoutMinutes that is not a whole number`;
  return undefined;
}

/**
 * One member of a stored job: whether it may be absent, and why a value is not one (undefined when it is), phrased
 * from the member's path: `document is not text`.
 */
interface MemberRule {
  optional: boolean;
  problem: (v: unknown, name: string) => string | undefined;
}
const rule = (optional: boolean, check: (v: unknown) => boolean, what: string): MemberRule => ({ optional, problem: (v, name) => (check(v) ? undefined : `${name} is not ${what}`) });

/**
 * The members of a stored job other than its identity (`kind`, `scope`, `jobId`), typed as the backend reads them:
 * a journal line edited to `"document":123` is refused at replay instead of failing a later request with a 500.
 */
const JOB_MEMBERS: Readonly<Record<string, MemberRule>> = {
  sequence: rule(false, isCount, "a whole number"),
  jobArn: rule(false, isText, "text"),
  status: rule(false, (v) => JOB_STATUSES.includes(v as string), `one of ${JOB_STATUSES.join(", ")}`),
  targetSelection: rule(false, (v) => v === "SNAPSHOT" || v === "CONTINUOUS", "SNAPSHOT or CONTINUOUS"),
  targets: rule(false, isStrings, "a list of text"),
  document: rule(true, isText, "text"),
  documentSource: rule(true, isText, "text"),
  spec: { optional: false, problem: specProblem },
  createdAt: rule(false, isTime, "a time (epoch ms)"),
  lastUpdatedAt: rule(false, isTime, "a time (epoch ms)"),
  completedAt: rule(true, isTime, "a time (epoch ms)"),
  deletionStartedAt: rule(true, isTime, "a time (epoch ms)"),
  forceCanceled: rule(true, (v) => typeof v === "boolean", "true or false"),
  reasonCode: rule(true, isText, "text"),
  comment: rule(true, isText, "text"),
  executions: { optional: false, problem: (v) => (Array.isArray(v) ? v.map(executionProblem).find((p) => p !== undefined) : "executions is not a list") },
  tags: rule(false, isTags, "a list of {Key, Value} text pairs"),
};

/** The rule of a job member, by an own name only (a replayed `constructor` or `__proto__` is no member). */
const jobMember = (name: string): MemberRule | undefined => (Object.prototype.hasOwnProperty.call(JOB_MEMBERS, name) ? JOB_MEMBERS[name] : undefined);

/** Why one member value of job `id` is not what the backend reads (`IoT job j: document is not text`), or undefined. */
function jobMemberProblem(id: string, name: string, value: unknown): string | undefined {
  const member = jobMember(name);
  if (member === undefined) return `IoT job ${id}: ${JSON.stringify(name.slice(0, 64))} is not a member of a job`;
  if (value === undefined) return member.optional ? undefined : `IoT job ${id}: ${name} is missing`;
  const problem = member.problem(value, name);
  return problem === undefined ? undefined : `IoT job ${id}: ${problem}`;
}

/** Why a replayed value is not a whole IoT record (undefined when it is one the backend can serve). */
export function iotRecordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "the record has no IoT record object";
  if (!isScope(value["scope"])) return "the IoT record has no valid scope (accountId, region)";
  const texts = (what: string, keys: string[]): string | undefined => keys.map((k) => (isText(value[k]) ? undefined : `${what} has no ${k}`)).find((p) => p !== undefined);
  const optionalTexts = (what: string, keys: string[]): string | undefined => keys.map((k) => (value[k] === undefined || isText(value[k]) ? undefined : `${what} has a ${k} that is not text`)).find((p) => p !== undefined);
  switch (value["kind"]) {
    case "thing": {
      const what = `thing ${String(value["thingName"]).slice(0, 128)}`;
      return (
        texts("the thing", ["thingName", "thingId", "thingArn"]) ??
        (!isStringMap(value["attributes"]) || !isCount(value["version"]) || !isStrings(value["groups"]) ? `${what} has no valid attributes, version or groups` : undefined) ??
        optionalTexts(what, ["thingTypeName", "billingGroupName"])
      );
    }
    case "group": {
      const what = `thing group ${String(value["thingGroupName"]).slice(0, 128)}`;
      return (
        texts("the thing group", ["thingGroupName", "thingGroupId", "thingGroupArn"]) ??
        (!isTime(value["creationDate"]) || !isCount(value["version"]) || !isTags(value["tags"]) ? `${what} has no valid creationDate, version or tags` : undefined) ??
        optionalTexts(what, ["parentGroupName"]) ??
        (value["thingGroupProperties"] === undefined ? undefined : shapeProblem(value["thingGroupProperties"], IOT_OPERATIONS.CreateThingGroup.input.thingGroupProperties.shape, `${what}: thingGroupProperties`))
      );
    }
    case "job": {
      const id = value["jobId"];
      if (typeof id !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(id)) return "the IoT job has no valid jobId";
      if (typeof value["jobArn"] !== "string" || !JOB_STATUSES.includes(value["status"] as string)) return `IoT job ${id} has no valid jobArn or status`;
      for (const name of Object.keys(JOB_MEMBERS)) {
        const problem = jobMemberProblem(id, name, value[name]);
        if (problem !== undefined) return problem;
      }
      const unknown = Object.keys(value).find((k) => jobMember(k) === undefined && k !== "kind" && k !== "scope" && k !== "jobId");
      return unknown === undefined ? undefined : jobMemberProblem(id, unknown, value[unknown]);
    }
  }
  return "the IoT record has no valid kind (thing, group or job)";
}

/**
 * A change to a stored job (`iot.journal` only): the members that changed (`set`, `unset`) and the executions that
 * are new or changed (matched by thing name; new ones follow the job's others, in order). One such line per change
 * keeps the journal linear in the number of changes: a whole job line carries every execution, so a job with n
 * executions wrote O(n²) bytes as they joined and reported (600 → 99.6 MB against 286 KB compacted).
 */
export interface IotJobChange {
  kind: "job-change";
  scope: IotScope;
  jobId: string;
  set?: Record<string, unknown>;
  unset?: string[];
  executions?: JobExecutionRecord[];
}

/** A line of `iot.journal`: a whole record, or a change to a job. */
export type IotJournalEntry = IotRecord | IotJobChange;

/** Members a change cannot touch: the job's identity, and its executions (changed one by one). */
const FIXED_JOB_MEMBERS: ReadonlySet<string> = new Set(["kind", "scope", "jobId", "executions"]);

/** Why a replayed value is not a whole IoT record or a job change (undefined when it is one). */
export function iotEntryProblem(value: unknown): string | undefined {
  if (!isObject(value) || value["kind"] !== "job-change") return iotRecordProblem(value);
  const id = value["jobId"];
  if (typeof id !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(id) || !isScope(value["scope"])) return "the IoT job change has no valid jobId or scope";
  const { set, unset, executions } = value;
  if (set !== undefined) {
    if (!isObject(set)) return `the change to IoT job ${id} has a set that is not an object`;
    for (const [name, v] of Object.entries(set)) {
      if (FIXED_JOB_MEMBERS.has(name)) return `the change to IoT job ${id} sets ${name}, which a change cannot set`;
      const problem = jobMemberProblem(id, name, v);
      if (problem !== undefined) return problem;
    }
  }
  if (unset !== undefined) {
    if (!isStrings(unset)) return `the change to IoT job ${id} has an unset that is not a list of names`;
    const required = (unset as string[]).find((name) => jobMember(name)?.optional !== true);
    if (required !== undefined) return `the change to IoT job ${id} unsets ${JSON.stringify(required.slice(0, 64))}, which a job cannot lack`;
  }
  if (executions !== undefined) {
    if (!Array.isArray(executions)) return `the change to IoT job ${id} has executions that are not a list`;
    const problem = executions.map(executionProblem).find((p) => p !== undefined);
    if (problem !== undefined) return `the change to IoT job ${id}: ${problem}`;
  }
  return undefined;
}

/** The storage key of a record or change: kind, account, region and name (a change has its job's key). */
export function recordKey(record: IotJournalEntry): string {
  const kind = record.kind === "job-change" ? "job" : record.kind;
  const id = record.kind === "job" || record.kind === "job-change" ? record.jobId : record.kind === "thing" ? record.thingName : record.thingGroupName;
  return `${kind}/${record.scope.accountId}/${record.scope.region}/${id}`;
}

/** Execution positions by thing name, per job being replayed (a change finds its execution without a scan). */
const replayIndex = new WeakMap<IotJobRecord, Map<string, number>>();

/** Replay of one `iot.journal` entry: a whole record replaces; a job change applies to the job replayed so far. */
export function foldIotEntry(current: IotRecord | undefined, entry: IotJournalEntry): FoldResult<IotRecord> {
  if (entry.kind !== "job-change") return { record: entry };
  if (current?.kind !== "job") return { problem: `the change to IoT job ${entry.jobId} comes before any whole record of that job` };
  const job = current as unknown as Record<string, unknown> & IotJobRecord;
  for (const [name, value] of Object.entries(entry.set ?? {})) job[name] = value;
  for (const name of entry.unset ?? []) delete job[name];
  let index = replayIndex.get(current);
  if (index === undefined) {
    index = new Map(current.executions.map((e, i) => [e.thingName, i] as const));
    replayIndex.set(current, index);
  }
  for (const e of entry.executions ?? []) {
    const at = index.get(e.thingName);
    if (at !== undefined) current.executions[at] = e;
    else index.set(e.thingName, current.executions.push(e) - 1);
  }
  return { record: current };
}

/** What the journal holds of a job, as JSON per member and per execution (compared to find what a put changed). */
interface WrittenJob {
  members: Map<string, string>;
  executions: Map<string, string>;
  order: string[];
}

function written(job: IotJobRecord): WrittenJob {
  const members = new Map<string, string>();
  for (const [name, value] of Object.entries(job)) {
    if (!FIXED_JOB_MEMBERS.has(name) && value !== undefined) members.set(name, JSON.stringify(value));
  }
  const executions = new Map<string, string>();
  for (const e of job.executions) executions.set(e.thingName, JSON.stringify(e));
  return { members, executions, order: job.executions.map((e) => e.thingName) };
}

/** The change that takes the journal from `before` to `job` (`after`), or undefined when only a whole record can. */
function changeOf(job: IotJobRecord, before: WrittenJob, after: WrittenJob): IotJobChange | undefined {
  // Executions are only ever added, each once, at the end; anything else (never expected) is journaled whole.
  if (after.executions.size !== after.order.length || before.order.some((name, i) => after.order[i] !== name)) return undefined;
  const change: IotJobChange = { kind: "job-change", scope: job.scope, jobId: job.jobId };
  const set: Record<string, unknown> = {};
  for (const [name, json] of after.members) if (before.members.get(name) !== json) set[name] = (job as unknown as Record<string, unknown>)[name];
  const unset = [...before.members.keys()].filter((name) => !after.members.has(name));
  const executions = job.executions.filter((e) => before.executions.get(e.thingName) !== after.executions.get(e.thingName));
  if (Object.keys(set).length > 0) change.set = set;
  if (unset.length > 0) change.unset = unset;
  if (executions.length > 0) change.executions = executions;
  return change;
}

/**
 * IoT state in `iot.journal`, next to the Import/Export journal, on the core's journal with the same guarantees (fsync before the reply;
 * strict replay: a damaged or mistyped line other than a torn last one stops start-up, naming `file:line`). Things
 * and groups are whole-record lines; a job is a whole record when created (and after compaction), then one
 * {@link IotJobChange} line per change carrying only what changed. Journals of whole job records only (the format
 * before changes existed) replay as they are.
 */
export class JournalIotStore implements IotStore {
  private readonly journal: RecordJournal<IotRecord, IotJournalEntry>;
  /** What the journal holds of each job, by record key. */
  private readonly jobs = new Map<string, WrittenJob>();

  constructor(dir: string, logger: EmulatorLogger = silentLogger) {
    this.journal = new RecordJournal<IotRecord, IotJournalEntry>(dir, "iot.journal", "record", recordKey, iotEntryProblem, logger, foldIotEntry);
  }
  load(): IotRecord[] {
    const records = this.journal.load();
    this.jobs.clear();
    for (const r of records) if (r.kind === "job") this.jobs.set(recordKey(r), written(r));
    return records;
  }
  put(record: IotRecord): void {
    if (record.kind !== "job") {
      this.journal.put(record);
      return;
    }
    const key = recordKey(record);
    const before = this.jobs.get(key);
    const after = written(record);
    const change = before === undefined ? undefined : changeOf(record, before, after);
    if (change === undefined) this.journal.put(record);
    else if (change.set !== undefined || change.unset !== undefined || change.executions !== undefined) this.journal.put(change);
    this.jobs.set(key, after);
  }
  remove(record: IotRecord): void {
    this.journal.remove(recordKey(record));
    this.jobs.delete(recordKey(record));
  }
  clear(): void {
    this.journal.clear();
    this.jobs.clear();
  }
  close(): void {
    this.journal.close();
  }
}
