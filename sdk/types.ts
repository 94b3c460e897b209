/**
 * Inputs and outputs of the six operations, with the API's member names (sdk/model.ts is the wire description;
 * these are its TypeScript face). Every output also carries `$metadata`.
 */
import type { ResponseMetadata } from "./errors";

/** `JobType`: the service also accepted lower case (the AWS CLI sends `import`). */
export type JobType = "Import" | "Export";

/** A document the service produced for a job (such as a PDF). */
export interface Artifact {
  Description?: string;
  URL?: string;
}

/** One entry of ListJobs' `Jobs`. */
export interface Job {
  JobId?: string;
  CreationDate?: Date;
  IsCanceled?: boolean;
  JobType?: JobType;
}

/** Adds `$metadata` to an operation's output. */
export type WithMetadata<T> = T & { $metadata: ResponseMetadata };

/** CreateJob input. `ValidateOnly: true` validates the manifest and creates nothing. */
export interface CreateJobInput {
  JobType: JobType;
  /** The manifest YAML text (see `stringifyManifest`). */
  Manifest: string;
  /** For internal use only (model). */
  ManifestAddendum?: string;
  ValidateOnly: boolean;
  /** Version of the client tool (not the protocol version). */
  APIVersion?: string;
}
/** CreateJob output. */
export interface CreateJobOutput {
  JobId?: string;
  JobType?: JobType;
  /** Secret: authenticates the physical device. */
  Signature?: string;
  /** Secret: the text of the SIGNATURE file to put on the device. */
  SignatureFileContents?: string;
  WarningMessage?: string;
  ArtifactList?: Artifact[];
  /** Where to ship the device (Developer Guide; not in the SDK models). */
  AwsShippingAddress?: string;
}

/** UpdateJob input: the manifest replaces the job's manifest entirely. */
export interface UpdateJobInput {
  JobId: string;
  Manifest: string;
  JobType: JobType;
  ValidateOnly: boolean;
  APIVersion?: string;
}
/** UpdateJob output. */
export interface UpdateJobOutput {
  Success?: boolean;
  WarningMessage?: string;
  ArtifactList?: Artifact[];
}

/** CancelJob input. */
export interface CancelJobInput {
  JobId: string;
  APIVersion?: string;
}
/** CancelJob output. */
export interface CancelJobOutput {
  Success?: boolean;
}

/** GetStatus input. */
export interface GetStatusInput {
  JobId: string;
  APIVersion?: string;
}
/** GetStatus output. */
export interface GetStatusOutput {
  JobId?: string;
  JobType?: JobType;
  /** `NotReceived`, `AtAWS`, `Returned`. */
  LocationCode?: string;
  LocationMessage?: string;
  /** `Pending`, `InProgress`, `Complete`, ... */
  ProgressCode?: string;
  ProgressMessage?: string;
  Carrier?: string;
  TrackingNumber?: string;
  LogBucket?: string;
  LogKey?: string;
  ErrorCount?: number;
  Signature?: string;
  SignatureFileContents?: string;
  CurrentManifest?: string;
  CreationDate?: Date;
  ArtifactList?: Artifact[];
  AwsShippingAddress?: string;
}

/** ListJobs input: newest first; `Marker` is the JobId to start after. */
export interface ListJobsInput {
  MaxJobs?: number;
  Marker?: string;
  APIVersion?: string;
}
/** ListJobs output. `Jobs` is always a list (empty when the response has none). */
export interface ListJobsOutput {
  Jobs: Job[];
  IsTruncated?: boolean;
}

/** GetShippingLabel input: lower-camel member names, as on the wire. */
export interface GetShippingLabelInput {
  jobIds: string[];
  name?: string;
  company?: string;
  phoneNumber?: string;
  country?: string;
  stateOrProvince?: string;
  city?: string;
  postalCode?: string;
  street1?: string;
  street2?: string;
  street3?: string;
  APIVersion?: string;
}
/** GetShippingLabel output. */
export interface GetShippingLabelOutput {
  ShippingLabelURL?: string;
  Warning?: string;
}

/** Input type per operation name. */
export interface OperationInputs {
  CreateJob: CreateJobInput;
  UpdateJob: UpdateJobInput;
  CancelJob: CancelJobInput;
  GetStatus: GetStatusInput;
  ListJobs: ListJobsInput;
  GetShippingLabel: GetShippingLabelInput;
}
/** Output type per operation name. */
export interface OperationOutputs {
  CreateJob: CreateJobOutput;
  UpdateJob: UpdateJobOutput;
  CancelJob: CancelJobOutput;
  GetStatus: GetStatusOutput;
  ListJobs: ListJobsOutput;
  GetShippingLabel: GetShippingLabelOutput;
}
