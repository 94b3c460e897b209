/**
 * Errors as values a user can act on: a class per wire code (the 20 modelled exceptions and the common Query
 * codes the front end answers with), all extending `ImportExportServiceException`, with `name` = the wire code,
 * `$fault`, `$retryable` where a retry may succeed and `$metadata`. Plus the client-side errors: a parameter
 * check failed, the response was not a service document, the network failed, or CreateJob is ambiguous.
 *
 * Messages never contain secret keys, session tokens or request signatures: the client redacts them before an
 * error is built (`redactSecrets`).
 */
import { errors as errorModels, isKnownErrorCode, type ErrorCode, type ModeledErrorCode } from "./model";

/** What every output and service error carries about the HTTP exchange and the retries behind it. */
export interface ResponseMetadata {
  /** HTTP status of the last response (absent when no response arrived). */
  httpStatusCode?: number;
  /** `RequestId` of the last response (body, or the `x-amzn-RequestId` header). */
  requestId?: string;
  /** Attempts made, including the first. */
  attempts: number;
  /** Milliseconds spent waiting between attempts. */
  totalRetryDelay: number;
}

/** Options every service exception is built from. */
export interface ServiceExceptionOptions {
  message?: string;
  $metadata: ResponseMetadata;
  /** `Type` of the error document: `Sender` or `Receiver`. */
  type?: string;
}

/** Retry classification, as in the AWS SDKs: throttling errors back off longer. */
export interface RetryableTrait {
  throttling: boolean;
}

/** Base class of every error the service answered with. `name` and `code` are the wire code. */
export class ImportExportServiceException extends Error {
  override readonly name: string;
  /** The wire code (`Error/Code`), also for codes this package does not know. */
  readonly code: string;
  /** `client` (fix the request) or `server` (the service failed). */
  readonly $fault: "client" | "server";
  /** Present when a retry may succeed. */
  readonly $retryable?: RetryableTrait;
  readonly $metadata: ResponseMetadata;
  /** `Type` of the error document (`Sender`/`Receiver`), when the body had one. */
  readonly type?: string;

