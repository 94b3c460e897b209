/**
 * ImportExportJob's create, on its own because CreateJob has no client token: an ambiguous CreateJob (sent, no clear
 * answer) is reconciled with ListJobs + GetStatus, finding the job by the create marker in its manifest
 * (./create-marker), before anything is sent again, so a job that exists is never created twice nor left untracked
 * (and a CreateJob retried by the SDK keeps one job, ./create-dedupe); and `adoptJobId`, which takes over an existing
 * job instead.
 */
import { AmbiguousCreateJobError, ImportExportAbortError, ImportExportServiceException } from "../../sdk/errors";
import type { GetStatusOutput } from "../../sdk/types";
import { classifyState, decideDiff, isGoneError } from "../core/policy";
import { jobMembers, withSigningKey } from "./adapter";
import { client, ImportExportJobError, isServiceError, service, signingAccessKeyId, type JobClient } from "./client";
import { SCAN_WINDOW_MS, attemptsOf, cancelDuplicates, duplicatesWarning, findMarkedJobs, type MarkedJob } from "./create-dedupe";
import { newCreateMarker, withCreateMarker } from "./create-marker";
import { horizonOf, unresolvedId, type UnresolvedCreate } from "./create-unresolved";
import { operationAborted } from "../core/operation-signal";
import type { InitFailedError } from "../core/runtime";
import { manifestForCall } from "./inputs";
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
async function reconcile(err: Pick<AmbiguousCreateJobError, "jobType" | "manifest" | "sentAt">): Promise<string | undefined> {
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

/**
 * CreateJob, reconciling an ambiguous answer (ListJobs + GetStatus) before anything is sent again. Stopped (timeout
 * or Cancel, ./create-unresolved) after a CreateJob may have reached the service: an unresolved create the stack keeps.
 */
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
  // Whether a CreateJob of this create may have reached the service (all but one aborted before it was written).
  let possiblySent = false;
  const send = async (m: string) => {
    try {
      return await c.createJob({ ...members, Manifest: m, ValidateOnly: false });
    } catch (e) {
      if (!(e instanceof ImportExportAbortError) || e.requestSent) possiblySent = true;
      throw e;
    }
  };
  try {
    return await createLoop(c, inputs, markedManifest, marker, marked, firstSent, send);
  } catch (e) {
    if (operationAborted() && possiblySent) throw unresolvedCreate(inputs, marked ? marker : undefined, firstSent, service.describeError("CreateJob", undefined, e));
    throw e;
  }
}

/**
 * The error of a create stopped after CreateJob may have been sent: an init failure (the engine keeps its id and
 * properties) whose id is an unresolved create's, not a JobId.
 */
function unresolvedCreate(inputs: CheckedInputs, marker: string | undefined, sentAt: Date, stopped: string): InitFailedError {
  const id = unresolvedId(marker);
  const record: UnresolvedCreate = { ...(marker !== undefined ? { marker } : {}), sentAt: sentAt.toISOString(), reason: stopped };
  const err = new ImportExportJobError(
    `CreateJob had been sent when the create was stopped, so the service may have made the job, or may still make it. ` +
      `The stack records this create as ${id} (not a job): the next \`pulumi up\` looks for the job that request made ` +
      `(${marker !== undefined ? `its manifest's generator is "${marker}"` : "by its manifest"}) and adopts it instead of creating a second one; ` +
      "`pulumi destroy` cancels it.",
  ) as InitFailedError;
  err.id = id;
  err.properties = { ...inputs, unresolvedCreate: record, status: { endpoint: service.settings().endpoint } };
  // The engine shows an init failure by its reasons, not its message.
  err.reasons = [err.message];
  return err;
}

