/**
 * The one description of the AWS Import/Export API (2010-06-01): operations, their members and member types,
 * list shapes, and the error codes the service returns.
 *
 * The client's serializer and parser and the emulator's dispatcher and serializer all read this table, so the
 * two sides cannot drift apart silently (design.md, principle 1). Facts come from the botocore service model
 * (`importexport/2010-06-01/service-2.json`) and the Developer Guide; see ../shared/spec/importexport-api.md.
 */

/** Protocol `Version` sent with every request. */
export const API_VERSION = "2010-06-01";
/** Namespace of every response document. */
export const XML_NAMESPACE = "http://importexport.amazonaws.com/doc/2010-06-01/";
/** The service's global endpoint (retired; the emulator is the default in this package). */
export const GLOBAL_ENDPOINT = "https://importexport.amazonaws.com";
/** SigV4 signing name (botocore `credentialScope.service`). The emulator also accepts `importexport`. */
export const SIGV4_SIGNING_NAME = "IngestionService";
/** SigV4 signing region of the global endpoint. */
export const SIGV4_SIGNING_REGION = "us-east-1";

/** A scalar wire type. Everything on the wire is text; these say how to convert it. */
export type ScalarType = "string" | "boolean" | "integer" | "timestamp";

/** A scalar value's shape; `enum` lists the values the member takes. */
export interface ScalarShape {
  readonly kind: "scalar";
  readonly type: ScalarType;
  readonly enum?: readonly string[];
}

/** The shape of one member's value. */
export type Shape = ScalarShape | { readonly kind: "list"; readonly member: Shape } | { readonly kind: "structure"; readonly members: Members };

/** The shape of an input member: every operation takes scalars and lists of scalars only (flat Query parameters). */
export type InputShape = ScalarShape | { readonly kind: "list"; readonly member: ScalarShape };

/** One member of an input or output structure. */
export interface Member {
  readonly shape: Shape;
  /** Required in the SDK model: clients reject a call without it (as botocore does). */
  readonly required?: boolean;
  /**
   * Wire text the service read a required member as when it was absent: it tolerated the absence although the SDK
   * models require the member (`ValidateOnly`, spec §3.1). The emulator's deserializer applies it.
   */
  readonly serviceDefault?: string;
}

/** Members by their exact wire name. Order is the model's order (used for stable serialization). */
export type Members = Readonly<Record<string, Member>>;

/** One member of an operation's input. */
export interface InputMember extends Member {
  readonly shape: InputShape;
}
/** An operation's input members by wire name, in the model's order. */
export type InputMembers = Readonly<Record<string, InputMember>>;

const str = { kind: "scalar", type: "string" } as const satisfies Shape;
const bool = { kind: "scalar", type: "boolean" } as const satisfies Shape;
const int = { kind: "scalar", type: "integer" } as const satisfies Shape;
const timestamp = { kind: "scalar", type: "timestamp" } as const satisfies Shape;

/** Values of `JobType`. The service matched them in any case (the AWS CLI sends `import`); see {@link jobTypeOf}. */
export const jobTypes = ["Import", "Export"] as const;
const jobType = { kind: "scalar", type: "string", enum: jobTypes } as const satisfies Shape;

/** Job progress codes (Developer Guide, "Job Progress Status Codes"). */
export const progressCodes = [
  "Pending", "InProgress", "Complete", "SuccessWithErrors", "Canceled", "Expired",
  "DeviceError", "InvalidSignature", "MissingSignature", "MissingDevice",
  "UnsupportedDeviceType", "UnsupportedFileFormat", "UnsupportedPowerSupply",
] as const;
/** A job progress code. */
export type ProgressCode = (typeof progressCodes)[number];

/**
 * The progress codes in which the service accepts UpdateJob: before the data transfer starts, wherever the device
 * is (spec §3.2); afterwards it answers UnableToUpdateJobIdException. A fact of the API, read by the emulated
 * service and by `ImportExportJob`'s policy table alike.
 */
