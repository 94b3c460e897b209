/**
 * `ImportExportClient`: the typed client for the six Import/Export operations (what boto3's
 * `client("importexport")` is in Python). One send path: serialize (model) → sign (SigV2, or SigV4) → send
 * (undici) → parse (model) → classify → retry or return. CreateJob is never retried once the service may have
 * processed it (`AmbiguousCreateJobError`).
 */
import { operations, type OperationName } from "./model";
import {
  AmbiguousCreateJobError, ImportExportAbortError, ImportExportNetworkError, ImportExportResponseTimeoutError, ImportExportResponseTooLargeError,
  MalformedResponseError, errorFromCode,
  type ImportExportServiceException, type ResponseMetadata,
} from "./errors";
import { Redactor } from "./redact";
import { formBody, serializeQuery } from "./protocol/query";
import { parseError, parseSuccess, XmlShapeError } from "./protocol/xml";
import { signV2Body, type SigV2Method } from "./signing/sigv2";
import { isSignatureVersion, signatureVersionProblem, type SignatureVersion } from "./signing/versions";
import { ABORTED, DEFAULT_MAX_RESPONSE_BYTES, Transport, TransportError, type HttpResponse } from "./transport";
import { packageVersion } from "./version";
import { StandardRetryStrategy, classifyErrorResponse, retryAfterMs, type RetryKind, type RetryStrategyOptions } from "./retry";
import { untilAborted } from "./abort";
import { loadOwnModule } from "./own-module";
import { resolveEndpoint, resolveRegion, resolveStsEndpoint, sigV4Scope, type ResolvedEndpoint } from "./endpoint";
import { resolveCredentials, type CredentialProvider, type CredentialsInput, type ImportExportCredentials } from "./credentials";
import type {
  CancelJobInput, CancelJobOutput, CreateJobInput, CreateJobOutput, GetShippingLabelInput, GetShippingLabelOutput,
  GetStatusInput, GetStatusOutput, ListJobsInput, ListJobsOutput, OperationInputs, OperationOutputs, UpdateJobInput,
  UpdateJobOutput, WithMetadata,
} from "./types";

/** What the logger hook receives after every attempt: never bodies, keys or signatures. */
export interface RequestLogEvent {
  operation: OperationName;
  /** 1 for the first attempt. */
  attempt: number;
  /** HTTP status, absent when no response arrived. */
  statusCode?: number;
  requestId?: string;
  /** Milliseconds from sending to the end of the response (or the failure). */
  durationMs: number;
  /** Wire code or transport code of a failed attempt. */
  errorCode?: string;
  /** Milliseconds the client waits before the next attempt, when it retries. */
  retryDelayMs?: number;
}

/** A logger hook: a function, or an object with an `info` method (console-like loggers). */
export type ImportExportLogger = ((event: RequestLogEvent) => void) | { info(event: RequestLogEvent): void };

/** Client configuration (everything optional). */
export interface ImportExportClientConfig {
  /** Service URL. Default: `AWS_ENDPOINT_URL_IMPORTEXPORT` > `AWS_ENDPOINT_URL` > https://importexport.amazonaws.com. */
  endpoint?: string | URL;
  /** Client region (SigV4 scope for a custom endpoint). Default `AWS_REGION` > `AWS_DEFAULT_REGION` > us-east-1. */
  region?: string;
  /** Static keys or a credential provider. Default: the AWS default chain (`fromNodeProviderChain`). */
  credentials?: CredentialsInput;
  /** Shared-config profile for the default chain. */
  profile?: string;
  /** `v2` (default; the service's modelled scheme) or `v4` (service `IngestionService`). */
  signatureVersion?: SignatureVersion;
  /** SigV2 HMAC: `HmacSHA256` (default) or `HmacSHA1`. */
  signatureMethod?: SigV2Method;
  /** Attempts per call, first one included. Default `AWS_MAX_ATTEMPTS` or 3. */
  maxAttempts?: number;
  /** Called after every attempt. */
  logger?: ImportExportLogger;
  /** Milliseconds to connect. Default 5 000. */
  connectTimeout?: number;
  /**
   * Milliseconds from the request being written to the whole response (headers and body) having arrived; a
   * deadline, so a trickling or endless body fails in time (`ImportExportResponseTimeoutError`). Default 30 000.
   */
  responseTimeout?: number;
  /**
   * Largest response body read, in bytes; past it the client closes the connection and fails the call
   * (`ImportExportResponseTooLargeError`, not retried). Default 8 MiB ({@link DEFAULT_MAX_RESPONSE_BYTES}), far
   * above any real answer (a GetStatus echoing a manifest of at most 1 MiB).
   */
  maxResponseBytes?: number;
  /** Injectable randomness and sleep of the retry policy (tests). */
  retryStrategy?: Omit<RetryStrategyOptions, "maxAttempts">;
  /** Clock for request signing (tests). Default `new Date()`. */
  now?: () => Date;
  /**
   * STS endpoint of `whoAmI`. Default `AWS_ENDPOINT_URL_STS` > `AWS_ENDPOINT_URL` > the Import/Export endpoint
   * when it is not the global one (the emulator serves GetCallerIdentity) > the STS default.
   */
  stsEndpoint?: string;
}

