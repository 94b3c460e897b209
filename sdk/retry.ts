/**
 * Standard retry mode (as the AWS SDKs define it): at most `maxAttempts` attempts (3), full-jitter exponential
 * backoff (100 ms base, 500 ms for throttling, 20 s cap), a retry quota (500 tokens, 5 per retry, 10 per timeout
 * retry, refunded on success). Randomness and sleeping are injectable so tests can assert exact delays.
 *
 * The numbers are @smithy/util-retry's constants, written out in ./retry-constants (a test compares them with the
 * library's) so that creating a client does not load @smithy/core. Its `StandardRetryStrategy` is not used: it no
 * longer follows them (since @smithy/core 3.40 it applies the 2026 parameters unconditionally: 50 ms / 1 s bases, costs 14 / 5,
 * no timeout cost), it sleeps inside `refreshRetryTokenForRetry` on a real timer and draws from `Math.random`, so
 * neither the client's injected `sleep`/`random` nor its log line before the wait can work with it.
 * test/sdk/retry-library.test.ts shows each of these on the library itself (docs/sdk.md, "Retries").
 */
import {
  DEFAULT_MAX_ATTEMPTS as SMITHY_DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_DELAY_BASE, INITIAL_RETRY_TOKENS, MAXIMUM_RETRY_DELAY,
  NO_RETRY_INCREMENT, RETRY_COST, THROTTLING_RETRY_DELAY_BASE, TIMEOUT_RETRY_COST,
} from "./retry-constants";
import { delay, untilAborted } from "./abort";
import { errors } from "./model";

/** Base delay for ordinary transient errors. */
export const BASE_DELAY_MS: number = DEFAULT_RETRY_DELAY_BASE;
/** Base delay for throttling errors. */
export const THROTTLING_BASE_DELAY_MS: number = THROTTLING_RETRY_DELAY_BASE;
/** Upper bound of one backoff. */
export const MAX_BACKOFF_MS: number = MAXIMUM_RETRY_DELAY;
/** Default attempts, first one included. */
export const DEFAULT_MAX_ATTEMPTS: number = SMITHY_DEFAULT_MAX_ATTEMPTS;

/** The model's error codes whose `retryable` says `kind` (sdk/model.ts `errors`). */
function modelledRetryable(kind: "throttling" | "transient"): string[] {
  return Object.entries(errors).filter(([, e]) => e.retryable === kind).map(([code]) => code);
}

/**
 * Codes retried as throttling: the model's (`Throttling`) and the other codes the AWS SDKs' standard mode lists,
 * which a proxy or front end in the way may answer with.
 */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  ...modelledRetryable("throttling"),
  "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
  "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
  "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
  "EC2ThrottledException",
]);
/** Codes retried as transient whatever their status: the model's (`InternalFailure`, `ServiceUnavailable`) and the AWS SDKs' others. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  ...modelledRetryable("transient"),
  "TimeoutError", "RequestTimeout", "RequestTimeoutException", "InternalError",
]);
/** Statuses retried as transient (501 Not Implemented is not). */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** How a failed attempt is classified. */
export type RetryKind = "throttling" | "transient" | "timeout" | "none";

/** Classifies a parsed error response. */
export function classifyErrorResponse(code: string, status: number): RetryKind {
  if (THROTTLING_CODES.has(code) || status === 429) return "throttling";
  if (TRANSIENT_CODES.has(code) || TRANSIENT_STATUSES.has(status)) return "transient";
  return "none";
}

/** Injectable parts of the policy. */
export interface RetryStrategyOptions {
  /** Attempts, first one included (≥ 1). Default: `AWS_MAX_ATTEMPTS` or 3. */
  maxAttempts?: number;
  /** Uniform random in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Waits `ms` milliseconds. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** Reads `maxAttempts` from options, then `AWS_MAX_ATTEMPTS`, then the default. Invalid values are refused. */
export function resolveMaxAttempts(explicit: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env["AWS_MAX_ATTEMPTS"];
  const value = explicit ?? (fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) : DEFAULT_MAX_ATTEMPTS);
  if (!Number.isInteger(value) || value < 1) {
    const source = explicit !== undefined ? "maxAttempts" : "AWS_MAX_ATTEMPTS";
    throw new RangeError(`${source} must be a whole number of at least 1, found ${JSON.stringify(explicit ?? fromEnv)}.`);
  }
  return value;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The standard retry strategy, shared by all calls of one client (the quota is per client). */
export class StandardRetryStrategy {
  readonly maxAttempts: number;
  private readonly random: () => number;
  private readonly sleepFn: (ms: number) => Promise<void>;
  private tokens = INITIAL_RETRY_TOKENS;

  constructor(options: RetryStrategyOptions = {}) {
    this.maxAttempts = resolveMaxAttempts(options.maxAttempts);
    this.random = options.random ?? Math.random;
    this.sleepFn = options.sleep ?? defaultSleep;
  }

  /**
   * Full-jitter backoff before retry number `retry` (1 = the first retry):
   * `random() × min(base × 2^(retry-1), 20 s)`, base 500 ms for throttling, 100 ms otherwise. A server
   * `retry-after` hint (ms) is honoured within [backoff, backoff + 5 s].
   */
  delay(retry: number, kind: RetryKind, retryAfterMs?: number): number {
    const base = kind === "throttling" ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
    const backoff = Math.floor(this.random() * Math.min(base * 2 ** (retry - 1), MAX_BACKOFF_MS));
    if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs)) return backoff;
    return Math.min(Math.max(retryAfterMs, backoff), backoff + 5_000);
  }

  /** Takes quota for a retry; false when the quota is exhausted (then the error is returned as is). */
  acquire(kind: RetryKind): number | undefined {
    const cost = kind === "timeout" ? TIMEOUT_RETRY_COST : RETRY_COST;
    if (this.tokens < cost) return undefined;
    this.tokens -= cost;
    return cost;
  }

  /** Records a successful call: refunds what its retries took, or adds a token when it took none. */
  release(spent: number): void {
    this.tokens = Math.min(INITIAL_RETRY_TOKENS, this.tokens + (spent > 0 ? spent : NO_RETRY_INCREMENT));
  }

  /** Tokens left (for tests and diagnostics). */
  get availableTokens(): number {
    return this.tokens;
  }

  /**
   * Waits `ms` before the next attempt. With `signal`, the wait ends (rejecting with the signal's reason) the moment
   * it aborts: an injected sleep is raced against it, the default timer is cleared.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    if (signal === undefined) return this.sleepFn(ms);
    if (this.sleepFn === defaultSleep) return delay(ms, signal);
    return untilAborted(this.sleepFn(ms), signal);
  }
}

/** Reads a retry hint: `x-amz-retry-after` (ms) or `retry-after` (seconds or HTTP date), in milliseconds. */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: Date): number | undefined {
  const amz = headers["x-amz-retry-after"];
  if (amz !== undefined && /^\d+$/.test(amz.trim())) return Number(amz.trim());
  const h = headers["retry-after"];
  if (h === undefined) return undefined;
  if (/^\d+$/.test(h.trim())) return Number(h.trim()) * 1000;
  const at = Date.parse(h);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
