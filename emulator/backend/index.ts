import { operations, type OperationName } from "../../sdk/model";
import type { Caller } from "../auth";
import type { JobStore } from "../persistence";
import { checkManifest, type ManifestCheck } from "../validation";
import { ServiceError, serviceError } from "../wire/errors";
import { parseBoolean, parseInteger, parseList, printable, type QueryParams } from "../wire/query";
import type { Account, AccountDirectory } from "./accounts";
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

/** Output members of an operation, by wire name. */
export type Output = Record<string, unknown>;

/**
 * Accounts, jobs and the service's rules (moto's "backend"). State is keyed by account: a job is only visible
 * to the account that created it; another account's JobId is indistinguishable from a missing one.
 */
export class ImportExportBackend {
  private readonly options: BackendOptions;
  /** accountId → JobId → job. */
  private readonly byAccount = new Map<string, Map<string, JobRecord>>();
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
    jobs.set(job.jobId, job);
    this.allIds.add(job.jobId);
    this.sequence = Math.max(this.sequence, job.sequence);
  }

  /** Runs one Import/Export operation for an authenticated caller. */
  handle(operation: OperationName, params: QueryParams, caller: Caller): Output {
    this.requireMembers(operation, params);
    checkApiVersion(params);
    switch (operation) {
      case "CreateJob": return this.createJob(params, caller);
      case "UpdateJob": return this.updateJob(params, caller);
      case "CancelJob": return this.cancelJob(params, caller);
      case "GetStatus": return this.getStatus(params, caller);
      case "ListJobs": return this.listJobs(params, caller);
      case "GetShippingLabel": return this.getShippingLabel(params, caller);
    }
  }

  /**
   * Required members from the model. `ValidateOnly` is required by the SDK models but the service tolerated its
   * absence (spec §3.1, net:integ), so the emulator defaults it to false.
   */
  private requireMembers(operation: OperationName, params: QueryParams): void {
    for (const [name, member] of Object.entries(operations[operation].input)) {
      if (!member.required || name === "ValidateOnly") continue;
      const present = member.shape.kind === "list" ? parseList(params, name) !== undefined : (params.get(name) ?? "") !== "";
      if (!present) throw serviceError("MissingParameterException", `Missing parameter: ${name}.`);
    }
  }

  private validateOnly(params: QueryParams): boolean {
    return parseBoolean(params, "ValidateOnly") ?? false;
  }

  /** Validates a manifest for a job type against the shared rules plus the state only the emulator has. */
  private checkManifestFor(manifest: string, jobType: "Import" | "Export", caller: Caller): { check: ManifestCheck; region: string } {
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

  private createJob(params: QueryParams, caller: Caller): Output {
    const jobType = parseJobType(params);
    const manifest = params.get("Manifest") ?? "";
    const validateOnly = this.validateOnly(params);
    const { check, region } = this.checkManifestFor(manifest, jobType, caller);
    this.checkQuota(caller.account.accountId);
    if (validateOnly) {
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
    const addendum = params.get("ManifestAddendum");
    if (addendum !== undefined && addendum !== "") job.manifestAddendum = addendum;
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
  private ownJob(jobIdParam: string | undefined, caller: Account): JobRecord {
    const jobId = (jobIdParam ?? "").toUpperCase();
    const job = JOB_ID_PATTERN.test(jobId) ? this.byAccount.get(caller.accountId)?.get(jobId) : undefined;
    if (job === undefined) throw serviceError("InvalidJobIdException", `No job ${printable(jobIdParam ?? "")} in this account.`);
    this.refresh(job);
    return job;
  }

  /** Applies expiry and time-based progression, persisting any change. */
  private refresh(job: JobRecord): void {
    if (catchUp(job, this.options.now(), this.options.advanceAfterMs)) this.options.store.put(job);
  }

  /** A job that is neither canceled nor expired (the common precondition of every job operation). */
  private liveJob(jobIdParam: string | undefined, caller: Account): JobRecord {
    const job = this.ownJob(jobIdParam, caller);
    if (job.isCanceled) throw serviceError("CanceledJobIdException", `Job ${job.jobId} was canceled.`);
    if (job.progressCode === "Expired") throw serviceError("ExpiredJobIdException", `Job ${job.jobId} expired: no device arrived within 30 days.`);
    return job;
  }

  private updateJob(params: QueryParams, caller: Caller): Output {
    const job = this.liveJob(params.get("JobId"), caller.account);
    const jobType = parseJobType(params);
    const manifest = params.get("Manifest") ?? "";
    const validateOnly = this.validateOnly(params);
    if (job.progressCode !== "Pending") {
      throw serviceError("UnableToUpdateJobIdException", `Job ${job.jobId} is ${job.progressCode}; a job can only be updated while its ProgressCode is Pending.`);
    }
    const { check, region } = this.checkManifestFor(manifest, jobType, caller);
    if (!validateOnly) {
      job.manifest = manifest;
      job.jobType = jobType;
      job.region = region;
      applyLogTarget(job, check);
      recordTransition(job, this.options.now(), "UpdateJob");
      this.options.store.put(job);
    }
    return { Success: true, WarningMessage: warnings(check), ArtifactList: this.artifacts(job) };
  }

  private cancelJob(params: QueryParams, caller: Caller): Output {
    const job = this.liveJob(params.get("JobId"), caller.account);
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

  private getStatus(params: QueryParams, caller: Caller): Output {
    const job = this.liveJob(params.get("JobId"), caller.account);
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
      CreationDate: job.createdAt,
      ArtifactList: this.artifacts(job),
      AwsShippingAddress: awsShippingAddress(job.jobId, job.region),
    };
  }

  private listJobs(params: QueryParams, caller: Caller): Output {
    const maxJobs = parseInteger(params, "MaxJobs");
    if (maxJobs !== undefined && (maxJobs < 0 || maxJobs > MAX_JOBS_LIMIT)) {
      throw serviceError("InvalidParameterException", `MaxJobs must be between 0 and ${MAX_JOBS_LIMIT}.`);
    }
    // [gap]: 0 (like absence) means the default page size, so a paginator can never spin on empty pages.
    const limit = maxJobs === undefined || maxJobs === 0 ? MAX_JOBS_LIMIT : maxJobs;
    const jobs = [...(this.byAccount.get(caller.account.accountId)?.values() ?? [])];
    for (const job of jobs) this.refresh(job);
    jobs.sort((a, b) => b.createdAt - a.createdAt || b.sequence - a.sequence);
    let start = 0;
    const marker = params.get("Marker");
    if (marker !== undefined && marker !== "") {
      const at = jobs.findIndex((j) => j.jobId === marker.toUpperCase());
      if (at < 0) throw serviceError("InvalidParameterException", `Marker ${printable(marker)} is not a job ID of this account.`);
      start = at + 1;
    }
    const page = jobs.slice(start, start + limit);
    return {
      Jobs: page.map((j) => ({ JobId: j.jobId, CreationDate: j.createdAt, IsCanceled: j.isCanceled, JobType: j.jobType })),
      IsTruncated: start + page.length < jobs.length,
    };
  }

  private getShippingLabel(params: QueryParams, caller: Caller): Output {
    const ids = parseList(params, "jobIds") ?? [];
    if (ids.length === 0) throw serviceError("MissingParameterException", "Missing parameter: jobIds (at least one JobId).");
    const jobs = ids.map((id) => this.liveJob(id, caller.account));
    const fields = ["name", "company", "phoneNumber", "country", "stateOrProvince", "city", "postalCode", "street1", "street2", "street3"];
    const given = fields.filter((f) => (params.get(f) ?? "") !== "");
    if (given.length > 0) {
      // [gap]: address fields describe the shipper; when any is given, the usual required set must be complete.
      const missing = ["name", "street1", "city", "postalCode", "country"].filter((f) => !given.includes(f));
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
    this.allIds.clear();
    this.sequence = 0;
  }
}

/** JobType member, case-insensitive (`aws importexport --job-type import` sends lower case). */
function parseJobType(params: QueryParams): "Import" | "Export" {
  const raw = (params.get("JobType") ?? "").toLowerCase();
  if (raw === "import") return "Import";
  if (raw === "export") return "Export";
  throw serviceError("InvalidParameterException", `JobType must be Import or Export.`);
}

/**
 * `APIVersion` is the client tool's version ([gap] §8.8: valid values unknown). Accept any dotted version number
 * (e.g. "2.0", "1.4.3"); anything else is `InvalidVersionException`.
 */
function checkApiVersion(params: QueryParams): void {
  const v = params.get("APIVersion");
  if (v !== undefined && v !== "" && !/^\d{1,4}(\.\d{1,4}){0,3}$/.test(v)) {
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
