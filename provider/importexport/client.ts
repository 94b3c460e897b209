/**
 * The provider's view of the SDK client: the operations it calls, and how a client and its signing identity are
 * built from the provider settings. Credentials are resolved here, in the provider process, at call time.
 *
 * There is one credential chain, the SDK's (`resolveCredentials`); this module only hands it the settings.
 *
 * The SDK client (undici) and the AWS credential chain are imported on first use, not at module load: a preview of
 * an unchanged stack never calls the service, and its provider process should not pay for loading them.
 */
import type {
  CancelJobInput, CancelJobOutput, CreateJobInput, CreateJobOutput, GetShippingLabelInput, GetShippingLabelOutput,
  GetStatusInput, GetStatusOutput, ListJobsInput, ListJobsOutput, UpdateJobInput, UpdateJobOutput,
} from "../../sdk/types";
import type { ImportExportCredentials } from "../../sdk/credentials";
import { ImportExportAbortError, ImportExportNetworkError, ImportExportServiceException, ImportExportValidationError } from "../../sdk/errors";
import { loadOwnModule } from "../../sdk/own-module";
import { ProviderError } from "../core/mechanism";
import { callOptions } from "../core/operation-signal";
import { runtimeScaffold, type RuntimeScaffold } from "../core/runtime";
import { resolveSettings, type ProviderSettings } from "../core/settings";

/** The operations the provider calls (a subset of `ImportExportClient`). */
export interface JobClient {
  createJob(input: CreateJobInput): Promise<CreateJobOutput>;
  updateJob(input: UpdateJobInput): Promise<UpdateJobOutput>;
  cancelJob(input: CancelJobInput): Promise<CancelJobOutput>;
  getStatus(input: GetStatusInput): Promise<GetStatusOutput>;
  listJobs(input: ListJobsInput): Promise<ListJobsOutput>;
  getShippingLabel(input: GetShippingLabelInput): Promise<GetShippingLabelOutput>;
  whoAmI(): Promise<{ Account?: string }>;
  /** Closes keep-alive connections. */
  destroy(): Promise<void>;
}

/** Credentials as the SDK resolves them (`expiration` set for temporary ones, so they are refreshed in time). */
export type Credentials = ImportExportCredentials;

/** A client plus what the provider needs to know about who signs. */
export interface Connection {
  readonly client: JobClient;
  /**
   * Resolves the signing credentials: the same memoized provider the client signs with (the SDK's
   * `resolveCredentials`), so temporary credentials are fetched again before they expire. Rejects when none can be
   * found.
   */
  readonly credentials: () => Promise<Credentials>;
}

/** Builds a client for the settings. Credentials are not resolved until the first call. */
export async function connect(settings: ProviderSettings): Promise<Connection> {
  // The AWS SDK v3 warns on Node < 22 that *future* releases will need it; the version this package pins supports
  // Node 20 (our engines field), so the warning would only add noise to every `pulumi up`. A user's explicit
  // setting wins.
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
  // required, not import()ed (../../sdk/own-module); the paths name the emitted files, as TypeScript's node16
  // resolution wants for the import() the sources fall back to under vitest.
  const [{ ImportExportClient }, { resolveCredentials }] = await Promise.all([
    loadOwnModule({ require: () => require("../../sdk/client.js"), import: () => import("../../sdk/client.js") }),
    loadOwnModule({ require: () => require("../../sdk/credentials.js"), import: () => import("../../sdk/credentials.js") }),
  ]);
  // One credential chain, the SDK's: static keys from config as they are, otherwise the AWS default chain (with the
  // profile), memoized until 5 minutes before `expiration`. The client and signingAccessKeyId share it.
  const credentials = resolveCredentials(settings.credentials, settings.profile !== undefined ? { profile: settings.profile } : {});
  const sdk = new ImportExportClient({
    // Always the endpoint resolved in config.ts: the one recorded in each job's state is the one used.
    endpoint: settings.endpoint,
    ...(settings.region !== undefined ? { region: settings.region } : {}),
    ...(settings.signatureVersion !== undefined ? { signatureVersion: settings.signatureVersion } : {}),
    credentials,
  });
  // Each call carries the signal of the operation in progress (a timeout or the engine's Cancel in the native
  // plugin; none in the dynamic face). whoAmI does not: its answer is cached for every later operation.
  const client: JobClient = {
    createJob: (input) => sdk.createJob(input, callOptions()),
    updateJob: (input) => sdk.updateJob(input, callOptions()),
    cancelJob: (input) => sdk.cancelJob(input, callOptions()),
    getStatus: (input) => sdk.getStatus(input, callOptions()),
    listJobs: (input) => sdk.listJobs(input, callOptions()),
    getShippingLabel: (input) => sdk.getShippingLabel(input, callOptions()),
    whoAmI: () => sdk.whoAmI(),
    destroy: () => sdk.destroy(),
  };
  return { client, credentials };
}

/** An error meant for the person running `pulumi`: its message is the whole story, so no stack trace is shown. */
export class ImportExportJobError extends ProviderError {
  override readonly name: string = "ImportExportJobError";
}

/** Whether `e` is a service error, with one of `codes` when any are given. */
export function isServiceError(e: unknown, ...codes: string[]): e is ImportExportServiceException {
  return e instanceof ImportExportServiceException && (codes.length === 0 || codes.includes(e.name));
}

/**
 * The provider process's settings (`importexport:*`) and connection, and the one-line errors of ImportExportJob
 * (../core/runtime): module state, shared by the adapter, create and the runtime.
 */
export const service: RuntimeScaffold<ProviderSettings, Connection> = runtimeScaffold({
  namespace: "importexport",
  noun: "job",
  resolve: (config) => resolveSettings(config),
  connect,
  close: (c) => c.client.destroy(),
  endpoint: (s) => s.endpoint,
  classify: (e) => {
    if (e instanceof ImportExportAbortError) return { kind: "aborted", requestSent: e.requestSent };
    if (e instanceof ImportExportServiceException) return { kind: "service", code: e.name, message: e.message };
    if (e instanceof ImportExportValidationError) return { kind: "not-sent", code: e.code, message: e.message };
    if (e instanceof ImportExportNetworkError) return { kind: "unreachable", detail: e.code };
    return undefined;
  },
  error: (message) => new ImportExportJobError(message),
});

/** The client, built on first use (lazily: see the module comment). */
export async function client(): Promise<JobClient> {
  return (await service.connection()).client;
}

/** The access key id the client signs with, or undefined when no credentials resolve. */
export async function signingAccessKeyId(): Promise<string | undefined> {
  try {
    return (await (await service.connection()).credentials()).accessKeyId;
  } catch {
    return undefined;
  }
}

/** The caller's account (STS GetCallerIdentity), once per connection; undefined when the endpoint has no STS. */
export const accountId = service.perConnection(() =>
  client()
    .then((c) => c.whoAmI())
    .then((r) => r.Account)
    .catch(() => undefined),
);
