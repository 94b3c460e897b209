/**
 * The IotJob provider implementation: configure / check / diff / create / read / update / delete.
 *
 * Loaded at run time, in the provider process, by the tiny serialized provider (./provider); never serialized
 * itself. Package subpath `pulumi-importexport/iot-runtime`.
 *
 * What is its own here: check (./inputs), create (CreateJob, reconciling a ResourceAlreadyExists answer) and
 * the outputs. Update vs replace, the update calls and destroy are the mechanism's, driven by the IoT table
 * (./definition) through its adapter (./adapter).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { requestMembers } from "../core/definition";
import { operationAborted, wait } from "../core/operation-signal";
import { priorGroup } from "../core/grouped-outputs";
import { deepEqual, setEqual, UNKNOWN } from "../core/policy";
import { accountOfArn, compareAccount, keptForAccount, placeChange, releasedForAccount, type AccountVerdict, type AccountWords } from "../core/account-check";
import { describe, mechanism } from "./adapter";
import { AUTO_NAME_SEED, autoNameBasis, comparedInputs, fromEngine, noteReplacement, replacedJobId, seedOf, toEngine, visibleAutoName } from "./autoname";
import { callerAccount, endpointOf, iot, iotErrorCode, IotJobError, service, signingKey, where } from "./client";
import { iotJobDefinition as definition, iotJobImportRefusals, iotJobPolicy as policy, type IotCheckedInputs } from "./definition";
import { inputsOfExistingJob, plain } from "./existing";
import { checkIotInputs } from "./inputs";
import { jobState, recordedWhere, type Job, type Where } from "./outputs";

export { IotJobError };

/** Reads stack config (`importexport-iot:*`, `aws:region`, `aws:profile`). Called by the engine first. */
export const configure = service.configure;

/** Resets module state (tests run several configurations in one process). */
export const resetForTests = service.resetForTests;

// ---------------------------------------------------------------------------------------------------------------
// Which account signs (../core/account-check): a job's ARN holds its account, `job.accessKeyId` the key it was last
// written with, so an unchanged preview compares keys and makes no call.

const ACCOUNT_WORDS: AccountWords = {
  resource: "IoT job",
  namespace: "importexport-iot",
  cancelHint: (id) => `e.g. \`aws iot cancel-job --job-id ${id}\` with that account's keys`,
};

function accountVerdict(state: Readonly<Record<string, unknown>>): Promise<AccountVerdict> {
  const job = priorGroup(state, "job");
  const key = job["accessKeyId"];
  return compareAccount({ accountId: accountOfArn(job["jobArn"]), accessKeyId: typeof key === "string" ? key : undefined }, { signingKey, callerAccount });
}

/** `base` with the current signing key (absent when no credentials resolve). */
async function signedBy(base: Where): Promise<Where> {
  const accessKeyId = await signingKey();
  return accessKeyId !== undefined ? { ...base, accessKeyId } : base;
}

/** A failure after the job exists: Pulumi keeps the job in state (ErrorResourceInitFailed) instead of orphaning it. */
function initFailed(jobId: string, raw: Record<string, unknown>, step: string, e: unknown): Error {
  return service.initFailed(jobId, { ...fromEngine(raw), job: where() }, step, e);
}

/** The checked inputs the engine hands create (they carry the provider's own auto-naming keys). */
function checked(engineBag: Record<string, unknown>): IotCheckedInputs {
  const bag = fromEngine(engineBag);
  const { jobIdAutoNamed: _marker, ...news } = bag;
  return service.checked<IotCheckedInputs>(checkIotInputs(bag, news));
}

// ---------------------------------------------------------------------------------------------------------------
// check / diff

/**
 * Normalises and validates the inputs locally (no API call); auto-names `jobId` when the program gives none, the
 * same name in preview and up, kept while the olds carry it, new for a replacement (./autoname).
 */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  const prior = olds ?? {};
  const { [AUTO_NAME_SEED]: seedValue, ...program } = news ?? {};
  const priorInputs = mechanism.inputsOf(fromEngine(prior));
  const seed = seedOf(news ?? {});
  // No olds: a new resource, or the engine's re-check of a replacement diff has just decided (then it noted the jobId).
  const replaced = seed !== undefined && Object.keys(priorInputs).length === 0 ? replacedJobId(seed) : undefined;
  const basis = seed === undefined ? undefined : seed === UNKNOWN ? UNKNOWN : autoNameBasis(seed, replaced);
  const r = checkIotInputs(priorInputs, program, basis !== undefined ? { basis } : {});
  const inputs = toEngine(r.inputs, visibleAutoName(prior));
  if (seedValue !== undefined) inputs[AUTO_NAME_SEED] = seedValue;
  return { inputs, failures: r.failures };
}