/**
 * Options of one call, as the AWS SDK v3 clients take them (`client.send(command, { abortSignal })`, the
 * aggregated clients' `client.createJob(input, { abortSignal })`).
 */
export interface ImportExportCallOptions {
  /**
   * Stops the call when it aborts: the request in flight is cut (its connection closed), a backoff wait ends, and no
   * further attempt is made. The call rejects with {@link ImportExportAbortError} (`name` "AbortError"), whose
   * `requestSent` says whether the service may have processed the request.
   */
  abortSignal?: AbortSignal;
}

/** Who the credentials belong to (STS GetCallerIdentity). */
export interface CallerIdentity {
  Account?: string;
  Arn?: string;
  UserId?: string;
}

/** `pulumi-importexport-sdk/<version in package.json>`. */
const USER_AGENT = `pulumi-importexport-sdk/${packageVersion()}`;
const CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";

/** The result of one attempt, before the retry decision. */
type AttemptOutcome =
  | { ok: true; output: Record<string, unknown>; meta: ResponseMetadata }
  | { ok: false; error: Error; retry: RetryKind; ambiguous: boolean; retryAfter?: number; errorCode: string; meta: ResponseMetadata; sent: boolean };

/** The SigV4 signer, once loaded (see ImportExportClient's `sign`). */
let sigV4Module: Promise<typeof import("./signing/sigv4.js")> | undefined;

/** Typed client for the AWS Import/Export API (2010-06-01). */
export class ImportExportClient {
  /** The resolved endpoint (URL and where it came from). */
  readonly endpoint: ResolvedEndpoint;
  /** The resolved client region. */
  readonly region: string;
  /** The signing scheme every request uses. */
  readonly signatureVersion: SignatureVersion;
  private readonly signatureMethod: SigV2Method;
  private readonly credentials: CredentialProvider;
  private readonly transport: Transport;
  private readonly responseTimeout: number;
  private readonly maxResponseBytes: number;
  private readonly retry: StandardRetryStrategy;
  private readonly logger: ImportExportLogger | undefined;
  private readonly now: () => Date;
  private readonly stsEndpoint: string | undefined;
  /** The redactor of the last credential set seen, so its patterns are compiled once, not per call. */
  private credentialRedactor: { secretAccessKey: string; sessionToken: string | undefined; redactor: Redactor } | undefined;

  constructor(config: ImportExportClientConfig = {}) {
    this.endpoint = resolveEndpoint(config.endpoint);
    this.region = resolveRegion(config.region);
    const sv: unknown = config.signatureVersion ?? "v2";
    if (!isSignatureVersion(sv)) throw new TypeError(`signatureVersion ${signatureVersionProblem(sv)}`);
    this.signatureVersion = sv;
    const sm = config.signatureMethod ?? "HmacSHA256";
    if (sm !== "HmacSHA256" && sm !== "HmacSHA1") throw new TypeError(`signatureMethod must be "HmacSHA256" or "HmacSHA1", found ${JSON.stringify(sm)}.`);
    this.signatureMethod = sm;
    this.credentials = resolveCredentials(config.credentials, config.profile ? { profile: config.profile } : {});
    this.retry = new StandardRetryStrategy({ ...config.retryStrategy, ...(config.maxAttempts !== undefined ? { maxAttempts: config.maxAttempts } : {}) });
    this.transport = new Transport({
      ...(config.connectTimeout !== undefined ? { connectTimeout: config.connectTimeout } : {}),
      ...(config.responseTimeout !== undefined ? { responseTimeout: config.responseTimeout } : {}),
      ...(config.maxResponseBytes !== undefined ? { maxResponseBytes: config.maxResponseBytes } : {}),
    });
    this.responseTimeout = config.responseTimeout ?? 30_000;
    this.maxResponseBytes = config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.logger = config.logger;
    this.now = config.now ?? (() => new Date());
    this.stsEndpoint = resolveStsEndpoint(config.stsEndpoint) ?? (this.endpoint.source === "default" ? undefined : this.endpoint.url.href);
  }

