import { parseScheduleTime } from "../../sdk/iot/validate";
import type { IotJobExecutionStatusCode } from "../../sdk/iot/model";
import { TERMINAL_EXECUTION, type IotJobRecord, type JobExecutionRecord } from "./records";

/** The emulator's own reasonCode when abortConfig cancels a job (the service's value is not documented: a choice). */
export const ABORT_REASON_CODE = "ABORT_CRITERIA_MET";

/** `jobProcessDetails` counts, by execution status. */
export function processDetails(job: IotJobRecord): Record<string, unknown> {
  const count = (status: IotJobExecutionStatusCode): number => job.executions.filter((e) => e.status === status).length;
  return {
    ...(job.status === "IN_PROGRESS" ? { processingTargets: [...job.targets] } : {}),
    numberOfCanceledThings: count("CANCELED"),
    numberOfSucceededThings: count("SUCCEEDED"),
    numberOfFailedThings: count("FAILED"),
    numberOfRejectedThings: count("REJECTED"),
    numberOfQueuedThings: count("QUEUED"),
    numberOfInProgressThings: count("IN_PROGRESS"),
    numberOfRemovedThings: count("REMOVED"),
    numberOfTimedOutThings: count("TIMED_OUT"),
  };
}

/** Queues an execution for a thing (no-op if it has one already). */
export function queueExecution(job: IotJobRecord, thingName: string, thingArn: string, now: number): void {
  if (job.executions.some((e) => e.thingName === thingName)) return;
  job.executions.push({ thingName, thingArn, status: "QUEUED", executionNumber: 1, queuedAt: now, lastUpdatedAt: now });
}

/** Moves one execution, stamping its times; the timeout in force when it starts is frozen into it. */
export function setExecutionStatus(job: IotJobRecord, execution: JobExecutionRecord, status: IotJobExecutionStatusCode, now: number): void {
  if (execution.startedAt === undefined && status !== "QUEUED" && status !== "CANCELED" && status !== "REMOVED") {
    execution.startedAt = now;
    const timeout = (job.spec["timeoutConfig"] as { inProgressTimeoutInMinutes?: number } | undefined)?.inProgressTimeoutInMinutes;
    if (timeout !== undefined) execution.timeoutMinutes = timeout;
  }
  execution.status = status;
  execution.lastUpdatedAt = now;
  job.lastUpdatedAt = now;
}

/**
 * Cancels a job: QUEUED executions become CANCELED; with `force` IN_PROGRESS ones too (their devices can no longer
 * report). Terminal executions are left alone.
 */
export function cancel(job: IotJobRecord, force: boolean, now: number, reasonCode?: string, comment?: string): void {
  job.status = "CANCELED";
  job.forceCanceled = force || job.forceCanceled === true;
  if (reasonCode !== undefined) job.reasonCode = reasonCode;
  if (comment !== undefined) job.comment = comment;
  for (const e of job.executions) {
    if (e.status === "QUEUED" || (force && e.status === "IN_PROGRESS")) setExecutionStatus(job, e, "CANCELED", now);
  }
  job.lastUpdatedAt = now;
  job.completedAt = now;
}

interface AbortCriteria {
  failureType: "FAILED" | "REJECTED" | "TIMED_OUT" | "ALL";
  thresholdPercentage: number;
  minNumberOfExecutedThings: number;
}

/** The first abortConfig criterion the executions meet, described for the job's comment. */
function abortReason(job: IotJobRecord): string | undefined {
  const criteria = (job.spec["abortConfig"] as { criteriaList?: AbortCriteria[] } | undefined)?.criteriaList ?? [];
  const executed = job.executions.filter((e) => e.status !== "QUEUED" && e.status !== "IN_PROGRESS" && e.status !== "CANCELED" && e.status !== "REMOVED");
  for (const c of criteria) {
    if (executed.length < c.minNumberOfExecutedThings) continue;
    const failed = executed.filter((e) => (c.failureType === "ALL" ? e.status === "FAILED" || e.status === "REJECTED" || e.status === "TIMED_OUT" : e.status === c.failureType)).length;
    if ((failed * 100) / executed.length >= c.thresholdPercentage) {
      return `Job canceled by abortConfig: ${failed} of ${executed.length} executed things ${c.failureType === "ALL" ? "failed, were rejected or timed out" : c.failureType} (threshold ${c.thresholdPercentage}%).`;
    }
  }
  return undefined;
}

