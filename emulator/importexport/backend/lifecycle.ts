import { randomInt } from "node:crypto";
import { locationCodes, progressCodes, type LocationCode, type ProgressCode } from "../../../sdk/model";
import { recordTransition, type JobRecord, type TransitionCause } from "./job";

/** A job with no device this long after CreateJob expires (DG `createanimportjob.html`). */
export const EXPIRY_MS = 30 * 24 * 60 * 60 * 1000;

/** Progress codes that end the transfer (success or abort). */
export const TERMINAL_PROGRESS: ReadonlySet<ProgressCode> = new Set(
  progressCodes.filter((c) => c !== "Pending" && c !== "InProgress"),
);

/** ProgressCodes that end a job after the device arrived (success, success with errors, aborts). */
const AFTER_TRANSFER: ReadonlySet<ProgressCode> = new Set(
  progressCodes.filter((c) => c !== "Pending" && c !== "InProgress" && c !== "Canceled" && c !== "Expired"),
);

/** Whether `job` is expired at `now`: still Pending with no device 30 days after creation. */
export function isExpiredAt(job: JobRecord, now: number): boolean {
  return job.progressCode === "Expired" || (job.progressCode === "Pending" && job.locationCode === "NotReceived" && !job.isCanceled && now - job.createdAt >= EXPIRY_MS);
}

/** Sets LogBucket/LogKey/ErrorCount as the transfer ends (`<logPrefix>import-log-<JOBID>`, spec §4.1). */
function finishTransfer(job: JobRecord, errorCount: number): void {
  const logBucket = job.manifestLogBucket ?? job.logBucket;
  if (logBucket !== undefined) job.logBucket = logBucket;
  if (job.logBucket !== undefined) job.logKey = `${job.manifestLogPrefix ?? ""}${job.jobType.toLowerCase()}-log-${job.jobId}`;
  job.errorCount = errorCount;
}

function ship(job: JobRecord): void {
  job.locationCode = "Returned";
  job.carrier ??= "UPS";
  job.trackingNumber ??= `1Z${Array.from({ length: 16 }, () => "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"[randomInt(33)]).join("")}`;
}

/** Why a job cannot move. */
export class LifecycleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LifecycleError";
  }
}

/**
 * Moves `job` one step along the default path:
 * (NotReceived, Pending) → (AtAWS, Pending) → (AtAWS, InProgress) → (AtAWS, Complete) → (Returned, Complete).
 */
export function advanceOneStep(job: JobRecord, at: number, cause: TransitionCause = "admin"): void {
  if (job.isCanceled || job.progressCode === "Canceled") throw new LifecycleError(`Job ${job.jobId} is canceled; it has no next step.`);
  if (job.progressCode === "Expired") throw new LifecycleError(`Job ${job.jobId} is expired; it has no next step.`);
  if (job.locationCode === "NotReceived") job.locationCode = "AtAWS";
  else if (job.progressCode === "Pending") job.progressCode = "InProgress";
  else if (job.progressCode === "InProgress") {
    job.progressCode = "Complete";
    finishTransfer(job, 0);
  } else if (job.locationCode === "AtAWS") ship(job);
  else throw new LifecycleError(`Job ${job.jobId} is already ${job.locationCode}/${job.progressCode}; it has no next step.`);
  job.transitionedAt = at;
  recordTransition(job, at, cause);
}

/** An explicit target state for the admin API. */
export interface StateChange {
  progressCode?: string;
  locationCode?: string;
  errorCount?: number;
  carrier?: string;
  trackingNumber?: string;
}

/** Puts `job` into an explicit state (admin API), filling the fields the spec says go with it. */
export function setState(job: JobRecord, change: StateChange, at: number): void {
  if (change.progressCode !== undefined && !(progressCodes as readonly string[]).includes(change.progressCode)) {
    throw new LifecycleError(`progressCode must be one of ${progressCodes.join(", ")}.`);
  }
  if (change.locationCode !== undefined && !(locationCodes as readonly string[]).includes(change.locationCode)) {
    throw new LifecycleError(`locationCode must be one of ${locationCodes.join(", ")}.`);
  }
  if (change.errorCount !== undefined && (!Number.isInteger(change.errorCount) || change.errorCount < 0)) {
    throw new LifecycleError("errorCount must be a non-negative integer.");
  }
  if (change.carrier !== undefined) job.carrier = change.carrier;
  if (change.trackingNumber !== undefined) job.trackingNumber = change.trackingNumber;
  if (change.locationCode !== undefined) {
    job.locationCode = change.locationCode as LocationCode;
    if (job.locationCode === "Returned") ship(job);
  }
  if (change.progressCode !== undefined) {
    const code = change.progressCode as ProgressCode;
    job.progressCode = code;
    if (code === "Canceled") job.isCanceled = true;
    if (AFTER_TRANSFER.has(code)) {
      finishTransfer(job, change.errorCount ?? (code === "SuccessWithErrors" ? Math.max(job.errorCount, 1) : 0));
      if (job.locationCode === "NotReceived") job.locationCode = "AtAWS";
    }
  } else if (change.errorCount !== undefined) {
    job.errorCount = change.errorCount;
  }
  job.transitionedAt = at;
  recordTransition(job, at, "admin");
}

/**
 * Time-based progression (`--advance-after`): applies every step whose time has come by `now`, each
 * `advanceAfterMs` after the previous transition. Returns whether anything changed. Expiry wins if it comes first.
 */
export function catchUp(job: JobRecord, now: number, advanceAfterMs: number | undefined): boolean {
  let changed = false;
  if (advanceAfterMs !== undefined && advanceAfterMs > 0) {
    while (!job.isCanceled && !(job.locationCode === "Returned") && job.progressCode !== "Expired") {
      const due = job.transitionedAt + advanceAfterMs;
      if (due > now) break;
      if (job.locationCode === "NotReceived" && due - job.createdAt >= EXPIRY_MS) break;
      advanceOneStep(job, due, "time");
      changed = true;
    }
  }
  if (job.progressCode !== "Expired" && isExpiredAt(job, now)) {
    job.progressCode = "Expired";
    job.transitionedAt = job.createdAt + EXPIRY_MS;
    recordTransition(job, job.transitionedAt, "expiry");
    changed = true;
  }
  return changed;
}