  constructor(code: string, options: ServiceExceptionOptions) {
    const model = isKnownErrorCode(code) ? errorModels[code] : undefined;
    super(options.message || model?.message || code);
    this.name = code;
    this.code = code;
    const status = options.$metadata.httpStatusCode;
    this.$fault = model?.fault ?? (status !== undefined && status >= 500 ? "server" : "client");
    if (model?.retryable) this.$retryable = { throttling: model.retryable === "throttling" };
    this.$metadata = options.$metadata;
    if (options.type !== undefined) this.type = options.type;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
// The 20 modelled exceptions (service-2.json shapes).
/** {@link ImportExportServiceException} for wire code `BucketPermissionException`. */
export class BucketPermissionException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("BucketPermissionException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `CanceledJobIdException`. */
export class CanceledJobIdException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("CanceledJobIdException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `CreateJobQuotaExceededException`. */
export class CreateJobQuotaExceededException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("CreateJobQuotaExceededException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `ExpiredJobIdException`. */
export class ExpiredJobIdException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("ExpiredJobIdException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InvalidAccessKeyIdException`. */
export class InvalidAccessKeyIdException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InvalidAccessKeyIdException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InvalidAddressException`. */
export class InvalidAddressException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InvalidAddressException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InvalidCustomsException`. */
export class InvalidCustomsException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InvalidCustomsException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InvalidFileSystemException`. */
export class InvalidFileSystemException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InvalidFileSystemException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InvalidJobIdException`. */
export class InvalidJobIdException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InvalidJobIdException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InvalidManifestFieldException`. */
export class InvalidManifestFieldException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InvalidManifestFieldException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InvalidParameterException`. */
export class InvalidParameterException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InvalidParameterException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InvalidVersionException`. */
export class InvalidVersionException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InvalidVersionException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `MalformedManifestException`. */
export class MalformedManifestException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("MalformedManifestException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `MissingCustomsException`. */
export class MissingCustomsException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("MissingCustomsException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `MissingManifestFieldException`. */
export class MissingManifestFieldException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("MissingManifestFieldException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `MissingParameterException`. */
export class MissingParameterException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("MissingParameterException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `MultipleRegionsException`. */
export class MultipleRegionsException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("MultipleRegionsException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `NoSuchBucketException`. */
export class NoSuchBucketException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("NoSuchBucketException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `UnableToCancelJobIdException`. */
export class UnableToCancelJobIdException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("UnableToCancelJobIdException", options);
  }
}
/** {@link ImportExportServiceException} for wire code `UnableToUpdateJobIdException`. */
export class UnableToUpdateJobIdException extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("UnableToUpdateJobIdException", options);
  }
}
// Codes of the AWS Query front end (auth, protocol, throttling, availability).
/** {@link ImportExportServiceException} for wire code `SignatureDoesNotMatch`. */
export class SignatureDoesNotMatch extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("SignatureDoesNotMatch", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InvalidClientTokenId`. */
export class InvalidClientTokenId extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InvalidClientTokenId", options);
  }
}
/** {@link ImportExportServiceException} for wire code `MissingAuthenticationToken`. */
export class MissingAuthenticationToken extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("MissingAuthenticationToken", options);
  }
}
/** {@link ImportExportServiceException} for wire code `IncompleteSignature`. */
export class IncompleteSignature extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("IncompleteSignature", options);
  }
}
/** {@link ImportExportServiceException} for wire code `RequestExpired`. */
export class RequestExpired extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("RequestExpired", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InvalidAction`. */
export class InvalidAction extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InvalidAction", options);
  }
}
/** {@link ImportExportServiceException} for wire code `MissingAction`. */
export class MissingAction extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("MissingAction", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InvalidQueryParameter`. */
export class InvalidQueryParameter extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InvalidQueryParameter", options);
  }
}
/** {@link ImportExportServiceException} for wire code `MalformedQueryString`. */
export class MalformedQueryString extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("MalformedQueryString", options);
  }
}
/** {@link ImportExportServiceException} for wire code `RequestEntityTooLarge`. */
export class RequestEntityTooLarge extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("RequestEntityTooLarge", options);
  }
}
/** {@link ImportExportServiceException} for wire code `OptInRequired`. */
export class OptInRequired extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("OptInRequired", options);
  }
}
/** {@link ImportExportServiceException} for wire code `Throttling`. */
export class Throttling extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("Throttling", options);
  }
}
/** {@link ImportExportServiceException} for wire code `ServiceUnavailable`. */
export class ServiceUnavailable extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("ServiceUnavailable", options);
  }
}
/** {@link ImportExportServiceException} for wire code `InternalFailure`. */
export class InternalFailure extends ImportExportServiceException {
  constructor(options: ServiceExceptionOptions) {
    super("InternalFailure", options);
  }
}
type ServiceExceptionClass = new (options: ServiceExceptionOptions) => ImportExportServiceException;

/** Class per known wire code. */
export const errorClasses: Readonly<Record<ErrorCode, ServiceExceptionClass>> = {
  BucketPermissionException,
  CanceledJobIdException,
  CreateJobQuotaExceededException,
  ExpiredJobIdException,
  InvalidAccessKeyIdException,
  InvalidAddressException,
  InvalidCustomsException,
  InvalidFileSystemException,
  InvalidJobIdException,
  InvalidManifestFieldException,
  InvalidParameterException,
  InvalidVersionException,
  MalformedManifestException,
  MissingCustomsException,
  MissingManifestFieldException,
  MissingParameterException,
  MultipleRegionsException,
  NoSuchBucketException,
  UnableToCancelJobIdException,
  UnableToUpdateJobIdException,
  SignatureDoesNotMatch,
  InvalidClientTokenId,
  MissingAuthenticationToken,
  IncompleteSignature,
  RequestExpired,
  InvalidAction,
  MissingAction,
  InvalidQueryParameter,
  MalformedQueryString,
  RequestEntityTooLarge,
  OptInRequired,
  Throttling,
  ServiceUnavailable,
  InternalFailure,
};

