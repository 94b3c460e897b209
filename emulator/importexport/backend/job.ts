import { createHmac, randomInt } from "node:crypto";
import { locationCodes, progressCodes, type LocationCode, type ProgressCode } from "../../../sdk/model";
import { isTime } from "../../core/journal";
import type { JournalSpec, RecordStore } from "../../core/store";

/** Alphabet of JobIds: digits 1-9 and A-Z without O (spec §5.10), 34 characters. */
export const JOB_ID_ALPHABET = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ";
/** A well-formed JobId (the service compares them case-insensitively). */
export const JOB_ID_PATTERN = /^[1-9A-NP-Z]{5}$/;

/** A job as the emulator stores it (one per CreateJob; also the persisted record). */
export interface JobRecord {
  jobId: string;
  accountId: string;
  jobType: "Import" | "Export";
  /** The last manifest submitted (CurrentManifest). */
  manifest: string;
  manifestAddendum?: string;
  /** Epoch ms. */
  createdAt: number;
  /** Creation order, breaks ties between jobs created in the same millisecond (ListJobs is newest first). */
  sequence: number;
  locationCode: LocationCode;
  progressCode: ProgressCode;
  /** Epoch ms of the last lifecycle transition (time-based progression counts from here). */
  transitionedAt: number;
  isCanceled: boolean;
  carrier?: string;
  trackingNumber?: string;
  logBucket?: string;
  logKey?: string;
  errorCount: number;
  signature: string;
  /** Log bucket and prefix from the manifest, for LogBucket/LogKey once the transfer has run. */
  manifestLogBucket?: string;
  manifestLogPrefix?: string;
  /** Region of the manifest's buckets (picks the AWS shipping address). */
  region: string;
  /** State after each transition, oldest first (at most MAX_HISTORY; absent in journals written before it existed). */
  history?: JobTransition[];
}

/** What moved a job: an API call, the admin API, time-based progression, or expiry. */
export type TransitionCause = "CreateJob" | "UpdateJob" | "CancelJob" | "admin" | "time" | "expiry";

/** One entry of a job's history (the dashboard shows them). */
export interface JobTransition {
  /** Epoch ms (emulator clock). */
  at: number;
  cause: TransitionCause;
  locationCode: LocationCode;
  progressCode: ProgressCode;
}

/** Entries kept per job: enough for any real lifecycle, bounded against a script that advances in a loop. */
export const MAX_HISTORY = 50;

/** Appends the job's current state to its history, dropping the oldest entries beyond MAX_HISTORY. */
export function recordTransition(job: JobRecord, at: number, cause: TransitionCause): void {
  const history = job.history ?? [];
  history.push({ at, cause, locationCode: job.locationCode, progressCode: job.progressCode });
  if (history.length > MAX_HISTORY) history.splice(0, history.length - MAX_HISTORY);
  job.history = history;
}

/** A fresh random JobId that `taken` does not contain. */
export function newJobId(taken: (id: string) => boolean): string {
  for (;;) {
    let id = "";
    for (let i = 0; i < 5; i++) id += JOB_ID_ALPHABET[randomInt(JOB_ID_ALPHABET.length)];
    if (!taken(id)) return id;
  }
}

/**
 * The job's SIGNATURE value. The 2010 API does not document it ([gap] §8.12); we reuse the documented 2009
 * algorithm: base64(HMAC-SHA1(secret key of the owning account, jobId + "\n" + manifest with CRLF→LF)), computed
 * once at CreateJob (a device already prepared with the SIGNATURE file stays valid across UpdateJob).
 */
export function jobSignature(secretAccessKey: string, jobId: string, manifest: string): string {
  return createHmac("sha1", secretAccessKey).update(`${jobId}\n${manifest.replace(/\r\n/g, "\n")}`, "utf8").digest("base64");
}

/** The SIGNATURE file text (4 lines, trailing newline), as CreateJob and GetStatus return it. */
export function signatureFileContents(jobId: string, signature: string): string {
  return `version:2.0\nsigningMethod:HmacSHA1\njobId:${jobId}\nsignature:${signature}\n`;
}

/** Where to ship the device (DG sample address for US regions; the EU facility for eu-west-1). */
export function awsShippingAddress(jobId: string, region: string): string {
  if (region === "eu-west-1") {
    return `AWS Import/Export\nJOBID ${jobId}\nUnit 4033 Citywest Business Campus\nDublin 24, Ireland`;
  }
  return `AWS Import/Export\nJOBID ${jobId}\n2646 Rainier Ave South Suite 1060\nSeattle, WA 98144`;
}

