/**
 * One create, one job: finding and cancelling the extra jobs a single create call made.
 *
 * The SDK retries a CreateJob answered with `ServiceUnavailable` or a throttling code, because such an answer says
 * "not processed". A service that created the job and answered that anyway (a proxy's 503, an overloaded front end)
 * then gets one job per attempt; a 500 after creating leaves one job behind an error. Every attempt of one create
 * carries the same create marker (./create-marker), so after a CreateJob that was retried or failed ambiguously
 * the provider lists the recent jobs, keeps exactly one of those carrying its marker and cancels the rest.
 */
import { ImportExportServiceException } from "../../sdk/errors";
import { parseManifest } from "../../sdk/manifest";
import type { JobClient } from "./client";

/** A job that carries this create's marker. */
export interface MarkedJob {
  jobId: string;
  /** The manifest the service holds for it (GetStatus `CurrentManifest`), marker included. */
  currentManifest: string;
}

/** What a scan found: the marked jobs, oldest first, and the recent jobs it could not read (one might be ours). */
export interface MarkedJobs {
  jobs: MarkedJob[];
  unread: string[];
}

/** Jobs created this long before the create's first send are not looked at (generous for clock skew). */
export const SCAN_WINDOW_MS = 5 * 60 * 1000;
/** Pages of ListJobs (100 jobs each) a scan reads at most, newest first. */
const SCAN_PAGES = 10;

/** Attempts the SDK made for an answer or an error (`$metadata.attempts`), 1 when it does not say. */
export function attemptsOf(answer: unknown): number {
  const a = (answer as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
  return typeof a === "number" ? a : 1;
}

/** Whether `manifest` (YAML text) names `marker` as its `generator`. A manifest that does not parse carries none. */
export function carriesMarker(manifest: string, marker: string): boolean {
  try {
    return parseManifest(manifest).generator === marker;
  } catch {
    return false;
  }
}

/**
 * Lists the account's live jobs of `jobType` created since `since` (minus {@link SCAN_WINDOW_MS}) and returns those
 * whose current manifest carries `marker`, oldest first. A job whose GetStatus fails with an error `isGone` accepts
 * (cancelled, expired, unknown) cannot be ours to keep; any other failure lists it as unread.
 */
export async function findMarkedJobs(
  client: Pick<JobClient, "listJobs" | "getStatus">,
  query: { marker: string; jobType: string; since: Date; isGone: (code: string) => boolean },
): Promise<MarkedJobs> {
  const oldest = query.since.getTime() - SCAN_WINDOW_MS;
  const recent: string[] = [];
  let pageMarker: string | undefined;
  scan: for (let page = 0; page < SCAN_PAGES; page++) {
    const r = await client.listJobs({ MaxJobs: 100, ...(pageMarker ? { Marker: pageMarker } : {}) });
    for (const j of r.Jobs) {
      if (!j.JobId) continue;
      if (j.CreationDate && j.CreationDate.getTime() < oldest) break scan; // newest first: the rest is older
      if (!j.IsCanceled && (j.JobType ?? query.jobType).toLowerCase() === query.jobType.toLowerCase()) recent.push(j.JobId);
    }
    const last = r.Jobs[r.Jobs.length - 1]?.JobId;
    if (!r.IsTruncated || !last) break;
    pageMarker = last;
  }
  const jobs: MarkedJob[] = [];
  const unread: string[] = [];
  for (const jobId of recent) {
    try {
      const s = await client.getStatus({ JobId: jobId });
      if (s.CurrentManifest !== undefined && carriesMarker(s.CurrentManifest, query.marker)) jobs.push({ jobId, currentManifest: s.CurrentManifest });
    } catch (e) {
      if (!(e instanceof ImportExportServiceException && query.isGone(e.name))) unread.push(jobId);
    }
  }
  return { jobs: jobs.reverse(), unread };
}

/** The outcome of {@link cancelDuplicates}. */
export interface Deduplicated {
  /** The job kept. */
  kept: string;
  /** Extra jobs of this create that are now cancelled. */
  cancelled: string[];
  /** Extra jobs whose CancelJob failed, with why: they still exist, untracked. */
  notCancelled: { jobId: string; reason: string }[];
}

/**
 * Keeps `keep` (or, when undefined, the oldest of `jobs`) and cancels every other job of `jobs`. A CancelJob that
 * fails is reported, not thrown: the kept job is real and must still reach the state.
 */
export async function cancelDuplicates(client: Pick<JobClient, "cancelJob">, jobs: readonly MarkedJob[], keep?: string): Promise<Deduplicated> {
  const kept = keep ?? jobs[0]?.jobId;
  if (kept === undefined) throw new Error("cancelDuplicates: no job to keep");
  const out: Deduplicated = { kept, cancelled: [], notCancelled: [] };
  for (const { jobId } of jobs) {
    if (jobId === kept) continue;
    try {
      await client.cancelJob({ JobId: jobId });
      out.cancelled.push(jobId);
    } catch (e) {
      // Already cancelled (a concurrent cleanup) is what we wanted.
      if (e instanceof ImportExportServiceException && e.name === "CanceledJobIdException") out.cancelled.push(jobId);
      else out.notCancelled.push({ jobId, reason: e instanceof Error ? `${e.message}${e instanceof ImportExportServiceException ? ` (${e.name})` : ""}` : String(e) });
    }
  }
  return out;
}

/** The warning that says what was cleaned up, or undefined when there was nothing to say. */
export function duplicatesWarning(d: Deduplicated, why: string): string | undefined {
  if (d.cancelled.length === 0 && d.notCancelled.length === 0) return undefined;
  const parts = [`${why}: this create made ${1 + d.cancelled.length + d.notCancelled.length} jobs (same create marker); kept ${d.kept}`];
  if (d.cancelled.length > 0) parts.push(`cancelled ${d.cancelled.join(", ")} (CancelJob)`);
  if (d.notCancelled.length > 0) {
    parts.push(`could NOT cancel ${d.notCancelled.map((n) => `${n.jobId} (${n.reason})`).join(", ")}: cancel ${d.notCancelled.length === 1 ? "it" : "them"} yourself`);
  }
  return `${parts.join("; ")}.`;
}