/** Whether `code` is one of the 20 modelled exception codes. */
export function isModeledErrorCode(code: string): code is ModeledErrorCode {
  return isKnownErrorCode(code) && code.endsWith("Exception");
}

/**
 * Builds the error for a wire code: the class of a known code, else the base class carrying the raw code.
 * An empty message takes the model's default message.
 */
export function errorFromCode(code: string, message: string | undefined, metadata: ResponseMetadata, type?: string): ImportExportServiceException {
  const options: ServiceExceptionOptions = { $metadata: metadata, ...(message ? { message } : {}), ...(type ? { type } : {}) };
  if (isKnownErrorCode(code)) return new errorClasses[code](options);
  return new ImportExportServiceException(code, options);
}

/** Longest body excerpt kept on a MalformedResponseError. */
const EXCERPT_LIMIT = 256;

/**
 * The service answered with a body that is not an Import/Export XML document (a proxy's HTML page, a cut-off
 * body). Carries the HTTP status and a truncated excerpt of the body (non-enumerable, so it stays out of JSON
 * logs); the message names only the status.
 */
export class MalformedResponseError extends ImportExportServiceException {
  /** At most 256 characters of the body, secrets redacted. */
  declare readonly bodyExcerpt: string;

  constructor(status: number, body: string, metadata: ResponseMetadata, detail = "") {
    super("MalformedResponse", {
      message: `The service answered HTTP ${status} with a body that is not an Import/Export XML document${detail ? ` (${detail})` : ""}.`,
      $metadata: metadata,
    });
    const excerpt = body.length > EXCERPT_LIMIT ? `${body.slice(0, EXCERPT_LIMIT)}…` : body;
    Object.defineProperty(this, "bodyExcerpt", { value: excerpt, enumerable: false });
  }
}

/**
 * A request parameter failed the client-side checks (as botocore's ParamValidationError): nothing was sent.
 * `code` is the code the service would have answered with.
 */
export class ImportExportValidationError extends Error {
  override readonly name = "ImportExportValidationError";
  readonly code: "MissingParameterException" | "InvalidParameterException";
  /** The member at fault, by its wire name. */
  readonly member: string;

  constructor(code: "MissingParameterException" | "InvalidParameterException", member: string, message: string) {
    super(message);
    this.code = code;
    this.member = member;
    Object.setPrototypeOf(this, ImportExportValidationError.prototype);
  }
}

/** No usable response arrived (connection refused, reset, timeout) and retrying did not help. */
export class ImportExportNetworkError extends Error {
  override readonly name: string = "ImportExportNetworkError";
  /** The transport's code: `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, `RESPONSE_TIMEOUT`, ... */
  readonly code: string;
  /** Whether the request had been fully written before the failure (the service may have processed it). */
  readonly requestSent: boolean;
  readonly $metadata: ResponseMetadata;

  constructor(message: string, code: string, requestSent: boolean, metadata: ResponseMetadata) {
    super(message);
    this.code = code;
    this.requestSent = requestSent;
    this.$metadata = metadata;
    Object.setPrototypeOf(this, ImportExportNetworkError.prototype);
  }
}

/**
 * The response body grew past the client's `maxResponseBytes` (a hostile or broken server: no real answer comes
 * close). The client stopped reading there and closed the connection; it is not retried (the same server would send
 * the same again). `code` is `RESPONSE_TOO_LARGE`; for CreateJob it is the `cause` of an AmbiguousCreateJobError.
 */
export class ImportExportResponseTooLargeError extends ImportExportNetworkError {
  override readonly name = "ImportExportResponseTooLargeError";
  /** The cap that was exceeded, in bytes. */
  readonly maxResponseBytes: number;

  constructor(message: string, maxResponseBytes: number, metadata: ResponseMetadata) {
    super(message, "RESPONSE_TOO_LARGE", true, metadata);
    this.maxResponseBytes = maxResponseBytes;
    Object.setPrototypeOf(this, ImportExportResponseTooLargeError.prototype);
  }
}