/**
 * No input change → no API call. A change → the IoT table decides (never a status read: replacement is static). A
 * state written before the outputs were grouped under `job` is an in-place change with no call but DescribeJob.
 */
export async function diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
  const prior = priorGroup(olds, "job")["endpoint"];
  // Another account cannot see the job: replace (saying why) rather than let refresh drop it as not found.
  const target = await placeChange({ recordedEndpoint: typeof prior === "string" ? prior : undefined, endpoint: endpointOf(service.settings()) }, () => accountVerdict(olds), {
    words: ACCOUNT_WORDS,
    id,
    warn: service.warn,
  });
  const provided = fromEngine(news);
  const result = await mechanism.diff(id, comparedInputs(olds), comparedInputs(news), target);
  const seed = seedOf(news);
  // The engine re-checks a replacement without the old inputs: the new auto-name is derived from the jobId replaced.
  if ((result.replaces?.length ?? 0) > 0 && seed !== undefined && seed !== UNKNOWN && provided["jobIdAutoNamed"] === true) noteReplacement(seed, id);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// create

/** How long create waits for a deletion of the same jobId to finish (the ID is reusable only afterwards). */
const REUSE_WAIT = { attempts: 40, intervalMs: 500 };

/** The inputs CreateJob carries: every one the service keeps (the table's state-only inputs are the provider's own). */
const CREATE_FIELDS = Object.keys(policy.fields).filter((f) => policy.fields[f]?.kind !== "state-only");

/** CreateJob's members, read from the definition; tags go on the wire as `[{Key, Value}]`. */
function createRequest(inputs: IotCheckedInputs): Record<string, unknown> {
  const members = requestMembers(definition.inputs, CREATE_FIELDS, inputs);
  if (inputs.tags !== undefined) members["tags"] = Object.entries(inputs.tags).map(([Key, Value]) => ({ Key, Value }));
  return members;
}

/** Whether the existing job `jobId` is the one these inputs describe (a retried CreateJob whose answer was lost). */
async function sameJob(jobId: string, inputs: IotCheckedInputs, job: Job): Promise<boolean> {
  if (!setEqual(job.targets ?? [], inputs.targets)) return false;
  if ((job.targetSelection ?? "SNAPSHOT") !== (inputs.targetSelection ?? "SNAPSHOT")) return false;
  if ((job.description ?? undefined) !== inputs.description) return false;
  if (inputs.document === undefined) return true;
  const { sdk, client } = await iot();
  const doc = await client.send(new sdk.GetJobDocumentCommand({ jobId, beforeSubstitution: true }));
  try {
    return deepEqual(JSON.parse(doc.document ?? "null"), JSON.parse(inputs.document));
  } catch {
    return doc.document === inputs.document;
  }
}

/** The job, or undefined once it is gone (not found). */
async function describeOrGone(jobId: string): Promise<Job | undefined> {
  try {
    return await describe(jobId);
  } catch (e) {
    if (iotErrorCode(e) === "ResourceNotFoundException") return undefined;
    return service.fail("DescribeJob (after ResourceAlreadyExistsException)", jobId, e);
  }
}

/**
 * CreateJob. A ResourceAlreadyExistsException is looked into, never taken as success blindly: a job with this ID
 * still being deleted (a delete-first replacement with a fixed jobId) is waited for, then the job is created; an
 * existing job with these targets and this document is the one a retried request created (its first answer was
 * lost) and is adopted; anything else is a conflict the user must resolve.
 */
async function createJob(inputs: IotCheckedInputs): Promise<void> {
  const { sdk, client } = await iot();
  for (let round = 0; round < 2; round++) {
    try {
      await client.send(new sdk.CreateJobCommand(createRequest(inputs) as unknown as ConstructorParameters<typeof sdk.CreateJobCommand>[0]));
      return;
    } catch (e) {
      if (operationAborted()) {
        // The jobId is the client's (given, or auto-named from the URN: the same next time), so nothing needs
        // recording: the next create sends the same jobId and adopts the job this request made, if it did.
        throw new IotJobError(
          `CreateJob for IoT job ${inputs.jobId} was stopped before its answer came, so the service may have made the job, or may still make it. ` +
            `Nothing is recorded in the stack: the next \`pulumi up\` sends CreateJob for ${inputs.jobId} again and, when that job exists with these targets, ` +
            "document and description (ResourceAlreadyExistsException), adopts it instead of making a second one. Keep them unchanged until then.",
        );
      }
      if (iotErrorCode(e) !== "ResourceAlreadyExistsException") service.fail("CreateJob", inputs.jobId, e);
    }
    let job = await describeOrGone(inputs.jobId);
    for (let i = 0; i < REUSE_WAIT.attempts && job?.status === "DELETION_IN_PROGRESS"; i++) {
      await wait(REUSE_WAIT.intervalMs);
      job = await describeOrGone(inputs.jobId);
    }
    if (job === undefined) continue; // the ID is free again: create once more
    if (job.status === "DELETION_IN_PROGRESS") {
      throw new IotJobError(`IoT job ${inputs.jobId} cannot be created yet: a job with this ID is still being deleted (DELETION_IN_PROGRESS). Run \`pulumi up\` again in a minute.`);
    }
    // A failed comparison is "not the same job", unless the operation was stopped: then nothing is decided.
    if (await sameJob(inputs.jobId, inputs, job).catch((e: unknown) => (operationAborted() ? Promise.reject(e) : false))) {
      service.warn(`CreateJob answered ResourceAlreadyExistsException for IoT job ${inputs.jobId}, and the existing job carries these targets and this document (a retried request whose first answer was lost); it is adopted.`);
      return;
    }
    throw new IotJobError(
      `IoT job ${inputs.jobId} already exists with other targets or another document (ResourceAlreadyExistsException). Choose another jobId, or leave jobId out to get a generated one.`,
    );
  }
  throw new IotJobError(`CreateJob for IoT job ${inputs.jobId} kept answering ResourceAlreadyExistsException for a job that is gone; run \`pulumi up\` again.`);
}