export const updatableProgressCodes = ["Pending"] as const satisfies readonly ProgressCode[];

/** Device location codes (Developer Guide, "Device Location Status Codes"). */
export const locationCodes = ["NotReceived", "AtAWS", "Returned"] as const;
/** A device location code. */
export type LocationCode = (typeof locationCodes)[number];

/** `ArtifactList` member: a document (such as a PDF) the service produced for the job. */
const artifact = { kind: "structure", members: { Description: { shape: str }, URL: { shape: str } } } as const satisfies Shape;
const artifactList = { kind: "list", member: artifact } as const satisfies Shape;
/** `Jobs` member of ListJobs. */
const job = {
  kind: "structure",
  members: { JobId: { shape: str }, CreationDate: { shape: timestamp }, IsCanceled: { shape: bool }, JobType: { shape: jobType } },
} as const satisfies Shape;

/** Names of the six operations. */
export type OperationName = "CreateJob" | "UpdateJob" | "CancelJob" | "GetStatus" | "ListJobs" | "GetShippingLabel";

/** Wire codes of the 20 modelled exceptions (each is a shape in the service model). */
export type ModeledErrorCode =
  | "BucketPermissionException"
  | "CanceledJobIdException"
  | "CreateJobQuotaExceededException"
  | "ExpiredJobIdException"
  | "InvalidAccessKeyIdException"
  | "InvalidAddressException"
  | "InvalidCustomsException"
  | "InvalidFileSystemException"
  | "InvalidJobIdException"
  | "InvalidManifestFieldException"
  | "InvalidParameterException"
  | "InvalidVersionException"
  | "MalformedManifestException"
  | "MissingCustomsException"
  | "MissingManifestFieldException"
  | "MissingParameterException"
  | "MultipleRegionsException"
  | "NoSuchBucketException"
  | "UnableToCancelJobIdException"
  | "UnableToUpdateJobIdException";

/** Codes the service front end returns for every AWS Query API (auth, throttling, protocol); not modelled. */
export type CommonErrorCode =
  | "SignatureDoesNotMatch"
  | "InvalidClientTokenId"
  | "MissingAuthenticationToken"
  | "IncompleteSignature"
  | "RequestExpired"
  | "InvalidAction"
  | "MissingAction"
  | "InvalidQueryParameter"
  | "MalformedQueryString"
  | "RequestEntityTooLarge"
  | "OptInRequired"
  | "Throttling"
  | "ServiceUnavailable"
  | "InternalFailure";

/** Every error code this package knows by name. */
export type ErrorCode = ModeledErrorCode | CommonErrorCode;

/** What is known about one error code. */
export interface ErrorModel {
  /** HTTP status the service answers with. */
  readonly httpStatus: number;
  /** `client` (ErrorResponse Type `Sender`) or `server` (`Receiver`). */
  readonly fault: "client" | "server";
  /** Whether a retry may succeed (standard retry mode). */
  readonly retryable?: "throttling" | "transient";
  /** Default message: the model's one-line description. */
  readonly message: string;
}

