/**
 * The provider's view of the SDK client: the operations it calls, and how a client and its signing identity are
 * built from the provider settings. Credentials are resolved here, in the provider process, at call time.
 *
 * The SDK client (undici) and the AWS credential chain are imported on first use, not at module load: a preview of
 * an unchanged stack never calls the service, and its provider process should not pay for loading them.
 */
import type {
  CancelJobInput, CancelJobOutput, CreateJobInput, CreateJobOutput, GetShippingLabelInput, GetShippingLabelOutput,
  GetStatusInput, GetStatusOutput, ListJobsInput, ListJobsOutput, UpdateJobInput, UpdateJobOutput,
} from "../sdk/types";
import type { ProviderSettings } from "./config";

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

/** Credentials as the SDK takes them. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A client plus what the provider needs to know about who signs. */
export interface Connection {
  readonly client: JobClient;
  /** Resolves the signing credentials (memoized by the chain); rejects when none can be found. */
  readonly credentials: () => Promise<Credentials>;
}

/** Builds a client for the settings. Credentials are not resolved until the first call. */
export async function connect(settings: ProviderSettings): Promise<Connection> {
  // The AWS SDK v3 warns on Node < 22 that *future* releases will need it; the version this package pins supports
  // Node 20 (our engines field), so the warning would only add noise to every `pulumi up`. A user's explicit
  // setting wins.
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
  // The one relative import with an extension: a dynamic import() is an ES import to TypeScript's node16 resolution,
  // which wants the emitted file name; Node loads the CommonJS file through its require cache either way.
  const { ImportExportClient } = await import("../sdk/client.js");
  const credentials: () => Promise<Credentials> = settings.credentials
    ? async () => settings.credentials as Credentials
    : await chain(settings.profile);
  const client: JobClient = new ImportExportClient({
    // Always the endpoint resolved in config.ts: the one recorded in each job's state is the one used.
    endpoint: settings.endpoint,
    ...(settings.region !== undefined ? { region: settings.region } : {}),
    ...(settings.signatureVersion !== undefined ? { signatureVersion: settings.signatureVersion } : {}),
    credentials,
  });
  return { client, credentials };
}

async function chain(profile: string | undefined): Promise<() => Promise<Credentials>> {
  const { fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
  const provider = fromNodeProviderChain(profile !== undefined ? { profile } : {});
  return async () => {
    const c = await provider();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
  };
}
