/**
 * The IotJob provider implementation: configure / check / diff / create / read / update / delete.
 *
 * Loaded at run time, in the provider process, by the tiny serialized provider (./iot-job-provider); never serialized
 * itself. Package subpath `pulumi-importexport/iot-runtime`.
 *
 * What is its own here: check (./iot-inputs), create (CreateJob, reconciling a ResourceAlreadyExists answer) and
 * the outputs. Update vs replace, the update calls and destroy are the mechanism's, driven by the IoT table
 * (./iot-policy) through the adapter below.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { DescribeJobCommandOutput } from "@aws-sdk/client-iot";
import { ProviderConfigError, resolveIotSettings, type ConfigReader, type IotProviderSettings } from "./config";
import { priorGroup } from "./grouped-outputs";
import { connectIot, iotErrorCode, type IotConnection } from "./iot-client";
import { checkIotInputs, type IotCheckedInputs } from "./iot-inputs";
import { AUTO_NAME_SEED, autoNameBasis, fromEngine, noteReplacement, replacedJobId, seedOf, toEngine, visibleAutoName } from "./iot-autoname";
import { EXECUTIONS_IN_PROGRESS, iotJobPolicy as policy, type IotCall } from "./iot-policy";
import { ProviderError, resourceMechanism, type CallRequest, type CallResult } from "./mechanism";
import { accountOfArn, compareAccount, keptForAccount, placeChange, releasedForAccount, type AccountVerdict, type AccountWords } from "./account-check";
import { deepEqual, setEqual, UNKNOWN } from "./policy";

/** An error meant for the person running `pulumi`: its message is the whole story, so no stack trace is shown. */
export class IotJobError extends ProviderError {
  override readonly name: string = "IotJobError";
}

type Job = NonNullable<DescribeJobCommandOutput["job"]>;

// ---------------------------------------------------------------------------------------------------------------
// Settings and connection (module state of the provider process).

let settings: IotProviderSettings | undefined;
let connection: Promise<IotConnection> | undefined;
let callerAccountPromise: Promise<string | undefined> | undefined;

/** Reads stack config (`importexport-iot:*`, `aws:region`, `aws:profile`). Called by the engine first. */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  try {
    settings = resolveIotSettings(req.config as ConfigReader);
  } catch (e) {
    if (e instanceof ProviderConfigError) throw new IotJobError(e.message);
    throw e;
  }
  connection = undefined;
  callerAccountPromise = undefined;
}

function currentSettings(): IotProviderSettings {
  settings ??= resolveIotSettings({ get: () => undefined });
  return settings;
}

function iot(): Promise<IotConnection> {
  connection ??= connectIot(currentSettings());
  return connection;
}

/** The endpoint recorded in state: the configured one, or the SDK's regional default. */
function endpointOf(s: IotProviderSettings): string {
  return s.endpoint ?? `https://iot.${s.region}.amazonaws.com`;
}

