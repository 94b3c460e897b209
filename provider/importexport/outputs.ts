/**
 * What an ImportExportJob's state holds: its checked inputs (so `diff` can compare against them), the job's status
 * as the service reports it, and where the job lives (endpoint, account). Pure mapping, no I/O.
 */
import type { GetStatusOutput } from "../../sdk/types";
import { outputMembers, type MembersMatch } from "../core/definition";
import { priorGroup } from "../core/grouped-outputs";
import { importExportJobDefinition, type CheckedInputs, type JobState } from "./definition";

/** A document the service produced for the job (e.g. a PDF with shipping instructions). */
export interface JobArtifact {
  /** What the document is. */
  readonly description?: string;
  /** Where to download it. */
  readonly url?: string;
}

/** What GetStatus reported, as far as the state needs it (every member may be missing). */
export type ReportedStatus = Partial<GetStatusOutput>;

/**
 * What the service reports about a job and where it lives, as of the last create/update/refresh: the `status`
 * output of an ImportExportJob (each member is also an output of its own name).
 */
export interface ImportExportJobStatus {
  /** Where to ship the device. */
  readonly awsShippingAddress?: string;
  /** Non-fatal notes from CreateJob/UpdateJob/GetShippingLabel. */
  readonly warningMessage?: string;
  /** Documents the service produced (e.g. PDFs). */
  readonly artifacts?: JobArtifact[];
  /** Where the device is: `NotReceived`, `AtAWS`, `Returned`. */
  readonly locationCode?: string;
  /** Human text for `locationCode`. */
  readonly locationMessage?: string;
  /** Job progress: `Pending`, `InProgress`, `Complete`, `SuccessWithErrors`, an abort code, ... */
  readonly progressCode?: string;
  /** Human text for `progressCode`. */
  readonly progressMessage?: string;
  /** Return shipping company (once returned). */
  readonly carrier?: string;
  /** Return tracking number (once returned). */
  readonly trackingNumber?: string;
  /** Bucket of the job's log. */
  readonly logBucket?: string;
  /** Key of the job's log. */
  readonly logKey?: string;
  /** Number of errors the transfer reported. */
  readonly errorCount?: number;
  /** When the job was created (ISO 8601). */
  readonly creationDate?: string;
  /** URL of the prepaid shipping label (when `shippingLabel` is set). */
  readonly shippingLabelUrl?: string;
  /** The normalised manifest sent to the service (device passwords redacted). */
  readonly manifestYaml?: string;
  /** The endpoint the job lives at; a stack pointed elsewhere replaces the job. */
  readonly endpoint: string;
  /** The account that owns the job (STS GetCallerIdentity), when the endpoint answers it. */
  readonly accountId?: string;
}

/**
 * The job's two secrets, as GetStatus reports them: the `signing` output of an ImportExportJob, registered as one
 * secret output (`additionalSecretOutputs` marks whole outputs) so that a program pays for one Output instead of two.
 */
export interface ImportExportJobSigning {
  /** Base64 HMAC-SHA1 signature authenticating the device. */
  readonly signature?: string;
  /** Text of the SIGNATURE file to put in the device's root directory. */
  readonly signatureFileContents?: string;
}

// The two interfaces above are written out for their doc comments; they must name exactly the definition's outputs
// of each group (a member added to or removed from one side only fails to compile here).
const statusMatches: MembersMatch<ImportExportJobStatus, typeof importExportJobDefinition.outputs, "status"> = true;
const signingMatches: MembersMatch<ImportExportJobSigning, typeof importExportJobDefinition.outputs, "signing"> = true;
void statusMatches;
void signingMatches;

/** The members of {@link ImportExportJobSigning}, each also a (secret) output of the resource. */
export const JOB_SIGNING_MEMBERS = outputMembers(importExportJobDefinition.outputs, "signing");

/** The members of {@link ImportExportJobStatus}, each also an output of the resource. */
export const JOB_STATUS_MEMBERS = outputMembers(importExportJobDefinition.outputs, "status");

/** A text member of a prior state's `status` (also of one written before outputs were grouped, ./grouped-outputs). */
export function priorText(state: Readonly<Record<string, unknown>>, member: keyof ImportExportJobStatus): string | undefined {
  const value = priorGroup(state, "status")[member];
  return typeof value === "string" ? value : undefined;
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
  status: ReportedStatus,
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
    signing: compact({ signature: status.Signature, signatureFileContents: status.SignatureFileContents }),
    status: compact({
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
    }),
  });
}
