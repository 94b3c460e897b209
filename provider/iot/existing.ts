/**
 * An IoT job the stack does not hold yet (`pulumi import`, the `import` resource option, `get`): its inputs as the
 * service reports them, so that a program declaring the same job previews no change. Pure mapping, no I/O.
 *
 * The engine sends such a Read nothing but the ID, so every input comes from the service: DescribeJob's members,
 * the document (GetJobDocument before substitution, or DescribeJob's documentSource) and the tags
 * (ListTagsForResource). The provider's own inputs (forceCancel, forceDelete, the auto-naming keys) are not the
 * service's and stay unset: the jobId is the job's own, as a program that imports a job declares it.
 */
import { iotJobPolicy as policy } from "./definition";
import type { Job } from "./outputs";

/** What the service reports about a job besides DescribeJob's `job`. */
export interface ExistingJob {
  readonly job: Job;
  /** DescribeJob's `documentSource` (a member of the answer, not of `job`). */
  readonly documentSource?: string;
  /** GetJobDocument with beforeSubstitution (the document as CreateJob got it), when the job has one of its own. */
  readonly document?: string;
  /** ListTagsForResource, as a map. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The inputs the service keeps (CreateJob's members): every field of the table but the provider's own. */
const SERVICE_INPUTS = Object.keys(policy.fields).filter((f) => policy.fields[f]?.kind !== "state-only");

/** Values the service reports for a job whose CreateJob left them out; an input written so is left out as well. */
const SERVICE_DEFAULTS: Readonly<Record<string, unknown>> = { targetSelection: "SNAPSHOT" };

/** A service value as plain JSON (the SDK's objects, without undefined members), or undefined when absent. */
export function plain(value: unknown): unknown {
  return value === undefined || value === null ? undefined : JSON.parse(JSON.stringify(value));
}

/** An empty list or object: what a service may answer for a member never set. */
function empty(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : typeof value === "object" && value !== null && Object.keys(value).length === 0;
}

/**
 * The inputs of the job `id` as the service has them. A service default (targetSelection SNAPSHOT) is left out, as
 * a program that never wrote it leaves it out; an empty list or map counts as unset.
 */
export function inputsOfExistingJob(id: string, found: ExistingJob): Record<string, unknown> {
  const reported: Record<string, unknown> = { ...(found.job as Record<string, unknown>), jobId: id, tags: found.tags };
  if (found.document !== undefined) reported["document"] = found.document;
  if (found.documentSource !== undefined) reported["documentSource"] = found.documentSource;
  const inputs: Record<string, unknown> = {};
  for (const field of SERVICE_INPUTS) {
    const value = plain(reported[field]);
    if (value === undefined || empty(value) || value === SERVICE_DEFAULTS[field]) continue;
    inputs[field] = value;
  }
  return inputs;
}
