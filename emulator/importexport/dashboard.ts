/** Import/Export jobs on the dashboard: the page state's `jobKinds.importExport`, rendered by ui/jobs.js. */
import { join } from "node:path";
import { redactManifest } from "../../sdk/manifest/redact";
import { locationCodes, operationNames, progressCodes } from "../../sdk/model";
import type { ServiceDashboard } from "../core/service";
import type { ImportExportBackend } from "./backend";
import type { JobRecord } from "./backend/job";

/**
 * Each job's manifest as the page shows it, kept per job record while the record's manifest text stays the same:
 * parsing the YAML is most of what a page of the state costs, and the page asks for the same jobs after every change.
 */
const shownManifests = new WeakMap<JobRecord, { manifest: string; shown: string }>();

/** The job's manifest with device passwords redacted (or a note when it cannot be parsed). */
function shownManifest(job: JobRecord): string {
  const kept = shownManifests.get(job);
  if (kept !== undefined && kept.manifest === job.manifest) return kept.shown;
  let shown: string;
  try {
    shown = redactManifest(job.manifest);
  } catch {
    shown = "(the stored manifest could not be parsed, so it is not shown)";
  }
  shownManifests.set(job, { manifest: job.manifest, shown });
  return shown;
}

/** One Import/Export job as the page shows it: no Signature, manifest with device passwords redacted. */
function jobView(backend: ImportExportBackend, job: JobRecord): Record<string, unknown> {
  const manifest = shownManifest(job);
  return {
    jobId: job.jobId,
    accountId: job.accountId,
    jobType: job.jobType,
    locationCode: job.locationCode,
    progressCode: job.progressCode,
    isCanceled: job.isCanceled,
    creationDate: new Date(job.createdAt).toISOString(),
    errorCount: job.errorCount,
    carrier: job.carrier,
    trackingNumber: job.trackingNumber,
    logBucket: job.logBucket,
    logKey: job.logKey,
    region: job.region,
    manifest,
    history: (job.history ?? []).map((t) => ({ ...t, at: new Date(t.at).toISOString() })),
    artifacts: backend.artifacts(job).map((a) => ({ description: a.Description, url: a.URL })),
  };
}

/** Import/Export's part of the dashboard over its backend. */
export function importExportDashboard(backend: ImportExportBackend): ServiceDashboard<JobRecord> {
  return {
    kind: "importExport",
    title: "Import/Export jobs",
    script: join(__dirname, "ui", "jobs.js"),
    jobs: () => backend.jobRecords(),
    accountOf: (job) => job.accountId,
    view: (job) => jobView(backend, job),
    secrets: () => backend.jobRecords().map((job) => job.signature),
    choices: () => ({ progressCodes, locationCodes }),
    faultActions: () => operationNames,
  };
}