/** Human text for a LocationCode (DG "Device Location Status Codes", paraphrased). */
export function locationMessage(job: Pick<JobRecord, "locationCode" | "carrier" | "trackingNumber">): string {
  switch (job.locationCode) {
    case "NotReceived":
      return "AWS has not received your device.";
    case "AtAWS":
      return "Your device is at AWS.";
    case "Returned":
      return `Your device has been returned. The ${job.carrier ?? "UPS"} tracking number is ${job.trackingNumber ?? "unknown"}.`;
  }
}

/** Human text for a ProgressCode (DG "Job Progress Status Codes", paraphrased). */
export function progressMessage(job: Pick<JobRecord, "progressCode" | "logBucket" | "logKey" | "errorCount">): string {
  const log = `${job.logKey ?? "the log"} in ${job.logBucket ?? "your log bucket"}`;
  switch (job.progressCode) {
    case "Pending": return "The specified job has not started.";
    case "InProgress": return "The data transfer is in progress.";
    case "Complete": return `The data was loaded successfully. The log was saved to ${log}.`;
    case "SuccessWithErrors": return `The load finished with ${job.errorCount} error(s). See ${log}.`;
    case "Canceled": return "The specified job was canceled.";
    case "Expired": return "The specified job has expired.";
    case "DeviceError": return "The job was aborted: the device did not work.";
    case "InvalidSignature": return "The job was aborted: the SIGNATURE file on the device is invalid.";
    case "MissingSignature": return "The job was aborted: the SIGNATURE file is missing from the device.";
    case "MissingDevice": return "The job was aborted: the device, its power supply or connectors were missing.";
    case "UnsupportedDeviceType": return "The job was aborted: the device type is not supported.";
    case "UnsupportedFileFormat": return "The job was aborted: the file system or file format is not supported.";
    case "UnsupportedPowerSupply": return "The job was aborted: the power supply does not fit the region.";
  }
}

/** Where acknowledged jobs live. `put` returns only once the record is durable (the server replies after it). */
export type JobStore = RecordStore<JobRecord>;

/** Why `job` is not a whole job record, or undefined when it is one (a record the backend can serve). */
export function jobRecordProblem(job: unknown): string | undefined {
  if (job === null || typeof job !== "object" || Array.isArray(job)) return "the record has no job object";
  const j = job as Record<string, unknown>;
  if (typeof j["jobId"] !== "string" || !JOB_ID_PATTERN.test(j["jobId"])) return "the job has no valid jobId";
  for (const key of ["accountId", "manifest", "signature", "region"]) {
    if (typeof j[key] !== "string") return `job ${j["jobId"]} has no ${key}`;
  }
  if (j["jobType"] !== "Import" && j["jobType"] !== "Export") return `job ${j["jobId"]} has no valid jobType`;
  for (const key of ["createdAt", "transitionedAt"]) {
    if (!isTime(j[key])) return `job ${j["jobId"]} has no valid ${key} (epoch ms up to year 9999)`;
  }
  for (const key of ["sequence", "errorCount"]) {
    const n = j[key];
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) return `job ${j["jobId"]} has no valid ${key}`;
  }
  if (!(locationCodes as readonly unknown[]).includes(j["locationCode"])) return `job ${j["jobId"]} has no valid locationCode`;
  if (!(progressCodes as readonly unknown[]).includes(j["progressCode"])) return `job ${j["jobId"]} has no valid progressCode`;
  if (typeof j["isCanceled"] !== "boolean") return `job ${j["jobId"]} has no valid isCanceled`;
  for (const key of ["manifestAddendum", "carrier", "trackingNumber", "logBucket", "logKey", "manifestLogBucket", "manifestLogPrefix"]) {
    if (j[key] !== undefined && typeof j[key] !== "string") return `job ${j["jobId"]} has a ${key} that is not text`;
  }
  return undefined;
}

/** The Import/Export job journal (`jobs.journal` in the data dir; format unchanged: `{"v":1,"op":"put","job":{…}}`), keyed by JobId. */
export const JOB_JOURNAL: JournalSpec<JobRecord> = { file: "jobs.journal", field: "job", keyOf: (job) => job.jobId, problem: jobRecordProblem };
