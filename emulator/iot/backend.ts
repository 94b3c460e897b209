import { randomUUID } from "node:crypto";
import { UPDATE_JOB_MEMBERS, type IotJobExecutionStatusCode, type IotOperationName } from "../../sdk/iot/model";
import { MAX_DOCUMENT_BYTES, MAX_TAGS, MAX_TARGETS, TARGET_PARTITION, jobRules, parseScheduleTime, parseTargetArn, substituteDocument, substitutedDocumentBytes, tagRules, targetRules } from "../../sdk/iot/validate";
import { IotError, invalidRequest, notFound, refuse } from "./errors";
import { JobIndex, type JobFilter, type JobPosition } from "./job-index";
import { catchUp, cancel, nextChange, processDetails, queueExecution, setExecutionStatus, startJob } from "./lifecycle";
import {
  JOB_SPEC_FIELDS,
  TERMINAL_EXECUTION,
  type IotJobRecord,
  type IotRecord,
  type IotScope,
  type IotStore,
  type IotTag,
  type ThingGroupRecord,
  type ThingRecord,
} from "./records";

/** At most this many jobs of an account may be in DELETION_IN_PROGRESS at once (API_DeleteJob). */
export const MAX_CONCURRENT_DELETIONS = 10;
const MAX_PAGE = 250;

/** Construction options of {@link IotBackend}. */
export interface IotBackendOptions {
  store: IotStore;
  /** Emulator time in epoch ms (includes the admin clock offset). */
  now: () => number;
  /** How long a deleted job stays DELETION_IN_PROGRESS before it is gone (emulator time). */
  deletionDelayMs: number;
}

/** A validated operation input, by member name. */
export type IotInput = Record<string, unknown>;
/** An operation's JSON output (undefined = an empty 200 body). */
export type IotOutput = Record<string, unknown> | undefined;

interface ScopeState {
  things: Map<string, ThingRecord>;
  groups: Map<string, ThingGroupRecord>;
  jobs: Map<string, IotJobRecord>;
  /** The jobs in ListJobs order per filter combination, and by when the clock next changes them. */
  jobIndex: JobIndex;
}

/** What the last ListJobs read (a benchmark's and a test's instrument: the work of a page, not its time). */
export interface ListJobsWork {
  /** Jobs brought up to date because the clock had reached them. */
  caughtUp: number;
  /** Jobs read from the index to fill the page and learn whether another follows. */
  visited: number;
}

const seconds = (ms: number): number => ms / 1000;
const scopeKey = (s: IotScope): string => `${s.accountId}/${s.region}`;

/**
 * The IoT control plane's state and rules (moto's backend half): things, thing groups, jobs with their executions,
 * and tags, keyed by account and region. Inputs arrive already checked against the model by the wire edge; this
 * class adds the rules the model cannot express (states, existence, cross-field limits).
 */
export class IotBackend {
  private readonly scopes = new Map<string, ScopeState>();
  private sequence = 0;
  /** See {@link ListJobsWork}. */
  readonly listJobsWork: ListJobsWork = { caughtUp: 0, visited: 0 };

  constructor(private readonly options: IotBackendOptions) {
    for (const record of options.store.load()) this.index(record);
  }

  private state(scope: IotScope): ScopeState {
    const key = scopeKey(scope);
    let s = this.scopes.get(key);
    if (s === undefined) {
      s = { things: new Map(), groups: new Map(), jobs: new Map(), jobIndex: new JobIndex() };
      this.scopes.set(key, s);
    }
    return s;
  }

  private index(record: IotRecord): void {
    const s = this.state(record.scope);
    if (record.kind === "thing") s.things.set(record.thingName, record);
    else if (record.kind === "group") s.groups.set(record.thingGroupName, record);
    else {
      s.jobs.set(record.jobId, record);
      // A replayed job may hold a state catchUp acts on at once; the next ListJobs brings such jobs up to date.
      s.jobIndex.put(record, this.deletionDue(record) ?? nextChange(record));
      this.sequence = Math.max(this.sequence, record.sequence);
    }
  }

  private save(record: IotRecord): void {
    this.options.store.put(record); // durable before the client hears of it
    // Every change of a job passes here, so its place in the ListJobs index follows its status and targets. A
    // change made without a catch-up may leave a state catchUp acts on at once: nextChange says so (-Infinity).
    if (record.kind === "job") this.state(record.scope).jobIndex.put(record, this.deletionDue(record) ?? nextChange(record));
  }

  /** When a DELETION_IN_PROGRESS job is gone (see {@link live}); undefined for any other job. */
  private deletionDue(job: IotJobRecord): number | undefined {
    if (job.status !== "DELETION_IN_PROGRESS") return undefined;
    if (job.deletionStartedAt === undefined) return this.options.deletionDelayMs <= 0 ? -Infinity : Infinity;
    return job.deletionStartedAt + this.options.deletionDelayMs;
  }

