/**
 * The provider's view of the SDK client: the operations it calls, and how a client and its signing identity are
 * built from the provider settings. Credentials are resolved here, in the provider process, at call time.
 */
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { ImportExportClient } from "../sdk/client";
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

/** Builds a client for the settings. Nothing is resolved until the first call. */
export function connect(settings: ProviderSettings): Connection {
  const credentials: () => Promise<Credentials> = settings.credentials
    ? async () => settings.credentials as Credentials
    : chain(settings.profile);
  const client = new ImportExportClient({
    // Always the endpoint resolved in config.ts: the one recorded in each job's state is the one used.
    endpoint: settings.endpoint,
    ...(settings.region !== undefined ? { region: settings.region } : {}),
    ...(settings.signatureVersion !== undefined ? { signatureVersion: settings.signatureVersion } : {}),
    credentials,
  });
  return { client, credentials };
}

function chain(profile: string | undefined): () => Promise<Credentials> {
  const provider = fromNodeProviderChain(profile !== undefined ? { profile } : {});
  return async () => {
    const c = await provider();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
  };
}