/** Error codes with status, fault class, retryability and default message. */
export const errors: Readonly<Record<ErrorCode, ErrorModel>> = {
  BucketPermissionException: { httpStatus: 400, fault: "client", message: "The account specified does not have the appropriate bucket permissions." },
  CanceledJobIdException: { httpStatus: 400, fault: "client", message: "The specified job ID has been canceled and is no longer valid." },
  CreateJobQuotaExceededException: { httpStatus: 400, fault: "client", message: "Each account can create only a certain number of jobs per day. If you need to create more than this, please contact awsimportexport@amazon.com to explain your particular use case." },
  ExpiredJobIdException: { httpStatus: 400, fault: "client", message: "Indicates that the specified job has expired out of the system." },
  InvalidAccessKeyIdException: { httpStatus: 400, fault: "client", message: "The AWS Access Key ID specified in the request did not match the manifest's accessKeyId value. The manifest and the request authentication must use the same AWS Access Key ID." },
  InvalidAddressException: { httpStatus: 400, fault: "client", message: "The address specified in the manifest is invalid." },
  InvalidCustomsException: { httpStatus: 400, fault: "client", message: "One or more customs parameters was invalid. Please correct and resubmit." },
  InvalidFileSystemException: { httpStatus: 400, fault: "client", message: "File system specified in export manifest is invalid." },
  InvalidJobIdException: { httpStatus: 400, fault: "client", message: "The JOBID was missing, not found, or not associated with the AWS account." },
  InvalidManifestFieldException: { httpStatus: 400, fault: "client", message: "One or more manifest fields was invalid. Please correct and resubmit." },
  InvalidParameterException: { httpStatus: 400, fault: "client", message: "One or more parameters had an invalid value." },
  InvalidVersionException: { httpStatus: 400, fault: "client", message: "The client tool version is invalid." },
  MalformedManifestException: { httpStatus: 400, fault: "client", message: "Your manifest is not well-formed." },
  MissingCustomsException: { httpStatus: 400, fault: "client", message: "One or more required customs parameters was missing from the manifest." },
  MissingManifestFieldException: { httpStatus: 400, fault: "client", message: "One or more required fields were missing from the manifest file. Please correct and resubmit." },
  MissingParameterException: { httpStatus: 400, fault: "client", message: "One or more required parameters was missing from the request." },
  MultipleRegionsException: { httpStatus: 400, fault: "client", message: "Your manifest file contained buckets from multiple regions. A job is restricted to buckets from one region. Please correct and resubmit." },
  NoSuchBucketException: { httpStatus: 400, fault: "client", message: "The specified bucket does not exist. Create the specified bucket or change the manifest's bucket, exportBucket, or logBucket field to a bucket that the account, as specified by the manifest's Access Key ID, has write permissions to." },
  UnableToCancelJobIdException: { httpStatus: 400, fault: "client", message: "AWS Import/Export cannot cancel the job" },
  UnableToUpdateJobIdException: { httpStatus: 400, fault: "client", message: "AWS Import/Export cannot update the job" },
  SignatureDoesNotMatch: { httpStatus: 403, fault: "client", message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details." },
  InvalidClientTokenId: { httpStatus: 403, fault: "client", message: "The AWS Access Key Id you provided does not exist in our records." },
  MissingAuthenticationToken: { httpStatus: 403, fault: "client", message: "Request is missing Authentication Token" },
  IncompleteSignature: { httpStatus: 400, fault: "client", message: "The request signature does not conform to AWS standards." },
  RequestExpired: { httpStatus: 400, fault: "client", message: "Request has expired." },
  InvalidAction: { httpStatus: 400, fault: "client", message: "The action or operation requested is invalid. Verify that the action is typed correctly." },
  MissingAction: { httpStatus: 400, fault: "client", message: "The request is missing an action or a required parameter." },
  InvalidQueryParameter: { httpStatus: 400, fault: "client", message: "The AWS query string is malformed or does not adhere to AWS standards." },
  MalformedQueryString: { httpStatus: 404, fault: "client", message: "The query string contains a syntax error." },
  RequestEntityTooLarge: { httpStatus: 413, fault: "client", message: "Request body must be 1 MiB or smaller." },
  OptInRequired: { httpStatus: 403, fault: "client", message: "The AWS access key ID needs a subscription for the service." },
  Throttling: { httpStatus: 400, fault: "client", retryable: "throttling", message: "Rate exceeded" },
  ServiceUnavailable: { httpStatus: 503, fault: "server", retryable: "transient", message: "The request has failed due to a temporary failure of the server." },
  InternalFailure: { httpStatus: 500, fault: "server", retryable: "transient", message: "The request processing has failed because of an unknown error, exception or failure." },
};

/** One operation: its input members, output members (inside `<{Name}Result>`) and modelled errors. */
export interface OperationModel {
  readonly name: OperationName;
  readonly input: InputMembers;
  readonly output: Members;
  readonly errors: readonly ModeledErrorCode[];
  /** Safe to retry after the request may have reached the service. CreateJob is not. */
  readonly idempotent: boolean;
}

/** `APIVersion`: the version of the client tool (not the protocol version). */
const apiVersion = { shape: str } as const satisfies Member;

/**
 * The operations as a literal: sdk/types.ts derives every input and output type from this value's type, so the
 * TypeScript face of the API cannot disagree with the wire description. Doc comments on members carry over to
 * the derived types.
 */
const operationTable = {
  CreateJob: {
    name: "CreateJob",
    idempotent: false,
    input: {
      JobType: { shape: jobType, required: true },
      /** The manifest YAML text (see `stringifyManifest`). */
      Manifest: { shape: str, required: true },
      /** For internal use only (model). */
      ManifestAddendum: { shape: str },
      /** `true` validates the manifest and creates nothing. */
      ValidateOnly: { shape: bool, required: true, serviceDefault: "false" },
      APIVersion: apiVersion,
    },
    output: {
      JobId: { shape: str },
      JobType: { shape: jobType },
      /** Secret: authenticates the physical device. */
      Signature: { shape: str },
      /** Secret: the text of the SIGNATURE file to put on the device. */
      SignatureFileContents: { shape: str },
      WarningMessage: { shape: str },
      ArtifactList: { shape: artifactList },
      // Not in the SDK models, but in the Developer Guide's responses; parsers ignore unknown elements.
      /** Where to ship the device (Developer Guide; not in the SDK models). */
      AwsShippingAddress: { shape: str },
    },
    errors: [
      "MissingParameterException", "InvalidParameterException", "InvalidAccessKeyIdException", "InvalidAddressException",
      "InvalidManifestFieldException", "MissingManifestFieldException", "NoSuchBucketException", "MissingCustomsException",
      "InvalidCustomsException", "InvalidFileSystemException", "MultipleRegionsException", "BucketPermissionException",
      "MalformedManifestException", "CreateJobQuotaExceededException", "InvalidJobIdException", "InvalidVersionException",
    ],
  },
  UpdateJob: {
    name: "UpdateJob",
    idempotent: true,
    input: {
      JobId: { shape: str, required: true },
      /** Replaces the job's manifest entirely. */
      Manifest: { shape: str, required: true },
      JobType: { shape: jobType, required: true },
      ValidateOnly: { shape: bool, required: true, serviceDefault: "false" },
      APIVersion: apiVersion,
    },
    output: {
      Success: { shape: bool },
      WarningMessage: { shape: str },
      ArtifactList: { shape: artifactList },
    },
    errors: [
      "MissingParameterException", "InvalidParameterException", "InvalidAccessKeyIdException", "InvalidAddressException",
      "InvalidManifestFieldException", "InvalidJobIdException", "MissingManifestFieldException", "NoSuchBucketException",
      "ExpiredJobIdException", "CanceledJobIdException", "MissingCustomsException", "InvalidCustomsException",
      "InvalidFileSystemException", "MultipleRegionsException", "BucketPermissionException", "MalformedManifestException",
      "UnableToUpdateJobIdException", "InvalidVersionException",
    ],
  },
  CancelJob: {
    name: "CancelJob",
    idempotent: true,
    input: { JobId: { shape: str, required: true }, APIVersion: apiVersion },
    output: { Success: { shape: bool } },
    errors: [
      "InvalidJobIdException", "ExpiredJobIdException", "CanceledJobIdException", "UnableToCancelJobIdException",
      "InvalidAccessKeyIdException", "InvalidVersionException",
    ],
  },
  GetStatus: {
    name: "GetStatus",
    idempotent: true,
    input: { JobId: { shape: str, required: true }, APIVersion: apiVersion },
    output: {
      JobId: { shape: str },
      JobType: { shape: jobType },
      /** `NotReceived`, `AtAWS`, `Returned`. */
      LocationCode: { shape: { kind: "scalar", type: "string", enum: locationCodes } },
      LocationMessage: { shape: str },
      /** `Pending`, `InProgress`, `Complete`, ... */
      ProgressCode: { shape: { kind: "scalar", type: "string", enum: progressCodes } },
      ProgressMessage: { shape: str },
      Carrier: { shape: str },
      TrackingNumber: { shape: str },
      LogBucket: { shape: str },
      LogKey: { shape: str },
      ErrorCount: { shape: int },
      /** Secret: authenticates the physical device. */
      Signature: { shape: str },
      /** Secret: the text of the SIGNATURE file to put on the device. */
      SignatureFileContents: { shape: str },
      CurrentManifest: { shape: str },
      CreationDate: { shape: timestamp },
      ArtifactList: { shape: artifactList },
      AwsShippingAddress: { shape: str },
    },
    errors: ["InvalidJobIdException", "ExpiredJobIdException", "CanceledJobIdException", "InvalidAccessKeyIdException", "InvalidVersionException"],
  },
  ListJobs: {
    name: "ListJobs",
    idempotent: true,
    input: {
      MaxJobs: { shape: int },
      /** The JobId to start after (jobs are listed newest first). */
      Marker: { shape: str },
      APIVersion: apiVersion,
    },
    output: {
      /** Always a list in the client's output (empty when the response has none). */
      Jobs: { shape: { kind: "list", member: job } },
      IsTruncated: { shape: bool },
    },
    errors: ["InvalidParameterException", "InvalidAccessKeyIdException", "InvalidVersionException"],
  },
  GetShippingLabel: {
    name: "GetShippingLabel",
    idempotent: true,
    // Lower-camel member names, as on the wire; the address members are the sender's (see shippingAddressMembers).
    input: {
      jobIds: { shape: { kind: "list", member: str }, required: true },
      name: { shape: str },
      company: { shape: str },
      phoneNumber: { shape: str },
      country: { shape: str },
      stateOrProvince: { shape: str },
      city: { shape: str },
      postalCode: { shape: str },
      street1: { shape: str },
      street2: { shape: str },
      street3: { shape: str },
      APIVersion: apiVersion,
    },
    output: { ShippingLabelURL: { shape: str }, Warning: { shape: str } },
    errors: [
      "InvalidJobIdException", "ExpiredJobIdException", "CanceledJobIdException", "InvalidAccessKeyIdException",
      "InvalidAddressException", "InvalidVersionException", "InvalidParameterException",
    ],
  },
} as const satisfies Record<OperationName, OperationModel>;

/** The literal type of the operation table: what sdk/types.ts derives the operation input/output types from. */
export type OperationTable = typeof operationTable;

/** The six operations, keyed by name. */
export const operations: Readonly<Record<OperationName, OperationModel>> = operationTable;

/** All operation names, in the model's order. */
export const operationNames = Object.keys(operations) as OperationName[];

/** Whether `name` is one of the six operations. */
export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(operations, name);
}

/** Whether `code` is an error code this package knows. */
export function isKnownErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(errors, code);
}

/** The one of `values` that `text` spells in any case, as the service read enum members; undefined for none. */
export function enumValueOf<T extends string>(values: readonly T[], text: string): T | undefined {
  const lower = text.toLowerCase();
  return values.find((v) => v.toLowerCase() === lower);
}

/** `JobType` from any spelling case, as the service accepted it (`import`, `EXPORT`); undefined for anything else. */
export function jobTypeOf(value: string): (typeof jobTypes)[number] | undefined {
  return enumValueOf(jobTypes, value);
}

/**
 * GetShippingLabel's address members (the sender's address), in the model's order: the same names as a
 * manifest's `returnAddress`. The one list the SDK, the provider's `shippingLabel` input and the CLI's flags use.
 */
export const shippingAddressMembers = Object.keys(operationTable.GetShippingLabel.input).filter(
  (name): name is ShippingAddressMember => name !== "jobIds" && name !== "APIVersion",
);
/** One address member of GetShippingLabel (`name`, `company`, `street1`, ...). */
export type ShippingAddressMember = Exclude<keyof OperationTable["GetShippingLabel"]["input"], "jobIds" | "APIVersion">;
