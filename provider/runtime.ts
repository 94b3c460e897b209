/**
 * The ImportExportJob provider implementation: configure / check / diff / create / read / update / delete.
 *
 * Loaded at run time, in the provider process, by the tiny serialized provider (./serialized); never serialized
 * itself. Package subpath `pulumi-importexport/provider-runtime`.
 *
 * Rules it follows (see docs/provider.md):
 * - An unchanged stack costs nothing: `check` validates against the service only new or changed inputs, and `diff`
 *   answers "no change" before any API call.
 * - Update vs replace and what delete does are decided by the policy table (./importexport-policy), run by the
 *   generic mechanism (./mechanism) with the job's live ProgressCode read only when the decision depends on it. This
 *   module is the table's adapter (GetStatus and the calls the table names) plus check / create / read.
 * - A job that exists is never orphaned: a failure after CreateJob reports the JobId so Pulumi keeps it in state, and
 *   an ambiguous CreateJob is reconciled with ListJobs before anything is created again.
 * - Errors say what happened, to which job, and what to do next; no stack traces for service errors, no secrets.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { AmbiguousCreateJobError, ImportExportServiceException, ImportExportValidationError, ImportExportNetworkError } from "../sdk/errors";
import { parseManifest, stringifyManifest } from "../sdk/manifest";
import type { GetStatusOutput } from "../sdk/types";
import { connect, type Connection, type JobClient } from "./client";
import { ProviderConfigError, resolveSettings, type ConfigReader, type ProviderSettings } from "./config";
import { importExportJobPolicy as policy, type ImportExportCall } from "./importexport-policy";
import { manifestProperty, manifestToSend, normalizeInputs, redactManifest, sameManifest, type CheckedInputs, type RawInputs } from "./inputs";
import { ProviderError, resourceMechanism, type CallRequest, type CallResult } from "./mechanism";
import { compact, jobState, priorText, type JobState } from "./outputs";
import { dropCreateMarker, newCreateMarker, withCreateMarker } from "./create-marker";
import { SCAN_WINDOW_MS, attemptsOf, cancelDuplicates, carriesMarker, duplicatesWarning, findMarkedJobs, type MarkedJob } from "./create-dedupe";
import { compareAccount, keptForAccount, placeChange, releasedForAccount, type AccountVerdict, type AccountWords } from "./account-check";
import { changedFields, classifyState, decideDiff, fieldsSentBy, isGoneError } from "./policy";

/** An error meant for the person running `pulumi`: its message is the whole story, so no stack trace is shown. */
export class ImportExportJobError extends ProviderError {
  override readonly name: string = "ImportExportJobError";
}

// ---------------------------------------------------------------------------------------------------------------
// Settings and connection (module state of the provider process; configure() runs once per process).

let settings: ProviderSettings | undefined;
let connection: Promise<Connection> | undefined;
let accountIdPromise: Promise<string | undefined> | undefined;

/** Reads stack config (`importexport:*`, `aws:region`, `aws:profile`). Called by the engine before any other method. */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  try {
    settings = resolveSettings(req.config as ConfigReader);
  } catch (e) {
    if (e instanceof ProviderConfigError) throw new ImportExportJobError(e.message);
    throw e;
  }
  connection = undefined;
  accountIdPromise = undefined;
}

function currentSettings(): ProviderSettings {
  // Engines that never call configure still get the environment's settings.
  settings ??= resolveSettings({ get: () => undefined });
  return settings;
}

/** The client, built on first use (see ./client for why lazily). */
function client(): Promise<JobClient> {
  connection ??= connect(currentSettings());
  return connection.then((c) => c.client);
}

async function signingAccessKeyId(): Promise<string | undefined> {
  try {
    connection ??= connect(currentSettings());
    return (await (await connection).credentials()).accessKeyId;
  } catch {
    return undefined;
  }
}

/** The caller's account (STS GetCallerIdentity), once per process; undefined when the endpoint has no STS. */
function accountId(): Promise<string | undefined> {
  accountIdPromise ??= client()
    .then((c) => c.whoAmI())
    .then((r) => r.Account)
    .catch(() => undefined);
  return accountIdPromise;
}

