/**
 * ImportExportJob's create, on its own because CreateJob has no client token: an ambiguous CreateJob (sent, no clear
 * answer) is reconciled with ListJobs + GetStatus, finding the job by the create marker in its manifest
 * (./create-marker), before anything is sent again, so a job that exists is never created twice nor left untracked
 * (and a CreateJob retried by the SDK keeps one job, ./create-dedupe); and `adoptJobId`, which takes over an existing
 * job instead.
 */
import { AmbiguousCreateJobError, ImportExportServiceException } from "../../sdk/errors";
import type { GetStatusOutput } from "../../sdk/types";
import { classifyState, decideDiff, isGoneError } from "../core/policy";
import { jobMembers, withSigningKey } from "./adapter";
import { client, ImportExportJobError, isServiceError, service, type JobClient } from "./client";
import { SCAN_WINDOW_MS, attemptsOf, cancelDuplicates, duplicatesWarning, findMarkedJobs, type MarkedJob } from "./create-dedupe";
import { newCreateMarker, withCreateMarker } from "./create-marker";
import { importExportJobPolicy as policy, type CheckedInputs } from "./definition";
import { sameManifest } from "./inputs";
import { compact } from "./outputs";

/**
 * CreateJob sends per create when the answers stay ambiguous. Each resend follows a scan that found no job with this
 * create's marker, so it cannot duplicate; two were too few on a flaky link (at 12 % ambiguous answers, one job in
 * 70 failed its `up`).
 */
const CREATE_ATTEMPTS = 4;

/**
 * After an ambiguous CreateJob whose manifest carries no create marker (the user's own `generator`): find the job it
 * created by comparing manifests. Returns its JobId, or undefined if none exists.
 */
async function reconcile(err: AmbiguousCreateJobError): Promise<string | undefined> {
  const since = err.sentAt.getTime() - SCAN_WINDOW_MS;
  const recent: string[] = [];
  let marker: string | undefined;
  scan: for (let page = 0; page < 10; page++) {
    const r = await (await client()).listJobs({ MaxJobs: 100, ...(marker ? { Marker: marker } : {}) });
    for (const j of r.Jobs) {
      if (!j.JobId) continue;
      if (j.CreationDate && j.CreationDate.getTime() < since) break scan; // newest first: the rest is older
      if (!j.IsCanceled && (j.JobType ?? err.jobType).toLowerCase() === err.jobType.toLowerCase()) recent.push(j.JobId);
    }
    const last = r.Jobs[r.Jobs.length - 1]?.JobId;
    if (!r.IsTruncated || !last) break;
    marker = last;
  }
  const matches: string[] = [];
  const unread: string[] = [];
  for (const jobId of recent) {
    const s = await (await client()).getStatus({ JobId: jobId }).catch((e: unknown) => {
      // A job that is gone cannot be ours to adopt; one we could not read might be, so it must not be skipped.
      if (!(isServiceError(e) && isGoneError(policy, e.name))) unread.push(jobId);
      return undefined;
    });
    if (s?.CurrentManifest !== undefined && sameManifest(s.CurrentManifest, err.manifest)) matches.push(jobId);
  }
  if (matches.length === 1) return matches[0];
  if (matches.length === 0 && unread.length > 0) {
    throw new ImportExportJobError(
      `CreateJob may have created a job, and GetStatus failed for the recent job(s) ${unread.join(", ")}, so it is unknown whether one of them is it. ` +
        "Not creating another one. Run `pulumi up` again once the service answers; if one of them carries this manifest, set adoptJobId to it.",
    );
  }
  if (matches.length > 1) {
    throw new ImportExportJobError(
      `CreateJob may have created a job, and ${matches.length} recent jobs carry this exact manifest: ${matches.join(", ")}. ` +
        "Not creating another one. Cancel the ones you do not want, then set adoptJobId to the one to keep and run `pulumi up` again.",
    );
  }
  return undefined;
}

/** What create made: the job, the service's warning, and the manifest text the service accepted. */
export interface Made {
  jobId: string;
  warningMessage?: string;
  sent: string;
  /** `sent` as the manifestYaml output shows it (device passwords redacted), when already computed. */
  shown?: string;
}

