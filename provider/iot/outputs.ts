/**
 * What an IotJob's state holds besides its inputs: DescribeJob's read-only fields and where the job lives, under
 * `job` (one registered output, ../core/grouped-outputs). Pure mapping, no I/O.
 */
import type { DescribeJobCommandOutput } from "@aws-sdk/client-iot";
import { outputMembers, type MembersMatch } from "../core/definition";
import { priorGroup } from "../core/grouped-outputs";
import { iotJobDefinition } from "./definition";

/** A job as DescribeJob reports it. */
export type Job = NonNullable<DescribeJobCommandOutput["job"]>;

/** What DescribeJob reports about the job and where it lives: the `job` output of an IotJob. */
export interface IotJobStatus {
  /** `arn:aws:iot:<region>:<account>:job/<jobId>`. */
  readonly jobArn: string;
  /** `SCHEDULED`, `IN_PROGRESS`, `COMPLETED`, `CANCELED` or `DELETION_IN_PROGRESS`. */
  readonly status: string;
  /** Whether a cancel used force. */
  readonly forceCanceled?: boolean;
  /** Why the job was cancelled (e.g. the abort criteria). */
  readonly reasonCode?: string;
  /** The cancel comment. */
  readonly comment?: string;
  /** When the job was created (ISO 8601). */
  readonly createdAt?: string;
  /** When the job last changed (ISO 8601). */
  readonly lastUpdatedAt?: string;
  /** When the job finished (ISO 8601). */
  readonly completedAt?: string;
  /** Execution counts (`numberOfSucceededThings`, `numberOfInProgressThings`, …). */
  readonly jobProcessDetails: Record<string, number>;
  /** The endpoint the job lives at. */
  readonly endpoint: string;
  /** The job's region. */
  readonly region: string;
  /**
   * The access key ID the job was last created, updated or refreshed with (not a secret): an unchanged preview tells
   * from it, without a call, that the credentials are still the job's account's. Kept in `job` only (no output of its own).
   */
  readonly accessKeyId?: string;
}

// The interface above is written out for its doc comments; it must name exactly the definition's `job` outputs.
const jobMatches: MembersMatch<IotJobStatus, typeof iotJobDefinition.outputs, "job"> = true;
void jobMatches;

/** The members of {@link IotJobStatus} that are also outputs of the resource (all but `accessKeyId`). */
export const IOT_JOB_MEMBERS = outputMembers(iotJobDefinition.outputs, "job", true);

/** Where a job lives, and the access key it was last written with (the fast path of the account check). */
export interface Where {
  endpoint: string;
  region: string;
  accessKeyId?: string;
}

const iso = (d: Date | undefined): string | undefined => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);

/** The job's process counts as stored (plain numbers, no processingTargets list). */
function counts(job: Job): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(job.jobProcessDetails ?? {})) if (typeof v === "number") out[k] = v;
  return out;
}

/**
 * Inputs + DescribeJob's read-only fields and where the job lives, under `job` (one registered output, see
 * ./grouped-outputs): the state of one IotJob.
 */
export function jobState(inputs: Record<string, unknown>, job: Job, where: Where): Record<string, unknown> {
  const out: Record<string, unknown> = { jobArn: job.jobArn, status: job.status, jobProcessDetails: counts(job), ...where };
  const optional: Record<string, unknown> = {
    forceCanceled: job.forceCanceled,
    reasonCode: job.reasonCode,
    comment: job.comment,
    createdAt: iso(job.createdAt),
    lastUpdatedAt: iso(job.lastUpdatedAt),
    completedAt: iso(job.completedAt),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) out[k] = v;
  return { ...inputs, job: out };
}

/** Where a prior state's job lives (its `job`, or the top level of a state written before outputs were grouped). */
export function recordedWhere(state: Record<string, unknown>, where: () => { endpoint: string; region: string }): { endpoint: string; region: string } {
  const prior = priorGroup(state, "job");
  return typeof prior["endpoint"] === "string" ? { endpoint: prior["endpoint"], region: String(prior["region"] ?? where().region) } : where();
}