  /** Runs one operation for a caller's account and region. */
  handle(operation: IotOperationName, input: IotInput, scope: IotScope): IotOutput {
    switch (operation) {
      case "CreateJob": return this.createJob(input, scope);
      case "UpdateJob": return this.updateJob(input, scope);
      case "DescribeJob": return this.describeJob(input, scope);
      case "CancelJob": return this.cancelJob(input, scope);
      case "DeleteJob": return this.deleteJob(input, scope);
      case "GetJobDocument": return this.getJobDocument(input, scope);
      case "ListJobs": return this.listJobs(input, scope);
      case "AssociateTargetsWithJob": return this.associateTargets(input, scope);
      case "ListJobExecutionsForJob": return this.listJobExecutions(input, scope);
      case "TagResource": return this.tagResource(input, scope);
      case "UntagResource": return this.untagResource(input, scope);
      case "ListTagsForResource": return this.listTags(input, scope);
      case "CreateThing": return this.createThing(input, scope);
      case "DescribeThing": return this.describeThing(input, scope);
      case "CreateThingGroup": return this.createThingGroup(input, scope);
      case "DescribeThingGroup": return this.describeThingGroup(input, scope);
      case "AddThingToThingGroup": return this.addThingToThingGroup(input, scope);
    }
  }

  // ----- things and thing groups -------------------------------------------------------------------------------

  private createThing(input: IotInput, scope: IotScope): IotOutput {
    const name = input["thingName"] as string;
    const attributes = ((input["attributePayload"] as { attributes?: Record<string, string> } | undefined)?.attributes) ?? {};
    const s = this.state(scope);
    const existing = s.things.get(name);
    if (existing !== undefined) {
      // CreateThing is idempotent for an identical thing; a different one under the same name is a conflict.
      const same = existing.thingTypeName === input["thingTypeName"] && JSON.stringify(existing.attributes) === JSON.stringify(attributes);
      if (!same) throw new IotError("ResourceAlreadyExistsException", `Thing ${name} already exists with different attributes.`, undefined, { resourceId: existing.thingId, resourceArn: existing.thingArn });
      return { thingName: name, thingArn: existing.thingArn, thingId: existing.thingId };
    }
    const thing: ThingRecord = {
      kind: "thing",
      scope: { ...scope },
      thingName: name,
      thingId: randomUUID(),
      thingArn: `arn:aws:iot:${scope.region}:${scope.accountId}:thing/${name}`,
      attributes,
      version: 1,
      groups: [],
    };
    if (typeof input["thingTypeName"] === "string") thing.thingTypeName = input["thingTypeName"];
    if (typeof input["billingGroupName"] === "string") thing.billingGroupName = input["billingGroupName"];
    this.save(thing);
    s.things.set(name, thing);
    return { thingName: name, thingArn: thing.thingArn, thingId: thing.thingId };
  }

  private thing(scope: IotScope, name: string): ThingRecord {
    const thing = this.state(scope).things.get(name);
    if (thing === undefined) throw notFound(`Thing ${name} cannot be found.`);
    return thing;
  }

  private describeThing(input: IotInput, scope: IotScope): IotOutput {
    const t = this.thing(scope, input["thingName"] as string);
    return {
      defaultClientId: t.thingName,
      thingName: t.thingName,
      thingId: t.thingId,
      thingArn: t.thingArn,
      ...(t.thingTypeName !== undefined ? { thingTypeName: t.thingTypeName } : {}),
      attributes: t.attributes,
      version: t.version,
      ...(t.billingGroupName !== undefined ? { billingGroupName: t.billingGroupName } : {}),
    };
  }

  private createThingGroup(input: IotInput, scope: IotScope): IotOutput {
    const name = input["thingGroupName"] as string;
    const s = this.state(scope);
    const properties = input["thingGroupProperties"] as Record<string, unknown> | undefined;
    const existing = s.groups.get(name);
    if (existing !== undefined) {
      if (JSON.stringify(existing.thingGroupProperties ?? {}) !== JSON.stringify(properties ?? {})) {
        throw new IotError("ResourceAlreadyExistsException", `Thing group ${name} already exists with different properties.`, undefined, { resourceId: existing.thingGroupId, resourceArn: existing.thingGroupArn });
      }
      return { thingGroupName: name, thingGroupArn: existing.thingGroupArn, thingGroupId: existing.thingGroupId };
    }
    const parent = input["parentGroupName"] as string | undefined;
    if (parent !== undefined && !s.groups.has(parent)) throw invalidRequest(`parentGroupName: thing group ${parent} does not exist.`);
    const tags = this.checkedTags((input["tags"] as IotTag[] | undefined) ?? [], "tags");
    const group: ThingGroupRecord = {
      kind: "group",
      scope: { ...scope },
      thingGroupName: name,
      thingGroupId: randomUUID(),
      thingGroupArn: `arn:aws:iot:${scope.region}:${scope.accountId}:thinggroup/${name}`,
      creationDate: this.options.now(),
      version: 1,
      tags,
    };
    if (parent !== undefined) group.parentGroupName = parent;
    if (properties !== undefined) group.thingGroupProperties = properties;
    this.save(group);
    s.groups.set(name, group);
    return { thingGroupName: name, thingGroupArn: group.thingGroupArn, thingGroupId: group.thingGroupId };
  }

