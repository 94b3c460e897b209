/**
 * The ImportExportJob provider implementation: configure / check / diff / create / read / update / delete.
 *
 * Loaded at run time, in the provider process, by the tiny serialized provider (./provider, ../core/serialized); never serialized
 * itself. Package subpath `pulumi-importexport/provider-runtime`.
 *
 * Rules it follows (see docs/provider.md):
 * - An unchanged stack costs nothing: `check` validates against the service only new or changed inputs, and `diff`
 *   answers "no change" before any API call.
 * - Update vs replace and what delete does are decided by the policy table (./definition), run by the
 *   generic mechanism (../core/mechanism) with the job's live ProgressCode read only when the decision depends on it. This
 *   module is the table's adapter (GetStatus and the calls the table names) plus check / create / read.
 * - A job that exists is never orphaned: a failure after CreateJob reports the JobId so Pulumi keeps it in state, and
 *   an ambiguous CreateJob is reconciled with ListJobs before anything is created again.
 * - Errors say what happened, to which job, and what to do next; no stack traces for service errors, no secrets.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { parseManifest, stringifyManifest } from "../../sdk/manifest";
import { changedFields, fieldsSentBy } from "../core/policy";
import { jobMembers, mechanism, shippingLabelUrl, withSigningKey } from "./adapter";
import { compareAccount, keptForAccount, placeChange, releasedForAccount, type AccountVerdict, type AccountWords } from "../core/account-check";
import type { ProviderSettings } from "../core/settings";
import { accountId, client, ImportExportJobError, isServiceError, service, signingAccessKeyId } from "./client";
import { adopt, adoptUnresolved, createJob, dropUnresolved } from "./create";
import { isUnresolvedId, unresolvedOf } from "./create-unresolved";
import { operationAborted } from "../core/operation-signal";
import { registeredInUpdate } from "../core/update-run";
import { dropCreateMarker } from "./create-marker";
import { checkInputs, importExportJobPolicy as policy, type CheckedInputs, type ImportExportCall, type JobState } from "./definition";
import { redactManifest } from "../../sdk/manifest/redact";
import { manifestForCall, manifestProperty } from "./inputs";
import { compact, jobState, priorText } from "./outputs";

export { ImportExportJobError };

/** Raw inputs as they arrive from the engine (anything may be missing, wrong or unknown). */
type RawInputs = Record<string, unknown>;

/** Reads stack config (`importexport:*`, `aws:region`, `aws:profile`). Called by the engine before any other method. */
export const configure = service.configure;

/** Resets module state (tests call several configurations in one process). */
export async function resetForTests(): Promise<void> {
  validationSkippedNoted = false;
  await service.resetForTests();
}

const ACCOUNT_WORDS: AccountWords = {
  resource: "Job",
  namespace: "importexport",
  cancelHint: (id) => `e.g. \`importexport cancel-job --job-id ${id}\` with that account's keys in the environment or --profile`,
};

/**
 * The job's recorded account against the signing one (../core/account-check). Static keys from config are compared
 * as they are, so an unchanged preview neither loads the SDK nor calls the service; the job's key is the
 * `accessKeyId` of the manifest last sent (the service refuses a manifest whose accessKeyId is not the signer's).
 */