/** CreateJob, reconciling an ambiguous answer (ListJobs + GetStatus) before anything is sent again. */
export async function createJob(inputs: CheckedInputs): Promise<Made> {
  const c = await client();
  // A one-off marker in what is sent, so an ambiguous CreateJob finds exactly its own job (./create-marker), and a
  // retried one finds every job its attempts made (./create-dedupe).
  const marker = newCreateMarker();
  // The marked manifest is made once, and the signing key filled into it once per attempt (the codec writes keys in
  // a fixed order, so marking before filling gives the same text as after): each parse of a manifest costs the
  // provider process about a millisecond per job of an `up`.
  const members = jobMembers(inputs);
  const markedManifest = withCreateMarker(members.Manifest, marker);
  // withCreateMarker adds a generator unless the manifest has one: an unchanged text is the user's own generator.
  const marked = markedManifest !== members.Manifest;
  const firstSent = new Date();
  for (let attempt = 1; ; attempt++) {
    let answer: Made;
    try {
      const { result: r, manifest } = await withSigningKey(markedManifest, (m) => c.createJob({ ...members, Manifest: m, ValidateOnly: false }));
      if (!r.JobId) throw new ImportExportJobError("CreateJob answered without a JobId; nothing was recorded. Run `pulumi up` again.");
      answer = compact({ jobId: r.JobId, warningMessage: r.WarningMessage, sent: manifest.sent, shown: manifest.shown });
      // Retried (503/throttling answers): the attempts before the one that answered may each have made a job.
      if (marked && attemptsOf(r) > 1) await dropExtraJobs(c, inputs, marker, firstSent, answer.jobId, `CreateJob was answered after ${attemptsOf(r)} attempts`);
      return answer;
    } catch (e) {
      if (e instanceof ImportExportJobError) throw e;
      if (e instanceof ImportExportServiceException) {
        // An error answer after retries, or a server failure (a 500 after creating), may hide jobs that exist.
        if (!marked || (attemptsOf(e) === 1 && e.$fault !== "server")) service.fail("CreateJob", undefined, e);
        const kept = await adoptMarkedJob(c, inputs, marker, firstSent, `CreateJob answered ${e.name} after ${attemptsOf(e)} attempt(s)`).catch((re: unknown) =>
          service.fail(
            "CreateJob",
            undefined,
            new ImportExportJobError(`${service.describeError("CreateJob", undefined, e)}; checking whether it created a job anyway failed too: ${service.describeError("ListJobs/GetStatus", undefined, re)}`),
          ),
        );
        if (kept === undefined) service.fail("CreateJob", undefined, e);
        return kept;
      }
      if (!(e instanceof AmbiguousCreateJobError)) service.fail("CreateJob", undefined, e);
      let found: Made | undefined;
      try {
        found = marked
          ? await adoptMarkedJob(c, inputs, marker, firstSent, `CreateJob got no clear answer (${e.cause.message})`)
          : await reconcile(e).then((jobId) => (jobId === undefined ? undefined : { jobId, sent: e.manifest }));
      } catch (re) {
        service.fail("Reconciling an ambiguous CreateJob (ListJobs/GetStatus)", undefined, re);
      }
      if (found) {
        if (!marked) service.warn(`CreateJob got no clear answer (${e.cause.message}); found the job it created, ${found.jobId}, and adopted it.`);
        return found;
      }
      // No job carries our manifest, so the request did not create one: sending it again cannot duplicate.
      if (attempt >= CREATE_ATTEMPTS) {
        throw new ImportExportJobError(
          `CreateJob got no clear answer ${CREATE_ATTEMPTS} times (last: ${e.cause.message}) and no job with this manifest exists. Nothing was created; run \`pulumi up\` again.`,
        );
      }
    }
  }
}

/** The jobs of this create (its marker), or a failure naming the recent jobs that could not be read. */
async function markedJobs(c: JobClient, inputs: CheckedInputs, marker: string, since: Date): Promise<MarkedJob[]> {
  const found = await findMarkedJobs(c, { marker, jobType: inputs.jobType, since, isGone: (code) => isGoneError(policy, code) });
  if (found.jobs.length === 0 && found.unread.length > 0) {
    throw new ImportExportJobError(
      `CreateJob may have created a job, and GetStatus failed for the recent job(s) ${found.unread.join(", ")}, so it is unknown whether one of them is it. ` +
        "Not creating another one. Run `pulumi up` again once the service answers; if one of them carries this manifest, set adoptJobId to it.",
    );
  }
  return found.jobs;
}