  private group(scope: IotScope, name: string): ThingGroupRecord {
    const group = this.state(scope).groups.get(name);
    if (group === undefined) throw notFound(`Thing group ${name} cannot be found.`);
    return group;
  }

  private describeThingGroup(input: IotInput, scope: IotScope): IotOutput {
    const g = this.group(scope, input["thingGroupName"] as string);
    return {
      thingGroupName: g.thingGroupName,
      thingGroupId: g.thingGroupId,
      thingGroupArn: g.thingGroupArn,
      version: g.version,
      thingGroupProperties: g.thingGroupProperties ?? {},
      thingGroupMetadata: { ...(g.parentGroupName !== undefined ? { parentGroupName: g.parentGroupName } : {}), creationDate: seconds(g.creationDate) },
    };
  }

  private addThingToThingGroup(input: IotInput, scope: IotScope): IotOutput {
    const groupName = (input["thingGroupName"] as string | undefined) ?? this.nameFromArn(input["thingGroupArn"], "thinggroup", scope, "thingGroupArn");
    const thingName = (input["thingName"] as string | undefined) ?? this.nameFromArn(input["thingArn"], "thing", scope, "thingArn");
    const group = this.group(scope, groupName);
    const thing = this.thing(scope, thingName);
    if (!thing.groups.includes(group.thingGroupName)) {
      thing.groups.push(group.thingGroupName);
      thing.version++;
      this.save(thing);
      // A CONTINUOUS job also reaches things that join its target groups later.
      const now = this.options.now();
      // Read from the ListJobs index (exactly those jobs), not by a scan of every job of the scope.
      const reached = [...this.state(scope).jobIndex.after({ status: "IN_PROGRESS", targetSelection: "CONTINUOUS", thingGroupArn: group.thingGroupArn }, undefined)];
      for (const job of reached) {
        queueExecution(job, thing.thingName, thing.thingArn, now);
        this.save(job);
      }
    }
    return {};
  }

  private nameFromArn(arn: unknown, type: "thing" | "thinggroup", scope: IotScope, field: string): string {
    if (typeof arn !== "string") throw invalidRequest(`Either ${type === "thing" ? "thingName or thingArn" : "thingGroupName or thingGroupArn"} is required.`);
    const prefix = `arn:aws:iot:${scope.region}:${scope.accountId}:${type}/`;
    if (!arn.startsWith(prefix)) throw notFound(`${field} ${arn.slice(0, 200)} is not a ${type} of this account and region.`);
    return arn.slice(prefix.length);
  }

  // ----- jobs ------------------------------------------------------------------------------------------------

  /** Resolves job targets (thing and thing group ARNs of the caller's account and region) to things. */
  private targetThings(scope: IotScope, targets: readonly string[]): { thingName: string; thingArn: string }[] {
    const s = this.state(scope);
    const out = new Map<string, string>();
    for (const arn of targets) {
      const target = parseTargetArn(arn);
      if (target === undefined || target.partition !== TARGET_PARTITION) continue;
      if (target.type === "thing") {
        const t = s.things.get(target.name);
        if (t !== undefined) out.set(t.thingName, t.thingArn);
      } else {
        for (const t of s.things.values()) if (t.groups.includes(target.name)) out.set(t.thingName, t.thingArn);
      }
    }
    return [...out].map(([thingName, thingArn]) => ({ thingName, thingArn }));
  }

  /** The targets exist in the caller's account and region (the form of each ARN is a shared job rule). */
  private checkTargets(scope: IotScope, targets: string[]): void {
    const s = this.state(scope);
    targets.forEach((arn, i) => {
      const t = parseTargetArn(arn);
      if (t === undefined) return;
      // targetRules refuses these first; kept here so no path can store a target that reaches nothing.
      if (t.partition !== TARGET_PARTITION) throw invalidRequest(`targets[${i}] ${arn} is in the ${t.partition} partition; job targets must be of the ${TARGET_PARTITION} partition.`);
      if (t.region !== scope.region || t.accountId !== scope.accountId) throw notFound(`targets[${i}] ${arn} is not in this account and region (${scope.accountId}, ${scope.region}).`);
      if (t.type === "thing" ? !s.things.has(t.name) : !s.groups.has(t.name)) throw notFound(`targets[${i}]: ${t.type === "thing" ? "thing" : "thing group"} ${t.name} does not exist.`);
    });
  }

