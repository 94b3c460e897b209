/**
 * What an ImportExportJob's state holds: its checked inputs (so `diff` can compare against them), the job's status
 * as the service reports it, and where the job lives (endpoint, account). Pure mapping, no I/O.
 */
import type { CheckedInputs, ShippingLabelAddress } from "./inputs";

/** A document the service produced for the job (e.g. a PDF with shipping instructions). */
export interface JobArtifact {
  /** What the document is. */
  readonly description?: string;
  /** Where to download it. */
  readonly url?: string;
}

/** GetStatus members the provider uses (the SDK's output, by wire name). */
export interface JobStatus {
  readonly JobId?: string;
  readonly JobType?: string;
  readonly LocationCode?: string;
  readonly LocationMessage?: string;
  readonly ProgressCode?: string;
  readonly ProgressMessage?: string;
  readonly Carrier?: string;
  readonly TrackingNumber?: string;
  readonly LogBucket?: string;
  readonly LogKey?: string;
  readonly ErrorCount?: number;
  readonly Signature?: string;
  readonly SignatureFileContents?: string;
  readonly CurrentManifest?: string;
  readonly CreationDate?: Date;
  readonly ArtifactList?: ReadonlyArray<{ readonly Description?: string; readonly URL?: string }>;
  readonly AwsShippingAddress?: string;
}

/** Everything stored in state for one job (the `outs` of create/update/read). */
export interface JobState {
  // Inputs, as checked.
  jobType: "Import" | "Export";
  manifest: string;
  shippingLabel?: ShippingLabelAddress;
  adoptJobId?: string;
  cancelInProgress?: boolean;
  // The job.
  jobId: string;
  signature?: string;
  signatureFileContents?: string;
  awsShippingAddress?: string;
  warningMessage?: string;
  artifacts?: JobArtifact[];
  locationCode?: string;
  locationMessage?: string;
  progressCode?: string;
  progressMessage?: string;
  carrier?: string;
  trackingNumber?: string;
  logBucket?: string;
  logKey?: string;
  errorCount?: number;
  creationDate?: string;
  shippingLabelUrl?: string;
  manifestYaml?: string;
  // Where it lives.
  endpoint: string;
  accountId?: string;
}

/** Drops `undefined` members: protobuf's Struct cannot carry them (it throws "Unexpected struct type"). */
export function compact<T extends object>(o: T): Compact<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Compact<T>;
}

/** `T` with members that may be `undefined` turned into optional members that are never `undefined`. */
export type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Builds the state of a job from its checked inputs, its status and what create/update told us. */
export function jobState(
  inputs: CheckedInputs,
  status: JobStatus,
  extra: { jobId: string; endpoint: string; accountId?: string; manifestYaml?: string; warningMessage?: string; shippingLabelUrl?: string },
): JobState {
  const artifacts = status.ArtifactList?.map((a) => compact({ description: a.Description, url: a.URL }));
  return compact({
    jobType: inputs.jobType,
    manifest: inputs.manifest,
    shippingLabel: inputs.shippingLabel,
    adoptJobId: inputs.adoptJobId,
    cancelInProgress: inputs.cancelInProgress,
    jobId: extra.jobId,
    signature: status.Signature,
    signatureFileContents: status.SignatureFileContents,
    awsShippingAddress: status.AwsShippingAddress,
    warningMessage: extra.warningMessage,
    artifacts,
    locationCode: status.LocationCode,
    locationMessage: status.LocationMessage,
    progressCode: status.ProgressCode,
    progressMessage: status.ProgressMessage,
    carrier: status.Carrier,
    trackingNumber: status.TrackingNumber,
    logBucket: status.LogBucket,
    logKey: status.LogKey,
    errorCount: status.ErrorCount,
    creationDate: status.CreationDate?.toISOString(),
    shippingLabelUrl: extra.shippingLabelUrl,
    manifestYaml: extra.manifestYaml,
    endpoint: extra.endpoint,
    accountId: extra.accountId,
  });
}