function accountVerdict(state: Readonly<Record<string, unknown>>): Promise<AccountVerdict> {
  const yaml = priorText(state, "manifestYaml");
  const recordedKey = yaml !== undefined ? /^accessKeyId:\s*["']?([^"'\s]+)/m.exec(yaml)?.[1] : undefined;
  return compareAccount(
    { accountId: priorText(state, "accountId"), accessKeyId: recordedKey },
    { signingKey: async () => service.settings().credentials?.accessKeyId ?? (await signingAccessKeyId()), callerAccount: accountId },
  );
}

/** GetStatus (+ GetShippingLabel when asked) → the state to store. */
async function describeJob(
  jobId: string,
  inputs: CheckedInputs,
  extra: { manifestYaml?: string; warningMessage?: string; shippingLabelUrl?: string; refreshLabel: boolean },
  account: Promise<string | undefined> = accountId(),
): Promise<JobState> {
  const status = await (await client()).getStatus({ JobId: jobId });
  let labelUrl = extra.shippingLabelUrl;
  let warning = extra.warningMessage;
  if (extra.refreshLabel && inputs.shippingLabel) {
    const label = await shippingLabelUrl(jobId, inputs);
    labelUrl = label.url;
    if (label.warning) warning = warning ? `${warning}\n${label.warning}` : label.warning;
  }
  const accountIdOfJob = await account;
  return jobState(inputs, status, {
    jobId,
    endpoint: service.settings().endpoint,
    ...(accountIdOfJob !== undefined ? { accountId: accountIdOfJob } : {}),
    ...(extra.manifestYaml !== undefined ? { manifestYaml: extra.manifestYaml } : {}),
    ...(warning !== undefined ? { warningMessage: warning } : {}),
    ...(!inputs.shippingLabel ? {} : labelUrl !== undefined ? { shippingLabelUrl: labelUrl } : {}),
  });
}

/** A failure after the job exists: Pulumi keeps the JobId in state (ErrorResourceInitFailed) instead of orphaning it. */
function initFailed(jobId: string, inputs: RawInputs, sent: string, step: string, e: unknown): Error {
  return service.initFailed(jobId, compact({ ...inputs, jobId, status: { endpoint: service.settings().endpoint, manifestYaml: redactManifest(sent) } }), step, e);
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
  service.warn(
    "no AWS credentials resolved for importexport, so manifests are validated locally only; the service validates them at `pulumi up`. " +
      "Set importexport:accessKeyId / secretAccessKey (or a profile) to validate on preview, or importexport:validateOnPreview false to silence this.",
  );
}

/**
 * Normalises the inputs and validates them: locally always, and against the service (CreateJob with
 * ValidateOnly=true) when they are new or changed and `validateOnPreview` is on (default: on when credentials
 * resolve). Unknown values during preview are passed through and their validation waits for `up`.
 *
 * A new job's check during an update (the program says so: ../core/update-run) does not ask the service: the
 * CreateJob that follows validates the same manifest, and fails the same way with nothing created. A changed job's
 * check still asks, also during an update: a replacement may delete the old job first (`deleteBeforeReplace`),
 * and an UpdateJob that fails leaves the stack's view of the job to be refreshed.
 */
export async function check(olds: RawInputs, news: RawInputs): Promise<dynamic.CheckResult> {
  const before = mechanism.inputsOf(olds ?? {});
  const n = checkInputs(news, before);
  if (n.failures.length > 0 || n.hasUnknowns) return { inputs: n.inputs, failures: n.failures };
  const isNew = Object.keys(before).length === 0;
  if (isNew && registeredInUpdate(news)) return { inputs: n.inputs };
  const changed = changedFields(policy, before, n.inputs).map((c) => c.field);
  // CreateJob takes the members UpdateJob takes (JobType, Manifest): only a change to one of those needs the service.
  const serverRelevant = isNew || fieldsSentBy(policy, "UpdateJob").some((f) => changed.includes(f));
  if (!serverRelevant) return { inputs: n.inputs };

  const s = service.settings();
  const akid = await signingAccessKeyId();
  const validate = s.validateOnPreview ?? akid !== undefined;
  if (!validate) {
    if (s.validateOnPreview === undefined) noteValidationSkipped();
    return { inputs: n.inputs };
  }
  const members = jobMembers(n.inputs as CheckedInputs);
  try {
    const c = await client();
    await withSigningKey(members.Manifest, (m) => c.createJob({ ...members, Manifest: m, ValidateOnly: true }));
    return { inputs: n.inputs };
  } catch (e) {
    // Stopped (the engine's Cancel): not a reason to go on without the service's validation.
    if (operationAborted()) throw e;
    if (isServiceError(e, ...CREDENTIAL_ERRORS)) {
      // About the stack's credentials, not about any input: an error naming the config keys, not a check failure.
      throw new ImportExportJobError(`The service refused the credentials while validating the manifest (CreateJob with ValidateOnly=true): ${e.message} (${e.name}). ${credentialsHint(s)}`);
    }
    if (isServiceError(e) && e.$fault === "client" && e.name.endsWith("Exception")) {
      return { inputs: n.inputs, failures: [{ property: fieldOfServiceError(e.name, e.message), reason: `${e.message} (${e.name}, from CreateJob with ValidateOnly=true)` }] };
    }
    // The service could not be asked (network, throttling): validation happens again at CreateJob time.
    service.warn(`${service.describeError("Validating the manifest (CreateJob ValidateOnly=true)", undefined, e)}; continuing without server-side validation.`);
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
  // A create stopped after CreateJob was sent (./create-unresolved): created again, adopting the job it made.
  if (isUnresolvedId(id)) {
    console.log(`${id} is a create that was stopped after its CreateJob was sent: it is created again, adopting the job that request made if there is one.`);
    return { changes: true, replaces: ["jobId"], deleteBeforeReplace: false };
  }
  // Another account cannot see the job at all: replace (saying why) rather than let refresh drop it as "gone".
  const target = await placeChange({ recordedEndpoint: priorText(olds, "endpoint"), endpoint: service.settings().endpoint }, () => accountVerdict(olds), {
    words: ACCOUNT_WORDS,
    id,
    warn: service.warn,
  });
  return mechanism.diff(id, olds, news, target);
}

// ---------------------------------------------------------------------------------------------------------------
// create

/**
 * CreateJob (or adopt `adoptJobId`, or the job of the unresolved create being replaced), then GetStatus
 * (+ GetShippingLabel) for the outputs.
 */
export async function create(raw: RawInputs, replaced?: RawInputs): Promise<dynamic.CreateResult> {
  // The engine hands create the inputs check returned: normalised against themselves, a canonical manifest is kept as
  // it is (its check validated it) instead of being parsed and validated again.
  const inputs = service.checked<CheckedInputs>(checkInputs(raw, mechanism.inputsOf(raw)));
  // The native plugin hands over the state this create replaces: an unresolved create's job is adopted, not made again.
  const unresolved = unresolvedOf(replaced);
  // The caller's account (STS, once per connection) is asked for while the job is made rather than after it: in a
  // fresh provider process it costs loading the STS client and a round trip, which every create of the first wave of
  // an `up` would otherwise wait for after its own calls. Awaited in describeJob; a failed create reports its own error.
  const account = accountId();
  account.catch(() => undefined);
  const made = inputs.adoptJobId
    ? await adopt(inputs, inputs.adoptJobId, manifestForCall(inputs.manifest, await signingAccessKeyId()).sent)
    : ((unresolved ? await adoptUnresolved(inputs, unresolved) : undefined) ?? (await createJob(inputs)));
  try {
    const outs = await describeJob(made.jobId, inputs, {
      ...compact({ warningMessage: made.warningMessage }),
      manifestYaml: made.shown ?? redactManifest(made.sent),
      refreshLabel: true,
    }, account);
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
  // An unresolved create stays as it is until the next `up` resolves it.
  if (isUnresolvedId(id)) return { id, props: prior, inputs: mechanism.inputsOf(prior) };
  const v = await accountVerdict(prior);
  if (v.kind === "other") {
    throw new ImportExportJobError(keptForAccount(ACCOUNT_WORDS, id, v));
  }
  const { live, status } = await mechanism.liveState(id);
  if (live.kind === "gone" || !status) return { id: "" };
  const priorInputs = checkInputs(mechanism.inputsOf(prior)).inputs as CheckedInputs;
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
  // A job read with no prior inputs (`pulumi import`, `get`) was found with these credentials: it is their account's.
  const account = priorText(prior, "accountId") ?? (Object.keys(mechanism.inputsOf(prior)).length === 0 ? await accountId() : undefined);
  const outs = jobState(inputs, status, {
    jobId: id,
    endpoint: priorText(prior, "endpoint") ?? service.settings().endpoint,
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
  // The engine hands update the inputs check returned: they are checked, and are not checked again.
  const inputs = news as CheckedInputs;
  const outcome = await mechanism.update(id, olds, news);
  const ran = (call: ImportExportCall) => outcome.results.find((r) => r.call === call)?.result;
  const updated = ran("UpdateJob");
  const label = ran("GetShippingLabel");
  let warningMessage = updated ? updated.warning : priorText(olds, "warningMessage");
  if (label?.warning) warningMessage = warningMessage ? `${warningMessage}\n${label.warning}` : label.warning;
  const priorLabel = priorText(olds, "shippingLabelUrl");
  const labelUrl = label ? (label.outputs?.["shippingLabelUrl"] as string | undefined) : priorLabel;
  // The manifest UpdateJob accepted, redacted once by the adapter; without an UpdateJob the job's manifest is the one
  // the state already shows (create marker included).
  const manifestYaml = (updated?.outputs?.["manifestYaml"] as string | undefined) ?? priorText(olds, "manifestYaml") ?? (await shownManifest(inputs));
  try {
    const outs = await describeJob(id, inputs, {
      ...compact({ warningMessage, shippingLabelUrl: labelUrl }),
      manifestYaml,
      // A label asked for earlier whose URL never arrived (e.g. create failed after CreateJob) is fetched now.
      refreshLabel: !label && inputs.shippingLabel !== undefined && priorLabel === undefined,
    });
    return { outs };
  } catch (e) {
    service.fail("GetStatus", id, e);
  }
}

/** How the inputs' manifest shows in outputs as sent now (for a prior state that shows none). */
async function shownManifest(inputs: CheckedInputs): Promise<string> {
  return manifestForCall(inputs.manifest, await signingAccessKeyId()).shown;
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
  const unresolved = unresolvedOf(props);
  if (isUnresolvedId(id) && unresolved) {
    await dropUnresolved(id, checkInputs(mechanism.inputsOf(props)).inputs as CheckedInputs, unresolved);
    return;
  }
  const v = await accountVerdict(props);
  if (v.kind === "other") {
    service.warn(releasedForAccount(ACCOUNT_WORDS, id, v));
    return;
  }
  await mechanism.delete(id, props);
}

export { delete_ as delete };