/**
 * The whole response (headers and body) did not arrive within `responseTimeout` of the request being written: no
 * answer, a stalled one, or a body that trickles or never ends. `code` is `RESPONSE_TIMEOUT`. Retried like other
 * timeouts for idempotent operations; for CreateJob it is the `cause` of an AmbiguousCreateJobError.
 */
export class ImportExportResponseTimeoutError extends ImportExportNetworkError {
  override readonly name = "ImportExportResponseTimeoutError";
  /** The deadline that passed, in milliseconds. */
  readonly responseTimeout: number;

  constructor(message: string, responseTimeout: number, metadata: ResponseMetadata) {
    super(message, "RESPONSE_TIMEOUT", true, metadata);
    this.responseTimeout = responseTimeout;
    Object.setPrototypeOf(this, ImportExportResponseTimeoutError.prototype);
  }
}

/**
 * CreateJob may or may not have created a job: the request was sent, then no clear answer came back (response
 * timeout, connection dropped after sending, 5xx without an error document). CreateJob has no client token, so
 * the client does not retry it. Reconcile with ListJobs (newest first) and GetStatus's `CurrentManifest`.
 */
export class AmbiguousCreateJobError extends Error {
  override readonly name = "AmbiguousCreateJobError";
  /** The `JobType` that was sent. */
  readonly jobType: string;
  /** The manifest text that was sent (compare with GetStatus `CurrentManifest`); not enumerable. */
  declare readonly manifest: string;
  /** Time the last attempt was sent; a job created by it has a `CreationDate` at or after it (minus clock skew). */
  readonly sentAt: Date;
  /** What happened, without secrets: a network error or a malformed response. */
  override readonly cause: Error;
  readonly $metadata: ResponseMetadata;

  constructor(jobType: string, manifest: string, sentAt: Date, cause: Error, metadata: ResponseMetadata) {
    super(
      `CreateJob may have created a job: the request was sent but no clear answer came back (${cause.message}). ` +
        "It was not retried because CreateJob is not idempotent. Check ListJobs for a job created at or after " +
        `${sentAt.toISOString()} whose CurrentManifest matches before creating it again.`,
    );
    this.jobType = jobType;
    // The manifest may embed a TrueCrypt password: keep it off enumerable properties (JSON logs).
    Object.defineProperty(this, "manifest", { value: manifest, enumerable: false });
    this.sentAt = sentAt;
    this.cause = cause;
    this.$metadata = metadata;
    Object.setPrototypeOf(this, AmbiguousCreateJobError.prototype);
  }
}

/**
 * The call was stopped by the caller's `abortSignal` (the per-call option, as in the AWS SDK v3 clients, whose
 * aborted calls reject with an error named `AbortError` too). The request in flight, if any, was cut (its connection
 * closed), and no retry or backoff followed. `requestSent` says whether any attempt of the call had been written to
 * the service: then a non-idempotent operation (CreateJob) may have taken effect although no answer was read.
 */
export class ImportExportAbortError extends Error {
  override readonly name = "AbortError";
  /** The operation that was stopped. */
  readonly operation: string;
  /** Whether an attempt of this call had been written to the service before the abort (it may have been processed). */
  readonly requestSent: boolean;
  /** The signal's `reason` (e.g. the TimeoutError of `AbortSignal.timeout`). */
  override readonly cause: unknown;
  readonly $metadata: ResponseMetadata;

  constructor(operation: string, requestSent: boolean, reason: unknown, metadata: ResponseMetadata) {
    super(
      `${operation} was aborted${reason instanceof Error && reason.message ? ` (${reason.message})` : ""}: ` +
        (requestSent ? "the request had been sent, so the service may have processed it" : "no request had reached the service"),
    );
    this.operation = operation;
    this.requestSent = requestSent;
    this.cause = reason;
    this.$metadata = metadata;
    Object.setPrototypeOf(this, ImportExportAbortError.prototype);
  }
}

/** Redaction lives in its own module (it is on every call's path); re-exported here, where it always was. */
export { redactSecrets } from "./redact";