/** The loop of {@link createJob}: `send` is one CreateJob with `markedManifest` (its signing key filled in). */
async function createLoop(
  c: JobClient, inputs: CheckedInputs, markedManifest: string, marker: string, marked: boolean, firstSent: Date, send: (manifest: string) => Promise<Awaited<ReturnType<JobClient["createJob"]>>>,
): Promise<Made> {
  for (let attempt = 1; ; attempt++) {
    let answer: Made;
    try {
      const { result: r, manifest } = await withSigningKey(markedManifest, send);
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


/**
 * The jobs an unresolved create (./create-unresolved) made: those carrying its marker, or, when the user's manifest
 * named its own `generator`, the one job of the account whose manifest is `manifest` (sent since then). Oldest first.
 */
async function unresolvedJobs(inputs: CheckedInputs, u: UnresolvedCreate, manifest: string): Promise<string[]> {
  const sentAt = new Date(u.sentAt);
  if (u.marker !== undefined) return (await markedJobs(await client(), inputs, u.marker, sentAt)).map((j) => j.jobId);
  const found = await reconcile({ jobType: inputs.jobType, manifest, sentAt });
  return found === undefined ? [] : [found];
}

/** Jobs adopted from unresolved creates by this process: deleting the record afterwards must not cancel them. */
const adoptedFromUnresolved = new Set<string>();
/** Unresolved creates this process settled (adopted their job, or found none past the horizon), by {@link recordKey}. */
const settledRecords = new Set<string>();
const recordKey = (u: UnresolvedCreate): string => `${u.marker ?? ""}@${u.sentAt}`;

/** The error for "no job found yet, and the service may still make one". */
function notYet(u: UnresolvedCreate, doing: string): ImportExportJobError {
  return new ImportExportJobError(
    `An earlier create of this job was stopped after its CreateJob was sent (${u.sentAt}), and no job from that request exists yet; ` +
      `the service may still make it, so ${doing} would risk a second job. Run the command again after ${horizonOf(u).toISOString()}, ` +
      "or once the job shows up (it is then adopted).",
  );
}

/**
 * The next create after an unresolved one: adopts the job the stopped request made (cancelling any extra job that
 * carries the same marker), updating it to these inputs while it is Pending, which also drops the marker. Undefined
 * when no job came of it (then a new job is created); an error while one still could.
 */
export async function adoptUnresolved(inputs: CheckedInputs, u: UnresolvedCreate): Promise<Made | undefined> {
  const wanted = manifestForCall(inputs.manifest, await signingAccessKeyId()).sent;
  let jobs: string[];
  try {
    jobs = await unresolvedJobs(inputs, u, wanted);
  } catch (e) {
    service.fail("Looking for the job of a stopped create (ListJobs/GetStatus)", undefined, e);
  }
  const [first, ...extra] = jobs;
  if (first === undefined) {
    if (Date.now() < horizonOf(u).getTime()) throw notYet(u, "creating one now");
    settledRecords.add(recordKey(u));
    return undefined;
  }
  if (extra.length > 0) {
    const d = await cancelDuplicates(await client(), jobs.map((jobId) => ({ jobId, currentManifest: "" })), first);
    const message = duplicatesWarning(d, "The stopped create had made more than one job");
    if (message !== undefined) service.warn(message);
  }
  // The job is ours: the create marker identifies it. adopt() brings its manifest to these inputs (UpdateJob while
  // Pending, the marker gone with it) or says why it cannot.
  const made = await adopt(inputs, first, wanted);
  adoptedFromUnresolved.add(first);
  settledRecords.add(recordKey(u));
  service.warn(`An earlier create of this job was stopped after its CreateJob was sent (${u.sentAt}); that request made job ${first}, which is adopted.`);
  return made;
}

/**
 * Deletes an unresolved create's record (destroy, or after the next create replaced it): cancels the job the stopped
 * request made, if any, unless this process adopted it (then it no longer carries the marker anyway); a started one
 * is released with a warning. Refuses while no job was found and the service may still make one.
 */
export async function dropUnresolved(id: string, inputs: CheckedInputs, u: UnresolvedCreate): Promise<void> {
  let jobs: string[];
  try {
    jobs = (await unresolvedJobs(inputs, u, manifestForCall(inputs.manifest, await signingAccessKeyId()).sent)).filter((j) => !adoptedFromUnresolved.has(j));
  } catch (e) {
    service.fail(`Looking for the job of the stopped create ${id} (ListJobs/GetStatus)`, undefined, e);
  }
  if (jobs.length === 0) {
    if (!settledRecords.has(recordKey(u)) && Date.now() < horizonOf(u).getTime()) throw notYet(u, "dropping its record");
    return;
  }
  if (u.marker === undefined) {
    // Found by its manifest alone, the job may be another resource's with the same manifest: say it, cancel nothing.
    service.warn(`The stopped create ${id} may have made job ${jobs.join(", ")} (same manifest). If no resource tracks it, cancel it (\`importexport cancel-job --job-id ${jobs[0]}\`).`);
    return;
  }
  const c = await client();
  for (const jobId of jobs) {
    try {
      await c.cancelJob({ JobId: jobId });
      service.warn(`Job ${jobId}, made by the stopped create ${id}, was cancelled (CancelJob).`);
    } catch (e) {
      if (isServiceError(e, "CanceledJobIdException")) continue;
      if (isServiceError(e, "UnableToCancelJobIdException")) {
        service.warn(`Job ${jobId}, made by the stopped create ${id}, has started and cannot be cancelled: it is released from the stack and left as it is. Adopt it with adoptJobId if you want to track it.`);
        continue;
      }
      service.fail("CancelJob", jobId, e);
    }
  }
}