  /**
   * The service's documented rules (sdk/iot/validate's jobRules, shared with IotJob's check), then the rules on
   * the emulator's clock: a schedule starts 30 minutes to a year ahead and ends 30 minutes to two years ahead.
   */
  private checkJobConfig(operation: "CreateJob" | "UpdateJob", input: IotInput, now: number): void {
    jobRules(operation, input, refuse);
    const scheduling = input["schedulingConfig"] as { startTime?: string; endTime?: string } | undefined;
    if (scheduling !== undefined) {
      const start = scheduling.startTime !== undefined ? parseScheduleTime(scheduling.startTime) : undefined;
      const end = scheduling.endTime !== undefined ? parseScheduleTime(scheduling.endTime) : undefined;
      const minute = 60_000;
      if (start !== undefined && (start < now + 30 * minute || start > now + 366 * 24 * 60 * minute)) {
        throw invalidRequest("schedulingConfig.startTime must be at least 30 minutes and at most one year in the future.");
      }
      if (end !== undefined && (end < (start ?? now) + 30 * minute || end > now + 2 * 366 * 24 * 60 * minute)) {
        throw invalidRequest("schedulingConfig.endTime must be at least 30 minutes after the start and at most two years in the future.");
      }
    }
  }

  private createJob(input: IotInput, scope: IotScope): IotOutput {
    const jobId = input["jobId"] as string;
    const s = this.state(scope);
    const jobArn = `arn:aws:iot:${scope.region}:${scope.accountId}:job/${jobId}`;
    const existing = s.jobs.get(jobId);
    if (existing !== undefined && this.live(existing) !== undefined) {
      // The service never overwrites (moto does); an ID comes free only once a deletion has finished.
      throw new IotError("ResourceAlreadyExistsException", `Job ${jobId} already exists${existing.status === "DELETION_IN_PROGRESS" ? " (its deletion is in progress)" : ""}.`, undefined, { resourceId: jobId, resourceArn: jobArn });
    }
    const targets = input["targets"] as string[];
    const now = this.options.now();
    this.checkJobConfig("CreateJob", input, now);
    this.checkTargets(scope, targets);
    const document = input["document"] as string | undefined;
    const documentSource = input["documentSource"] as string | undefined;
    // This emulator serves no job templates, so the template cannot supply the document.
    if (document === undefined && documentSource === undefined) throw invalidRequest("document is required: this emulator serves no job templates, so give document or documentSource.");
    const tags = this.checkedTags((input["tags"] as IotTag[] | undefined) ?? [], "tags");
    const spec: Record<string, unknown> = {};
    for (const name of JOB_SPEC_FIELDS) {
      if (input[name] !== undefined) spec[name] = input[name];
    }
    const job: IotJobRecord = {
      kind: "job",
      scope: { ...scope },
      sequence: ++this.sequence,
      jobId,
      jobArn,
      status: "SCHEDULED",
      targetSelection: (input["targetSelection"] as "SNAPSHOT" | "CONTINUOUS" | undefined) ?? "SNAPSHOT",
      targets: [...targets],
      spec,
      createdAt: now,
      lastUpdatedAt: now,
      executions: [],
      tags,
    };
    if (document !== undefined) job.document = document;
    if (documentSource !== undefined) job.documentSource = documentSource;
    const resolve = (): { thingName: string; thingArn: string }[] => this.targetThings(scope, job.targets);
    if ((spec["schedulingConfig"] as { startTime?: string } | undefined)?.startTime === undefined) startJob(job, now, resolve);
    catchUp(job, now, resolve);
    this.save(job);
    s.jobs.set(jobId, job);
    return { jobArn, jobId, ...(spec["description"] !== undefined ? { description: spec["description"] } : {}) };
  }

  /**
   * The job brought up to date with the clock, or undefined once its deletion has finished (then it is forgotten
   * durably, and its jobId is free again).
   */
  private live(job: IotJobRecord): IotJobRecord | undefined {
    const now = this.options.now();
    if (job.status === "DELETION_IN_PROGRESS") {
      if (now - (job.deletionStartedAt ?? now) >= this.options.deletionDelayMs) {
        this.state(job.scope).jobs.delete(job.jobId);
        this.state(job.scope).jobIndex.remove(job);
        this.options.store.remove(job);
        return undefined;
      }
      return job;
    }
    if (catchUp(job, now, () => this.targetThings(job.scope, job.targets))) this.save(job);
    this.state(job.scope).jobIndex.setDue(job, nextChange(job, now)); // caught up: only the clock's next step counts
    return job;
  }

  private job(scope: IotScope, jobId: string, namespaceId?: unknown): IotJobRecord {
    const found = this.state(scope).jobs.get(jobId);
    const job = found !== undefined ? this.live(found) : undefined;
    // namespaceId only addresses: a job created in one namespace is not found through another.
    if (job === undefined || (typeof namespaceId === "string" && job.spec["namespaceId"] !== namespaceId)) {
      throw notFound(`Job ${jobId} does not exist${typeof namespaceId === "string" ? ` in namespace ${namespaceId}` : ""}.`);
    }
    return job;
  }

