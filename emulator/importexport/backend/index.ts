import { shippingAddressMembers, updatableProgressCodes, type OperationName, type ShippingAddressMember } from "../../../sdk/model";
import { printable } from "../../../sdk/text";
import type {
  CancelJobInput, CreateJobInput, GetShippingLabelInput, GetStatusInput, JobType, ListJobsInput, OperationInputs, OperationOutputs,
  UpdateJobInput,
} from "../../../sdk/types";
import type { Account, AccountDirectory } from "../../core/accounts";
import type { Caller } from "../../core/auth";
import type { JobStore } from "./job";
import { checkManifest, type ManifestCheck } from "../validation";
import { ServiceError, serviceError } from "../../core/query/errors";
import {
  JOB_ID_PATTERN,
  awsShippingAddress,
  jobSignature,
  locationMessage,
  newJobId,
  progressMessage,
  recordTransition,
  signatureFileContents,
  type JobRecord,
} from "./job";
import { LifecycleError, TERMINAL_PROGRESS, advanceOneStep, catchUp, setState, type StateChange } from "./lifecycle";

/** Address members a shipping label cannot do without once any is given ([gap]: the service's rule is unpublished). */
const SHIPPER_REQUIRED: readonly ShippingAddressMember[] = ["name", "street1", "city", "postalCode", "country"];

/** Default and largest page of ListJobs (the API reference allows MaxJobs 0-1000). */
export const MAX_JOBS_LIMIT = 1000;

/** Construction options of {@link ImportExportBackend}. */
export interface BackendOptions {
  accounts: AccountDirectory;
  store: JobStore;
  /** Current time in epoch ms (injectable: expiry and time-based progression read it). */
  now: () => number;
  /** Time-based lifecycle: one step every this many ms. Undefined = manual (admin API) only. */
  advanceAfterMs?: number;
  /** Base URL the emulator is reachable at (for artifact and label URLs it serves itself). */
  baseUrl: () => string;
  /** CreateJob calls allowed per account in any 24 hours (`CreateJobQuotaExceededException`). Default: no limit. */
  createJobQuotaPerDay?: number;
}

/**
 * The output of `Op` as the backend builds it: the model's members (sdk/types.ts), where an optional member may be
 * written as `undefined` (the serializer leaves it out).
 */
export type Answer<Op extends OperationName> = {
  [K in keyof OperationOutputs[Op]]: {} extends Pick<OperationOutputs[Op], K> ? OperationOutputs[Op][K] | undefined : OperationOutputs[Op][K];
};

type Handlers = { readonly [Op in OperationName]: (input: OperationInputs[Op], caller: Caller) => Answer<Op> };

/**
 * Jobs and the service's rules (moto's "backend"/models; the wire edge in emulator/importexport/wire.ts is its "responses"). It
 * takes typed operation inputs and returns typed outputs. State is keyed by account (emulator/core/accounts.ts): a job is
 * only visible to the account that created it; another account's JobId is indistinguishable from a missing one.
 */
export class ImportExportBackend {
  private readonly options: BackendOptions;
  /** accountId → JobId → job. */
  private readonly byAccount = new Map<string, Map<string, JobRecord>>();
  /**
   * accountId → its jobs oldest first, by (createdAt, sequence): ListJobs reads a page from the end without sorting,
   * and finds its Marker by binary search, so paging through n jobs costs O(n) in all rather than O(n) per page.
   */
  private readonly listOrder = new Map<string, JobRecord[]>();
  /** Every JobId in use, across accounts (JobIds are globally unique). */
  private readonly allIds = new Set<string>();
  private sequence = 0;

  constructor(options: BackendOptions) {
    this.options = options;
    for (const job of options.store.load()) this.index(job);
  }

  private index(job: JobRecord): void {
    let jobs = this.byAccount.get(job.accountId);
    if (jobs === undefined) {
      jobs = new Map();
      this.byAccount.set(job.accountId, jobs);
    }
    const known = jobs.has(job.jobId);
    jobs.set(job.jobId, job);
    if (!known) insertInListOrder(this.listOrderOf(job.accountId), job);
    this.allIds.add(job.jobId);
    this.sequence = Math.max(this.sequence, job.sequence);
  }