  /** Creates a job (or only validates the manifest with `ValidateOnly: true`). Never retried once possibly processed. */
  createJob(input: CreateJobInput, options?: ImportExportCallOptions): Promise<WithMetadata<CreateJobOutput>> {
    return this.send("CreateJob", input, options);
  }

  /** Replaces a job's manifest; allowed while the job has not started. */
  updateJob(input: UpdateJobInput, options?: ImportExportCallOptions): Promise<WithMetadata<UpdateJobOutput>> {
    return this.send("UpdateJob", input, options);
  }

  /** Cancels a job that has not started. */
  cancelJob(input: CancelJobInput, options?: ImportExportCallOptions): Promise<WithMetadata<CancelJobOutput>> {
    return this.send("CancelJob", input, options);
  }

  /** A job's location, progress, signature and current manifest. */
  getStatus(input: GetStatusInput, options?: ImportExportCallOptions): Promise<WithMetadata<GetStatusOutput>> {
    return this.send("GetStatus", input, options);
  }

  /** One page of the caller's jobs, newest first. */
  async listJobs(input: ListJobsInput = {}, options?: ImportExportCallOptions): Promise<WithMetadata<ListJobsOutput>> {
    const out = await this.send("ListJobs", input, options);
    return { ...out, Jobs: out.Jobs ?? [] };
  }

  /** A pre-paid shipping label (PDF URL) for sending devices to AWS. */
  getShippingLabel(input: GetShippingLabelInput, options?: ImportExportCallOptions): Promise<WithMetadata<GetShippingLabelOutput>> {
    return this.send("GetShippingLabel", input, options);
  }

  /**
   * Every page of ListJobs: passes the last JobId of a page as `Marker` until `IsTruncated` is false
   * (botocore's paginator: input_token Marker, output_token Jobs[-1].JobId, limit_key MaxJobs).
   */
  async *paginateListJobs(input: ListJobsInput = {}, options?: ImportExportCallOptions): AsyncGenerator<WithMetadata<ListJobsOutput>, void, undefined> {
    let marker = input.Marker;
    for (;;) {
      const page = await this.listJobs({ ...input, ...(marker !== undefined ? { Marker: marker } : {}) }, options);
      yield page;
      const last = page.Jobs[page.Jobs.length - 1]?.JobId;
      if (!page.IsTruncated || last === undefined || last === marker) return;
      marker = last;
    }
  }

  /** STS GetCallerIdentity with the client's credentials (see `stsEndpoint` for where it goes). */
  async whoAmI(options?: ImportExportCallOptions): Promise<CallerIdentity> {
    // required, not import()ed (./own-module).
    const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts");
    const sts = new STSClient({
      region: this.region,
      credentials: this.credentials,
      maxAttempts: this.retry.maxAttempts,
      ...(this.stsEndpoint !== undefined ? { endpoint: this.stsEndpoint } : {}),
    });
    try {
      // The STS client stops on the same signal, rejecting with its own error named "AbortError".
      const out = await sts.send(new GetCallerIdentityCommand({}), options?.abortSignal ? { abortSignal: options.abortSignal } : {});
      const id: CallerIdentity = {};
      if (out.Account !== undefined) id.Account = out.Account;
      if (out.Arn !== undefined) id.Arn = out.Arn;
      if (out.UserId !== undefined) id.UserId = out.UserId;
      return id;
    } finally {
      sts.destroy();
    }
  }

  /** Closes the keep-alive connections. The client must not be used afterwards. */
  async destroy(): Promise<void> {
    await this.transport.close();
  }