/** CreateJob, then DescribeJob for the outputs. */
export async function create(raw: Record<string, unknown>): Promise<dynamic.CreateResult> {
  const inputs = checked(raw);
  await createJob(inputs);
  try {
    return { id: inputs.jobId, outs: jobState(mechanism.inputsOf(fromEngine(raw)), await describe(inputs.jobId), await signedBy(where())) };
  } catch (e) {
    throw initFailed(inputs.jobId, raw, "DescribeJob", e);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// read / update / delete

/** The inputs the table calls updatable: UpdateJob's members and the tags map (read from the table, not listed here). */
const UPDATABLE = Object.entries(policy.fields).filter(([, rule]) => rule.kind === "updatable-while" || rule.kind === "updatable-map");

/** The job's tags as a map (ListTagsForResource, every page). */
async function liveTags(jobArn: string): Promise<Record<string, string>> {
  const { sdk, client } = await iot();
  const tags: Record<string, string> = {};
  let nextToken: string | undefined;
  do {
    const page = await client.send(new sdk.ListTagsForResourceCommand({ resourceArn: jobArn, ...(nextToken !== undefined ? { nextToken } : {}) }));
    for (const t of page.tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? "";
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return tags;
}

/**
 * The prior inputs with each updatable field replaced by the service's current value, so that `pulumi refresh`
 * shows a change made outside Pulumi (an out-of-band UpdateJob or TagResource) and the next `up` puts the program's
 * value back. An UpdateJob member the program does not set stays unset here even when the job has one: UpdateJob
 * cannot clear it, so reporting it would be a diff no `up` could ever resolve. Tags can be removed, so they are
 * always the service's.
 */
async function withLiveValues(prior: Record<string, unknown>, job: Job): Promise<Record<string, unknown>> {
  const inputs = { ...prior };
  for (const [field, rule] of UPDATABLE) {
    let value: unknown;
    if (rule.kind === "updatable-map") {
      if (!job.jobArn) continue;
      const tags = await liveTags(job.jobArn);
      value = Object.keys(tags).length > 0 ? tags : undefined;
    } else {
      if (prior[field] === undefined) continue;
      value = plain((job as Record<string, unknown>)[field]);
    }
    if (value === undefined) delete inputs[field];
    else inputs[field] = value;
  }
  return inputs;
}

/**
 * DescribeJob (and ListTagsForResource) → outputs and the updatable inputs as the service has them now; a job not
 * found or DELETION_IN_PROGRESS is gone (empty id: refresh drops it).
 */
export async function read(id: string, props?: Record<string, unknown>): Promise<dynamic.ReadResult> {
  const prior = props ?? {};
  if (prior["targets"] === undefined) {
    // No prior state (every state holds targets, a required input): a `get`, whose props carry at most the class's
    // naming keys. The job's inputs are the service's; one being deleted is gone.
    const found = await existingJob(id);
    return found === undefined || found.status === "DELETION_IN_PROGRESS" ? { id: "" } : found.result;
  }
  const v = await accountVerdict(prior);
  if (v.kind === "other") {
    // Not found in this account is not gone: fail (the stack keeps it as recorded) and say why.
    throw new IotJobError(keptForAccount(ACCOUNT_WORDS, id, v));
  }
  const { live, status } = await mechanism.liveState(id);
  if (live.kind === "gone" || !status) return { id: "" };
  let inputs: Record<string, unknown>;
  try {
    inputs = await withLiveValues(mechanism.inputsOf(prior), status);
  } catch (e) {
    return service.fail("ListTagsForResource", id, e);
  }
  // The jobId output is the id (a `get` reads a job with no prior state to take it from).
  return { id, props: jobState({ ...inputs, jobId: id }, status, await signedBy(recordedWhere(prior, where))), inputs: toEngine(inputs) };
}

/**
 * A job this stack does not hold yet, every input as the service has it (./existing): DescribeJob, the document
 * (GetJobDocument before substitution; none for a documentSource or a template's document) and the tags. Undefined
 * when DescribeJob does not find it.
 */
async function existingJob(id: string): Promise<{ status: string | undefined; result: dynamic.ReadResult } | undefined> {
  const { sdk, client } = await iot();
  let step = "DescribeJob";
  try {
    const answer = await client.send(new sdk.DescribeJobCommand({ jobId: id }));
    const job = answer.job;
    if (!job) throw new IotJobError(`DescribeJob for IoT job ${id} answered without a job.`);
    let document: string | undefined;
    if (answer.documentSource === undefined && job.jobTemplateArn === undefined) {
      step = "GetJobDocument";
      document = (await client.send(new sdk.GetJobDocumentCommand({ jobId: id, beforeSubstitution: true }))).document;
    }
    step = "ListTagsForResource";
    const tags = job.jobArn !== undefined ? await liveTags(job.jobArn) : {};
    const inputs = inputsOfExistingJob(id, { job, tags, ...(document !== undefined ? { document } : {}), ...(answer.documentSource !== undefined ? { documentSource: answer.documentSource } : {}) });
    return { status: job.status, result: { id, props: jobState(inputs, job, await signedBy(where())), inputs: toEngine(inputs) } };
  } catch (e) {
    if (step === "DescribeJob" && iotErrorCode(e) === "ResourceNotFoundException") return undefined;
    if (e instanceof IotJobError) throw e;
    return service.fail(step, id, e);
  }
}

/**
 * `pulumi import` and the `import` resource option (the native face, whose `get` the engine reads the same way): the
 * existing job `id` with every input as the service has it, so a program declaring the same job previews no change.
 * A job not found in the account and region of these credentials, or in a status the definition refuses
 * (`iotJobImportRefusals`: CANCELED, DELETION_IN_PROGRESS), fails naming the job and the reason.
 */
export async function readForImport(id: string): Promise<dynamic.ReadResult> {
  const found = await existingJob(id);
  if (found === undefined) {
    const account = await callerAccount();
    throw new IotJobError(
      `IoT job ${id} cannot be imported: DescribeJob does not find it (ResourceNotFoundException) in ${account !== undefined ? `account ${account}` : "the account of this provider's credentials"}, ` +
        `region ${service.settings().region}. A job of another account or region is not visible, and a deleted one is gone. Check the id, and the provider's accessKeyId / profile and region.`,
    );
  }
  const refused = found.status !== undefined ? iotJobImportRefusals[found.status as keyof typeof iotJobImportRefusals] : undefined;
  if (refused !== undefined) throw new IotJobError(`IoT job ${id} cannot be imported: ${refused.replace("<id>", id)}.`);
  return found.result;
}

/** The table's calls for the changed inputs (UpdateJob, TagResource, UntagResource), then DescribeJob. */
export async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
  // The engine hands update the inputs check returned: they are checked, and are not checked again (only an
  // auto-named jobId is read back from where check put it, ./autoname).
  const provided = fromEngine(news);
  const outcome = await mechanism.update(id, olds, provided);
  let job: Job;
  try {
    job = await describe(id);
  } catch (e) {
    service.fail("DescribeJob", id, e);
  }
  const timeoutChanged = outcome.plan.steps.some((s) => s.fields.includes("timeoutConfig"));
  const started = (job.jobProcessDetails?.numberOfInProgressThings ?? 0) + (job.jobProcessDetails?.numberOfSucceededThings ?? 0) + (job.jobProcessDetails?.numberOfFailedThings ?? 0);
  if (timeoutChanged && started > 0) service.warn(`IoT job ${id}: the new timeoutConfig applies only to executions not yet started; ${started} have started.`);
  return { outs: jobState(mechanism.inputsOf(provided), job, await signedBy(recordedWhere(olds, where))) };
}

/**
 * One policy for `pulumi destroy` and the old half of a replacement, from the table: CancelJob while SCHEDULED or
 * IN_PROGRESS, DeleteJob once CANCELED or COMPLETED, nothing when gone; running executions are never force-stopped
 * without forceCancel / forceDelete.
 */
export async function delete_(id: string, props: Record<string, unknown>): Promise<void> {
  const v = await accountVerdict(props);
  if (v.kind === "other") {
    service.warn(releasedForAccount(ACCOUNT_WORDS, id, v));
    return;
  }
  await mechanism.delete(id, props);
}

export { delete_ as delete };