const ACCOUNT_WORDS: AccountWords = {
  resource: "Job",
  namespace: "importexport",
  cancelHint: (id) => `e.g. \`importexport cancel-job --job-id ${id}\` with that account's keys in the environment or --profile`,
};

/**
 * The job's recorded account against the signing one (./account-check). Static keys from config are compared as they
 * are, so an unchanged preview neither loads the SDK nor calls the service; the job's key is the `accessKeyId` of
 * the manifest last sent (the service refuses a manifest whose accessKeyId is not the signer's).
 */
function accountVerdict(state: Readonly<Record<string, unknown>>): Promise<AccountVerdict> {
  const yaml = priorText(state, "manifestYaml");
  const recordedKey = yaml !== undefined ? /^accessKeyId:\s*["']?([^"'\s]+)/m.exec(yaml)?.[1] : undefined;
  return compareAccount(
    { accountId: priorText(state, "accountId"), accessKeyId: recordedKey },
    { signingKey: async () => currentSettings().credentials?.accessKeyId ?? (await signingAccessKeyId()), callerAccount: accountId },
  );
}

/** Resets module state (tests call several configurations in one process). */
export async function resetForTests(): Promise<void> {
  await (await connection)?.client.destroy();
  settings = undefined;
  connection = undefined;
  accountIdPromise = undefined;
  validationSkippedNoted = false;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors → messages a user can act on.

function isServiceError(e: unknown, ...codes: string[]): e is ImportExportServiceException {
  return e instanceof ImportExportServiceException && (codes.length === 0 || codes.includes(e.name));
}

/** One line for any error from the SDK, naming the operation and job; secrets never appear (the SDK redacts them). */
function describeError(operation: string, jobId: string | undefined, e: unknown): string {
  const job = jobId ? ` for job ${jobId}` : "";
  if (e instanceof ImportExportServiceException) return `${operation}${job} failed: ${e.message} (${e.name})`;
  if (e instanceof ImportExportValidationError) return `${operation}${job} was not sent: ${e.message} (${e.code})`;
  if (e instanceof ImportExportNetworkError) {
    return `${operation}${job} failed: could not reach ${currentSettings().endpoint} (${e.code}). Check importexport:endpoint and that the service is up.`;
  }
  if (e instanceof ImportExportJobError) return e.message;
  return `${operation}${job} failed: ${e instanceof Error ? e.message : String(e)}`;
}

function fail(operation: string, jobId: string | undefined, e: unknown): never {
  if (e instanceof ImportExportJobError) throw e;
  throw new ImportExportJobError(describeError(operation, jobId, e));
}

function warn(message: string): void {
  // Dynamic providers have no engine logging; stdout of the provider process reaches the CLI (Pulumi ≥ 3.146).
  console.log(`warning: ${message}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Shared steps.

function checked(bag: RawInputs): CheckedInputs {
  const n = normalizeInputs(bag);
  const first = n.failures[0];
  if (first) throw new ImportExportJobError(`Invalid input ${first.property}: ${first.reason}`);
  return n.inputs as unknown as CheckedInputs;
}

/**
 * Sends a call whose manifest carries the signing accessKeyId (filled in when the user's manifest has none).
 * Temporary credentials can be refreshed between filling it in and signing; the service then refuses the call with
 * InvalidAccessKeyIdException and nothing happened, so when the signing key has changed meanwhile the manifest is
 * filled with the current key and sent once more. Returns the answer and the manifest text that was accepted.
 */
async function withSigningKey<T>(canonical: string, send: (manifest: string) => Promise<T>): Promise<{ result: T; sent: string }> {
  const sent = manifestToSend(canonical, await signingAccessKeyId());
  try {
    return { result: await send(sent), sent };
  } catch (e) {
    if (!isServiceError(e, "InvalidAccessKeyIdException")) throw e;
    const again = manifestToSend(canonical, await signingAccessKeyId());
    if (again === sent) throw e;
    return { result: await send(again), sent: again };
  }
}

async function shippingLabelUrl(jobId: string, inputs: CheckedInputs): Promise<{ url?: string; warning?: string }> {
  if (!inputs.shippingLabel) return {};
  const r = await (await client()).getShippingLabel({ jobIds: [jobId], ...inputs.shippingLabel });
  return compact({ url: r.ShippingLabelURL, warning: r.Warning });
}

/** The calls the Import/Export table names, each as one SDK call (the mechanism decides when). */
async function perform(call: ImportExportCall, req: CallRequest<ImportExportCall>): Promise<CallResult> {
  const c = await client();
  switch (call) {
    case "UpdateJob": {
      const inputs = req.inputs as unknown as CheckedInputs;
      const { result: r, sent } = await withSigningKey(inputs.manifest, (m) =>
        c.updateJob({ JobId: req.id, JobType: inputs.jobType, Manifest: m, ValidateOnly: false }),
      );
      return compact({ warning: r.WarningMessage, outputs: { manifestYaml: redactManifest(sent) } });
    }
    case "GetShippingLabel": {
      // A removed label needs no call: the label URL output goes with it.
      const label = await shippingLabelUrl(req.id, req.inputs as unknown as CheckedInputs);
      return compact({ warning: label.warning, outputs: label.url !== undefined ? { shippingLabelUrl: label.url } : undefined });
    }
    case "CancelJob":
      await c.cancelJob({ JobId: req.id });
      return {};
  }
}

/** diff / update / delete, driven by the Import/Export table. */
const mechanism = resourceMechanism(policy, {
  statusCall: "GetStatus",
  outputGroups: { groups: ["status", "signing"], writtenBy: "jobId" },
  describe: async (id: string) => {
    const status = await (await client()).getStatus({ JobId: id });
    return { state: status.ProgressCode, status };
  },
  perform,
  errorCode: (e: unknown) => (isServiceError(e) ? e.name : undefined),
  errorMessage: (e: unknown) => (e instanceof Error ? e.message : String(e)),
  describeError,
  warn,
  error: (message: string) => new ImportExportJobError(message),
});

/** GetStatus (+ GetShippingLabel when asked) → the state to store. */
async function describeJob(
  jobId: string,
  inputs: CheckedInputs,
  sent: string,
  extra: { warningMessage?: string; shippingLabelUrl?: string; refreshLabel: boolean },
): Promise<JobState> {
  const status = await (await client()).getStatus({ JobId: jobId });
  let labelUrl = extra.shippingLabelUrl;
  let warning = extra.warningMessage;
  if (extra.refreshLabel && inputs.shippingLabel) {
    const label = await shippingLabelUrl(jobId, inputs);
    labelUrl = label.url;
    if (label.warning) warning = warning ? `${warning}\n${label.warning}` : label.warning;
  }
  const account = await accountId();
  return jobState(inputs, status, {
    jobId,
    endpoint: currentSettings().endpoint,
    ...(account !== undefined ? { accountId: account } : {}),
    manifestYaml: redactManifest(sent),
    ...(warning !== undefined ? { warningMessage: warning } : {}),
    ...(!inputs.shippingLabel ? {} : labelUrl !== undefined ? { shippingLabelUrl: labelUrl } : {}),
  });
}

/** A failure after the job exists: Pulumi keeps the JobId in state (ErrorResourceInitFailed) instead of orphaning it. */
function initFailed(jobId: string, inputs: RawInputs, sent: string, step: string, e: unknown): Error {
  const reason = describeError(step, jobId, e);
  const err = new ImportExportJobError(
    `Job ${jobId} was created, but ${step} failed afterwards: ${reason}. The job is kept in the stack; run \`pulumi up\` again to finish.`,
  ) as ImportExportJobError & { id: string; properties: Record<string, unknown>; reasons: string[] };
  err.id = jobId;
  err.properties = compact({ ...inputs, jobId, status: { endpoint: currentSettings().endpoint, manifestYaml: redactManifest(sent) } });
  err.reasons = [reason];
  return err;
}

// ---------------------------------------------------------------------------------------------------------------
// check

/**
 * The input a service validation error is about. The service's messages may name the manifest field
 * ("… (manifest field bucket) …", as the emulator writes them); otherwise the error code tells the area.
 */
function fieldOfServiceError(code: string, message: string): string {
  const named = /manifest field ([A-Za-z0-9_.[\]]+)/.exec(message)?.[1];
  if (named) return manifestProperty(named);
  switch (code) {
    case "InvalidAddressException":
      return manifestProperty("returnAddress");
    case "InvalidAccessKeyIdException":
      return manifestProperty("accessKeyId");
    case "InvalidFileSystemException":
      return manifestProperty("fileSystem");
    case "MissingCustomsException":
    case "InvalidCustomsException":
      return manifestProperty("customs");
    case "InvalidParameterException":
    case "MissingParameterException":
      return "jobType";
    default:
      return manifestProperty("");
  }
}

/** Error codes that are about the signing credentials (a wrong secret key, an unknown key), never about an input. */
const CREDENTIAL_ERRORS = ["SignatureDoesNotMatch", "InvalidClientTokenId", "MissingAuthenticationToken", "OptInRequired", "AuthFailure"];

/** Where the credentials came from, to name in a message: the config keys, or the profile / default chain. */
function credentialsHint(s: ProviderSettings): string {
  if (s.credentials) return "Check importexport:accessKeyId and importexport:secretAccessKey (`pulumi config set --secret importexport:secretAccessKey ...`).";
  if (s.profile !== undefined) return `Check the AWS profile "${s.profile}" (importexport:profile or aws:profile).`;
  return "Check the AWS credentials in the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE), or set importexport:accessKeyId and importexport:secretAccessKey.";
}

let validationSkippedNoted = false;

/** Says once per provider process that a preview validates locally only because no credentials resolved. */
function noteValidationSkipped(): void {
  if (validationSkippedNoted) return;
  validationSkippedNoted = true;
  warn(
    "no AWS credentials resolved for importexport, so manifests are validated locally only; the service validates them at `pulumi up`. " +
      "Set importexport:accessKeyId / secretAccessKey (or a profile) to validate on preview, or importexport:validateOnPreview false to silence this.",
  );
}

/**
 * Normalises the inputs and validates them: locally always, and against the service (CreateJob with
 * ValidateOnly=true) when they are new or changed and `validateOnPreview` is on (default: on when credentials
 * resolve). Unknown values during preview are passed through and their validation waits for `up`.
 */
export async function check(olds: RawInputs, news: RawInputs): Promise<dynamic.CheckResult> {
  const before = mechanism.inputsOf(olds ?? {});
  const n = normalizeInputs(news, before);
  if (n.failures.length > 0 || n.hasUnknowns) return { inputs: n.inputs, failures: n.failures };
  const changed = changedFields(policy, before, n.inputs).map((c) => c.field);
  // CreateJob takes the members UpdateJob takes (JobType, Manifest): only a change to one of those needs the service.
  const serverRelevant = Object.keys(before).length === 0 || fieldsSentBy(policy, "UpdateJob").some((f) => changed.includes(f));
  if (!serverRelevant) return { inputs: n.inputs };

  const s = currentSettings();
  const akid = await signingAccessKeyId();
  const validate = s.validateOnPreview ?? akid !== undefined;
  if (!validate) {
    if (s.validateOnPreview === undefined) noteValidationSkipped();
    return { inputs: n.inputs };
  }
  const inputs = n.inputs as unknown as CheckedInputs;
  try {
    const c = await client();
    await withSigningKey(inputs.manifest, (m) => c.createJob({ JobType: inputs.jobType, Manifest: m, ValidateOnly: true }));
    return { inputs: n.inputs };
  } catch (e) {
    if (isServiceError(e, ...CREDENTIAL_ERRORS)) {
      // About the stack's credentials, not about any input: an error naming the config keys, not a check failure.
      throw new ImportExportJobError(`The service refused the credentials while validating the manifest (CreateJob with ValidateOnly=true): ${e.message} (${e.name}). ${credentialsHint(s)}`);
    }
    if (isServiceError(e) && e.$fault === "client" && e.name.endsWith("Exception")) {
      return { inputs: n.inputs, failures: [{ property: fieldOfServiceError(e.name, e.message), reason: `${e.message} (${e.name}, from CreateJob with ValidateOnly=true)` }] };
    }
    // The service could not be asked (network, throttling): validation happens again at CreateJob time.
    warn(`${describeError("Validating the manifest (CreateJob ValidateOnly=true)", undefined, e)}; continuing without server-side validation.`);
    return { inputs: n.inputs };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// diff

/**
 * No input change → `changes: false` without any API call. A change → the policy decides; the job's ProgressCode is
 * read (GetStatus) only if a changed input is updatable in some states. A stack now pointed at another endpoint
 * than the job's → replace. A state written before the outputs were grouped under `status` and `signing` is an
 * in-place change with no service call but GetStatus, so the program sees its outputs again (the mechanism's
 * `outputGroups` rule).
 */
export async function diff(id: string, olds: RawInputs, news: RawInputs): Promise<dynamic.DiffResult> {
  // Another account cannot see the job at all: replace (saying why) rather than let refresh drop it as "gone".
  const target = await placeChange({ recordedEndpoint: priorText(olds, "endpoint"), endpoint: currentSettings().endpoint }, () => accountVerdict(olds), {
    words: ACCOUNT_WORDS,
    id,
    warn,
  });
  return mechanism.diff(id, olds, news, target);
}

// ---------------------------------------------------------------------------------------------------------------
// create

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
interface Made {
  jobId: string;
  warningMessage?: string;
  sent: string;
}

async function createJob(inputs: CheckedInputs): Promise<Made> {
  const c = await client();
  // A one-off marker in what is sent, so an ambiguous CreateJob finds exactly its own job (./create-marker), and a
  // retried one finds every job its attempts made (./create-dedupe).
  const marker = newCreateMarker();
  const marked = carriesMarker(withCreateMarker(inputs.manifest, marker), marker); // false: the user's own generator
  const firstSent = new Date();
  for (let attempt = 1; ; attempt++) {
    let answer: Made;
    try {
      const { result: r, sent: accepted } = await withSigningKey(inputs.manifest, (m) =>
        c.createJob({ JobType: inputs.jobType, Manifest: withCreateMarker(m, marker), ValidateOnly: false }),
      );
      if (!r.JobId) throw new ImportExportJobError("CreateJob answered without a JobId; nothing was recorded. Run `pulumi up` again.");
      answer = compact({ jobId: r.JobId, warningMessage: r.WarningMessage, sent: withCreateMarker(accepted, marker) });
      // Retried (503/throttling answers): the attempts before the one that answered may each have made a job.
      if (marked && attemptsOf(r) > 1) await dropExtraJobs(c, inputs, marker, firstSent, answer.jobId, `CreateJob was answered after ${attemptsOf(r)} attempts`);
      return answer;
    } catch (e) {
      if (e instanceof ImportExportJobError) throw e;
      if (e instanceof ImportExportServiceException) {
        // An error answer after retries, or a server failure (a 500 after creating), may hide jobs that exist.
        if (!marked || (attemptsOf(e) === 1 && e.$fault !== "server")) fail("CreateJob", undefined, e);
        const kept = await adoptMarkedJob(c, inputs, marker, firstSent, `CreateJob answered ${e.name} after ${attemptsOf(e)} attempt(s)`).catch((re: unknown) =>
          fail("CreateJob", undefined, new ImportExportJobError(`${describeError("CreateJob", undefined, e)}; checking whether it created a job anyway failed too: ${describeError("ListJobs/GetStatus", undefined, re)}`)),
        );
        if (kept === undefined) fail("CreateJob", undefined, e);
        return kept;
      }
      if (!(e instanceof AmbiguousCreateJobError)) fail("CreateJob", undefined, e);
      let found: Made | undefined;
      try {
        found = marked
          ? await adoptMarkedJob(c, inputs, marker, firstSent, `CreateJob got no clear answer (${e.cause.message})`)
          : await reconcile(e).then((jobId) => (jobId === undefined ? undefined : { jobId, sent: e.manifest }));
      } catch (re) {
        fail("Reconciling an ambiguous CreateJob (ListJobs/GetStatus)", undefined, re);
      }
      if (found) {
        if (!marked) warn(`CreateJob got no clear answer (${e.cause.message}); found the job it created, ${found.jobId}, and adopted it.`);
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
  warn(duplicatesWarning(d, why) ?? `${why}; found the job it created, ${d.kept}, and adopted it.`);
  return { jobId: oldest.jobId, sent: oldest.currentManifest };
}

/** After a CreateJob that succeeded only after retries: cancels every other job carrying this create's marker. */
async function dropExtraJobs(c: JobClient, inputs: CheckedInputs, marker: string, since: Date, keep: string, why: string): Promise<void> {
  let jobs: MarkedJob[];
  try {
    jobs = await markedJobs(c, inputs, marker, since);
  } catch (e) {
    // The job that answered is real and must reach the state; what could not be checked is said, not thrown.
    warn(`${why}; checking for extra jobs made by the earlier attempts failed (${describeError("ListJobs/GetStatus", undefined, e)}). Jobs whose manifest has generator "${marker}" other than ${keep} are extra: cancel them.`);
    return;
  }
  const message = duplicatesWarning(await cancelDuplicates(c, jobs, keep), why);
  if (message !== undefined) warn(message);
}

async function adopt(inputs: CheckedInputs, jobId: string, sent: string): Promise<Made> {
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
    fail("GetStatus", jobId, e);
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
    const { result: r, sent: accepted } = await withSigningKey(inputs.manifest, (m) =>
      c.updateJob({ JobId: jobId, JobType: inputs.jobType, Manifest: m, ValidateOnly: false }),
    );
    return compact({ jobId, warningMessage: r.WarningMessage, sent: accepted });
  } catch (e) {
    fail("UpdateJob (adopting)", jobId, e);
  }
}

/** CreateJob (or adopt `adoptJobId`), then GetStatus (+ GetShippingLabel) for the outputs. */
export async function create(raw: RawInputs): Promise<dynamic.CreateResult> {
  const inputs = checked(raw);
  const made = inputs.adoptJobId
    ? await adopt(inputs, inputs.adoptJobId, manifestToSend(inputs.manifest, await signingAccessKeyId()))
    : await createJob(inputs);
  try {
    const outs = await describeJob(made.jobId, inputs, made.sent, { ...compact({ warningMessage: made.warningMessage }), refreshLabel: true });
    return { id: made.jobId, outs };
  } catch (e) {
    throw initFailed(made.jobId, raw, made.sent, inputs.shippingLabel ? "GetStatus/GetShippingLabel" : "GetStatus", e);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// read

/**
 * GetStatus → outputs, and inputs from CurrentManifest so drift shows in the next preview. Gone → empty id. A job
 * of another account than the credentials' is never "gone": read fails naming both accounts, and the
 * stack keeps the job as last recorded.
 */
export async function read(id: string, props?: RawInputs): Promise<dynamic.ReadResult> {
  const prior = props ?? {};
  const v = await accountVerdict(prior);
  if (v.kind === "other") {
    throw new ImportExportJobError(keptForAccount(ACCOUNT_WORDS, id, v));
  }
  const { live, status } = await mechanism.liveState(id);
  if (live.kind === "gone" || !status) return { id: "" };
  const priorInputs = normalizeInputs(mechanism.inputsOf(prior)).inputs as unknown as CheckedInputs;
  let manifest = typeof prior["manifest"] === "string" ? (prior["manifest"] as string) : "";
  if (status.CurrentManifest !== undefined) {
    try {
      const liveManifest = parseManifest(status.CurrentManifest) as Record<string, unknown>;
      const priorManifest = manifest ? (parseManifest(manifest) as Record<string, unknown>) : {};
      // The provider filled accessKeyId from the signing key; that is not drift in what the user wrote.
      if (priorManifest["accessKeyId"] === undefined) delete liveManifest["accessKeyId"];
      dropCreateMarker(liveManifest, priorManifest);
      manifest = stringifyManifest(liveManifest);
    } catch {
      // A manifest this package cannot parse stays as the service has it, so the next preview shows the difference.
      manifest = status.CurrentManifest;
    }
  }
  const jobType = status.JobType === "Export" || status.JobType === "Import" ? status.JobType : priorInputs.jobType;
  const inputs: CheckedInputs = { ...priorInputs, jobType, manifest };
  const account = priorText(prior, "accountId");
  const outs = jobState(inputs, status, {
    jobId: id,
    endpoint: priorText(prior, "endpoint") ?? currentSettings().endpoint,
    ...(account !== undefined ? { accountId: account } : {}),
    ...(status.CurrentManifest !== undefined ? { manifestYaml: redactManifest(status.CurrentManifest) } : {}),
    ...compact({
      warningMessage: priorText(prior, "warningMessage"),
      shippingLabelUrl: priorText(prior, "shippingLabelUrl"),
    }),
  });
  return { id, props: outs, inputs: mechanism.inputsOf(outs as unknown as Record<string, unknown>) };
}

// ---------------------------------------------------------------------------------------------------------------
// update

/**
 * The calls the table puts the changed inputs in (UpdateJob for jobType/manifest, GetShippingLabel for the label;
 * only reached while the job is Pending, per diff), then GetStatus. A job that started after the plan was made gets
 * a message saying so and that `pulumi up` again will replace it.
 */
export async function update(id: string, olds: RawInputs, news: RawInputs): Promise<dynamic.UpdateResult> {
  const inputs = checked(news);
  const sent = manifestToSend(inputs.manifest, await signingAccessKeyId());
  const outcome = await mechanism.update(id, olds, news);
  const ran = (call: ImportExportCall) => outcome.results.find((r) => r.call === call)?.result;
  const updated = ran("UpdateJob");
  const label = ran("GetShippingLabel");
  let warningMessage = updated ? updated.warning : priorText(olds, "warningMessage");
  if (label?.warning) warningMessage = warningMessage ? `${warningMessage}\n${label.warning}` : label.warning;
  const priorLabel = priorText(olds, "shippingLabelUrl");
  const labelUrl = label ? (label.outputs?.["shippingLabelUrl"] as string | undefined) : priorLabel;
  try {
    const outs = await describeJob(id, inputs, sent, {
      ...compact({ warningMessage, shippingLabelUrl: labelUrl }),
      // A label asked for earlier whose URL never arrived (e.g. create failed after CreateJob) is fetched now.
      refreshLabel: !label && inputs.shippingLabel !== undefined && priorLabel === undefined,
    });
    // What the calls produced (the manifest UpdateJob accepted) wins over what was computed before them; without an
    // UpdateJob the job's manifest is the one the state already shows (create marker included).
    const yaml = priorText(olds, "manifestYaml");
    const priorYaml = yaml !== undefined ? { manifestYaml: yaml } : {};
    return { outs: { ...outs, status: { ...outs.status, ...(updated ? updated.outputs : priorYaml) } } };
  } catch (e) {
    fail("GetStatus", id, e);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// delete

/**
 * One policy for `pulumi destroy` and for the old half of a replacement (a dynamic provider cannot tell them apart),
 * from the table: Pending → CancelJob; cancelled/expired/not found → nothing to do; started or finished → released
 * from the stack with a warning (InProgress is cancelled only with `cancelInProgress: true`); no or an unknown
 * ProgressCode → released with a warning, never cancelled blindly. A job of another account than the credentials'
 * (they cannot cancel it, and would read it as not found) → released with a warning naming its account.
 */
export async function delete_(id: string, props: RawInputs): Promise<void> {
  const v = await accountVerdict(props);
  if (v.kind === "other") {
    warn(releasedForAccount(ACCOUNT_WORDS, id, v));
    return;
  }
  await mechanism.delete(id, props);
}

export { delete_ as delete };