  private async send<Op extends OperationName>(op: Op, input: OperationInputs[Op], options: ImportExportCallOptions = {}): Promise<WithMetadata<OperationOutputs[Op]>> {
    const params = serializeQuery(op, input);
    const idempotent = operations[op].idempotent;
    const signal = options.abortSignal;
    let totalRetryDelay = 0;
    let spent = 0;
    // Whether any attempt reached the service: what an abort must report (a CreateJob sent may have made a job).
    let sent = false;
    const aborted = (attempt: number): ImportExportAbortError => {
      this.log({ operation: op, attempt, durationMs: 0, errorCode: ABORTED }, {});
      return new ImportExportAbortError(op, sent, signal?.reason, { attempts: attempt, totalRetryDelay });
    };
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw aborted(attempt - 1);
      let creds: ImportExportCredentials;
      try {
        // A credential fetch is shared by every call (memoized): an abort stops waiting for it, not the fetch.
        creds = await untilAborted(this.credentials(), signal);
      } catch (e) {
        if (signal?.aborted) throw aborted(attempt - 1);
        throw e;
      }
      const sentAt = this.now();
      const outcome = await this.attempt(op, params, creds, sentAt, attempt, totalRetryDelay, idempotent, signal);
      if (outcome.ok || outcome.sent) sent = true;
      if (!outcome.ok && outcome.errorCode === ABORTED) throw aborted(attempt);
      if (outcome.ok) {
        // The event is built only for a logger: this is every successful call's path.
        if (this.logger) this.log({ operation: op, attempt, durationMs: 0, ...metaFields(outcome.meta) }, outcome);
        this.retry.release(spent);
        return { ...(outcome.output as unknown as OperationOutputs[Op]), $metadata: outcome.meta };
      }
      if (outcome.ambiguous && op === "CreateJob") {
        this.log({ operation: op, attempt, durationMs: 0, errorCode: outcome.errorCode, ...metaFields(outcome.meta) }, outcome);
        const ci = input as CreateJobInput;
        throw new AmbiguousCreateJobError(String(ci.JobType), ci.Manifest, sentAt, outcome.error, outcome.meta);
      }
      const cost = outcome.retry !== "none" && attempt < this.retry.maxAttempts ? this.retry.acquire(outcome.retry) : undefined;
      if (cost === undefined) {
        this.log({ operation: op, attempt, durationMs: 0, errorCode: outcome.errorCode, ...metaFields(outcome.meta) }, outcome);
        throw outcome.error;
      }
      spent += cost;
      const delay = this.retry.delay(attempt, outcome.retry, outcome.retryAfter);
      this.log({ operation: op, attempt, durationMs: 0, errorCode: outcome.errorCode, retryDelayMs: delay, ...metaFields(outcome.meta) }, outcome);
      totalRetryDelay += delay;
      try {
        await this.retry.sleep(delay, signal);
      } catch (e) {
        if (signal?.aborted) throw aborted(attempt);
        throw e;
      }
    }
  }

  /** One signed request and its classification. Never throws for service or network failures. */
  private async attempt(
    op: OperationName, params: Record<string, string>, creds: ImportExportCredentials, now: Date, attempt: number,
    totalRetryDelay: number, idempotent: boolean, signal: AbortSignal | undefined,
  ): Promise<AttemptOutcome & { durationMs: number }> {
    const { headers, body, signature } = await this.sign(params, creds, now);
    const redactor = this.redactorFor(creds).with([signature]);
    const started = performance.now();
    let res: HttpResponse;
    try {
      res = await this.transport.send({ url: this.endpoint.url, method: "POST", headers, body }, signal);
    } catch (err) {
      const durationMs = performance.now() - started;
      const meta: ResponseMetadata = { attempts: attempt, totalRetryDelay };
      const t = err instanceof TransportError ? err : new TransportError(String(err), "UNKNOWN", true);
      const message = redactor.redact(`${op} failed: no response from ${this.endpoint.url.origin} (${t.message})`);
      const error =
        t.code === "RESPONSE_TOO_LARGE" ? new ImportExportResponseTooLargeError(message, this.maxResponseBytes, meta)
        : t.code === "RESPONSE_TIMEOUT" ? new ImportExportResponseTimeoutError(message, this.responseTimeout, meta)
        : new ImportExportNetworkError(message, t.code, t.requestSent, meta);
      // Before sending, nothing reached the service: safe to retry any operation. After sending, only
      // idempotent operations are retried; CreateJob becomes ambiguous. An oversized answer is not retried: the
      // same server would send it again, and each attempt costs up to the whole cap.
      const retry: RetryKind = t.code === "RESPONSE_TOO_LARGE" ? "none" : t.timeout ? "timeout" : "transient";
      return { ok: false, error, retry, ambiguous: t.requestSent, errorCode: t.code, meta, durationMs, sent: t.requestSent };
    }
    const durationMs = performance.now() - started;
    // Everything the server sent back is redacted, not just the message: a hostile or broken server may echo a
    // signature or token into the code, type or request id, and those end up in `name`, `$metadata` and logs.
    const redact = <T extends string | undefined>(text: T): T => (text === undefined ? text : (redactor.redact(text) as T));
    const headerRequestId = redact(res.headers["x-amzn-requestid"] ?? res.headers["x-amz-request-id"]);
    const baseMeta = (requestId: string | undefined): ResponseMetadata => ({
      httpStatusCode: res.statusCode, ...(requestId ? { requestId } : {}), attempts: attempt, totalRetryDelay,
    });
    if (res.statusCode >= 200 && res.statusCode < 300) {
      try {
        const parsed = parseSuccess(op, res.body);
        return { ok: true, output: parsed.output, meta: baseMeta(redact(parsed.requestId) ?? headerRequestId), durationMs };
      } catch (err) {
        const meta = baseMeta(headerRequestId);
        const detail = err instanceof XmlShapeError ? redact(err.message) : "";
        const error = new MalformedResponseError(res.statusCode, redact(res.body), meta, detail);
        // A 2xx means the service did something; for CreateJob that may be a job we cannot see.
        return { ok: false, error, retry: "none", ambiguous: !idempotent, errorCode: error.code, meta, durationMs, sent: true };
      }
    }
    const parsedError = parseError(res.body);
    if (parsedError) {
      const parsed = { ...parsedError, code: redact(parsedError.code), requestId: redact(parsedError.requestId), type: redact(parsedError.type) };
      const meta = baseMeta(parsed.requestId ?? headerRequestId);
      const message = redact(parsed.message);
      const error: ImportExportServiceException = errorFromCode(parsed.code, message, meta, parsed.type);
      let retry = classifyErrorResponse(parsed.code, res.statusCode);
      // The service answered with an error document, so the request was handled and refused. For CreateJob
      // only throttling and ServiceUnavailable say "not processed"; other 5xx codes are not retried.
      if (!idempotent && retry === "transient" && parsed.code !== "ServiceUnavailable") retry = "none";
      const hint = retryAfterMs(res.headers, this.now());
      return { ok: false, error, retry, ambiguous: false, ...(hint !== undefined ? { retryAfter: hint } : {}), errorCode: parsed.code, meta, durationMs, sent: true };
    }
    const meta = baseMeta(headerRequestId);
    const error = new MalformedResponseError(res.statusCode, redact(res.body), meta);
    const serverFailure = res.statusCode >= 500 && res.statusCode !== 501;
    return { ok: false, error, retry: serverFailure ? "transient" : "none", ambiguous: serverFailure && !idempotent, errorCode: `HTTP${res.statusCode}`, meta, durationMs, sent: true };
  }

  /** One redactor per credential set, keyed by the secrets themselves (not the object, which a caller may mutate). */
  private redactorFor(creds: ImportExportCredentials): Redactor {
    const cached = this.credentialRedactor;
    if (cached && cached.secretAccessKey === creds.secretAccessKey && cached.sessionToken === creds.sessionToken) return cached.redactor;
    const redactor = new Redactor([creds.secretAccessKey, creds.sessionToken]);
    this.credentialRedactor = { secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken, redactor };
    return redactor;
  }

  private async sign(params: Record<string, string>, creds: ImportExportCredentials, now: Date): Promise<{ headers: Record<string, string>; body: string; signature: string }> {
    const url = this.endpoint.url;
    if (this.signatureVersion === "v2") {
      const { body, signature } = signV2Body(params, { method: "POST", host: url.host, path: url.pathname, credentials: creds, signatureMethod: this.signatureMethod, now });
      return { headers: { "content-type": CONTENT_TYPE, "user-agent": USER_AGENT }, body, signature };
    }
    const body = formBody(params);
    // Loaded on first use: SigV4 pulls in @smithy/signature-v4 (and @smithy/core), which SigV2 callers never need.
    // Its promise is kept: loading it again would still go through a resolution on every call.
    const { signV4 } = await (sigV4Module ??= loadOwnModule({ require: () => require("./signing/sigv4.js"), import: () => import("./signing/sigv4.js") }));
    const headers = await signV4(
      {
        method: "POST", protocol: url.protocol, hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname, headers: { host: url.host, "content-type": CONTENT_TYPE }, body,
      },
      creds, sigV4Scope(url, this.region), now,
    );
    const auth = headers["authorization"] ?? "";
    return { headers: { ...headers, "user-agent": USER_AGENT }, body, signature: auth.slice(auth.lastIndexOf("=") + 1) };
  }

  private log(event: RequestLogEvent, outcome: { durationMs?: number }): void {
    if (!this.logger) return;
    const e = { ...event, durationMs: Math.round((outcome.durationMs ?? 0) * 1000) / 1000 };
    try {
      if (typeof this.logger === "function") this.logger(e);
      else this.logger.info(e);
    } catch {
      // A failing logger must not fail the call.
    }
  }
}

function metaFields(meta: ResponseMetadata): { statusCode?: number; requestId?: string } {
  return { ...(meta.httpStatusCode !== undefined ? { statusCode: meta.httpStatusCode } : {}), ...(meta.requestId ? { requestId: meta.requestId } : {}) };
}