/**
 * After a CreateJob whose final answer failed: adopts the oldest job carrying this create's marker and cancels the
 * others (saying so). Undefined when no job carries it (nothing was created).
 */
async function adoptMarkedJob(c: JobClient, inputs: CheckedInputs, marker: string, since: Date, why: string): Promise<Made | undefined> {
  const jobs = await markedJobs(c, inputs, marker, since);
  const oldest = jobs[0];
  if (oldest === undefined) return undefined;
  const d = await cancelDuplicates(c, jobs);
  service.warn(duplicatesWarning(d, why) ?? `${why}; found the job it created, ${d.kept}, and adopted it.`);
  return { jobId: oldest.jobId, sent: oldest.currentManifest };
}

/** After a CreateJob that succeeded only after retries: cancels every other job carrying this create's marker. */
async function dropExtraJobs(c: JobClient, inputs: CheckedInputs, marker: string, since: Date, keep: string, why: string): Promise<void> {
  let jobs: MarkedJob[];
  try {
    jobs = await markedJobs(c, inputs, marker, since);
  } catch (e) {
    // The job that answered is real and must reach the state; what could not be checked is said, not thrown.
    service.warn(`${why}; checking for extra jobs made by the earlier attempts failed (${service.describeError("ListJobs/GetStatus", undefined, e)}). Jobs whose manifest has generator "${marker}" other than ${keep} are extra: cancel them.`);
    return;
  }
  const message = duplicatesWarning(await cancelDuplicates(c, jobs, keep), why);
  if (message !== undefined) service.warn(message);
}

/** Takes over the existing job `jobId` (`adoptJobId`), updating its manifest while the table allows it. */
export async function adopt(inputs: CheckedInputs, jobId: string, sent: string): Promise<Made> {
  let status: GetStatusOutput;
  try {
    status = await (await client()).getStatus({ JobId: jobId });
  } catch (e) {
    if (isServiceError(e, "InvalidJobIdException")) {
      throw new ImportExportJobError(`adoptJobId: job ${jobId} does not exist or does not belong to the account of these credentials (InvalidJobIdException).`);
    }
    if (isServiceError(e, "CanceledJobIdException", "ExpiredJobIdException")) {
      throw new ImportExportJobError(`adoptJobId: job ${jobId} is ${e.name === "CanceledJobIdException" ? "cancelled" : "expired"} and cannot be adopted (${e.name}). Remove adoptJobId to create a new job.`);
    }
    service.fail("GetStatus", jobId, e);
  }
  const live = classifyState(policy, status.ProgressCode);
  const code = status.ProgressCode ?? "in an unknown state (no ProgressCode reported)";
  if (live.kind === "gone") {
    throw new ImportExportJobError(`adoptJobId: job ${jobId} is ${code} and cannot be adopted. Remove adoptJobId to create a new job.`);
  }
  const sameType = (status.JobType ?? inputs.jobType).toLowerCase() === inputs.jobType.toLowerCase();
  if (status.CurrentManifest !== undefined && sameManifest(status.CurrentManifest, sent) && sameType) return { jobId, sent };
  // The table decides whether the manifest can change in place in this state (an unknown state never allows it).
  const decision = decideDiff(policy, [{ field: "manifest", unknown: false }], live);
  if (decision.replaces.length > 0) {
    throw new ImportExportJobError(
      `adoptJobId: job ${jobId} is ${code}, so its manifest can no longer be updated, and it differs from this resource's manifest. ` +
        "Make jobType and manifest match the job's current manifest (see GetStatus CurrentManifest) to adopt it as it is.",
    );
  }
  try {
    const c = await client();
    const members = jobMembers(inputs);
    const { result: r, manifest } = await withSigningKey(members.Manifest, (m) => c.updateJob({ JobId: jobId, ...members, Manifest: m, ValidateOnly: false }));
    return compact({ jobId, warningMessage: r.WarningMessage, sent: manifest.sent });
  } catch (e) {
    service.fail("UpdateJob (adopting)", jobId, e);
  }
}