/** Resets module state (tests run several configurations in one process). */
export async function resetForTests(): Promise<void> {
  (await connection)?.client.destroy();
  settings = undefined;
  connection = undefined;
  callerAccountPromise = undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Which account signs (./account-check): a job's ARN holds its account, `job.accessKeyId` the key it was last
// written with, so an unchanged preview compares keys and makes no call.

const ACCOUNT_WORDS: AccountWords = {
  resource: "IoT job",
  namespace: "importexport-iot",
  cancelHint: (id) => `e.g. \`aws iot cancel-job --job-id ${id}\` with that account's keys`,
};

/** The access key ID the IoT client signs with, or undefined when no credentials resolve. */
async function signingKey(): Promise<string | undefined> {
  const configured = currentSettings().credentials?.accessKeyId;
  if (configured !== undefined) return configured;
  try {
    return (await (await iot()).client.config.credentials()).accessKeyId;
  } catch {
    return undefined;
  }
}

/**
 * The caller's account: STS GetCallerIdentity with the IoT client's credentials, once per process. STS is asked at
 * AWS_ENDPOINT_URL_STS, else at the configured IoT endpoint (the emulator serves both), else at the AWS default;
 * undefined when it does not answer.
 */
function callerAccount(): Promise<string | undefined> {
  callerAccountPromise ??= (async () => {
    const { client } = await iot();
    const [{ STSClient, GetCallerIdentityCommand }, { resolveStsEndpoint }] = await Promise.all([import("@aws-sdk/client-sts"), import("../sdk/endpoint.js")]);
    const endpoint = resolveStsEndpoint(undefined) ?? currentSettings().endpoint;
    const sts = new STSClient({ region: currentSettings().region, credentials: client.config.credentials, maxAttempts: 2, ...(endpoint !== undefined ? { endpoint } : {}) });
    try {
      return (await sts.send(new GetCallerIdentityCommand({}))).Account;
    } finally {
      sts.destroy();
    }
  })().catch(() => undefined);
  return callerAccountPromise;
}

function accountVerdict(state: Readonly<Record<string, unknown>>): Promise<AccountVerdict> {
  const job = priorGroup(state, "job");
  const key = job["accessKeyId"];
  return compareAccount({ accountId: accountOfArn(job["jobArn"]), accessKeyId: typeof key === "string" ? key : undefined }, { signingKey, callerAccount });
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

function describeError(operation: string, jobId: string | undefined, e: unknown): string {
  const job = jobId ? ` for IoT job ${jobId}` : "";
  if (e instanceof IotJobError) return e.message;
  const code = iotErrorCode(e);
  const message = e instanceof Error ? e.message : String(e);
  if (code !== undefined) return `${operation}${job} failed: ${message} (${code})`;
  return `${operation}${job} failed: could not reach ${endpointOf(currentSettings())} (${message}). Check importexport-iot:endpoint and that the service is up.`;
}

function fail(operation: string, jobId: string | undefined, e: unknown): never {
  if (e instanceof IotJobError) throw e;
  throw new IotJobError(describeError(operation, jobId, e));
}

function warn(message: string): void {
  console.log(`warning: ${message}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Calls

/** The checked inputs the engine hands create/update (they carry the provider's own auto-naming keys). */
function checked(engineBag: Record<string, unknown>): IotCheckedInputs {
  const bag = fromEngine(engineBag);
  const { jobIdAutoNamed: _marker, ...news } = bag;
  const r = checkIotInputs(bag, news);
  const first = r.failures[0];
  if (first) throw new IotJobError(`Invalid input ${first.property}: ${first.reason}`);
  return r.inputs as unknown as IotCheckedInputs;
}

/** The UpdateJob members: every updatable input that is set, whole (the model gives no partial-merge semantics). */
function updateMembers(inputs: IotCheckedInputs) {
  return {
    ...(inputs.description !== undefined ? { description: inputs.description } : {}),
    ...(inputs.presignedUrlConfig !== undefined ? { presignedUrlConfig: inputs.presignedUrlConfig } : {}),
    ...(inputs.jobExecutionsRolloutConfig !== undefined ? { jobExecutionsRolloutConfig: inputs.jobExecutionsRolloutConfig } : {}),
    ...(inputs.abortConfig !== undefined ? { abortConfig: inputs.abortConfig } : {}),
    ...(inputs.timeoutConfig !== undefined ? { timeoutConfig: inputs.timeoutConfig } : {}),
    ...(inputs.jobExecutionsRetryConfig !== undefined ? { jobExecutionsRetryConfig: inputs.jobExecutionsRetryConfig } : {}),
  };
}

/**
 * The calls the IoT table names, each as one SDK command (the mechanism decides when). Retries (throttling, the
 * LimitExceededException quota, lost connections) are the client's retry strategy (./iot-client), never a loop here.
 */
async function perform(call: IotCall, req: CallRequest<IotCall>): Promise<CallResult> {
  const { sdk, client } = await iot();
  const inputs = req.inputs as unknown as IotCheckedInputs;
  const namespace = inputs.namespaceId !== undefined ? { namespaceId: inputs.namespaceId } : {};
  switch (call) {
    case "UpdateJob":
      await client.send(new sdk.UpdateJobCommand({ jobId: req.id, ...namespace, ...updateMembers(inputs) }));
      return {};
    case "TagResource":
    case "UntagResource": {
      const recorded = priorGroup(req.state, "job")["jobArn"];
      const arn = typeof recorded === "string" ? recorded : await jobArnOf(req.id);
      if (call === "TagResource") {
        const tags = Object.entries(req.step?.map?.set ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) }));
        await client.send(new sdk.TagResourceCommand({ resourceArn: arn, tags }));
      } else {
        await client.send(new sdk.UntagResourceCommand({ resourceArn: arn, tagKeys: [...(req.step?.map?.unset ?? [])] }));
      }
      return {};
    }
    case "CancelJob":
      await client.send(new sdk.CancelJobCommand({ jobId: req.id, force: inputs.forceCancel === true, comment: "Canceled by pulumi (IotJob delete)." }));
      return {};
    case "DeleteJob":
      await client.send(new sdk.DeleteJobCommand({ jobId: req.id, force: inputs.forceDelete === true, ...namespace }));
      return {};
  }
}

async function describe(jobId: string): Promise<Job> {
  const { sdk, client } = await iot();
  const r = await client.send(new sdk.DescribeJobCommand({ jobId }));
  if (!r.job) throw new IotJobError(`DescribeJob for IoT job ${jobId} answered without a job.`);
  return r.job;
}

async function jobArnOf(jobId: string): Promise<string> {
  const arn = (await describe(jobId)).jobArn;
  if (!arn) throw new IotJobError(`DescribeJob for IoT job ${jobId} answered without a jobArn.`);
  return arn;
}

/** diff / update / delete, driven by the IoT table. */
const mechanism = resourceMechanism(policy, {
  statusCall: "DescribeJob",
  // A flat state (before `job`) had jobArn at the top level; every state since has it under `job`.
  outputGroups: { groups: ["job"], writtenBy: "jobArn" },
  describe: async (id: string) => {
    const job = await describe(id);
    const running = job.jobProcessDetails?.numberOfInProgressThings ?? 0;
    return { state: job.status, status: job, conditions: running > 0 ? [EXECUTIONS_IN_PROGRESS] : [] };
  },
  perform,
  errorCode: iotErrorCode,
  errorMessage: (e: unknown) => (e instanceof Error ? e.message : String(e)),
  describeError,
  warn,
});

// ---------------------------------------------------------------------------------------------------------------
// Outputs

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
function jobState(inputs: Record<string, unknown>, job: Job, where: Where): Record<string, unknown> {
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
/** Where a job lives, and the access key it was last written with (the fast path of the account check). */
interface Where {
  endpoint: string;
  region: string;
  accessKeyId?: string;
}

/** `base` with the current signing key (absent when no credentials resolve). */
async function signedBy(base: Where): Promise<Where> {
  const accessKeyId = await signingKey();
  return accessKeyId !== undefined ? { ...base, accessKeyId } : base;
}

function recordedWhere(state: Record<string, unknown>): { endpoint: string; region: string } {
  const prior = priorGroup(state, "job");
  return typeof prior["endpoint"] === "string" ? { endpoint: prior["endpoint"], region: String(prior["region"] ?? currentSettings().region) } : where();
}

function where(): { endpoint: string; region: string } {
  const s = currentSettings();
  return { endpoint: endpointOf(s), region: s.region };
}

/** A failure after the job exists: Pulumi keeps the job in state (ErrorResourceInitFailed) instead of orphaning it. */
function initFailed(jobId: string, raw: Record<string, unknown>, step: string, e: unknown): Error {
  const reason = describeError(step, jobId, e);
  const err = new IotJobError(`IoT job ${jobId} was created, but ${step} failed afterwards: ${reason}. The job is kept in the stack; run \`pulumi up\` again to finish.`) as IotJobError & {
    id: string;
    properties: Record<string, unknown>;
    reasons: string[];
  };
  err.id = jobId;
  err.properties = { ...fromEngine(raw), job: where() };
  err.reasons = [reason];
  return err;
}

// ---------------------------------------------------------------------------------------------------------------
// check / diff

/**
 * Normalises and validates the inputs locally (no API call); auto-names `jobId` when the program gives none, the
 * same name in preview and up, kept while the olds carry it, new for a replacement (./iot-autoname).
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
  const target = await placeChange({ recordedEndpoint: typeof prior === "string" ? prior : undefined, endpoint: endpointOf(currentSettings()) }, () => accountVerdict(olds), {
    words: ACCOUNT_WORDS,
    id,
    warn,
  });
  const provided = fromEngine(news);
  const result = await mechanism.diff(id, olds, provided, target);
  const seed = seedOf(news);
  // The engine re-checks a replacement without the old inputs: the new auto-name is derived from the jobId replaced.
  if ((result.replaces?.length ?? 0) > 0 && seed !== undefined && seed !== UNKNOWN && provided["jobIdAutoNamed"] === true) noteReplacement(seed, id);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// create

/** How long create waits for a deletion of the same jobId to finish (the ID is reusable only afterwards). */
const REUSE_WAIT = { attempts: 40, intervalMs: 500 };

function createRequest(inputs: IotCheckedInputs) {
  const { jobId, targets, tags, forceCancel: _fc, forceDelete: _fd, jobIdAutoNamed: _an, autoNamePrefix: _ap, ...rest } = inputs;
  return {
    jobId,
    targets,
    ...rest,
    ...(tags !== undefined ? { tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
  };
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
    return fail("DescribeJob (after ResourceAlreadyExistsException)", jobId, e);
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
      await client.send(new sdk.CreateJobCommand(createRequest(inputs) as ConstructorParameters<typeof sdk.CreateJobCommand>[0]));
      return;
    } catch (e) {
      if (iotErrorCode(e) !== "ResourceAlreadyExistsException") fail("CreateJob", inputs.jobId, e);
    }
    let job = await describeOrGone(inputs.jobId);
    for (let i = 0; i < REUSE_WAIT.attempts && job?.status === "DELETION_IN_PROGRESS"; i++) {
      await sleep(REUSE_WAIT.intervalMs);
      job = await describeOrGone(inputs.jobId);
    }
    if (job === undefined) continue; // the ID is free again: create once more
    if (job.status === "DELETION_IN_PROGRESS") {
      throw new IotJobError(`IoT job ${inputs.jobId} cannot be created yet: a job with this ID is still being deleted (DELETION_IN_PROGRESS). Run \`pulumi up\` again in a minute.`);
    }
    if (await sameJob(inputs.jobId, inputs, job).catch(() => false)) {
      warn(`CreateJob answered ResourceAlreadyExistsException for IoT job ${inputs.jobId}, and the existing job carries these targets and this document (a retried request whose first answer was lost); it is adopted.`);
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

/** A service value as plain JSON (the SDK's objects, without undefined members), or undefined when absent. */
function plain(value: unknown): unknown {
  return value === undefined || value === null ? undefined : JSON.parse(JSON.stringify(value));
}

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
    return fail("ListTagsForResource", id, e);
  }
  // The jobId output is the id (a `get` reads a job with no prior state to take it from).
  return { id, props: jobState({ ...inputs, jobId: id }, status, await signedBy(recordedWhere(prior))), inputs: toEngine(inputs) };
}

/** The table's calls for the changed inputs (UpdateJob, TagResource, UntagResource), then DescribeJob. */
export async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
  checked(news);
  const provided = fromEngine(news);
  const outcome = await mechanism.update(id, olds, provided);
  let job: Job;
  try {
    job = await describe(id);
  } catch (e) {
    fail("DescribeJob", id, e);
  }
  const timeoutChanged = outcome.plan.steps.some((s) => s.fields.includes("timeoutConfig"));
  const started = (job.jobProcessDetails?.numberOfInProgressThings ?? 0) + (job.jobProcessDetails?.numberOfSucceededThings ?? 0) + (job.jobProcessDetails?.numberOfFailedThings ?? 0);
  if (timeoutChanged && started > 0) warn(`IoT job ${id}: the new timeoutConfig applies only to executions not yet started; ${started} have started.`);
  return { outs: jobState(mechanism.inputsOf(provided), job, await signedBy(recordedWhere(olds))) };
}

/**
 * One policy for `pulumi destroy` and the old half of a replacement, from the table: CancelJob while SCHEDULED or
 * IN_PROGRESS, DeleteJob once CANCELED or COMPLETED, nothing when gone; running executions are never force-stopped
 * without forceCancel / forceDelete.
 */
export async function delete_(id: string, props: Record<string, unknown>): Promise<void> {
  const v = await accountVerdict(props);
  if (v.kind === "other") {
    warn(releasedForAccount(ACCOUNT_WORDS, id, v));
    return;
  }
  await mechanism.delete(id, props);
}

export { delete_ as delete };