  private updateJob(input: IotInput, scope: IotScope): IotOutput {
    const job = this.job(scope, input["jobId"] as string, input["namespaceId"]);
    // ⚠ The sources are silent on finished jobs; the emulator refuses, as InvalidRequestException (UpdateJob's only
    // state error in the model). SCHEDULED and IN_PROGRESS jobs accept every updatable member.
    if (job.status !== "SCHEDULED" && job.status !== "IN_PROGRESS") {
      throw invalidRequest(`Job ${job.jobId} is ${job.status}; UpdateJob only changes a SCHEDULED or IN_PROGRESS job.`);
    }
    this.checkJobConfig("UpdateJob", input, this.options.now());
    let changed = false;
    for (const name of UPDATE_JOB_MEMBERS) {
      if (input[name] === undefined) continue;
      // Each member replaces the whole structure (the model gives no partial-merge semantics). A new timeoutConfig
      // applies to executions that start later; running ones keep the timeout frozen when they started.
      job.spec[name] = input[name];
      changed = true;
    }
    if (changed) {
      job.lastUpdatedAt = this.options.now();
      catchUp(job, this.options.now(), () => this.targetThings(scope, job.targets));
      this.save(job);
    }
    return undefined;
  }

  /** Adds thing groups (or things) to a CONTINUOUS, IN_PROGRESS job; at most {@link MAX_TARGETS} in all. */
  private associateTargets(input: IotInput, scope: IotScope): IotOutput {
    const job = this.job(scope, input["jobId"] as string, input["namespaceId"]);
    if (job.targetSelection !== "CONTINUOUS" || job.status !== "IN_PROGRESS") {
      throw invalidRequest(`Job ${job.jobId} is ${job.targetSelection} and ${job.status}; targets can only be added to a CONTINUOUS job that is IN_PROGRESS.`);
    }
    const added = (input["targets"] as string[]).filter((t) => !job.targets.includes(t));
    if (job.targets.length + added.length > MAX_TARGETS) {
      throw new IotError("LimitExceededException", `Job ${job.jobId} would have ${job.targets.length + added.length} targets; a job can have at most ${MAX_TARGETS}.`);
    }
    targetRules(input["targets"] as string[], refuse);
    this.checkTargets(scope, added);
    job.targets.push(...added);
    const now = this.options.now();
    for (const t of this.targetThings(scope, added)) queueExecution(job, t.thingName, t.thingArn, now);
    job.lastUpdatedAt = now;
    if (typeof input["comment"] === "string") job.comment = input["comment"];
    this.save(job);
    return { jobArn: job.jobArn, jobId: job.jobId, ...(job.spec["description"] !== undefined ? { description: job.spec["description"] } : {}) };
  }

  private describeJob(input: IotInput, scope: IotScope): IotOutput {
    const job = this.job(scope, input["jobId"] as string);
    const sp = job.spec;
    const pick = (name: string): Record<string, unknown> => (sp[name] !== undefined ? { [name]: sp[name] } : {});
    const scheduling = sp["schedulingConfig"] as { startTime?: string } | undefined;
    return {
      ...(job.documentSource !== undefined ? { documentSource: job.documentSource } : {}),
      job: {
        jobArn: job.jobArn,
        jobId: job.jobId,
        targetSelection: job.targetSelection,
        status: job.status,
        forceCanceled: job.forceCanceled === true,
        ...(job.reasonCode !== undefined ? { reasonCode: job.reasonCode } : {}),
        ...(job.comment !== undefined ? { comment: job.comment } : {}),
        targets: [...job.targets],
        ...pick("description"),
        ...pick("presignedUrlConfig"),
        ...pick("jobExecutionsRolloutConfig"),
        ...pick("abortConfig"),
        createdAt: seconds(job.createdAt),
        lastUpdatedAt: seconds(job.lastUpdatedAt),
        ...(job.completedAt !== undefined ? { completedAt: seconds(job.completedAt) } : {}),
        jobProcessDetails: processDetails(job),
        ...pick("timeoutConfig"),
        ...pick("namespaceId"),
        ...pick("jobTemplateArn"),
        ...pick("jobExecutionsRetryConfig"),
        ...pick("documentParameters"),
        isConcurrent: job.status === "DELETION_IN_PROGRESS",
        ...pick("schedulingConfig"),
        ...(job.status === "SCHEDULED" && scheduling?.startTime !== undefined ? { scheduledJobRollouts: [{ startTime: scheduling.startTime }] } : {}),
        ...pick("destinationPackageVersions"),
      },
    };
  }

  private getJobDocument(input: IotInput, scope: IotScope): IotOutput {
    const job = this.job(scope, input["jobId"] as string);
    if (job.document === undefined) return {}; // documentSource: the emulator has no S3 to read it from
    if (input["beforeSubstitution"] === true) return { document: job.document };
    const parameters = (job.spec["documentParameters"] as Record<string, string> | undefined) ?? {};
    // CreateJob refuses a document that substitutes past the limit; a job journaled before that rule could still
    // hold one, and its answer is measured before it is built.
    const bytes = substitutedDocumentBytes(job.document, parameters);
    if (bytes > MAX_DOCUMENT_BYTES) {
      throw invalidRequest(`The job document of ${job.jobId} would be ${bytes} bytes once its documentParameters are substituted; a job document can be at most ${MAX_DOCUMENT_BYTES} bytes (32 KB). Read it with beforeSubstitution=true.`);
    }
    return { document: substituteDocument(job.document, parameters) };
  }