  private listOrderOf(accountId: string): JobRecord[] {
    let list = this.listOrder.get(accountId);
    if (list === undefined) {
      list = [];
      this.listOrder.set(accountId, list);
    }
    return list;
  }

  private readonly handlers: Handlers = {
    CreateJob: (input, caller) => this.createJob(input, caller),
    UpdateJob: (input, caller) => this.updateJob(input, caller),
    CancelJob: (input, caller) => this.cancelJob(input, caller),
    GetStatus: (input, caller) => this.getStatus(input, caller),
    ListJobs: (input, caller) => this.listJobs(input, caller),
    GetShippingLabel: (input, caller) => this.getShippingLabel(input, caller),
  };

  /**
   * Runs one Import/Export operation for an authenticated caller. The input is already typed (the wire edge read it
   * with the model: required members present, values of their types); what is checked here are the service's rules.
   */
  handle<Op extends OperationName>(operation: Op, input: OperationInputs[Op], caller: Caller): Answer<Op> {
    checkApiVersion(input.APIVersion);
    const handler: (input: OperationInputs[Op], caller: Caller) => Answer<Op> = this.handlers[operation];
    return handler(input, caller);
  }

  /** Validates a manifest for a job type against the shared rules plus the state only the emulator has. */
  private checkManifestFor(manifest: string, jobType: JobType, caller: Caller): { check: ManifestCheck; region: string } {
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(manifest)) {
      throw serviceError("MalformedManifestException", "The manifest contains control characters YAML does not allow.");
    }
    const check = checkManifest(manifest, jobType, (bucket) => this.options.accounts.bucket(bucket)?.bucket.region);
    const [first, ...rest] = check.issues;
    if (first !== undefined) {
      const more = rest.length > 0 ? ` (and ${rest.length} more: ${rest.map((i) => i.path || i.code).join(", ")})` : "";
      throw new ServiceError(first.code, `${first.message}${more}`);
    }
    if (check.accessKeyId !== undefined && check.accessKeyId !== caller.accessKeyId) {
      throw serviceError("InvalidAccessKeyIdException", "The manifest's accessKeyId is not the access key that signed the request.");
    }
    const regions = new Map<string, string>();
    for (const { field, bucket } of check.buckets) {
      const found = this.options.accounts.bucket(bucket);
      if (found === undefined) throw serviceError("NoSuchBucketException", `Bucket "${printable(bucket)}" (manifest field ${field}) does not exist.`);
      if (found.account.accountId !== caller.account.accountId) {
        throw serviceError("BucketPermissionException", `Bucket "${printable(bucket)}" (manifest field ${field}) is owned by another account.`);
      }
      regions.set(found.bucket.region, bucket);
    }
    if (regions.size > 1) {
      throw serviceError("MultipleRegionsException", `Buckets span ${[...regions.keys()].join(" and ")}.`);
    }
    return { check, region: [...regions.keys()][0] ?? "us-east-1" };
  }

  /** The job's ArtifactList as CreateJob/GetStatus return it (the dashboard links them too). */
  artifacts(job: JobRecord): { Description: string; URL: string }[] {
    return [{ Description: "Shipping instructions and job barcode (PDF)", URL: `${this.options.baseUrl()}/_emulator/artifacts/${job.jobId}/shipping-instructions.pdf` }];
  }

  private createJob(input: CreateJobInput, caller: Caller): Answer<"CreateJob"> {
    const { JobType: jobType, Manifest: manifest } = input;
    const { check, region } = this.checkManifestFor(manifest, jobType, caller);
    this.checkQuota(caller.account.accountId);
    if (input.ValidateOnly) {
      // [gap] §8.4: no JobId or Signature for a dry run; nothing is stored.
      return { JobType: jobType, WarningMessage: "ValidateOnly=true: the manifest is valid; no job was created." };
    }
    const now = this.options.now();
    const jobId = newJobId((id) => this.allIds.has(id));
    const job: JobRecord = {
      jobId,
      accountId: caller.account.accountId,
      jobType,
      manifest,
      createdAt: now,
      sequence: ++this.sequence,
      locationCode: "NotReceived",
      progressCode: "Pending",
      transitionedAt: now,
      isCanceled: false,
      errorCount: 0,
      signature: jobSignature(caller.account.secretAccessKey, jobId, manifest),
      region,
    };
    if (input.ManifestAddendum !== undefined) job.manifestAddendum = input.ManifestAddendum;
    applyLogTarget(job, check);
    recordTransition(job, now, "CreateJob");
    this.options.store.put(job); // durable before the client hears of it
    this.index(job);
    return {
      JobId: job.jobId,
      JobType: job.jobType,
      Signature: job.signature,
      SignatureFileContents: signatureFileContents(job.jobId, job.signature),
      WarningMessage: warnings(check),
      ArtifactList: this.artifacts(job),
      AwsShippingAddress: awsShippingAddress(job.jobId, job.region),
    };
  }

  /** The real service limited CreateJob per account and day (number unpublished); opt-in here. */
  private checkQuota(accountId: string): void {
    const quota = this.options.createJobQuotaPerDay;
    if (quota === undefined) return;
    const since = this.options.now() - 24 * 60 * 60 * 1000;
    let count = 0;
    for (const job of this.byAccount.get(accountId)?.values() ?? []) if (job.createdAt > since) count++;
    if (count >= quota) throw serviceError("CreateJobQuotaExceededException", `This account created ${count} jobs in the last 24 hours (quota ${quota}).`);
  }

  /** The caller's job, brought up to date; `InvalidJobIdException` when missing or another account's. */
  private ownJob(jobIdParam: string, caller: Account): JobRecord {
    const jobId = jobIdParam.toUpperCase();
    const job = JOB_ID_PATTERN.test(jobId) ? this.byAccount.get(caller.accountId)?.get(jobId) : undefined;
    if (job === undefined) throw serviceError("InvalidJobIdException", `No job ${printable(jobIdParam)} in this account.`);
    this.refresh(job);
    return job;
  }

  /** Applies expiry and time-based progression, persisting any change. */
  private refresh(job: JobRecord): void {
    if (catchUp(job, this.options.now(), this.options.advanceAfterMs)) this.options.store.put(job);
  }

  /** A job that is neither canceled nor expired (the common precondition of every job operation). */
  private liveJob(jobIdParam: string, caller: Account): JobRecord {
    const job = this.ownJob(jobIdParam, caller);
    if (job.isCanceled) throw serviceError("CanceledJobIdException", `Job ${job.jobId} was canceled.`);
    if (job.progressCode === "Expired") throw serviceError("ExpiredJobIdException", `Job ${job.jobId} expired: no device arrived within 30 days.`);
    return job;
  }

  private updateJob(input: UpdateJobInput, caller: Caller): Answer<"UpdateJob"> {
    const job = this.liveJob(input.JobId, caller.account);
    const { JobType: jobType, Manifest: manifest } = input;
    if (!(updatableProgressCodes as readonly string[]).includes(job.progressCode)) {
      throw serviceError("UnableToUpdateJobIdException", `Job ${job.jobId} is ${job.progressCode}; a job can only be updated while its ProgressCode is Pending.`);
    }
    const { check, region } = this.checkManifestFor(manifest, jobType, caller);
    if (!input.ValidateOnly) {
      job.manifest = manifest;
      job.jobType = jobType;
      job.region = region;
      applyLogTarget(job, check);
      recordTransition(job, this.options.now(), "UpdateJob");
      this.options.store.put(job);
    }
    return { Success: true, WarningMessage: warnings(check), ArtifactList: this.artifacts(job) };
  }

  private cancelJob(input: CancelJobInput, caller: Caller): Answer<"CancelJob"> {
    const job = this.liveJob(input.JobId, caller.account);
    if (TERMINAL_PROGRESS.has(job.progressCode)) {
      throw serviceError("UnableToCancelJobIdException", `Job ${job.jobId} is ${job.progressCode}; only Pending or InProgress jobs can be canceled.`);
    }
    job.isCanceled = true;
    job.progressCode = "Canceled";
    job.transitionedAt = this.options.now();
    recordTransition(job, job.transitionedAt, "CancelJob");
    this.options.store.put(job);
    return { Success: true };
  }

  private getStatus(input: GetStatusInput, caller: Caller): Answer<"GetStatus"> {
    const job = this.liveJob(input.JobId, caller.account);
    return {
      JobId: job.jobId,
      JobType: job.jobType,
      LocationCode: job.locationCode,
      LocationMessage: locationMessage(job),
      ProgressCode: job.progressCode,
      ProgressMessage: progressMessage(job),
      Carrier: job.locationCode === "Returned" ? job.carrier : undefined,
      TrackingNumber: job.locationCode === "Returned" ? job.trackingNumber : undefined,
      LogBucket: job.logKey !== undefined ? job.logBucket : undefined,
      LogKey: job.logKey,
      ErrorCount: job.errorCount,
      Signature: job.signature,
      SignatureFileContents: signatureFileContents(job.jobId, job.signature),
      CurrentManifest: job.manifest,
      CreationDate: new Date(job.createdAt),
      ArtifactList: this.artifacts(job),
      AwsShippingAddress: awsShippingAddress(job.jobId, job.region),
    };
  }

  private listJobs(input: ListJobsInput, caller: Caller): Answer<"ListJobs"> {
    const maxJobs = input.MaxJobs;
    if (maxJobs !== undefined && (maxJobs < 0 || maxJobs > MAX_JOBS_LIMIT)) {
      throw serviceError("InvalidParameterException", `MaxJobs must be between 0 and ${MAX_JOBS_LIMIT}.`);
    }
    // [gap]: 0 (like absence) means the default page size, so a paginator can never spin on empty pages.
    const limit = maxJobs === undefined || maxJobs === 0 ? MAX_JOBS_LIMIT : maxJobs;
    // Newest first: walk the oldest-first list backwards from just before the Marker (or from its end).
    const jobs = this.listOrder.get(caller.account.accountId) ?? [];
    let end = jobs.length;
    const marker = input.Marker;
    if (marker !== undefined) {
      const found = this.byAccount.get(caller.account.accountId)?.get(marker.toUpperCase());
      if (found === undefined) throw serviceError("InvalidParameterException", `Marker ${printable(marker)} is not a job ID of this account.`);
      end = listOrderIndex(jobs, found);
    }
    const page: JobRecord[] = [];
    for (let i = end - 1; i >= 0 && page.length < limit; i--) {
      const job = jobs[i];
      if (job === undefined) continue;
      // Only the listed jobs are brought up to date (catching up never changes what ListJobs shows of a job).
      this.refresh(job);
      page.push(job);
    }
    return {
      Jobs: page.map((j) => ({ JobId: j.jobId, CreationDate: new Date(j.createdAt), IsCanceled: j.isCanceled, JobType: j.jobType })),
      IsTruncated: end - page.length > 0,
    };
  }

  private getShippingLabel(input: GetShippingLabelInput, caller: Caller): Answer<"GetShippingLabel"> {
    if (input.jobIds.length === 0) throw serviceError("MissingParameterException", "Missing parameter: jobIds (at least one JobId).");
    const jobs = input.jobIds.map((id) => this.liveJob(id, caller.account));
    const given = shippingAddressMembers.filter((member) => input[member] !== undefined);
    if (given.length > 0) {
      // [gap]: address fields describe the shipper; when any is given, the usual required set must be complete.
      const missing = SHIPPER_REQUIRED.filter((f) => !given.includes(f));
      if (missing.length > 0) throw serviceError("InvalidAddressException", `Shipper address is missing: ${missing.join(", ")}.`);
    }
    const label = jobs.map((j) => j.jobId).join("-");
    return { ShippingLabelURL: `${this.options.baseUrl()}/_emulator/labels/${label}.pdf` };
  }

  // ---- admin ------------------------------------------------------------------------------------------------

  /** Every job of every account (admin `GET jobs`), without the job Signature (a secret output). */
  adminJobs(): Record<string, unknown>[] {
    return this.jobRecords().map((job) => {
      const { signature: _secret, manifest: _m, ...rest } = job;
      return { ...rest, creationDate: new Date(job.createdAt).toISOString() };
    });
  }

  /** Every job of every account, brought up to date, newest first (admin views; callers must not mutate them). */
  jobRecords(): JobRecord[] {
    const out: JobRecord[] = [];
    for (const jobs of this.byAccount.values()) {
      for (const job of jobs.values()) {
        this.refresh(job);
        out.push(job);
      }
    }
    return out.sort((a, b) => b.sequence - a.sequence);
  }

  /** How many jobs exist, across accounts, as stored: nothing is brought up to date, so nothing is written. */
  jobCount(): number {
    return this.allIds.size;
  }

  /** A job by id regardless of account (admin only). */
  findJob(jobId: string): JobRecord | undefined {
    const id = jobId.toUpperCase();
    for (const jobs of this.byAccount.values()) {
      const job = jobs.get(id);
      if (job !== undefined) return job;
    }
    return undefined;
  }

  /** Admin `advance`: next lifecycle step (empty change) or an explicit state. Throws LifecycleError. */
  advance(jobId: string, change: StateChange): JobRecord {
    const job = this.findJob(jobId);
    if (job === undefined) throw new LifecycleError(`No job ${jobId}.`);
    this.refresh(job);
    const now = this.options.now();
    if (Object.keys(change).length === 0) advanceOneStep(job, now);
    else setState(job, change, now);
    this.options.store.put(job);
    return job;
  }

  /** Forgets every job (admin `reset`). */
  reset(): void {
    this.options.store.clear();
    this.byAccount.clear();
    this.listOrder.clear();
    this.allIds.clear();
    this.sequence = 0;
  }
}