/**
 * Brings a job up to `now`: a due SCHEDULED job starts (queueing an execution per target thing, from
 * `resolveTargets`), in-progress executions past their timeout time out, abort criteria cancel, and a SNAPSHOT job
 * whose executions are all terminal completes (a CONTINUOUS one only after its endTime). Returns true if anything
 * changed, so the caller persists it. Each step below changes the job whenever it runs (a status always moves), so
 * the steps themselves say whether anything changed: comparing the whole job before and after (two JSON copies of
 * every execution, on every access of every job) would cost more than the catch-up.
 */
export function catchUp(job: IotJobRecord, now: number, resolveTargets: () => { thingName: string; thingArn: string }[]): boolean {
  let changed = false;
  const scheduling = job.spec["schedulingConfig"] as { startTime?: string; endTime?: string; endBehavior?: string } | undefined;
  if (job.status === "SCHEDULED") {
    const start = scheduling?.startTime !== undefined ? parseScheduleTime(scheduling.startTime) : undefined;
    if (start === undefined || start <= now) {
      start_(job, start ?? now, resolveTargets);
      changed = true;
    }
  }
  for (const e of job.executions) {
    if (e.status === "IN_PROGRESS" && e.timeoutMinutes !== undefined && e.startedAt !== undefined) {
      const due = e.startedAt + e.timeoutMinutes * 60_000;
      if (due <= now) {
        setExecutionStatus(job, e, "TIMED_OUT", due);
        changed = true;
      }
    }
  }
  if (job.status === "IN_PROGRESS") {
    const reason = abortReason(job);
    const end = scheduling?.endTime !== undefined ? parseScheduleTime(scheduling.endTime) : undefined;
    if (reason !== undefined) {
      cancel(job, false, now, ABORT_REASON_CODE, reason);
      changed = true;
    } else if (end !== undefined && end <= now && (scheduling?.endBehavior === "CANCEL" || scheduling?.endBehavior === "FORCE_CANCEL")) {
      cancel(job, scheduling.endBehavior === "FORCE_CANCEL", end, "SCHEDULE_END", `Job canceled at its schedulingConfig.endTime (${scheduling.endBehavior}).`);
      changed = true;
    } else if (job.executions.every((e) => TERMINAL_EXECUTION.has(e.status)) && (job.targetSelection === "SNAPSHOT" || (end !== undefined && end <= now))) {
      job.status = "COMPLETED";
      job.completedAt = now;
      job.lastUpdatedAt = now;
      changed = true;
    }
  }
  return changed;
}

function start_(job: IotJobRecord, at: number, resolveTargets: () => { thingName: string; thingArn: string }[]): void {
  job.status = "IN_PROGRESS";
  job.lastUpdatedAt = at;
  for (const t of resolveTargets()) queueExecution(job, t.thingName, t.thingArn, at);
}

/** Starts a job now (creation without a schedule). */
export function startJob(job: IotJobRecord, now: number, resolveTargets: () => { thingName: string; thingArn: string }[]): void {
  start_(job, now, resolveTargets);
}

/**
 * The earliest emulator time at which {@link catchUp} could change the job, so a caller can leave it alone until
 * then (Infinity: only a request can change it). A DELETION_IN_PROGRESS job is the caller's (catchUp leaves it).
 * `caughtUpAt`: the job was just caught up at that time, so only later times count; without it the job may hold a
 * state catchUp acts on at once (a replayed line, a change made without a catch-up), which counts as -Infinity.
 * Kept next to catchUp: each time it reads here has its term.
 */
export function nextChange(job: IotJobRecord, caughtUpAt?: number): number {
  const times: number[] = [];
  const scheduling = job.spec["schedulingConfig"] as { startTime?: string; endTime?: string } | undefined;
  if (job.status === "SCHEDULED") {
    const start = scheduling?.startTime !== undefined ? parseScheduleTime(scheduling.startTime) : undefined;
    times.push(start ?? -Infinity);
  }
  for (const e of job.executions) {
    if (e.status === "IN_PROGRESS" && e.timeoutMinutes !== undefined && e.startedAt !== undefined) times.push(e.startedAt + e.timeoutMinutes * 60_000);
  }
  if (job.status === "IN_PROGRESS") {
    const end = scheduling?.endTime !== undefined ? parseScheduleTime(scheduling.endTime) : undefined;
    if (end !== undefined) times.push(end);
    if (caughtUpAt === undefined && (abortReason(job) !== undefined || (job.targetSelection === "SNAPSHOT" && job.executions.every((e) => TERMINAL_EXECUTION.has(e.status))))) {
      times.push(-Infinity);
    }
  }
  let next = Infinity;
  for (const t of times) if ((caughtUpAt === undefined || t > caughtUpAt) && t < next) next = t;
  return next;
}