  private cancelJob(input: IotInput, scope: IotScope): IotOutput {
    const job = this.job(scope, input["jobId"] as string);
    const force = input["force"] === true;
    // ⚠ choices: a SCHEDULED job can be cancelled; a CANCELED one only again with force (to cancel executions
    // still in progress); COMPLETED and DELETION_IN_PROGRESS refuse.
    if (job.status === "COMPLETED" || job.status === "DELETION_IN_PROGRESS") {
      throw invalidRequest(`Job ${job.jobId} is ${job.status} and cannot be canceled.`);
    }
    if (job.status === "CANCELED" && !force) throw invalidRequest(`Job ${job.jobId} is already CANCELED; cancel again with force=true to cancel its in-progress executions.`);
    cancel(job, force, this.options.now(), input["reasonCode"] as string | undefined, input["comment"] as string | undefined);
    this.save(job);
    return { jobArn: job.jobArn, jobId: job.jobId, ...(job.spec["description"] !== undefined ? { description: job.spec["description"] } : {}) };
  }

  private deleteJob(input: IotInput, scope: IotScope): IotOutput {
    const job = this.job(scope, input["jobId"] as string, input["namespaceId"]);
    const force = input["force"] === true;
    if (job.status === "DELETION_IN_PROGRESS") throw new IotError("InvalidStateTransitionException", `Job ${job.jobId} is already being deleted.`);
    // ⚠ SCHEDULED counts as not yet terminal: like IN_PROGRESS it needs force.
    if ((job.status === "IN_PROGRESS" || job.status === "SCHEDULED") && !force) {
      throw new IotError("InvalidStateTransitionException", `Job ${job.jobId} is ${job.status}; cancel it first, or delete with force=true.`);
    }
    // Copied before live() runs: a deletion that finishes leaves the index.
    const inDeletion = [...this.state(scope).jobIndex.after({ status: "DELETION_IN_PROGRESS" }, undefined)];
    const deleting = inDeletion.filter((j) => j !== job && this.live(j) !== undefined).length;
    if (deleting >= MAX_CONCURRENT_DELETIONS) {
      throw new IotError("LimitExceededException", `${deleting} jobs of this account are already being deleted; at most ${MAX_CONCURRENT_DELETIONS} deletions can run at once. Retry later.`);
    }
    const now = this.options.now();
    for (const e of job.executions) if (!TERMINAL_EXECUTION.has(e.status)) setExecutionStatus(job, e, "REMOVED", now);
    job.status = "DELETION_IN_PROGRESS";
    job.deletionStartedAt = now;
    job.lastUpdatedAt = now;
    this.save(job);
    this.live(job); // a zero delay finishes the deletion at once
    return undefined;
  }

  private listJobs(input: IotInput, scope: IotScope): IotOutput {
    let groupArn: string | undefined;
    let groupIdFilter: string | undefined;
    if (typeof input["thingGroupName"] === "string") groupArn = this.group(scope, input["thingGroupName"]).thingGroupArn;
    if (typeof input["thingGroupId"] === "string") {
      const id = input["thingGroupId"];
      const group = [...this.state(scope).groups.values()].find((g) => g.thingGroupId === id);
      if (group === undefined) throw notFound(`Thing group with id ${id} cannot be found.`);
      groupIdFilter = group.thingGroupArn;
    }
    const max = (input["maxResults"] as number | undefined) ?? MAX_PAGE;
    const after = listJobsPosition(input["nextToken"]);
    const index = this.state(scope).jobIndex;
    // Only the jobs the clock has reached can have changed since they were filed (everything else changes through a
    // request, which re-files it): bringing those up to date leaves every job as a catch-up of each would.
    const due = index.dueBy(this.options.now());
    for (const job of due) this.live(job);
    const text = (name: string): string | undefined => (typeof input[name] === "string" ? input[name] : undefined);
    const filter: JobFilter = { status: text("status"), targetSelection: text("targetSelection"), namespaceId: text("namespaceId"), thingGroupArn: groupArn ?? groupIdFilter };
    const page: IotJobRecord[] = [];
    let visited = 0;
    let more = false;
    for (const j of index.after(filter, after)) {
      visited++;
      // The list holds exactly the filter's jobs; only a second, different thing group (by name and by id) is checked here.
      if (groupIdFilter !== undefined && !j.targets.includes(groupIdFilter)) continue;
      if (page.length === max) {
        more = true;
        break;
      }
      page.push(j);
    }
    this.listJobsWork.caughtUp = due.length;
    this.listJobsWork.visited = visited;
    const last = page[page.length - 1];
    const nextToken = more && last !== undefined ? listJobsToken(last) : undefined;
    return {
      jobs: page.map((j) => {
        const group = j.targets.map((t) => this.groupByArn(scope, t)).find((g) => g !== undefined);
        return {
          jobArn: j.jobArn,
          jobId: j.jobId,
          ...(group !== undefined ? { thingGroupId: group.thingGroupId } : {}),
          targetSelection: j.targetSelection,
          status: j.status,
          createdAt: seconds(j.createdAt),
          lastUpdatedAt: seconds(j.lastUpdatedAt),
          ...(j.completedAt !== undefined ? { completedAt: seconds(j.completedAt) } : {}),
          isConcurrent: j.status === "DELETION_IN_PROGRESS",
        };
      }),
      ...(nextToken !== undefined ? { nextToken } : {}),
    };
  }