/** Whether `a` lists before `b` in creation order: older first, the creation sequence breaking ties. */
function olderThan(a: JobRecord, b: JobRecord): boolean {
  return a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.sequence < b.sequence);
}

/** The index of `job` in an oldest-first list (binary search), or where it would go. */
function listOrderIndex(list: readonly JobRecord[], job: JobRecord): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = list[mid];
    if (at !== undefined && olderThan(at, job)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts a job into an oldest-first list; a new job goes at the end, so this is an append but for a clock set back. */
function insertInListOrder(list: JobRecord[], job: JobRecord): void {
  const last = list[list.length - 1];
  if (last === undefined || olderThan(last, job)) list.push(job);
  else list.splice(listOrderIndex(list, job), 0, job);
}

/**
 * `APIVersion` is the client tool's version ([gap] §8.8: valid values unknown). Accept any dotted version number
 * (e.g. "2.0", "1.4.3"); anything else is `InvalidVersionException`.
 */
function checkApiVersion(v: string | undefined): void {
  if (v !== undefined && !/^\d{1,4}(\.\d{1,4}){0,3}$/.test(v)) {
    throw serviceError("InvalidVersionException", "APIVersion must be a dotted version number such as 2.0.");
  }
}

function applyLogTarget(job: JobRecord, check: ManifestCheck): void {
  // S3 imports log to the import bucket when no logBucket is given (spec §5.2).
  const logBucket = check.logBucket ?? check.bucket;
  if (logBucket !== undefined) job.manifestLogBucket = logBucket;
  else delete job.manifestLogBucket;
  if (check.logPrefix !== undefined) job.manifestLogPrefix = check.logPrefix;
  else delete job.manifestLogPrefix;
}

/** Non-fatal notes, like the service's (a bucket name that is not DNS-compatible). */
function warnings(check: ManifestCheck): string | undefined {
  const bad = check.buckets.filter(({ bucket }) => !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)).map(({ bucket }) => bucket);
  return bad.length > 0 ? `Bucket name(s) not DNS-compatible: ${bad.join(", ")}.` : undefined;
}
