/**
 * HTTP transport over undici with a keep-alive Agent. It reports whether the request had been fully written
 * when a failure happened: that is what decides whether a non-idempotent CreateJob may be retried.
 */
import type { Agent as UndiciAgent, Dispatcher } from "undici";

/**
 * undici's `Agent` class, loaded without the rest of undici. `require("undici")` loads fetch, WebSocket, the cache,
 * mock and proxy agents as well (~110 files): about 40% of a CLI command's start-up and ~9 MiB of its memory
 * (docs/cli.md#start-up-time-and-memory). The Agent's own module is the very class `require("undici").Agent`
 * returns (test/sdk/transport-undici.test.ts checks it); should an undici release move it, the whole package is
 * loaded instead of failing.
 */
function undiciAgent(): typeof UndiciAgent {
  try {
    return require("undici/lib/dispatcher/agent") as typeof UndiciAgent;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw err;
    return (require("undici") as typeof import("undici")).Agent;
  }
}

/** Timeouts and pool settings of the transport. */
export interface TransportOptions {
  /** Milliseconds to establish a connection (TCP + TLS). Default 5 000. */
  connectTimeout?: number;
  /**
   * Milliseconds from the request being written to the response being complete (headers and the whole body): a
   * deadline, not an idle timer, so a body that trickles or never ends still fails in time. Default 30 000.
   */
  responseTimeout?: number;
  /** Largest response body accepted, in bytes; a longer body ends the request. Default {@link DEFAULT_MAX_RESPONSE_BYTES}. */
  maxResponseBytes?: number;
  /** Milliseconds an idle keep-alive socket is kept. Default 4 000 (below Node's 5 s server default). */
  keepAliveTimeout?: number;
  /** Sockets per origin. Default 64. */
  connections?: number;
}

/**
 * 8 MiB. The largest real answer is a GetStatus whose `CurrentManifest` echoes a manifest the service accepted in a
 * request of at most 1 MiB; XML escaping (`&quot;` for `"`) at most sextuples it. A hostile or broken server gets no
 * further than this: the body is never buffered beyond it.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Checks a positive whole number of a transport option; throws a TypeError naming the option. */
export function checkLimit(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`${name} must be a positive whole number, found ${JSON.stringify(value)}.`);
  }
  return value;
}

/** A complete HTTP response. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A request to send. */
export interface HttpRequest {
  url: URL;
  method: "POST";
  headers: Record<string, string>;
  body: string;
}

/** The transport code of a request the caller's AbortSignal stopped. */
export const ABORTED = "ABORTED";

/** Transport failure: no complete response arrived. */
export class TransportError extends Error {
  override readonly name = "TransportError";
  /** `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, `RESPONSE_TIMEOUT`, `UND_ERR_CONNECT_TIMEOUT`, ... */
  readonly code: string;
  /** Whether the whole request had been written to the socket (the service may have processed it). */
  readonly requestSent: boolean;
  /** Whether this is a timeout (connect or response). */
  readonly timeout: boolean;

  constructor(message: string, code: string, requestSent: boolean) {
    super(message);
    this.code = code;
    this.requestSent = requestSent;
    this.timeout = /TIMEOUT/.test(code);
  }
}

function errorCode(err: unknown): string {
  if (err && typeof err === "object") {
    const e = err as { code?: unknown; cause?: { code?: unknown } };
    if (typeof e.code === "string") return e.code;
    if (e.cause && typeof e.cause.code === "string") return e.cause.code;
  }
  return "UNKNOWN";
}

/** Sends requests through one keep-alive undici Agent. */
export class Transport {
  private readonly agent: UndiciAgent;
  private readonly responseTimeout: number;
  private readonly maxResponseBytes: number;