  private groupByArn(scope: IotScope, arn: string): ThingGroupRecord | undefined {
    const prefix = `arn:aws:iot:${scope.region}:${scope.accountId}:thinggroup/`;
    return arn.startsWith(prefix) ? this.state(scope).groups.get(arn.slice(prefix.length)) : undefined;
  }

  private listJobExecutions(input: IotInput, scope: IotScope): IotOutput {
    const job = this.job(scope, input["jobId"] as string);
    const executions = job.executions.filter((e) => input["status"] === undefined || e.status === input["status"]);
    const { page, nextToken } = paginate(executions, input);
    return {
      executionSummaries: page.map((e) => ({
        thingArn: e.thingArn,
        jobExecutionSummary: {
          status: e.status,
          queuedAt: seconds(e.queuedAt),
          ...(e.startedAt !== undefined ? { startedAt: seconds(e.startedAt) } : {}),
          lastUpdatedAt: seconds(e.lastUpdatedAt),
          executionNumber: e.executionNumber,
          retryAttempt: 0,
        },
      })),
      ...(nextToken !== undefined ? { nextToken } : {}),
    };
  }

  // ----- tags ------------------------------------------------------------------------------------------------

  private checkedTags(tags: IotTag[], field: string): IotTag[] {
    tagRules(tags.map((t) => t.Key), field, refuse);
    return tags.map((t) => ({ Key: t.Key, ...(t.Value !== undefined ? { Value: t.Value } : {}) }));
  }

  /** The taggable resource (a job or a thing group) an ARN names in the caller's account and region. */
  private taggable(scope: IotScope, arn: string): IotJobRecord | ThingGroupRecord {
    const m = /^arn:aws:iot:([^:]+):(\d{12}):(job|thinggroup)\/(.+)$/.exec(arn);
    if (m === null) throw invalidRequest(`resourceArn ${JSON.stringify(arn.slice(0, 200))} is not the ARN of a taggable IoT resource (a job or a thing group).`);
    if (m[1] !== scope.region || m[2] !== scope.accountId) throw notFound(`resourceArn ${arn} is not in this account and region.`);
    if (m[3] === "job") return this.job(scope, m[4] ?? "");
    return this.group(scope, m[4] ?? "");
  }

  private tagResource(input: IotInput, scope: IotScope): IotOutput {
    const resource = this.taggable(scope, input["resourceArn"] as string);
    const added = this.checkedTags(input["tags"] as IotTag[], "tags");
    const merged = new Map(resource.tags.map((t) => [t.Key, t] as const));
    for (const t of added) merged.set(t.Key, t);
    if (merged.size > MAX_TAGS) throw new IotError("LimitExceededException", `The resource would have ${merged.size} tags; at most ${MAX_TAGS} are allowed.`);
    resource.tags = [...merged.values()];
    this.save(resource);
    return {};
  }

  private untagResource(input: IotInput, scope: IotScope): IotOutput {
    const resource = this.taggable(scope, input["resourceArn"] as string);
    const remove = new Set(input["tagKeys"] as string[]);
    resource.tags = resource.tags.filter((t) => !remove.has(t.Key));
    this.save(resource);
    return {};
  }

  private listTags(input: IotInput, scope: IotScope): IotOutput {
    const resource = this.taggable(scope, input["resourceArn"] as string);
    const { page, nextToken } = paginate(resource.tags, input);
    return { tags: page.map((t) => ({ ...t })), ...(nextToken !== undefined ? { nextToken } : {}) };
  }

  // ----- admin -----------------------------------------------------------------------------------------------

  /** Every job of every account (admin `GET /_emulator/iot/jobs`): no documents, no tags. */
  adminJobs(): Record<string, unknown>[] {
    return this.liveJobs().map((job) => this.adminView(job));
  }

  /** Every job of every account that is not gone, brought up to date, in the order of {@link adminJobs}. */
  liveJobs(): IotJobRecord[] {
    const out: IotJobRecord[] = [];
    for (const s of [...this.scopes.values()]) {
      for (const found of [...s.jobs.values()]) {
        const job = this.live(found);
        if (job !== undefined) out.push(job);
      }
    }
    return out;
  }

  /** A job as the admin API shows it. */
  adminView(job: IotJobRecord): Record<string, unknown> {
    return {
      jobId: job.jobId,
      jobArn: job.jobArn,
      accountId: job.scope.accountId,
      region: job.scope.region,
      status: job.status,
      targetSelection: job.targetSelection,
      targets: [...job.targets],
      executions: job.executions.map((e) => ({ thingName: e.thingName, status: e.status })),
      jobProcessDetails: processDetails(job),
    };
  }

  /** Jobs with this jobId across accounts and regions (the admin API names a job by its id). */
  findJobs(jobId: string): IotJobRecord[] {
    const out: IotJobRecord[] = [];
    for (const s of this.scopes.values()) {
      const found = s.jobs.get(jobId);
      const job = found !== undefined ? this.live(found) : undefined;
      if (job !== undefined) out.push(job);
    }
    return out;
  }

  /**
   * Reports executions as a device would (admin API): `thingName` undefined = every execution that is not terminal.
   * Returns the job brought up to date (it completes once every execution is terminal, or is aborted).
   */
  advanceExecutions(job: IotJobRecord, thingName: string | undefined, status: IotJobExecutionStatusCode): IotJobRecord {
    if (status === "QUEUED") throw new IotAdminError(400, "An execution cannot go back to QUEUED.");
    const targets = thingName === undefined ? job.executions.filter((e) => !TERMINAL_EXECUTION.has(e.status)) : job.executions.filter((e) => e.thingName === thingName);
    if (thingName !== undefined && targets.length === 0) throw new IotAdminError(404, `Job ${job.jobId} has no execution for thing ${thingName}.`);
    if (job.status !== "IN_PROGRESS" && job.status !== "CANCELED") {
      throw new IotAdminError(409, `Job ${job.jobId} is ${job.status}; only executions of an IN_PROGRESS (or CANCELED, still running) job can change.`);
    }
    const now = this.options.now();
    for (const e of targets) {
      if (TERMINAL_EXECUTION.has(e.status)) throw new IotAdminError(409, `The execution of job ${job.jobId} on ${e.thingName} is already ${e.status}.`);
      if (e.status === status) continue;
      if (job.status === "CANCELED" && e.status === "QUEUED") throw new IotAdminError(409, `Job ${job.jobId} is CANCELED; its queued execution on ${e.thingName} cannot start.`);
      setExecutionStatus(job, e, status, now);
    }
    catchUp(job, now, () => this.targetThings(job.scope, job.targets));
    this.save(job);
    return job;
  }

  /** Forgets all IoT state (admin `reset`). */
  reset(): void {
    this.options.store.clear();
    this.scopes.clear();
    this.sequence = 0;
  }

  /** Closes the store. */
  close(): void {
    this.options.store.close();
  }
}

/** An admin API refusal with its HTTP status. */
export class IotAdminError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "IotAdminError";
  }
}

const LIST_JOBS_TOKEN = /^s(\d{1,15})\/([a-zA-Z0-9_-]{1,64})$/;

/** ListJobs' nextToken: base64url of the last listed job's position, so the next page seeks past it. */
function listJobsToken(job: IotJobRecord): string {
  return Buffer.from(`s${job.sequence}/${job.jobId}`).toString("base64url");
}

/** An offset token (base64url of `o<offset>`): what ListJobs returned before its pages were keyed by job, and what {@link paginate} returns. */
const OFFSET_TOKEN = /^o\d{1,9}$/;

/**
 * The position a ListJobs nextToken names (undefined: from the start); anything else is refused as not ours. An
 * offset token (an older emulator's ListJobs, or another list's) is refused with its own message: an offset counted
 * in a list since changed names no job, so seeking from it could skip or repeat jobs without a word. As a service
 * answers a token it no longer honours (InvalidRequestException), the caller restarts the listing.
 */
function listJobsPosition(token: unknown): JobPosition | undefined {
  if (typeof token !== "string" || token.length === 0) return undefined;
  const decoded = /^[A-Za-z0-9_-]{1,120}$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
  const m = LIST_JOBS_TOKEN.exec(decoded);
  if (m !== null) return { sequence: Number(m[1]), jobId: m[2] ?? "" };
  if (OFFSET_TOKEN.test(decoded)) {
    throw invalidRequest("nextToken is an offset token (from an older emulator's ListJobs, or from another list) that ListJobs no longer accepts; restart the listing without nextToken.");
  }
  throw invalidRequest("nextToken is not a token this API returned.");
}

/** Offset pagination with an opaque token (base64url of the offset), `maxResults` 1–250. */
function paginate<T>(items: readonly T[], input: IotInput): { page: T[]; nextToken?: string } {
  const max = (input["maxResults"] as number | undefined) ?? MAX_PAGE;
  let offset = 0;
  const token = input["nextToken"];
  if (typeof token === "string" && token.length > 0) {
    const decoded = /^[A-Za-z0-9_-]{1,16}$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
    if (!OFFSET_TOKEN.test(decoded)) throw invalidRequest("nextToken is not a token this API returned.");
    offset = Number(decoded.slice(1));
  }
  const page = items.slice(offset, offset + max);
  const next = offset + max;
  return next < items.length ? { page, nextToken: Buffer.from(`o${next}`).toString("base64url") } : { page };
}