  constructor(options: TransportOptions = {}) {
    this.responseTimeout = checkLimit("responseTimeout", options.responseTimeout ?? 30_000);
    this.maxResponseBytes = checkLimit("maxResponseBytes", options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    const Agent = undiciAgent();
    this.agent = new Agent({
      connect: { timeout: options.connectTimeout ?? 5_000 },
      keepAliveTimeout: options.keepAliveTimeout ?? 4_000,
      connections: options.connections ?? 64,
      // Backstops only: the transport's own response timer (armed when the request is written) fires first.
      headersTimeout: this.responseTimeout + 1_000,
      bodyTimeout: this.responseTimeout + 1_000,
    });
  }

  /**
   * Sends one request; resolves with the whole response, or rejects with a TransportError. When `signal` aborts,
   * the request is cut at once (code {@link ABORTED}): a request not yet written is never written, one in flight has
   * its socket destroyed, so the server sees the connection close instead of an answer nobody reads.
   */
  send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      let sent = false;
      let abort: ((err: Error) => void) | undefined;
      let timer: NodeJS.Timeout | undefined;
      const responseTimeout = this.responseTimeout;
      const maxResponseBytes = this.maxResponseBytes;
      let statusCode = 0;
      let headers: Record<string, string> = {};
      const chunks: Buffer[] = [];
      let received = 0;
      let failed = false;
      // Ends the exchange from our side: undici destroys the socket and calls onError with `err`.
      const fail = (message: string, code: string): void => {
        if (failed) return;
        failed = true;
        chunks.length = 0; // what was buffered is of no use any more: let it go now, not when the socket closes
        abort?.(Object.assign(new Error(message), { code }));
      };
      // Our own clock from "request written" (or the first response byte, should the server answer before it has
      // read the request) to "response complete": undici's headersTimeout is not armed reliably on a reused
      // keep-alive socket and its bodyTimeout is an idle timer, which a body that keeps trickling never trips.
      const armDeadline = (): void => {
        if (timer !== undefined) return;
        timer = setTimeout(() => fail(`no complete response within ${responseTimeout} ms of sending the request`, "RESPONSE_TIMEOUT"), responseTimeout);
      };
      // undici hands out the abort function only when the request is dispatched to a connection (onConnect); an
      // abort before that rejects now and cuts the request the moment undici hands it over, before it is written.
      let aborted: Error | undefined;
      const onAbort = (): void => {
        if (failed) return;
        aborted = Object.assign(new Error("the request was aborted by its AbortSignal"), { code: ABORTED });
        failed = true;
        clearTimeout(timer);
        chunks.length = 0;
        abort?.(aborted);
        reject(new TransportError(`${ABORTED}: ${aborted.message}`, ABORTED, sent));
      };
      if (signal?.aborted) {
        reject(new TransportError(`${ABORTED}: the request was aborted by its AbortSignal before it was sent`, ABORTED, false));
        return;
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      const settled = (): void => signal?.removeEventListener("abort", onAbort);
      const tooLarge = (): void =>
        fail(`the response body exceeds the client's maxResponseBytes (${maxResponseBytes} bytes); it was not read further`, "RESPONSE_TOO_LARGE");
      // undici's handler protocol (onConnect/onRequestSent/onHeaders/...): the only way to learn that the
      // request left the client before the connection failed.
      const handler = {
        onConnect(abortRequest: (err: Error) => void): void {
          abort = abortRequest;
          if (aborted) abortRequest(aborted);
        },
        onRequestSent(): void {
          sent = true;
          armDeadline();
        },
        onHeaders(status: number, raw: Buffer[] | string[] | null): boolean {
          sent = true;
          armDeadline();
          statusCode = status;
          headers = rawHeaders(raw);
          // A declared length over the cap is refused before a byte of the body is read.
          const declared = Number(headers["content-length"]);
          if (Number.isFinite(declared) && declared > maxResponseBytes) tooLarge();
          return !failed;
        },
        onData(chunk: Buffer): boolean {
          if (failed) return false;
          received += chunk.length;
          if (received > maxResponseBytes) {
            tooLarge();
            return false;
          }
          chunks.push(chunk);
          return true;
        },
        onComplete(): void {
          clearTimeout(timer);
          settled();
          if (failed) return; // onError follows with the reason
          resolve({ statusCode, headers, body: Buffer.concat(chunks).toString("utf8") });
        },
        onError(err: Error): void {
          clearTimeout(timer);
          settled();
          if (aborted) return; // rejected when the signal fired
          const code = errorCode(err);
          chunks.length = 0;
          reject(new TransportError(`${code}: ${err.message}`, code, sent));
        },
      };
      try {
        this.agent.dispatch(
          {
            origin: request.url.origin,
            path: `${request.url.pathname}${request.url.search}`,
            method: request.method,
            headers: request.headers,
            body: request.body,
            headersTimeout: this.responseTimeout + 1_000,
            bodyTimeout: this.responseTimeout + 1_000,
          },
          handler as unknown as Dispatcher.DispatchHandler,
        );
      } catch (err) {
        settled();
        const code = errorCode(err);
        reject(new TransportError(`${code}: ${err instanceof Error ? err.message : String(err)}`, code, false));
      }
    });
  }

  /** Closes the pooled sockets. Requests in flight are finished first. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}

function rawHeaders(raw: Buffer[] | string[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    const value = String(raw[i + 1]);
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}
